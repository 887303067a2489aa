// The "New incident" form: its limits, client-side checks, the server's field messages and the busy state.
import { CHANNEL_MAX_LENGTH, CHANNEL_PATTERN, MESSAGE_MAX_LENGTH, SEVERITIES, TITLE_MAX_LENGTH } from '../rules.js';
import { checkField } from '../validation.js';
import { byId as $ } from './dom.js';
import { addOptions } from './labels.js';

const dom = {
  createForm: $('create-form'),
  createSubmit: $('create-submit'),
  createResult: $('create-result'),
  createPermission: $('create-permission'),
};

// The fields carry the API's rules as attributes, so the browser enforces the lengths while typing and
// validation.js can read every rule from the field it checks.
const fields = dom.createForm.elements;
fields.namedItem('title').maxLength = TITLE_MAX_LENGTH;
fields.namedItem('message').maxLength = MESSAGE_MAX_LENGTH;
fields.namedItem('channel').maxLength = CHANNEL_MAX_LENGTH;
fields.namedItem('channel').pattern = CHANNEL_PATTERN;
addOptions(fields.namedItem('severity'), SEVERITIES);

function formFields() {
  return ['title', 'message', 'severity', 'channel'].map((name) => fields.namedItem(name));
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
    const input = field ? fields.namedItem(field) : null;
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

/** Disables the whole form, saying why, for a role that may not create; `reason` is '' when it may. */
export function setCreateAllowed(reason) {
  for (const control of dom.createForm.elements) control.disabled = reason !== '';
  dom.createPermission.textContent = reason;
  dom.createPermission.hidden = reason === '';
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
