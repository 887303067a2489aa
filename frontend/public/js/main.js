// Wires the modules together: REST and socket feed the store, the store feeds the view (the modules under view/, one
// per part of the page), the view's controls call back in here. Nothing loads before the hub has said who the
// page's token belongs to; a hub that wants a token and has none gets the sign-in form instead.
import { can, whyNot } from './access.js';
import { MAX_PAGE_SIZE, PAGE_SIZE, SOCKET_URL } from './config.js';
import * as api from './api.js';
import * as session from './session.js';
import { LiveSocket } from './socket.js';
import { Store } from './store.js';
import * as channelFilters from './view/channel-filters.js';
import * as connection from './view/connection.js';
import * as createForm from './view/create-form.js';
import * as details from './view/details.js';
import * as table from './view/incident-table.js';
import { label } from './view/labels.js';
import * as notice from './view/notice.js';
import * as notifications from './view/notifications.js';
import * as signIn from './view/sign-in.js';

const SESSION_ENDED = 'The hub no longer accepts your token. Sign in again.';

const store = new Store();
let listRequest = 0;          // only the newest list request may write to the store
let channelRefreshTimer = null;
let historyRequest = 0;       // only the newest timeline request may fill the details dialog

function describe(error) {
  return error instanceof api.ApiError ? error.message : 'Something unexpected went wrong; reload the page if it persists.';
}

function renderList(highlight = null) {
  table.renderIncidents(store.list(), highlight);
  table.renderSummary({ loaded: store.loadedCount, total: store.total, hasMore: store.hasMore, loading: false });
}

function renderChannels() {
  channelFilters.renderChannels(store.channelCounts(), store.filters.channels);
}

/** Reads the first page again, keeping as many rows as the operator had already paged through. */
async function reloadList() {
  const request = ++listRequest;
  store.beginReload();
  if (store.loadedCount === 0) table.renderSummary({ loading: true, hasMore: false });
  const limit = Math.min(MAX_PAGE_SIZE, Math.max(PAGE_SIZE, store.loadedCount));
  const [incidents, channels] = await Promise.allSettled([
    api.listIncidents(store.filters, limit, 0),
    api.listChannels(),
  ]);
  if (request !== listRequest) return; // the filters changed meanwhile; a newer request owns the list

  if (channels.status === 'fulfilled') {
    store.setChannelCounts(channels.value);
    renderChannels();
  }
  if (incidents.status === 'fulfilled') {
    store.replaceWith(incidents.value.data, incidents.value.page.total);
    renderList();
  }
  const failure = [incidents, channels].find((result) => result.status === 'rejected');
  if (failure) {
    notice.showNotice(`Could not load incidents: ${describe(failure.reason)}`);
    if (incidents.status === 'rejected') renderList();
  } else {
    notice.clearNotice();
  }
}

async function loadMore() {
  const request = listRequest;
  table.setLoadMoreBusy(true);
  try {
    const page = await api.listIncidents(store.filters, PAGE_SIZE, store.nextOffset);
    if (request !== listRequest) return;
    store.appendPage(page.data, page.page.total);
    renderList();
  } catch (error) {
    notice.showNotice(`Could not load more incidents: ${describe(error)}`);
  } finally {
    table.setLoadMoreBusy(false);
  }
}

/** Counts that events cannot move by themselves (a change to an incident we never saw) come from the server. */
function refreshChannelsSoon() {
  if (channelRefreshTimer !== null) return;
  channelRefreshTimer = setTimeout(async () => {
    channelRefreshTimer = null;
    try {
      store.setChannelCounts(await api.listChannels());
      renderChannels();
    } catch (error) {
      notice.showNotice(`Could not refresh the channel counts: ${describe(error)}`);
    }
  }, 1000);
}

/** One path for every new copy of an incident: socket events and the answers to our own requests. */
function applyIncident(incident, kind) {
  const { change, countsUnknown } = store.apply(incident, kind);
  if (countsUnknown) refreshChannelsSoon();
  renderChannels();
  if (change !== 'ignored') {
    renderList({ id: incident.id, kind: change });
  }
  // The dialog follows its incident even when the list's filters leave it out.
  if (details.showsOlderThan(incident)) {
    details.renderDetails(incident);
    loadTimeline(incident.id);
  }
}

