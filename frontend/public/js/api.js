// Fetch client for the backend's REST API. Every failure becomes an ApiError, so callers handle one kind of error.
// Every request carries the signed-in token; a 401 also tells whoever listens that the token is no longer good.
import { API_BASE } from './config.js';
import * as session from './session.js';

let unauthorized = () => {};

/**
 * `handler(error)` runs when the hub refuses the signed-in token with 401 (it was revoked, or the hub restarted
 * without it), before the request's own caller hears of it.
 */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

/** A failed request: HTTP status (0 when the server could not be reached), the contract's error code and details. */
export class ApiError extends Error {
  constructor(status, code, message, details = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

async function request(method, path, { query, body, headers = {}, token = session.token() } = {}) {
  const url = new URL(API_BASE + path);
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
  }
  const init = { method, headers: { Accept: 'application/json', ...headers } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check the connection; the page retries by itself.');
  }

  let payload = null;
  try {
    payload = await response.json();
  } catch {
    // A proxy error page or an empty body: the status alone tells what happened.
  }
  if (!response.ok) {
    const error = payload && payload.error;
    const failure = new ApiError(
      response.status,
      (error && error.code) || `HTTP_${response.status}`,
      (error && error.message) || describeStatus(response.status),
      (error && Array.isArray(error.details)) ? error.details : []);
    if (response.status === 401 && token && token === session.token()) unauthorized(failure);
    throw failure;
  }
  if (payload === null) {
    throw new ApiError(response.status, 'BAD_RESPONSE', 'The server sent a response the page cannot read.');
  }
  return payload;
}

function describeStatus(status) {
  if (status === 502 || status === 503 || status === 504) return 'The service is unavailable right now. Try again shortly.';
  if (status >= 500) return 'The server failed to handle the request.';
  return `The request failed (HTTP ${status}).`;
}

/** Lists incidents newest first; `filters` holds channel/severity/status lists and from/to ISO instants. */
export function listIncidents(filters, limit, offset) {
  return request('GET', '/incidents', {
    query: {
      channel: filters.channels.join(','),
      severity: filters.severity,
      status: filters.status,
      from: filters.from,
      to: filters.to,
      limit,
      offset,
    },
  });
}

export async function getIncident(id) {
  return (await request('GET', `/incidents/${encodeURIComponent(id)}`)).data;
}

export async function createIncident(fields) {
  return (await request('POST', '/incidents', { body: fields })).data;
}

/** Changes the status only if the incident is still at `version`; a newer one makes the server answer 412. */
export async function changeStatus(id, status, version) {
  return (await request('PATCH', `/incidents/${encodeURIComponent(id)}`, {
    body: { status },
    headers: { 'If-Match': `"${version}"` },
  })).data;
}

/**
 * Who a token belongs to, the signed-in one unless another is given to try: `{ name, role }` (`anonymous` and
 * `admin` when the hub has no tokens). A token the hub does not know is an ApiError with status 401.
 */
export async function whoAmI(token = session.token()) {
  return (await request('GET', '/me', { token })).data;
}

export async function listChannels() {
  return (await request('GET', '/channels')).data;
}

/** The incident's timeline, oldest first. */
export async function getHistory(id) {
  return (await request('GET', `/incidents/${encodeURIComponent(id)}/history`)).data;
}

/** Adds a note to the incident's timeline and answers its entry. */
export async function addNote(id, text) {
  return (await request('POST', `/incidents/${encodeURIComponent(id)}/notes`, { body: { text } })).data;
}
