// Minimal stand-ins for k6 built-ins, enough to execute a script's logic under Node.
export const results = { checks: {} };
export function check(value, sets) {
  let all = true;
  for (const [name, fn] of Object.entries(sets)) {
    let ok = false;
    try { ok = !!fn(value); } catch (e) { ok = false; }
    const r = results.checks[name] || (results.checks[name] = { pass: 0, fail: 0 });
    ok ? r.pass++ : r.fail++;
    all = all && ok;
  }
  return all;
}
export function sleep() {}
export default { check, sleep };
