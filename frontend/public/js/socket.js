// The live connection: connects to /ws, keeps the server's subscription equal to the channels the operator
// filters on, and reconnects by itself with exponential back-off and jitter, resuming after the last cursor it got so
// that the server replays what happened meanwhile. A browser cannot set headers on a WebSocket, so the signed-in
// token travels as access_token in the query.
import { RECONNECT } from './config.js';

const ALL = ['*'];

function sameChannels(a, b) {
  return a.length === b.length && a.every((channel, i) => channel === b[i]);
}

function normalise(channels) {
  if (channels.length === 0 || channels.includes('*')) return ALL;
  return [...new Set(channels)].sort();
}

/**
 * One self-healing WebSocket. Reports through the handlers:
 * - onState({ name: 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'stopped', retryAt?, reconnecting? })
 * - onSubscribed(channels, recovered): the server confirmed the wanted subscription (on every connect and after each
 *   change); from then on no event of those channels is missed. `recovered` is true when a reconnect resumed: the
 *   changes missed meanwhile follow as replayed events, so nothing needs re-reading. Otherwise (false: the server
 *   could not vouch for the cursor; undefined: a new connection or subscription) this is the moment to re-read the
 *   list over REST.
 * - onEvent(type, incident, replayed) for incident.created / incident.updated; `replayed` marks a change sent again
 *   after a resume
 * - onProblem(message) for an error frame from the server
 */
export class LiveSocket {
  #baseUrl;
  #handlers;
  #token;
  #stopped = false;
  #ws = null;
  #retryTimer = null;
  #attempt = 0;
  #wanted = ALL;
  #confirmed = null; // the server's last word on our subscription; null until it spoke on this connection
  #repliesPending = 0;
  #everConnected = false;
  #cursor = null; // the position of the last frame received: a reconnect resumes after it

  /** `token()` gives the token to connect with, or '' when the hub needs none. */
  constructor(baseUrl, handlers, token = () => '') {
    this.#baseUrl = baseUrl;
    this.#handlers = handlers;
    this.#token = token;
  }

  start() {
    window.addEventListener('online', () => this.#reconnectNow());
    window.addEventListener('offline', () => {
      if (!this.#isOpen() && !this.#stopped) this.#report({ name: 'offline' });
    });
    this.#connect();
  }

  /** Closes the socket for good (the operator signed out, or the hub stopped accepting the token). */
  stop() {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const ws = this.#ws;
    this.#ws = null;
    if (ws !== null) ws.close();
    this.#report({ name: 'stopped' });
  }

  /** True once the server has confirmed a subscription on the current connection. */
  get connected() {
    return this.#isOpen() && this.#confirmed !== null;
  }

  /** Channels to receive events for; an empty list (or '*') means every channel. */
  setChannels(channels) {
    const wanted = normalise(channels);
    if (sameChannels(wanted, this.#wanted)) return;
    this.#wanted = wanted;
    // Before the server's first `subscribed` frame the connection is not ready; that frame triggers the change.
    if (this.#isOpen() && this.#confirmed !== null && this.#repliesPending === 0) this.#requestChange();
  }

  #isOpen() {
    return this.#ws !== null && this.#ws.readyState === WebSocket.OPEN;
  }

  #url() {
    // Channel names ([a-z0-9._-]) and cursors ([A-Za-z0-9_.~-]) need no escaping.
    const query = [];
    if (this.#wanted !== ALL) query.push(`channels=${this.#wanted.join(',')}`);
    if (this.#cursor !== null) query.push(`since=${this.#cursor}`);
    const token = this.#token();
    if (token) query.push(`access_token=${encodeURIComponent(token)}`);
    return query.length === 0 ? this.#baseUrl : `${this.#baseUrl}?${query.join('&')}`;
  }

  #connect() {
    this.#report({ name: 'connecting', reconnecting: this.#everConnected || this.#attempt > 0 });
    let ws;
    try {
      ws = new WebSocket(this.#url());
    } catch {
      this.#scheduleReconnect();
      return;
    }
    this.#ws = ws;
    this.#confirmed = null;
    this.#repliesPending = 0;

    ws.addEventListener('open', () => {
      this.#attempt = 0;
      this.#everConnected = true;
      this.#report({ name: 'connected' });
    });
    ws.addEventListener('message', (event) => this.#receive(event.data));
    // A failed attempt fires `error` and then `close`; handling `close` alone covers both.
    ws.addEventListener('close', () => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.#scheduleReconnect();
    });
  }

  #receive(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return; // not ours to interpret; the contract only sends JSON
    }
    if (typeof frame.cursor === 'string') this.#cursor = frame.cursor;
    switch (frame.type) {
      case 'subscribed':
        this.#onSubscribed(Array.isArray(frame.channels) ? normalise(frame.channels) : [], frame.recovered);
        break;
      case 'incident.created':
      case 'incident.updated':
        if (frame.incident && typeof frame.incident.id === 'string') {
          this.#handlers.onEvent(frame.type, frame.incident, frame.replayed === true);
        }
        break;
      case 'error':
        if (this.#repliesPending > 0) this.#repliesPending -= 1;
        this.#handlers.onProblem(`Live updates: ${frame.message || frame.code || 'the server rejected a message'}`);
        break;
      default:
        break; // pong and future frame types
    }
  }

  #onSubscribed(channels, recovered) {
    this.#confirmed = channels;
    if (this.#repliesPending > 0) {
      this.#repliesPending -= 1;
      if (this.#repliesPending > 0) return; // an intermediate answer to our unsubscribe/subscribe pair
    }
    if (sameChannels(channels, this.#wanted)) {
      this.#handlers.onSubscribed(channels, typeof recovered === 'boolean' ? recovered : undefined);
    } else {
      this.#requestChange(); // the filter changed while the server was answering
    }
  }

  #requestChange() {
    // Drop what the server has, then ask for what we want: with '*' absorbing other names, a subscribe first could
    // leave the old '*' in place.
    const frames = [];
    if (this.#confirmed.length > 0) frames.push({ type: 'unsubscribe', channels: this.#confirmed });
    frames.push({ type: 'subscribe', channels: this.#wanted });
    this.#repliesPending = frames.length;
    for (const frame of frames) this.#ws.send(JSON.stringify(frame));
  }

  #scheduleReconnect() {
    clearTimeout(this.#retryTimer);
    if (this.#stopped) return;
    if (!navigator.onLine) {
      this.#report({ name: 'offline' }); // the `online` event brings us back
      return;
    }
    const ceiling = Math.min(RECONNECT.maxDelayMs, RECONNECT.initialDelayMs * 2 ** this.#attempt);
    const spread = 1 + RECONNECT.jitter * (2 * Math.random() - 1);
    const delay = Math.min(RECONNECT.maxDelayMs, Math.round(ceiling * spread));
    this.#attempt += 1;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, delay);
    this.#report({ name: 'reconnecting', retryAt: Date.now() + delay });
  }

  #reconnectNow() {
    if (this.#ws !== null || this.#stopped) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#attempt = 0;
    this.#connect();
  }

  #report(state) {
    this.#handlers.onState(state);
  }
}
