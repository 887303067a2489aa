// Everything under view/ touches the DOM. Data is only ever written with textContent and attributes on nodes
// cloned from <template>s, never parsed as HTML, so a title like <img onerror=...> stays text.

export const byId = (id) => document.getElementById(id);
