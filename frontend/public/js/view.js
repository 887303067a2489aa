// Everything that touches the DOM. Data is only ever written with textContent and attributes on nodes cloned
// from <template>s, never parsed as HTML, so a title like <img onerror=...> stays text.
import { HIGHLIGHT_MS, RELATIVE_TIME_REFRESH_MS } from './config.js';
import { checkField } from './validation.js';

const $ = (id) => document.getElementById(id);

const dom = {
  connection: $('connection'),
  connectionText: $('connection-text'),
  connectionCountdown: $('connection-countdown'),
  connectionScope: $('connection-scope'),
  notice: $('notice'),
  noticeText: $('notice-text'),
  noticeDismiss: $('notice-dismiss'),
  createForm: $('create-form'),
  createSubmit: $('create-submit'),
  createResult: $('create-result'),
  channelSuggestions: $('channel-suggestions'),
  filtersForm: $('filters-form'),
  channelList: $('channel-list'),
  channelAll: $('channel-all'),
  filterSeverity: $('filter-severity'),
  filterStatus: $('filter-status'),
  filterFrom: $('filter-from'),
  filterTo: $('filter-to'),
  rows: $('incident-rows'),
  listSummary: $('list-summary'),
  listEmpty: $('list-empty'),
  loadMore: $('load-more'),
  rowTemplate: $('incident-row-template'),
  channelTemplate: $('channel-option-template'),
};

const rowsById = new Map();
const channelItems = new Map();
let countdownTimer = null;

const LABELS = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

/** The status changes an operator can make from each status, in button order. */
const ACTIONS = {
  open: [['acknowledged', 'Acknowledge'], ['resolved', 'Resolve']],
  acknowledged: [['resolved', 'Resolve'], ['open', 'Reopen']],
  resolved: [['open', 'Reopen']],
};

export function label(value) {
  return LABELS[value] ?? value;
}

// ---- time ---------------------------------------------------------------------------------------------------------

const timeParts = { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' };
const thisYearFormat = new Intl.DateTimeFormat(undefined, timeParts);
const otherYearFormat = new Intl.DateTimeFormat(undefined, { ...timeParts, year: 'numeric' });

/** Local date and time; the year only when it is not this year's, to keep the column narrow. */
export function localTime(iso) {
  const time = new Date(iso);
  const format = time.getFullYear() === new Date().getFullYear() ? thisYearFormat : otherYearFormat;
  return format.format(time);
}

export function relativeTime(iso, now = Date.now()) {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? '1 day ago' : `${days} days ago`;
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

// ---- connection state ---------------------------------------------------------------------------------------------

export function renderConnection(state) {
  clearInterval(countdownTimer);
  countdownTimer = null;
  dom.connection.dataset.state = state.name;
  dom.connectionCountdown.textContent = '';
  dom.connectionScope.hidden = state.name !== 'connected';

  switch (state.name) {
    case 'connected':
      dom.connectionText.textContent = 'Connected';
      break;
    case 'connecting':
      dom.connectionText.textContent = state.reconnecting ? 'Reconnecting now…' : 'Connecting…';
      break;
    case 'reconnecting': {
      dom.connectionText.textContent = 'Reconnecting';
      // The countdown sits in an aria-live="off" span: announcing every second would drown the screen reader.
      const tick = () => {
        const seconds = Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000));
        dom.connectionCountdown.textContent = ` in ${seconds} s`;
      };
      tick();
      countdownTimer = setInterval(tick, 250);
      break;
    }
    case 'offline':
      dom.connectionText.textContent = 'Offline: waiting for the network';
      break;
    default:
      dom.connectionText.textContent = state.name;
  }
}

/** Which channels the live updates cover, as the server confirmed them. */
export function renderSubscription(channels) {
  const scope = channels.includes('*') ? 'all channels' : channels.join(', ');
  dom.connectionScope.textContent = `· live updates for ${scope}`;
}

// ---- notices ------------------------------------------------------------------------------------------------------

export function showNotice(message) {
  dom.noticeText.textContent = message;
  dom.notice.hidden = false;
}

export function clearNotice() {
  dom.notice.hidden = true;
  dom.noticeText.textContent = '';
}

export function bindNotice() {
  dom.noticeDismiss.addEventListener('click', clearNotice);
}

// ---- incident table -----------------------------------------------------------------------------------------------

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

  const time = row.querySelector('.created-local');
  time.dateTime = incident.createdAt;
  time.textContent = localTime(incident.createdAt);
  time.title = new Date(incident.createdAt).toString();
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

  const actions = row.querySelector('.actions');
  if (actions.dataset.for === incident.status) return;
  const hadFocus = actions.contains(document.activeElement);
  const buttons = (ACTIONS[incident.status] ?? []).map(([target, text]) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.status = target;
    button.textContent = text;
    button.setAttribute('aria-describedby', titleId(incident.id));
    return button;
  });
  actions.replaceChildren(...buttons);
  actions.dataset.for = incident.status;
  // Re-creating the buttons would drop keyboard focus to <body>; keep it in the row instead.
  if (hadFocus && buttons.length > 0) buttons[0].focus();
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

export function bindLoadMore(onLoadMore) {
  dom.loadMore.addEventListener('click', () => onLoadMore());
}

export function setLoadMoreBusy(busy) {
  dom.loadMore.disabled = busy;
  dom.loadMore.textContent = busy ? 'Loading…' : 'Load more';
}

// ---- channels and filters -----------------------------------------------------------------------------------------

function totalText(channel) {
  return `(${channel.total})`;
}

function countsText(channel) {
  return `${channel.open} open · ${channel.acknowledged} acknowledged · ${channel.resolved} resolved`;
}

