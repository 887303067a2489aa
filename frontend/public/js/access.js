// What each role may do in the dashboard, as the hub decides it: every role reads, a reporter also creates, an
// operator also changes an incident's status and adds notes, an admin also reaches the operational endpoints. The
// hub checks every request itself; the page only keeps the controls a role cannot use from looking usable.

/** The roles, each with the rights of the ones before it. */
export const ROLES = Object.freeze(['viewer', 'reporter', 'operator', 'admin']);

/** The role each of the page's actions needs. */
export const NEEDED = Object.freeze({ create: 'reporter', changeStatus: 'operator', addNote: 'operator' });

const WHAT = Object.freeze({
  create: 'Creating incidents',
  changeStatus: 'Changing an incident’s status',
  addNote: 'Adding a note',
});

/** Whether `role` may do `action` (a key of NEEDED); an unknown role may do nothing. */
export function can(role, action) {
  const held = ROLES.indexOf(role);
  return held >= 0 && held >= ROLES.indexOf(NEEDED[action]);
}

/** The sentence a control shows when its action is out of the caller's reach. */
export function whyNot(caller, action) {
  return `${WHAT[action]} needs the ${NEEDED[action]} role; you are signed in as ${caller.name} (${caller.role}).`;
}
