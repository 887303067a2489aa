// Signing in and out: the sign-in form that stands in for the page while the hub wants a token, and the header's
// "Signed in as ..." with its sign-out button.
import { byId as $ } from './dom.js';

const dom = {
  panel: $('sign-in'),
  reason: $('sign-in-reason'),
  form: $('sign-in-form'),
  token: $('sign-in-token'),
  error: $('sign-in-error'),
  submit: $('sign-in-submit'),
  workspace: $('workspace'),
  identity: $('identity'),
  identityText: $('identity-text'),
  signOut: $('sign-out'),
};

/** Hides the incidents and asks for a token; `reason` says why, when it is not the first visit. */
export function showSignIn(reason = '') {
  dom.workspace.hidden = true;
  dom.identity.hidden = true;
  dom.reason.textContent = reason;
  dom.reason.hidden = reason === '';
  dom.error.textContent = '';
  dom.panel.hidden = false;
  dom.token.focus();
}

export function showWorkspace() {
  dom.panel.hidden = true;
  dom.workspace.hidden = false;
}

/** "Signed in as night (operator)" and the sign-out button; nothing in open mode, where nobody signs in. */
export function renderIdentity(caller) {
  const signedIn = caller !== null && caller.name !== 'anonymous';
  dom.identity.hidden = !signedIn;
  dom.identityText.textContent = signedIn ? `Signed in as ${caller.name} (${caller.role})` : '';
}

export function showSignInError(message) {
  dom.error.textContent = message;
  dom.token.setAttribute('aria-invalid', 'true');
  dom.token.focus();
}

export function setSignInBusy(busy) {
  dom.submit.setAttribute('aria-disabled', String(busy));
  dom.form.setAttribute('aria-busy', String(busy));
}

export function bindSignIn(onSubmit) {
  dom.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = dom.token.value.trim();
    if (dom.form.getAttribute('aria-busy') === 'true') return;
    if (token === '') {
      showSignInError('Enter the access token you were given.');
      return;
    }
    onSubmit(token);
  });
  dom.token.addEventListener('input', () => {
    dom.error.textContent = '';
    dom.token.removeAttribute('aria-invalid');
  });
}

export function bindSignOut(onSignOut) {
  dom.signOut.addEventListener('click', () => onSignOut());
}