/** Channel checkboxes with their counts, plus the create form's suggestions. Keeps each item's node and state. */
export function renderChannels(channels, selected) {
  const names = new Set(channels.map((channel) => channel.name));
  for (const [name, item] of channelItems) {
    // A selected channel stays listed even if the server forgot it, so the operator can untick it.
    if (!names.has(name) && !selected.includes(name)) {
      item.remove();
      channelItems.delete(name);
    }
  }
  let previous = dom.channelAll.closest('li');
  const all = [...channels];
  for (const name of selected) {
    if (!names.has(name)) all.push({ name, total: 0, open: 0, acknowledged: 0, resolved: 0 });
  }
  all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const channel of all) {
    let item = channelItems.get(channel.name);
    if (!item) {
      item = dom.channelTemplate.content.firstElementChild.cloneNode(true);
      const box = item.querySelector('input');
      box.value = channel.name;
      box.checked = selected.includes(channel.name);
      item.querySelector('.channel-name').textContent = channel.name;
      channelItems.set(channel.name, item);
    }
    item.querySelector('.channel-total').textContent = totalText(channel);
    item.querySelector('.channel-counts').textContent = countsText(channel);
    if (previous.nextElementSibling !== item) previous.after(item);
    previous = item;
  }

  const options = all.map((channel) => {
    const option = document.createElement('option');
    option.value = channel.name;
    return option;
  });
  dom.channelSuggestions.replaceChildren(...options);
}

function toInstant(localValue) {
  if (!localValue) return '';
  const time = new Date(localValue);
  return Number.isNaN(time.getTime()) ? '' : time.toISOString();
}

function readFilters() {
  const channels = [...dom.channelList.querySelectorAll('input.channel-checkbox:checked')].map((box) => box.value);
  return {
    channels,
    severity: dom.filterSeverity.value,
    status: dom.filterStatus.value,
    from: toInstant(dom.filterFrom.value),
    to: toInstant(dom.filterTo.value),
  };
}

export function bindFilters(onChange) {
  dom.filtersForm.addEventListener('change', (event) => {
    const box = event.target;
    if (box === dom.channelAll) {
      // "All channels" and single channels exclude each other.
      if (box.checked) {
        for (const other of dom.channelList.querySelectorAll('input.channel-checkbox')) other.checked = false;
      } else if (!dom.channelList.querySelector('input.channel-checkbox:checked')) {
        box.checked = true; // nothing ticked means every channel
      }
    } else if (box.classList.contains('channel-checkbox')) {
      dom.channelAll.checked = !dom.channelList.querySelector('input.channel-checkbox:checked');
    }
    onChange(readFilters());
  });
  dom.filtersForm.addEventListener('submit', (event) => event.preventDefault());
  dom.filtersForm.addEventListener('reset', (event) => {
    event.preventDefault();
    for (const box of dom.channelList.querySelectorAll('input.channel-checkbox')) box.checked = false;
    dom.channelAll.checked = true;
    dom.filterSeverity.value = '';
    dom.filterStatus.value = '';
    dom.filterFrom.value = '';
    dom.filterTo.value = '';
    onChange(readFilters());
  });
}

// ---- create form --------------------------------------------------------------------------------------------------

function formFields() {
  return ['title', 'message', 'severity', 'channel'].map((name) => dom.createForm.elements.namedItem(name));
}

function errorSlot(fieldName) {
  return dom.createForm.querySelector(`[data-error-for="${fieldName}"]`);
}

export function clearFieldErrors() {
  for (const slot of dom.createForm.querySelectorAll('[data-error-for]')) slot.textContent = '';
  for (const field of formFields()) field.removeAttribute('aria-invalid');
}

/** Shows `[{field, message}]` (the client's or the server's) next to the fields and focuses the first one. */
export function showFieldErrors(details) {
  clearFieldErrors();
  let first = null;
  for (const { field, message } of details) {
    const input = field ? dom.createForm.elements.namedItem(field) : null;
    const slot = (input && errorSlot(field)) || errorSlot('');
    slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      first ??= input;
    }
  }
  (first ?? dom.createSubmit).focus();
}

export function showFormError(message) {
  clearFieldErrors();
  errorSlot('').textContent = message;
}

/** The client-side checks, in the same shape as the server's `details`. */
export function checkCreateForm() {
  return formFields()
    .map((field) => ({ field: field.name, message: checkField(field) }))
    .filter((problem) => problem.message !== '');
}

/** The request body: title trimmed as the server would, optional fields left out when empty. */
export function readCreateForm() {
  const [title, message, severity, channel] = formFields().map((field) => field.value);
  const body = { title: title.trim(), severity };
  if (message !== '') body.message = message;
  if (channel.trim() !== '') body.channel = channel.trim();
  return body;
}

export function setCreateBusy(busy) {
  dom.createSubmit.setAttribute('aria-disabled', String(busy)); // keeps focus on the button, unlike `disabled`
  dom.createForm.setAttribute('aria-busy', String(busy));
}

export function showCreateResult(message) {
  dom.createResult.textContent = message;
}

export function resetCreateForm() {
  dom.createForm.reset();
  clearFieldErrors();
}

export function bindCreate(onSubmit) {
  dom.createForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (dom.createForm.getAttribute('aria-busy') !== 'true') onSubmit();
  });
  // Typing in a field clears its stale message; the next submit checks again.
  dom.createForm.addEventListener('input', (event) => {
    const slot = event.target.name ? errorSlot(event.target.name) : null;
    if (slot && slot.textContent) {
      slot.textContent = '';
      event.target.removeAttribute('aria-invalid');
    }
  });
}
