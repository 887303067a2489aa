// Proves the WebSocket path through a proxy: sockets opened on --ws receive the incident.created
// event of an incident created through --api. One socket subscribes to everything (/ws), one to
// the incident's channel only (/ws?channels=...), which also proves the query string is passed on.
//
// Usage: node [--experimental-websocket] .ci/ws-event-check.mjs --api http://host:port/api --ws ws://host:port/ws
//          [--token TOKEN]
// With --token the create sends it as a bearer token and the sockets in access_token, as the dashboard does.
// Exit 0 when both sockets got the event within the timeout; otherwise prints why and exits 1.

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const api = args.api;
const wsBase = args.ws;
const timeoutMs = Number(args.timeout ?? 10000);
const token = args.token;
// The sockets carry the token in the query, as a browser's must.
const withToken = (url) => (token
  ? `${url}${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(token)}`
  : url);
if (!api || !wsBase) {
  console.error('usage: ws-event-check.mjs --api <base url> --ws <ws url> [--token token] [--timeout ms]');
  process.exit(2);
}
if (typeof WebSocket !== 'function') {
  console.error('this Node has no WebSocket client: run it with --experimental-websocket (Node 20) or use Node 22+');
  process.exit(2);
}

const channel = `nginx-check-${process.pid}`;

function fail(reason) {
  console.error(`ws-event-check: ${reason}`);
  process.exit(1);
}

// Opens a socket and resolves with it and a queue of parsed messages once "subscribed" arrived.
function connect(url, expectedChannels) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(withToken(url));
    const waiters = [];
    const received = [];
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(event.data);
      received.push(message);
      waiters.splice(0).forEach((wake) => wake());
    });
    socket.addEventListener('error', () => reject(new Error(`${url}: connection error`)));
    socket.addEventListener('close', (event) => reject(new Error(`${url}: closed (${event.code})`)));
    const next = async (predicate, what) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${url}: no ${what} within ${timeoutMs} ms (got ${JSON.stringify(received)})`);
        await new Promise((wake) => {
          waiters.push(wake);
          setTimeout(wake, left);
        });
      }
    };
    socket.addEventListener('open', async () => {
      try {
        const subscribed = await next((m) => m.type === 'subscribed', 'subscribed message');
        if (JSON.stringify(subscribed.channels) !== JSON.stringify(expectedChannels)) {
          throw new Error(`${url}: subscribed to ${JSON.stringify(subscribed.channels)}, expected ${JSON.stringify(expectedChannels)}`);
        }
        resolve({ socket, next });
      } catch (error) {
        reject(error);
      }
    });
  });
}

try {
  const all = await connect(wsBase, ['*']);
  const one = await connect(`${wsBase}?channels=${channel}`, [channel]);

  const response = await fetch(`${api}/incidents`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ title: 'WebSocket through the proxy', severity: 'low', channel }),
  });
  if (response.status !== 201) fail(`POST ${api}/incidents answered ${response.status}: ${await response.text()}`);
  const created = (await response.json()).data;

  for (const [name, client] of [['/ws', all], ['/ws?channels', one]]) {
    const event = await client.next(
      (m) => m.type === 'incident.created' && m.incident && m.incident.id === created.id,
      `incident.created for ${created.id}`,
    );
    if (event.incident.channel !== channel || event.incident.version !== 1) {
      fail(`${name}: unexpected event ${JSON.stringify(event)}`);
    }
  }
  all.socket.close();
  one.socket.close();
  console.log(`ws-event-check: both sockets received incident.created for ${created.id}`);
  process.exit(0);
} catch (error) {
  fail(error.message);
}
