// The incident table: one row per incident, kept per id, with its status buttons, and "load more" below it.
import { HIGHLIGHT_MS, RELATIVE_TIME_REFRESH_MS } from '../config.js';
import { byId as $ } from './dom.js';
import { label } from './labels.js';
import { localTime, relativeTime } from './time.js';

const dom = {
  rows: $('incident-rows'),
  listSummary: $('list-summary'),
  listEmpty: $('list-empty'),
  loadMore: $('load-more'),
  rowTemplate: $('incident-row-template'),
};

const rowsById = new Map();
/** Why the status buttons are disabled for the signed-in role, or '' when they are not. */
let statusLock = '';

/** The status changes an operator can make from each status, in button order. */
const ACTIONS = {
  open: [['acknowledged', 'Acknowledge'], ['resolved', 'Resolve']],
  acknowledged: [['resolved', 'Resolve'], ['open', 'Reopen']],
  resolved: [['open', 'Reopen']],
};

function titleId(id) {
  return `incident-title-${id}`;
}

function createRow(incident) {
  const row = dom.rowTemplate.content.firstElementChild.cloneNode(true);
  row.dataset.id = incident.id;

  // The message never changes after creation, so the title cell's shape is decided once.
  const details = row.querySelector('.title-details');
  const plain = row.querySelector('.incident-title-plain');
  if (incident.message) {
    plain.remove();
    row.querySelector('.incident-message').textContent = incident.message;
    row.querySelector('.cell-title').title = incident.message;
  } else {
    details.remove();
  }
  const title = row.querySelector('.incident-title');
  title.id = titleId(incident.id);
  title.textContent = incident.title;
  row.querySelector('.open-details').setAttribute('aria-describedby', titleId(incident.id));

  const time = row.querySelector('.created-local');
  time.dateTime = incident.createdAt;
  time.textContent = localTime(incident.createdAt);
  time.title = new Date(incident.createdAt).toString();
  row.querySelector('.created-by').textContent = byActor(incident.createdBy);
  row.querySelector('.cell-channel').textContent = incident.channel;
  updateRow(row, incident);
  return row;
}

function updateRow(row, incident) {
  row.dataset.version = String(incident.version);
  row.dataset.status = incident.status;
  row.querySelector('.created-relative').textContent = relativeTime(incident.createdAt);

  const severity = row.querySelector('.badge.severity');
  severity.className = `badge severity severity-${incident.severity}`;
  severity.textContent = label(incident.severity);

  const status = row.querySelector('.badge.status');
  status.className = `badge status status-${incident.status}`;
  status.textContent = label(incident.status);
  row.querySelector('.updated-by').textContent = incident.version > 1 ? byActor(incident.updatedBy) : '';

  const occurrences = row.querySelector('.occurrences');
  occurrences.hidden = !(incident.occurrences > 1);
  occurrences.textContent = occurrences.hidden ? '' : `×${incident.occurrences}`;
  occurrences.title = occurrences.hidden ? '' : `${incident.occurrences} occurrences`;

  const actions = row.querySelector('.actions');
  if (actions.dataset.for === incident.status) return;
  const hadFocus = actions.contains(document.activeElement);
  const buttons = (ACTIONS[incident.status] ?? []).map(([target, text]) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.status = target;
    button.textContent = text;
    button.setAttribute('aria-describedby', titleId(incident.id));
    lock(button);
    return button;
  });
  actions.replaceChildren(...buttons);
  actions.dataset.for = incident.status;
  // Re-creating the buttons would drop keyboard focus to <body>; keep it in the row instead.
  if (hadFocus && buttons.length > 0) buttons[0].focus();
}

/** "by night-shift"; nothing for anonymous, the actor of every change when the hub has no tokens. */
function byActor(actor) {
  return actor && actor !== 'anonymous' ? `by ${actor}` : '';
}

function lock(button) {
  button.disabled = statusLock !== '';
  button.title = statusLock;
}

