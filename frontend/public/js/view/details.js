// The details dialog: every field of one incident, its timeline, and the note form. Escape closes it (a modal
// <dialog> does that by itself), and focus goes back to where the operator opened it from.
import { NOTE_MAX_LENGTH } from '../rules.js';
import { byId as $ } from './dom.js';
import { label } from './labels.js';
import { localTime } from './time.js';

const dom = {
  dialog: $('details-dialog'),
  title: $('details-title'),
  close: $('details-close'),
  fields: $('details-dialog').querySelector('.details-fields'),
  timeline: $('details-timeline'),
  timelineState: $('timeline-state'),
  noteForm: $('note-form'),
  noteText: $('note-text'),
  noteError: $('note-error'),
  noteSubmit: $('note-submit'),
  notePermission: $('note-permission'),
  entryTemplate: $('timeline-entry-template'),
};

dom.noteText.maxLength = NOTE_MAX_LENGTH;

let shownId = null;
let shownVersion = 0;
let opener = null;

/** How each field reads; a missing optional one shows a dash. */
const FIELD_TEXT = {
  severity: label,
  status: label,
  createdAt: localTime,
  updatedAt: localTime,
  lastOccurredAt: localTime,
};

/** The id of the incident the dialog shows, or null while it is closed. */
export function shownIncident() {
  return shownId;
}

/** True when the dialog shows an older version of this incident. */
export function showsOlderThan(incident) {
  return shownId === incident.id && incident.version > shownVersion;
}

export function openDetails(incident, from) {
  shownId = incident.id;
  opener = from ?? document.activeElement;
  renderDetails(incident);
  dom.timeline.replaceChildren();
  dom.timelineState.textContent = 'Loading the timeline…';
  resetNoteForm();
  if (!dom.dialog.open) dom.dialog.showModal();
}

/** Shows the incident's fields; called again with every newer copy while the dialog is open. */
export function renderDetails(incident) {
  dom.title.textContent = incident.title;
  shownVersion = incident.version;
  for (const cell of dom.fields.querySelectorAll('[data-field]')) {
    const value = incident[cell.dataset.field];
    const text = FIELD_TEXT[cell.dataset.field];
    cell.textContent = value === undefined || value === '' ? '—' : text ? text(value) : String(value);
    if (cell.dataset.field.endsWith('At') && value) cell.title = value;
  }
}

function entryText(entry) {
  switch (entry.type) {
    case 'created':
      return `Created by ${entry.actor}`;
    case 'status':
      return `${label(entry.from ?? 'unknown')} → ${label(entry.to)} by ${entry.actor}`;
    case 'note':
      return `Note by ${entry.actor}: ${entry.text}`;
    case 'repeat':
      return `Occurred again (reported by ${entry.actor})`;
    default:
      return `${entry.type} by ${entry.actor}`;
  }
}

/** The timeline, oldest first, one list item per entry. */
export function renderTimeline(entries) {
  const items = entries.map((entry) => {
    const item = dom.entryTemplate.content.firstElementChild.cloneNode(true);
    item.dataset.type = entry.type;
    const time = item.querySelector('.timeline-at');
    time.dateTime = entry.at;
    time.textContent = localTime(entry.at);
    item.querySelector('.timeline-text').textContent = entryText(entry);
    return item;
  });
  dom.timeline.replaceChildren(...items);
  dom.timelineState.textContent = entries.length === 1 ? '1 entry' : `${entries.length} entries`;
}

export function showTimelineProblem(message) {
  dom.timelineState.textContent = message;
}

export function readNote() {
  return dom.noteText.value.trim();
}

export function showNoteError(message) {
  dom.noteError.textContent = message;
  dom.noteText.setAttribute('aria-invalid', 'true');
  dom.noteText.focus();
}

export function resetNoteForm() {
  dom.noteForm.reset();
  dom.noteError.textContent = '';
  dom.noteText.removeAttribute('aria-invalid');
}

/** Disables the note form, saying why, for a role that may not add notes; `reason` is '' when it may. */
export function setNoteAllowed(reason) {
  dom.noteText.disabled = reason !== '';
  dom.noteSubmit.disabled = reason !== '';
  dom.notePermission.textContent = reason;
  dom.notePermission.hidden = reason === '';
}

export function setNoteBusy(busy) {
  dom.noteSubmit.setAttribute('aria-disabled', String(busy));
  dom.noteForm.setAttribute('aria-busy', String(busy));
}

/** `onNote(id, text)` when the note form is sent. */
export function bindDetails({ onNote }) {
  dom.close.addEventListener('click', () => dom.dialog.close());
  dom.dialog.addEventListener('close', () => {
    shownId = null;
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  });
  dom.noteForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (dom.noteForm.getAttribute('aria-busy') !== 'true' && shownId !== null) onNote(shownId, readNote());
  });
  dom.noteText.addEventListener('input', () => {
    dom.noteError.textContent = '';
    dom.noteText.removeAttribute('aria-invalid');
  });
}
