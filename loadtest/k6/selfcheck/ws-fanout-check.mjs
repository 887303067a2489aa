// Runs ws-fanout.js's two scenarios by hand, small: 20 listeners over 4 channels, then 20 creates, and
// checks what the script's thresholds would: every socket subscribed, exactly the expected deliveries,
// no duplicate, no BAD_MESSAGE, no failed create. Latency is not judged (the stand-in http is curl).
globalThis.__ENV = {
  BASE_URL: process.argv[2], SOCKETS: '20', CHANNELS: '4', RATE: '10', DURATION: '2',
  CONNECT_SECONDS: '2', DRAIN_SECONDS: '2', HUB_TOKEN: process.env.HUB_TOKEN,
};
globalThis.__VU = 0;
globalThis.__ITER = 0;
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const metrics = await import('k6/metrics');
const { results } = await import('k6');
const exec = (await import('k6/execution')).default;
const script = await import('../ws-fanout.js');
const data = script.setup();
for (let vu = 1; vu <= 20; vu++) {
  globalThis.__VU = vu;
  script.listen(data);
}
await pause(2000);
for (let i = 0; i < 20; i++) {
  exec.scenario.iterationInTest = i;
  globalThis.__VU = 21 + (i % 3);
  script.createIncident(data);
}
await pause(3000);

const count = (name) => metrics.all[name].values.length;
const expected = { sockets_subscribed: 20, deliveries: 100, duplicate_deliveries: 0, bad_messages: 0, creates_failed: 0 };
let ok = true;
for (const [name, want] of Object.entries(expected)) {
  const got = count(name);
  console.log(`ws-fanout.js ${got === want ? 'ok  ' : 'FAIL'} ${name} = ${got} (expected ${want})`);
  ok = ok && got === want;
}
for (const [name, r] of Object.entries(results.checks)) {
  console.log(`ws-fanout.js check ${r.fail === 0 ? 'ok  ' : 'FAIL'} ${name} (${r.pass} passed, ${r.fail} failed)`);
  ok = ok && r.fail === 0;
}
process.exit(ok ? 0 : 1);
