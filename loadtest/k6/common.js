// What both k6 scripts share: settings from the environment and a first look at the hub.
import http from 'k6/http';

/** The hub's REST base: the backend (http://localhost:8081) or, behind nginx, .../api. */
export const BASE_URL = (__ENV.BASE_URL || 'http://localhost:8081').replace(/\/+$/, '');

/** HUB_TOKEN, for a hub with AUTH_TOKENS: a reporter's token or higher (both scripts create incidents). */
const TOKEN = __ENV.HUB_TOKEN || '';

/** Headers every REST request carries: the bearer token when there is one. */
export const AUTH_HEADERS = TOKEN ? { Authorization: `Bearer ${TOKEN}` } : {};

/** The socket URL's query for `channel`; a socket's token travels in the query, as the dashboard's does. */
export function socketQuery(channel) {
  return TOKEN ? `channels=${channel}&access_token=${encodeURIComponent(TOKEN)}` : `channels=${channel}`;
}

/** A whole-number setting from the environment, or its default. */
export function int(name, fallback) {
  const value = parseInt(__ENV[name] || '', 10);
  return Number.isFinite(value) ? value : fallback;
}

/**
 * k6's setup(): fails the run at once when the hub is not up, and gives every VU one run id, so that this run's
 * channels and titles are its own and easy to find afterwards.
 */
export function setup() {
  const health = http.get(`${BASE_URL}/health`);
  if (health.status !== 200) {
    throw new Error(`${BASE_URL}/health answered ${health.status}; is the hub running?`);
  }
  return { runId: Math.random().toString(36).slice(2, 8) };
}
