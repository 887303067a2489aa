// The header's notifications control: asks the browser for permission when switched on, then raises a desktop
// notification for every new high-severity incident while the tab is hidden, with an optional beep. Both choices
// are remembered in localStorage.
import { byId as $ } from './dom.js';

const dom = {
  enabled: $('notify-enabled'),
  sound: $('notify-sound'),
  status: $('notify-status'),
  form: $('notify-form'),
};

const STORED = { enabled: 'incident-hub.notifications', sound: 'incident-hub.notification-sound' };
const supported = typeof window.Notification === 'function';
let audio = null;

function remembered(key) {
  try {
    return localStorage.getItem(key) === 'on';
  } catch {
    return false; // storage switched off: nothing is remembered
  }
}

function remember(key, on) {
  try {
    localStorage.setItem(key, on ? 'on' : 'off');
  } catch {
    // storage switched off: the choice lasts as long as the page
  }
}

function renderControls() {
  dom.sound.disabled = !dom.enabled.checked;
}

async function switchOn() {
  if (!supported) {
    dom.enabled.checked = false;
    dom.status.textContent = 'This browser cannot show notifications.';
    return;
  }
  const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
  if (permission !== 'granted') {
    dom.enabled.checked = false;
    dom.status.textContent = 'Notifications are blocked for this page; allow them in the browser\'s site settings.';
    remember(STORED.enabled, false);
  } else {
    dom.status.textContent = 'Notifications on.';
    remember(STORED.enabled, true);
  }
  renderControls();
}

/** A short beep; the AudioContext is made on a click, since browsers keep audio silent before one. */
function beep() {
  if (!audio) return;
  const tone = audio.createOscillator();
  const volume = audio.createGain();
  tone.frequency.value = 880;
  volume.gain.setValueAtTime(0.2, audio.currentTime);
  volume.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
  tone.connect(volume).connect(audio.destination);
  tone.start();
  tone.stop(audio.currentTime + 0.4);
}

function prepareSound() {
  if (!audio && typeof window.AudioContext === 'function') audio = new AudioContext();
}

/** Raises the notification when the operator wants one: on, allowed, high severity, tab hidden. */
export function notifyNewIncident(incident, onClick) {
  if (!dom.enabled.checked || !supported || Notification.permission !== 'granted') return;
  if (incident.severity !== 'high' || !document.hidden) return;
  const notification = new Notification(`High: ${incident.title}`, {
    body: incident.message ? `${incident.channel} · ${incident.message}` : incident.channel,
    tag: incident.id,
  });
  notification.addEventListener('click', () => {
    window.focus();
    onClick(incident);
  });
  if (dom.sound.checked) beep();
}

export function bindNotifications() {
  dom.enabled.checked = remembered(STORED.enabled) && supported && Notification.permission === 'granted';
  dom.sound.checked = remembered(STORED.sound);
  renderControls();
  dom.form.addEventListener('submit', (event) => event.preventDefault());
  dom.enabled.addEventListener('change', () => {
    dom.status.textContent = '';
    if (dom.enabled.checked) {
      switchOn();
    } else {
      remember(STORED.enabled, false);
      renderControls();
    }
  });
  dom.sound.addEventListener('change', () => {
    remember(STORED.sound, dom.sound.checked);
    if (dom.sound.checked) prepareSound();
  });
  // A remembered "sound on" gets its audio at the operator's first click anywhere.
  document.addEventListener('click', () => {
    if (dom.sound.checked) prepareSound();
  });
}
