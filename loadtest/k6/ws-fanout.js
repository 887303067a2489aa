// k6 v1.x: WebSocket fan-out against Incident Hub.
//
//   k6 run -e BASE_URL=http://localhost:8081 loadtest/k6/ws-fanout.js
//   k6 run -e BASE_URL=http://localhost:8080/api -e WS_URL=ws://localhost:8080/ws \
//          -e SOCKETS=2000 -e CHANNELS=20 -e RATE=100 loadtest/k6/ws-fanout.js
//
// SOCKETS virtual users each hold one socket subscribed to one of CHANNELS channels; after CONNECT_SECONDS
// a writer creates RATE incidents per second for DURATION seconds, round robin over the channels. Each
// create carries the moment it was sent in its title, so every socket measures the delivery latency of
// every incident it receives (one k6 process, one clock).
//
// Environment (all optional):
//   BASE_URL         REST base (default http://localhost:8081; behind nginx use .../api)
//   WS_URL           socket endpoint (default: BASE_URL's origin with ws:// and path /ws)
//   SOCKETS (1000), CHANNELS (10), RATE creates/s (50), DURATION seconds of creating (30)
//   CONNECT_SECONDS  time the sockets get to connect before the first create (10)
//   DRAIN_SECONDS    time the sockets stay open after the last create (5)
//   P99_DELIVERY_MS  delivery latency budget (50)
//   HUB_TOKEN        bearer token when the hub has AUTH_TOKENS: reporter or higher (the writer creates)
//
// Every socket and create comes from one client, so the hub's limits must allow SOCKETS sockets
// (MAX_SOCKETS_PER_CLIENT, default 1000) and RATE writes a second (WRITES_PER_SECOND, default 50).
//
// Thresholds fail the run (exit 99) on: p(99) delivery latency over budget, any BAD_MESSAGE error, any
// socket that did not subscribe, fewer deliveries than RATE x DURATION x SOCKETS / CHANNELS, any
// duplicate, any failed create.

import http from 'k6/http';
import { AUTH_HEADERS, BASE_URL, int, socketQuery } from './common.js';
// The API's severities, as the dashboard states them (k6 bundles the file with the script).
import { SEVERITIES } from '../../frontend/public/js/rules.js';

// k6 calls setup() once before the VUs start: it checks the hub and names this run.
export { setup } from './common.js';
import { check } from 'k6';
import exec from 'k6/execution';
import { WebSocket } from 'k6/websockets';
import { Counter, Trend } from 'k6/metrics';

const WS_URL = __ENV.WS_URL || BASE_URL.replace(/^http/, 'ws').replace(/^(wss?:\/\/[^/]+).*$/, '$1') + '/ws';
const SOCKETS = int('SOCKETS', 1000);
const CHANNELS = int('CHANNELS', 10);
const RATE = int('RATE', 50);
const DURATION = int('DURATION', 30);
const CONNECT_SECONDS = int('CONNECT_SECONDS', 10);
const DRAIN_SECONDS = int('DRAIN_SECONDS', 5);

// Every create reaches every socket of its channel; with sockets spread evenly that is this many.
let expectedDeliveries = 0;
for (let c = 0; c < CHANNELS; c++) {
  const socketsOnChannel = Math.floor(SOCKETS / CHANNELS) + (c < SOCKETS % CHANNELS ? 1 : 0);
  const createsOnChannel = Math.floor((RATE * DURATION) / CHANNELS) + (c < (RATE * DURATION) % CHANNELS ? 1 : 0);
  expectedDeliveries += socketsOnChannel * createsOnChannel;
}

const deliveryLatency = new Trend('delivery_latency', true);
const deliveries = new Counter('deliveries');
const duplicates = new Counter('duplicate_deliveries');
const badMessages = new Counter('bad_messages');
const subscribed = new Counter('sockets_subscribed');
const createsFailed = new Counter('creates_failed');

export const options = {
  scenarios: {
    listeners: {
      executor: 'per-vu-iterations',
      exec: 'listen',
      vus: SOCKETS,
      iterations: 1,
      maxDuration: `${CONNECT_SECONDS + DURATION + DRAIN_SECONDS + 30}s`,
    },
    writer: {
      executor: 'constant-arrival-rate',
      exec: 'createIncident',
      rate: RATE,
      timeUnit: '1s',
      duration: `${DURATION}s`,
      startTime: `${CONNECT_SECONDS}s`,
      preAllocatedVUs: Math.max(5, Math.ceil(RATE / 20)),
      maxVUs: Math.max(20, RATE),
    },
  },
  thresholds: {
    delivery_latency: [`p(99)<${int('P99_DELIVERY_MS', 50)}`],
    bad_messages: ['count==0'],
    duplicate_deliveries: ['count==0'],
    creates_failed: ['count==0'],
    sockets_subscribed: [`count>=${SOCKETS}`],
    deliveries: [`count>=${expectedDeliveries}`],
    dropped_iterations: ['count==0'],
    'http_req_failed{scenario:writer}': ['rate==0'],
  },
};

function channelName(runId, index) {
  return `lt-k6-${runId}-${index}`;
}

export function listen(data) {
  const channel = channelName(data.runId, (__VU - 1) % CHANNELS);
  const prefix = `k6 ${data.runId} `;
  const seen = new Set();
  const ws = new WebSocket(`${WS_URL}?${socketQuery(channel)}`);

  ws.addEventListener('message', (event) => {
    const receivedAt = Date.now();
    const message = JSON.parse(event.data);
    if (message.type === 'subscribed') {
      subscribed.add(1);
    } else if (message.type === 'error') {
      if (message.code === 'BAD_MESSAGE') {
        badMessages.add(1);
      }
    } else if (message.type === 'incident.created' && message.incident.title.startsWith(prefix)) {
      const title = message.incident.title;
      if (seen.has(title)) {
        duplicates.add(1);
        return;
      }
      seen.add(title);
      // Title: "k6 <runId> <sequence> <sent at, ms since the epoch>".
      const sentAt = parseInt(title.split(' ')[3], 10);
      deliveryLatency.add(receivedAt - sentAt);
      deliveries.add(1);
      check(message.incident, { 'delivered on the subscribed channel': (i) => i.channel === channel });
    }
  });
  ws.addEventListener('error', (e) => console.error(`socket ${__VU}: ${e.error}`));

  // Hold the socket through the writer's whole run plus the drain, then leave cleanly.
  setTimeout(() => ws.close(), (CONNECT_SECONDS + DURATION + DRAIN_SECONDS) * 1000);
}

export function createIncident(data) {
  // The scenario-wide iteration number makes the round robin over channels exact across writer VUs,
  // which the expected-deliveries threshold relies on.
  const sequence = exec.scenario.iterationInTest;
  const channel = channelName(data.runId, sequence % CHANNELS);
  const title = `k6 ${data.runId} ${sequence} ${Date.now()}`;
  const res = http.post(
    `${BASE_URL}/incidents`,
    JSON.stringify({ title, severity: SEVERITIES[sequence % SEVERITIES.length], channel }),
    { headers: { 'Content-Type': 'application/json', ...AUTH_HEADERS }, tags: { type: 'create' } },
  );
  if (!check(res, { 'create: status 201': (r) => r.status === 201 })) {
    createsFailed.add(1);
  }
}