function openDetails(incident, opener) {
  details.openDetails(incident, opener);
  loadTimeline(incident.id);
}

/** Reads the timeline again; a newer read started meanwhile wins. */
async function loadTimeline(id) {
  const request = ++historyRequest;
  try {
    const entries = await api.getHistory(id);
    if (request === historyRequest && details.shownIncident() === id) details.renderTimeline(entries);
  } catch (error) {
    if (request === historyRequest && details.shownIncident() === id) {
      details.showTimelineProblem(`Could not load the timeline: ${describe(error)}`);
    }
  }
}

async function addNote(id, text) {
  if (text === '') {
    details.showNoteError('Write a note first.');
    return;
  }
  details.setNoteBusy(true);
  try {
    await api.addNote(id, text);
    details.resetNoteForm();
    // The incident's new version arrives as an event and refreshes the dialog; read the timeline now all the same,
    // so the note shows even when the socket is down.
    await loadTimeline(id);
  } catch (error) {
    if (error instanceof api.ApiError && error.status === 400 && error.details.length > 0) {
      details.showNoteError(error.details.map((detail) => detail.message).join(' '));
    } else {
      details.showNoteError(`Not added: ${describe(error)}`);
    }
  } finally {
    details.setNoteBusy(false);
  }
}

async function createIncident() {
  const problems = createForm.checkCreateForm();
  if (problems.length > 0) {
    createForm.showFieldErrors(problems);
    return;
  }
  const body = createForm.readCreateForm();
  createForm.setCreateBusy(true);
  createForm.showCreateResult('');
  try {
    const incident = await api.createIncident(body);
    applyIncident(incident, 'created');
    createForm.resetCreateForm();
    createForm.showCreateResult(`Created “${incident.title}” in ${incident.channel}.`);
  } catch (error) {
    // The form keeps what was typed; only the messages change.
    if (error instanceof api.ApiError && error.status === 400 && error.details.length > 0) {
      createForm.showFieldErrors(error.details);
    } else {
      createForm.showFormError(`Not created: ${describe(error)}`);
    }
  } finally {
    createForm.setCreateBusy(false);
  }
}

async function changeStatus(id, status) {
  const seen = store.get(id);
  if (!seen) return;
  table.showRowNote(id, '');
  table.setRowBusy(id, true);
  try {
    applyIncident(await api.changeStatus(id, status, seen.version), 'updated');
  } catch (error) {
    if (error instanceof api.ApiError && error.status === 412) {
      await showNewerState(id);
    } else if (error instanceof api.ApiError && error.status === 404) {
      table.showRowNote(id, 'Not changed: this incident no longer exists.');
    } else {
      table.showRowNote(id, `Not changed: ${describe(error)}`);
    }
  } finally {
    table.setRowBusy(id, false);
  }
}

/** Someone else changed the incident first: show their version instead of overwriting it. */
async function showNewerState(id) {
  try {
    const newer = await api.getIncident(id);
    applyIncident(newer, 'updated');
    table.showRowNote(id, `Not changed: someone else updated this incident first. It is now ${label(newer.status)}.`);
  } catch (error) {
    table.showRowNote(id, `Not changed: someone else updated this incident first. ${describe(error)}`);
  }
}

function changeFilters(filters) {
  const channelsChanged = filters.channels.join(',') !== store.filters.channels.join(',');
  store.setFilters(filters);
  listRequest += 1; // answers to requests for the old filters are dropped
  renderList();
  renderChannels();
  socket.setChannels(filters.channels);
  // With a live socket a channel change reloads once the server confirms the new subscription (onSubscribed), so no
  // event falls between the list and the live stream. Anything else reloads now.
  if (!channelsChanged || !socket.connected) reloadList();
}

// ---- who is signed in ---------------------------------------------------------------------------------------

