// k6 v1.x: a realistic REST mix against Incident Hub.
//
//   k6 run -e BASE_URL=http://localhost:8081 loadtest/k6/rest.js
//   k6 run -e BASE_URL=http://localhost:8080/api -e VUS=64 -e DURATION=2m loadtest/k6/rest.js
//
// Environment (all optional):
//   BASE_URL        REST base of the hub (default http://localhost:8081; behind nginx use .../api)
//   VUS             concurrent virtual users, each a closed loop on a keep-alive connection (32)
//   DURATION        how long to run (30s)
//   CHANNELS        how many channels the creates are spread over (20)
//   CREATE_WEIGHT, LIST_WEIGHT, PATCH_WEIGHT   relative share of each request type (6, 3, 1)
//   P99_CREATE_MS, P99_LIST_MS, P99_PATCH_MS   p99 budgets; above them the run fails (50, 100, 50)
//   HUB_TOKEN       bearer token when the hub has AUTH_TOKENS: operator or admin (the mix creates and patches)
//
// The run fails (k6 exits 99) when more than 0.1 % of requests fail or a request type misses its budget.
// All VUs are one client to the hub, so start it with a write limit above what they reach, for example
// WRITES_PER_SECOND=1000000 WRITE_BURST=1000000; otherwise its 429s fail the run.

import http from 'k6/http';
import { AUTH_HEADERS, BASE_URL, int } from './common.js';
// The API's severities, as the dashboard states them (k6 bundles the file with the script).
import { SEVERITIES } from '../../frontend/public/js/rules.js';

// k6 calls setup() once before the VUs start: it checks the hub and names this run.
export { setup } from './common.js';
import { check } from 'k6';
import { Counter } from 'k6/metrics';

const VUS = int('VUS', 32);
const DURATION = __ENV.DURATION || '30s';
const CHANNELS = int('CHANNELS', 20);
const WEIGHTS = {
  create: int('CREATE_WEIGHT', 6),
  list: int('LIST_WEIGHT', 3),
  patch: int('PATCH_WEIGHT', 1),
};
const TOTAL_WEIGHT = WEIGHTS.create + WEIGHTS.list + WEIGHTS.patch;
const JSON_HEADERS = { 'Content-Type': 'application/json', ...AUTH_HEADERS };

// A 412 is the API's correct answer to a stale If-Match, not a failure of the server.
const PATCH_EXPECTED = http.expectedStatuses(200, 412);

const versionConflicts = new Counter('version_conflicts');

export const options = {
  scenarios: {
    mix: { executor: 'constant-vus', vus: VUS, duration: DURATION },
  },
  thresholds: {
    http_req_failed: ['rate<0.001'],
    checks: ['rate>0.999'],
    'http_req_duration{type:create}': [`p(99)<${int('P99_CREATE_MS', 50)}`],
    'http_req_duration{type:list}': [`p(99)<${int('P99_LIST_MS', 100)}`],
    'http_req_duration{type:patch}': [`p(99)<${int('P99_PATCH_MS', 50)}`],
  },
};

// Module scope is per VU in k6: each VU remembers the incidents it created, to patch them later.
const recent = [];
let n = 0;

export default function (data) {
  n += 1;
  const channel = `lt-k6-${data.runId}-${(__VU + n) % CHANNELS}`;
  const pick = (__VU + n) % TOTAL_WEIGHT;
  if (pick < WEIGHTS.create || recent.length === 0) {
    create(channel);
  } else if (pick < WEIGHTS.create + WEIGHTS.list) {
    list(channel);
  } else {
    patch(recent.shift());
  }
}

function create(channel) {
  const body = JSON.stringify({
    title: `k6 load ${__VU}-${n}`,
    severity: SEVERITIES[n % SEVERITIES.length],
    channel,
    message: 'created by loadtest/k6/rest.js',
  });
  const res = http.post(`${BASE_URL}/incidents`, body, { headers: JSON_HEADERS, tags: { type: 'create' } });
  const data = res.status === 201 ? res.json('data') : null;
  check(res, {
    'create: status 201': (r) => r.status === 201,
    'create: Location header': (r) => (r.headers.Location || '').includes('/incidents/'),
    'create: body has id, channel and version 1': () =>
      data !== null && typeof data.id === 'string' && data.channel === channel && data.version === 1,
  });
  if (data !== null) {
    recent.push({ id: data.id, version: data.version });
    if (recent.length > 50) {
      recent.shift();
    }
  }
}

function list(channel) {
  // As the dashboard pages through a channel's unresolved incidents.
  const offset = n % 2 === 0 ? 0 : 20;
  const res = http.get(
    `${BASE_URL}/incidents?channel=${channel}&status=open,acknowledged&limit=20&offset=${offset}`,
    { headers: AUTH_HEADERS, tags: { type: 'list' } },
  );
  const body = res.status === 200 ? res.json() : null;
  check(res, {
    'list: status 200': (r) => r.status === 200,
    'list: data is an array of at most 20': () => body !== null && Array.isArray(body.data) && body.data.length <= 20,
    'list: page echoes limit and offset': () =>
      body !== null && body.page.limit === 20 && body.page.offset === offset && typeof body.page.total === 'number',
    'list: only the asked channel': () => body !== null && body.data.every((i) => i.channel === channel),
  });
}

function patch(incident) {
  const res = http.patch(
    `${BASE_URL}/incidents/${incident.id}`,
    JSON.stringify({ status: 'acknowledged' }),
    {
      headers: { ...JSON_HEADERS, 'If-Match': `"${incident.version}"` },
      tags: { type: 'patch' },
      responseCallback: PATCH_EXPECTED,
    },
  );
  if (res.status === 412) {
    versionConflicts.add(1);
  }
  const data = res.status === 200 ? res.json('data') : null;
  check(res, {
    'patch: status 200 or 412': (r) => r.status === 200 || r.status === 412,
    'patch: acknowledged with a newer version': () =>
      res.status === 412 || (data !== null && data.status === 'acknowledged' && data.version === incident.version + 1),
    'patch: ETag is the new version': (r) => r.status === 412 || r.headers.Etag === `"${incident.version + 1}"`,
  });
}
