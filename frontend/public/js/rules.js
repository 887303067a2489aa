// The incident rules of the API, stated once for JavaScript: the dashboard and the k6 scripts import them from here.
// They restate the contract in backend/src/main/resources/schemas/; frontend/test/rules.test.js holds them to it.

/** Severities, least severe first. */
export const SEVERITIES = Object.freeze(['low', 'medium', 'high']);

/** Statuses, in the order an incident usually moves through them. */
export const STATUSES = Object.freeze(['open', 'acknowledged', 'resolved']);

/** A title has 1 to this many characters after trimming. */
export const TITLE_MAX_LENGTH = 200;

/** A message is optional, up to this many characters. */
export const MESSAGE_MAX_LENGTH = 2000;

/** A note has 1 to this many characters after trimming. */
export const NOTE_MAX_LENGTH = 2000;

/**
 * A channel name: 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit. The same source
 * text as the schema's, written so that it compiles with the `v` flag too (which the HTML pattern attribute uses).
 * It ends in (?![\s\S]) rather than $, which the server's regex engines let match before a final newline.
 */
export const CHANNEL_PATTERN = '^[a-z0-9][a-z0-9._\\-]{0,63}(?![\\s\\S])';

/** The longest channel name the pattern accepts. */
export const CHANNEL_MAX_LENGTH = 64;
