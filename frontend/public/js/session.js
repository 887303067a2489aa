// The token the operator signed in with. It lives in sessionStorage, never localStorage: it stays for reloads of this
// tab and is gone when the tab closes, and no other tab or later visit finds it.
const KEY = 'incident-hub.token';

export function token() {
  return sessionStorage.getItem(KEY) ?? '';
}

export function remember(value) {
  sessionStorage.setItem(KEY, value);
}

export function forget() {
  sessionStorage.removeItem(KEY);
}
