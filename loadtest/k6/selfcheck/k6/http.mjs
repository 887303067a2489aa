import { execFileSync } from 'node:child_process';
function request(method, url, body, params = {}) {
  const args = ['-s', '-i', '-X', method, url];
  for (const [k, v] of Object.entries(params.headers || {})) args.push('-H', `${k}: ${v}`);
  if (body !== null && body !== undefined) args.push('--data-binary', body);
  const raw = execFileSync('curl', args, { encoding: 'utf8' });
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).split('\r\n');
  const text = raw.slice(split + 4);
  const status = parseInt(head[0].split(' ')[1], 10);
  const headers = {};
  // k6 canonicalises header names the way Go does: Etag, Location, Content-Type
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    const name = line.slice(0, i).toLowerCase().replace(/(^|-)([a-z])/g, (m, p, c) => p + c.toUpperCase());
    headers[name] = line.slice(i + 1).trim();
  }
  return {
    status, headers, body: text,
    json(path) {
      const v = JSON.parse(text);
      return path ? path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), v) : v;
    },
  };
}
export default {
  get: (url, params) => request('GET', url, null, params),
  post: (url, body, params) => request('POST', url, body, params),
  patch: (url, body, params) => request('PATCH', url, body, params),
  expectedStatuses: (...codes) => ({ codes }),
};
