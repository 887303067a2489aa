// Runs rest.js's setup and 60 iterations of its default function (3 VUs) against a hub, with the k6
// stand-ins, and fails when any check failed: the script's requests, JSON paths and checks stay honest on
// machines without k6. It says nothing about performance.
// k6 hands the scripts the process's environment too; HUB_TOKEN is the one they read from it.
globalThis.__ENV = { BASE_URL: process.argv[2], CHANNELS: '3', HUB_TOKEN: process.env.HUB_TOKEN };
globalThis.__VU = 1;
globalThis.__ITER = 0;

const { results } = await import('k6');
const script = await import('../rest.js');
const data = script.setup();
for (let vu = 1; vu <= 3; vu++) {
  globalThis.__VU = vu;
  for (let i = 0; i < 20; i++) {
    globalThis.__ITER = i;
    script.default(data);
  }
}
const failed = Object.entries(results.checks).filter(([, r]) => r.fail > 0 || r.pass === 0);
for (const [name, r] of Object.entries(results.checks)) {
  console.log(`rest.js check ${r.fail === 0 && r.pass > 0 ? 'ok  ' : 'FAIL'} ${name} (${r.pass} passed, ${r.fail} failed)`);
}
process.exit(failed.length === 0 ? 0 : 1);
