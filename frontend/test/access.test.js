// The roles' reach in the dashboard: the same ladder as the hub's (viewer < reporter < operator < admin).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { can, ROLES, whyNot } from '../public/js/access.js';

describe('access: what each role may do', () => {
  test('every role reads; creating needs reporter; changing a status needs operator', () => {
    assert.deepEqual(ROLES.map((role) => can(role, 'create')), [false, true, true, true]);
    assert.deepEqual(ROLES.map((role) => can(role, 'changeStatus')), [false, false, true, true]);
  });

  test('adding a note needs operator, as on the hub', () => {
    assert.deepEqual(ROLES.map((role) => can(role, 'addNote')), [false, false, true, true]);
    assert.equal(whyNot({ name: 'intake', role: 'reporter' }, 'addNote'),
      'Adding a note needs the operator role; you are signed in as intake (reporter).');
  });

  test('an unknown role may do nothing', () => {
    assert.equal(can('superuser', 'create'), false);
    assert.equal(can(undefined, 'changeStatus'), false);
  });

  test('the reason names the role needed and the one held', () => {
    assert.equal(whyNot({ name: 'wall', role: 'viewer' }, 'create'),
      'Creating incidents needs the reporter role; you are signed in as wall (viewer).');
    assert.equal(whyNot({ name: 'intake', role: 'reporter' }, 'changeStatus'),
      'Changing an incident’s status needs the operator role; you are signed in as intake (reporter).');
  });
});
