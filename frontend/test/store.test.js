// The store's bookkeeping under Node: which copy of an incident wins, what the list holds, and the channel counts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Store } from '../public/js/store.js';

/** An incident as the API renders it; `minute` sets createdAt, so a higher minute is newer. */
function incident(id, { minute = 0, version = 1, channel = 'dock', severity = 'low', status = 'open' } = {}) {
  const createdAt = new Date(Date.UTC(2026, 0, 1, 10, minute)).toISOString();
  return { id, channel, title: `Incident ${id}`, message: '', severity, status, createdAt, updatedAt: createdAt, version };
}

function ids(store) {
  return store.list().map((held) => held.id);
}

function counts(store, name) {
  return store.channelCounts().find((channel) => channel.name === name);
}

describe('Store: which copy of an incident wins', () => {
  test('a created incident is added on top and counted in the total', () => {
    const store = new Store();
    store.replaceWith([incident('a', { minute: 1 })], 1);

    assert.deepEqual(store.apply(incident('b', { minute: 2 }), 'created'), { change: 'added', countsUnknown: false });
    assert.deepEqual(ids(store), ['b', 'a']);
    assert.equal(store.total, 2);
  });

  test('the same version again, or an older one, is ignored', () => {
    const store = new Store();
    store.apply(incident('a', { version: 2, status: 'acknowledged' }), 'updated');
    store.replaceWith([incident('a', { version: 2, status: 'acknowledged' })], 1);

    assert.equal(store.apply(incident('a', { version: 2, status: 'acknowledged' }), 'updated').change, 'ignored');
    assert.equal(store.apply(incident('a', { version: 1 }), 'updated').change, 'ignored');
    assert.equal(store.get('a').status, 'acknowledged');
  });

  test('a newer version replaces the held one', () => {
    const store = new Store();
    store.replaceWith([incident('a')], 1);

    assert.equal(store.apply(incident('a', { version: 2, status: 'resolved' }), 'updated').change, 'updated');
    assert.equal(store.get('a').status, 'resolved');
    assert.equal(store.get('a').version, 2);
  });

  test('an update that leaves the filters removes the incident and lowers the total', () => {
    const store = new Store();
    store.setFilters({ status: 'open' });
    store.replaceWith([incident('a'), incident('b', { minute: 1 })], 2);

    assert.equal(store.apply(incident('a', { version: 2, status: 'resolved' }), 'updated').change, 'removed');
    assert.deepEqual(ids(store), ['b']);
    assert.equal(store.total, 1);
  });

  test('a created incident outside the filters is ignored', () => {
    const store = new Store();
    store.setFilters({ channels: ['dock'] });
    store.replaceWith([], 0);

    assert.equal(store.apply(incident('x', { channel: 'yard' }), 'created').change, 'ignored');
    assert.deepEqual(ids(store), []);
    assert.equal(store.total, 0);
  });
});

describe('Store: filters', () => {
  test('from is inclusive and to exclusive, both on createdAt, as on the server', () => {
    const store = new Store();
    const at = (minute) => incident(`m${minute}`, { minute });
    store.setFilters({ from: at(10).createdAt, to: at(20).createdAt });

    assert.equal(store.matches(at(9)), false);
    assert.equal(store.matches(at(10)), true);
    assert.equal(store.matches(at(19)), true);
    assert.equal(store.matches(at(20)), false);
  });

  test('channels, severity and status must each match when set', () => {
    const store = new Store();
    store.setFilters({ channels: ['dock', 'yard'], severity: 'high', status: 'open' });

    assert.equal(store.matches(incident('a', { channel: 'yard', severity: 'high' })), true);
    assert.equal(store.matches(incident('b', { channel: 'gate', severity: 'high' })), false);
    assert.equal(store.matches(incident('c', { channel: 'dock', severity: 'low' })), false);
    assert.equal(store.matches(incident('d', { channel: 'dock', severity: 'high', status: 'resolved' })), false);
  });

  test('new filters forget the incidents loaded for the old ones', () => {
    const store = new Store();
    store.replaceWith([incident('a')], 1);
    store.setFilters({ severity: 'high' });

    assert.deepEqual(ids(store), []);
    assert.equal(store.total, 0);
    assert.deepEqual(store.filters, { channels: [], severity: 'high', status: '', from: '', to: '' });
  });
});

