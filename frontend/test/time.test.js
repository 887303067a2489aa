// "3 min ago": the boundaries between the relative-time wordings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { relativeTime } from '../public/js/view/time.js';

const created = '2026-01-01T10:00:00.000Z';
const after = (seconds) => Date.parse(created) + seconds * 1000;

test('under 45 seconds is "just now"', () => {
  assert.equal(relativeTime(created, after(0)), 'just now');
  assert.equal(relativeTime(created, after(44)), 'just now');
});

test('minutes, then hours, then days', () => {
  assert.equal(relativeTime(created, after(45)), '1 min ago');
  assert.equal(relativeTime(created, after(59 * 60)), '59 min ago');
  assert.equal(relativeTime(created, after(60 * 60)), '1 h ago');
  assert.equal(relativeTime(created, after(23 * 3600)), '23 h ago');
  assert.equal(relativeTime(created, after(24 * 3600)), '1 day ago');
  assert.equal(relativeTime(created, after(3 * 24 * 3600)), '3 days ago');
});