/** Disables every status button, saying why, for a role that may not change a status; '' enables them. */
export function setStatusChangesAllowed(reason) {
  statusLock = reason;
  for (const button of dom.rows.querySelectorAll('.actions button')) lock(button);
}

function flash(row, kind) {
  const className = kind === 'added' ? 'is-new' : 'is-changed';
  row.classList.remove('is-new', 'is-changed');
  row.classList.add(className);
  setTimeout(() => row.classList.remove(className), HIGHLIGHT_MS);
}

/**
 * Shows `incidents` (already sorted newest first). Rows are kept per id and only moved when their position changes,
 * so focus and open <details> survive updates. `highlight` is { id, kind: 'added' | 'updated' } or null.
 */
export function renderIncidents(incidents, highlight = null) {
  const wanted = new Set(incidents.map((incident) => incident.id));
  for (const [id, row] of rowsById) {
    if (!wanted.has(id)) {
      row.remove();
      rowsById.delete(id);
    }
  }
  let cursor = dom.rows.firstElementChild;
  for (const incident of incidents) {
    let row = rowsById.get(incident.id);
    if (!row) {
      row = createRow(incident);
      rowsById.set(incident.id, row);
    } else if (row.dataset.version !== String(incident.version)) {
      updateRow(row, incident);
    }
    if (row === cursor) {
      cursor = cursor.nextElementSibling;
    } else {
      dom.rows.insertBefore(row, cursor);
    }
  }
  if (highlight && (highlight.kind === 'added' || highlight.kind === 'updated')) {
    const row = rowsById.get(highlight.id);
    if (row) flash(row, highlight.kind);
  }
  dom.listEmpty.hidden = incidents.length > 0;
}

export function renderSummary({ loaded, total, hasMore, loading }) {
  if (loading) {
    dom.listSummary.textContent = 'Loading incidents…';
  } else {
    dom.listSummary.textContent = `Showing ${loaded} of ${total} incident${total === 1 ? '' : 's'}, newest first.`;
  }
  dom.loadMore.hidden = !hasMore;
}

export function setRowBusy(id, busy) {
  const row = rowsById.get(id);
  if (!row) return;
  row.setAttribute('aria-busy', String(busy));
  // aria-disabled rather than `disabled`: a disabled button drops keyboard focus to <body> mid-request.
  for (const button of row.querySelectorAll('.actions button')) button.setAttribute('aria-disabled', String(busy));
}

export function showRowNote(id, message) {
  const row = rowsById.get(id);
  if (row) row.querySelector('.row-note').textContent = message;
}

/** Status buttons, through one listener on the table body. */
export function bindStatusActions(onChange) {
  dom.rows.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-status]');
    const row = button && button.closest('[data-id]');
    if (!row || row.getAttribute('aria-busy') === 'true') return; // one change per row at a time
    onChange(row.dataset.id, button.dataset.status);
  });
}

/**
 * `onOpen(id, opener)` for the row's Details button, and for a click anywhere on a row that is not one of its
 * controls (the status buttons, the message disclosure).
 */
export function bindOpenDetails(onOpen) {
  dom.rows.addEventListener('click', (event) => {
    const row = event.target.closest('[data-id]');
    if (!row) return;
    const details = event.target.closest('.open-details');
    if (details) {
      onOpen(row.dataset.id, details);
    } else if (!event.target.closest('button, summary, a, .incident-message')) {
      onOpen(row.dataset.id, row.querySelector('.open-details'));
    }
  });
}

export function bindLoadMore(onLoadMore) {
  dom.loadMore.addEventListener('click', () => onLoadMore());
}

export function setLoadMoreBusy(busy) {
  dom.loadMore.disabled = busy;
  dom.loadMore.textContent = busy ? 'Loading…' : 'Load more';
}

/** Keeps every "3 min ago" current. */
export function startRelativeClock() {
  setInterval(() => {
    const now = Date.now();
    for (const row of rowsById.values()) {
      const time = row.querySelector('.created-local');
      row.querySelector('.created-relative').textContent = relativeTime(time.dateTime, now);
    }
  }, RELATIVE_TIME_REFRESH_MS);
}
