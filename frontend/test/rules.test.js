// rules.js against the API's own schemas: the dashboard and the k6 scripts state no rule the server does not.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as rules from '../public/js/rules.js';

function schema(name) {
  const url = new URL(`../../backend/src/main/resources/schemas/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')).properties;
}

const create = schema('incident-create.json');
const statusChange = schema('status-change.json');
const note = schema('note.json');

test('severities are the schema\'s, in its order', () => {
  assert.deepEqual(rules.SEVERITIES, create.severity.enum);
});

test('statuses are the schema\'s, for creates and for status changes', () => {
  assert.deepEqual(rules.STATUSES, create.status.enum);
  assert.deepEqual(rules.STATUSES, statusChange.status.enum);
});

test('title and message lengths are the schema\'s', () => {
  assert.equal(rules.TITLE_MAX_LENGTH, create.title.maxLength);
  assert.equal(create.title.minLength, 1);
  assert.equal(rules.MESSAGE_MAX_LENGTH, create.message.maxLength);
});

test('a note\'s length is the schema\'s', () => {
  assert.equal(rules.NOTE_MAX_LENGTH, note.text.maxLength);
  assert.equal(note.text.minLength, 1);
});

test('the channel pattern is the schema\'s, character for character', () => {
  assert.equal(rules.CHANNEL_PATTERN, create.channel.pattern);
});

test('the channel pattern compiles as the browser compiles a pattern attribute (the v flag)', () => {
  assert.doesNotThrow(() => new RegExp(`^(?:${rules.CHANNEL_PATTERN})$`, 'v'));
});

test('the longest channel name the pattern accepts is CHANNEL_MAX_LENGTH characters', () => {
  const pattern = new RegExp(rules.CHANNEL_PATTERN);
  assert.equal(pattern.test('a'.repeat(rules.CHANNEL_MAX_LENGTH)), true);
  assert.equal(pattern.test('a'.repeat(rules.CHANNEL_MAX_LENGTH + 1)), false);
});
