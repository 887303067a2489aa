// The header's connection state: connected, connecting, reconnecting with a countdown, offline, stopped.
import { byId as $ } from './dom.js';

const dom = {
  connection: $('connection'),
  connectionText: $('connection-text'),
  connectionCountdown: $('connection-countdown'),
  connectionScope: $('connection-scope'),
  connectionCatchUp: $('connection-catch-up'),
};

let countdownTimer = null;

export function renderConnection(state) {
  clearInterval(countdownTimer);
  countdownTimer = null;
  dom.connection.dataset.state = state.name;
  dom.connectionCountdown.textContent = '';
  dom.connectionScope.hidden = state.name !== 'connected';
  dom.connectionCatchUp.hidden = state.name !== 'connected' || dom.connectionCatchUp.textContent === '';

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
    case 'stopped':
      dom.connectionText.textContent = 'Not connected: sign in for live updates';
      break;
    default:
      dom.connectionText.textContent = state.name;
  }
}

/** After a resume, how many changes the server replayed; null clears it (the list was re-read instead). */
export function renderCatchUp(count) {
  dom.connectionCatchUp.textContent = count === null ? '' : `· caught up on ${count} ${count === 1 ? 'change' : 'changes'}`;
  dom.connectionCatchUp.hidden = count === null;
}

/** Which channels the live updates cover, as the server confirmed them. */
export function renderSubscription(channels) {
  const scope = channels.includes('*') ? 'all channels' : channels.join(', ');
  dom.connectionScope.textContent = `· live updates for ${scope}`;
}