describe('Store: reloads and pages', () => {
  test('a reload keeps a newer copy the store already holds', () => {
    const store = new Store();
    store.replaceWith([incident('a')], 1);
    store.apply(incident('a', { version: 3, status: 'resolved' }), 'updated');
    store.beginReload();
    store.replaceWith([incident('a', { version: 2, status: 'acknowledged' })], 1);

    assert.equal(store.get('a').version, 3);
    assert.equal(store.get('a').status, 'resolved');
  });

  test('an incident created while a reload was in flight survives the reload\'s older answer', () => {
    const store = new Store();
    store.replaceWith([incident('a')], 1);
    store.beginReload();
    store.apply(incident('b', { minute: 5 }), 'created');
    store.replaceWith([incident('a')], 1); // read before b existed

    assert.deepEqual(ids(store), ['b', 'a']);
    assert.equal(store.total, 2);
  });

  test('without a reload in flight, the answer is the whole truth: an incident it lacks is dropped', () => {
    const store = new Store();
    store.replaceWith([incident('a'), incident('b', { minute: 1 })], 2);
    store.replaceWith([incident('a')], 1);

    assert.deepEqual(ids(store), ['a']);
    assert.equal(store.total, 1);
  });

  test('pages: more to load until every matching incident is held, and the next page starts after them', () => {
    const store = new Store();
    store.replaceWith([incident('d', { minute: 4 }), incident('c', { minute: 3 })], 4);
    assert.equal(store.hasMore, true);
    assert.equal(store.nextOffset, 2);

    store.appendPage([incident('b', { minute: 2 }), incident('a', { minute: 1 })], 4);
    assert.equal(store.hasMore, false);
    assert.deepEqual(ids(store), ['d', 'c', 'b', 'a']);
    assert.equal(store.nextOffset, 4);
  });

  test('an empty page ends the paging even when the server\'s total is higher', () => {
    const store = new Store();
    store.replaceWith([incident('b', { minute: 2 })], 3);
    store.appendPage([], 3);

    assert.equal(store.hasMore, false);
    assert.equal(store.total, 3);
  });

  test('a page never replaces a newer copy with the older one it carries', () => {
    const store = new Store();
    store.replaceWith([incident('b', { minute: 2 }), incident('a', { minute: 1 })], 3);
    store.apply(incident('a', { minute: 1, version: 2, status: 'acknowledged' }), 'updated');
    // Rows moved on the server meanwhile, so the next page repeats a, as it was when the page was read.
    store.appendPage([incident('a', { minute: 1 }), incident('z', { minute: 0 })], 3);

    assert.deepEqual(ids(store), ['b', 'a', 'z']);
    assert.equal(store.get('a').version, 2);
  });

  test('a page does not bring back an incident that an event has since taken out of the filters', () => {
    const store = new Store();
    store.setFilters({ status: 'open' });
    store.replaceWith([incident('c', { minute: 3 })], 3);
    store.apply(incident('b', { minute: 2, version: 2, status: 'resolved' }), 'updated');
    // The page was read before b was resolved.
    store.appendPage([incident('b', { minute: 2 }), incident('a', { minute: 1 })], 3);

    assert.deepEqual(ids(store), ['c', 'a']);
    assert.equal(store.total, 2);
  });

  test('a page read before an update shows the update', () => {
    const store = new Store();
    store.replaceWith([incident('c', { minute: 3 })], 2);
    store.apply(incident('a', { minute: 1, version: 2, status: 'acknowledged' }), 'updated');
    store.appendPage([incident('a', { minute: 1 })], 2);

    assert.equal(store.get('a').version, 2);
    assert.equal(store.get('a').status, 'acknowledged');
  });

  test('a reload\'s older answer does not bring back an incident that left the filters while it was in flight', () => {
    const store = new Store();
    store.setFilters({ status: 'open' });
    store.replaceWith([incident('b', { minute: 2 }), incident('a', { minute: 1 })], 2);
    store.beginReload();
    store.apply(incident('a', { minute: 1, version: 2, status: 'resolved' }), 'updated');
    store.replaceWith([incident('b', { minute: 2 }), incident('a', { minute: 1 })], 2); // read before a was resolved

    assert.deepEqual(ids(store), ['b']);
    assert.equal(store.total, 1);
  });

  test('an update of an incident older than the loaded pages waits for "load more"', () => {
    const store = new Store();
    store.replaceWith([incident('d', { minute: 4 }), incident('c', { minute: 3 })], 4);

    assert.equal(store.apply(incident('a', { minute: 1, version: 2 }), 'updated').change, 'ignored');
    assert.equal(store.apply(incident('e', { minute: 3.5, version: 2 }), 'updated').change, 'added');
    assert.deepEqual(ids(store), ['d', 'e', 'c']);
  });
});

describe('Store: channel counts', () => {
  const dock = { name: 'dock', total: 2, open: 1, acknowledged: 1, resolved: 0, lastIncidentAt: '2026-01-01T10:01:00.000Z' };

  test('a created incident counts once in its channel, whether its event or our own answer arrives first', () => {
    const store = new Store();
    store.setChannelCounts([dock]);
    const created = incident('n', { minute: 9 });
    store.apply(created, 'created');
    store.apply({ ...created }, 'created');

    assert.deepEqual(counts(store, 'dock'), { ...dock, total: 3, open: 2, lastIncidentAt: created.createdAt });
  });

  test('a status change moves one count from the old status to the new', () => {
    const store = new Store();
    store.setChannelCounts([dock]);
    store.replaceWith([incident('a')], 1);
    store.apply(incident('a', { version: 2, status: 'resolved' }), 'updated');

    assert.deepEqual(counts(store, 'dock'), { ...dock, open: 0, resolved: 1 });
  });

  test('a change to an incident never seen cannot be counted, and says so', () => {
    const store = new Store();
    store.setChannelCounts([dock]);

    assert.equal(store.apply(incident('x', { version: 4, status: 'resolved' }), 'updated').countsUnknown, true);
    assert.deepEqual(counts(store, 'dock'), dock);
  });

  test('a new channel appears with its first incident', () => {
    const store = new Store();
    store.setChannelCounts([dock]);
    store.apply(incident('y', { channel: 'yard', severity: 'high' }), 'created');

    assert.deepEqual(store.channelCounts().map((channel) => channel.name), ['dock', 'yard']);
    assert.deepEqual(counts(store, 'yard'),
      { name: 'yard', total: 1, open: 1, acknowledged: 0, resolved: 0, lastIncidentAt: incident('y').createdAt });
  });

  test('incidents from a list are already in the server\'s counts and are not counted again', () => {
    const store = new Store();
    store.setChannelCounts([dock]);
    store.replaceWith([incident('a'), incident('b', { minute: 1, status: 'acknowledged' })], 2);

    assert.deepEqual(counts(store, 'dock'), dock);
  });
});
