// The dashboard's state without any DOM: the incidents that match the current filters, the filters themselves, and
// each channel's counts. Events, REST pages and our own requests all go through here, and the `version` decides
// which copy of an incident wins. frontend/test/store.test.js runs it under Node.
import { STATUSES } from './rules.js';

/** Newest first, like the server: createdAt descending, then id descending. */
export function compareNewestFirst(a, b) {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? 1 : -1;
}

function emptyFilters() {
  return { channels: [], severity: '', status: '', from: '', to: '' };
}

/** State of the incident list and the channel counts. */
export class Store {
  #filters = emptyFilters();
  #incidents = new Map();        // id -> incident; only incidents that match #filters
  #total = 0;                    // the server's total for #filters, kept current from events
  #pagesComplete = false;        // true when every matching incident has been loaded
  #changedDuringReload = null;   // ids touched by events while a reload was in flight
  #latest = new Map();           // id -> the newest copy seen from any source, shown or not
  #channels = new Map();         // name -> { name, total, open, acknowledged, resolved, lastIncidentAt }

  get filters() {
    return this.#filters;
  }

  /** Replaces the filters and forgets the incidents loaded for the old ones. */
  setFilters(filters) {
    this.#filters = { ...emptyFilters(), ...filters };
    this.#incidents.clear();
    this.#total = 0;
    this.#pagesComplete = false;
  }

  matches(incident) {
    const f = this.#filters;
    if (f.channels.length > 0 && !f.channels.includes(incident.channel)) return false;
    if (f.severity && f.severity !== incident.severity) return false;
    if (f.status && f.status !== incident.status) return false;
    // Same instants as the server: `from` inclusive, `to` exclusive, both compared on createdAt.
    if (f.from && Date.parse(incident.createdAt) < Date.parse(f.from)) return false;
    if (f.to && Date.parse(incident.createdAt) >= Date.parse(f.to)) return false;
    return true;
  }

  /** Incidents to show, newest first. */
  list() {
    return [...this.#incidents.values()].sort(compareNewestFirst);
  }

  get(id) {
    return this.#incidents.get(id);
  }

  get loadedCount() {
    return this.#incidents.size;
  }

  get total() {
    return Math.max(this.#total, this.#incidents.size);
  }

  get hasMore() {
    return !this.#pagesComplete && this.#incidents.size < this.#total;
  }

  /** Marks the start of a list reload, so events that arrive while it is in flight survive its answer. */
  beginReload() {
    this.#changedDuringReload = new Set();
  }

  /** Takes a fresh first page (after a reconnect or a filter change). */
  replaceWith(incidents, total) {
    const changed = this.#changedDuringReload ?? new Set();
    this.#changedDuringReload = null;
    const previous = this.#incidents;
    this.#incidents = new Map();
    const outdated = this.#takePage(incidents);
    let extra = 0;
    for (const id of changed) {
      const held = previous.get(id);
      if (held && !this.#incidents.has(id) && this.matches(held)) {
        this.#incidents.set(id, held);
        extra += 1;
      }
    }
    this.#total = total + extra - outdated;
    this.#pagesComplete = incidents.length >= total;
  }

  /** Adds an older page ("load more"). */
  appendPage(incidents, total) {
    this.#total = total - this.#takePage(incidents);
    if (incidents.length === 0) this.#pagesComplete = true;
  }

  /**
   * Holds the newest copy of each incident of a page: the page's own, or a newer one an event brought while the
   * page was on its way. Returns how many the page counted that the newer copy takes out of the filters.
   */
  #takePage(incidents) {
    let outdated = 0;
    for (const incident of incidents) {
      this.#noteSeen(incident, 'list');
      const newest = this.#latest.get(incident.id);
      if (this.matches(newest)) {
        this.#incidents.set(incident.id, newest);
      } else {
        outdated += 1;
      }
    }
    return outdated;
  }

  /** Where the next page starts: every incident we hold matches the filters and sits in the server's order. */
  get nextOffset() {
    return this.#incidents.size;
  }

  /**
   * Applies a copy of an incident from an event or from one of our own requests.
   * Returns 'added', 'updated', 'removed' (it no longer matches the filters) or 'ignored' (stale, duplicate, or
   * outside what is shown). `countsUnknown` is true when the channel counts could not be adjusted locally.
   */
  apply(incident, kind) {
    const countsUnknown = !this.#noteSeen(incident, kind);
    if (this.#changedDuringReload) this.#changedDuringReload.add(incident.id);

    const held = this.#incidents.get(incident.id);
    if (held && incident.version <= held.version) return { change: 'ignored', countsUnknown };

    if (!this.matches(incident)) {
      if (!held) return { change: 'ignored', countsUnknown };
      this.#incidents.delete(incident.id);
      this.#total = Math.max(0, this.#total - 1);
      return { change: 'removed', countsUnknown };
    }
    if (held) {
      this.#incidents.set(incident.id, incident);
      return { change: 'updated', countsUnknown };
    }
    if (kind !== 'created' && !this.#withinLoadedRange(incident)) {
      // Older than the pages loaded so far: it shows up when the operator loads more.
      return { change: 'ignored', countsUnknown };
    }
    this.#incidents.set(incident.id, incident);
    this.#total += 1;
    return { change: 'added', countsUnknown };
  }

  #withinLoadedRange(incident) {
    if (!this.hasMore) return true;
    let oldest = null;
    for (const held of this.#incidents.values()) {
      if (oldest === null || compareNewestFirst(held, oldest) > 0) oldest = held;
    }
    return oldest === null || compareNewestFirst(incident, oldest) <= 0;
  }

  // ---- channel counts -------------------------------------------------------------------------------------------

  setChannelCounts(channels) {
    this.#channels = new Map(channels.map((c) => [c.name, { ...c }]));
  }

  channelCounts() {
    return [...this.#channels.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Records the newest copy of an incident and moves the channel counts along with it. Each version is counted
   * once, whether it came from an event or from the answer to our own request. Returns false when a change could
   * not be counted because the previous status is unknown.
   */
  #noteSeen(incident, kind) {
    const seen = this.#latest.get(incident.id);
    if (seen && incident.version <= seen.version) return true;
    this.#latest.set(incident.id, incident);
    if (kind === 'list') return true; // already part of the counts /channels gave us

    if (!seen) {
      if (kind !== 'created') return false;
      const channel = this.#channel(incident.channel);
      channel.total += 1;
      if (STATUSES.includes(incident.status)) channel[incident.status] += 1;
      if (!channel.lastIncidentAt || channel.lastIncidentAt < incident.createdAt) {
        channel.lastIncidentAt = incident.createdAt;
      }
      return true;
    }
    if (seen.status !== incident.status) {
      const channel = this.#channel(incident.channel);
      if (STATUSES.includes(seen.status)) channel[seen.status] = Math.max(0, channel[seen.status] - 1);
      if (STATUSES.includes(incident.status)) channel[incident.status] += 1;
    }
    return true;
  }

  #channel(name) {
    let channel = this.#channels.get(name);
    if (!channel) {
      channel = { name, total: 0, open: 0, acknowledged: 0, resolved: 0, lastIncidentAt: null };
      this.#channels.set(name, channel);
    }
    return channel;
  }
}