/** Enables what the caller's role may do; `null` (the hub could not say yet) leaves everything to the hub. */
function applyCaller(caller) {
  const reason = (action) => (caller === null || can(caller.role, action) ? '' : whyNot(caller, action));
  signIn.renderIdentity(caller);
  createForm.setCreateAllowed(reason('create'));
  table.setStatusChangesAllowed(reason('changeStatus'));
  details.setNoteAllowed(reason('addNote'));
}

/** Asks the hub again who we are: on every (re)connect, so a role that changed with a restart shows. */
async function refreshCaller() {
  try {
    applyCaller(await api.whoAmI());
  } catch {
    // A 401 ends the session through onUnauthorized; anything else is a blip the next connect retries.
  }
}

/** The token stopped working: forget it, stop the live feed and ask for another. */
function endSession(reason) {
  session.forget();
  socket.stop();
  signIn.showSignIn(reason);
}

/** A token that the hub accepts is kept for this tab, and the page starts again with it. */
async function signInWith(token) {
  signIn.setSignInBusy(true);
  try {
    await api.whoAmI(token);
    session.remember(token);
    location.reload();
  } catch (error) {
    signIn.showSignInError(error instanceof api.ApiError && error.status === 401
      ? 'The hub does not know this token. Check it and try again.'
      : `Could not sign in: ${describe(error)}`);
  } finally {
    signIn.setSignInBusy(false);
  }
}

function signOut() {
  session.forget();
  location.reload();
}

async function start() {
  const hadToken = session.token() !== '';
  let caller = null;
  try {
    caller = await api.whoAmI();
  } catch (error) {
    if (error instanceof api.ApiError && error.status === 401) {
      // Without a stored token this is the first visit; with one, onUnauthorized has already asked again.
      if (!hadToken) endSession('');
      return;
    }
    // The hub is not reachable: start anyway, as the socket retries by itself; the next connect asks again.
    notice.showNotice(`Could not reach the hub: ${describe(error)}`);
  }
  applyCaller(caller);
  signIn.showWorkspace();
  reloadList();
  socket.start();
}

// ---- the live feed ------------------------------------------------------------------------------------------

let caughtUp = null; // changes replayed since the last resume; null when the connection did not resume

const socket = new LiveSocket(SOCKET_URL, {
  onState(state) {
    connection.renderConnection(state);
    // A socket refused at the upgrade looks like any dropped one; a revoked token shows on the REST side.
    if (state.name === 'reconnecting' && session.token()) refreshCaller();
  },
  onSubscribed(channels, recovered) {
    connection.renderSubscription(channels);
    refreshCaller();
    if (recovered === true) {
      // A resume: the server replays what happened while we were away, so there is nothing to re-read.
      caughtUp = 0;
      connection.renderCatchUp(caughtUp);
      return;
    }
    // A new connection, a subscription change, or a resume the server could not vouch for: re-read the list.
    caughtUp = null;
    connection.renderCatchUp(null);
    reloadList();
  },
  onEvent(type, incident, replayed) {
    if (replayed && caughtUp !== null) {
      caughtUp += 1;
      connection.renderCatchUp(caughtUp);
    }
    applyIncident(incident, type === 'incident.created' ? 'created' : 'updated');
    if (type === 'incident.created') notifications.notifyNewIncident(incident, openDetails);
  },
  onProblem: notice.showNotice,
}, session.token);

api.onUnauthorized(() => endSession(SESSION_ENDED));

// A last net: a failure that slipped past the handlers above becomes a message, not a silent console error.
window.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  notice.showNotice(describe(event.reason));
});

notice.bindNotice();
signIn.bindSignIn(signInWith);
signIn.bindSignOut(signOut);
createForm.bindCreate(createIncident);
table.bindStatusActions(changeStatus);
channelFilters.bindFilters(changeFilters);
table.bindLoadMore(loadMore);
table.bindOpenDetails((id, opener) => openDetails(store.get(id), opener));
details.bindDetails({ onNote: addNote });
notifications.bindNotifications();
table.startRelativeClock();
start();
