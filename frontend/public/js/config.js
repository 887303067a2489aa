// The one place that knows where the backend is. Both URLs come from the page's own origin, so the same files
// work behind nginx (which proxies /api and /ws) and when the backend serves them itself.
const socketScheme = location.protocol === 'https:' ? 'wss:' : 'ws:';

export const API_BASE = `${location.origin}/api`;
export const SOCKET_URL = `${socketScheme}//${location.host}/ws`;

/** How many incidents one list request asks for. */
export const PAGE_SIZE = 50;

/** The contract's largest page; a reload after a reconnect asks for at most this many. */
export const MAX_PAGE_SIZE = 500;

/** Reconnect back-off: about 1 s doubling up to 30 s, each delay moved by up to ±20 % so clients spread out. */
export const RECONNECT = Object.freeze({ initialDelayMs: 1000, maxDelayMs: 30000, jitter: 0.2 });

/** How often the "3 min ago" texts are refreshed. */
export const RELATIVE_TIME_REFRESH_MS = 15000;

/** How long a row that just arrived stays highlighted. */
export const HIGHLIGHT_MS = 4000;
