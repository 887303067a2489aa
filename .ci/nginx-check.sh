#!/usr/bin/env bash
# Runs the dashboard's real nginx template (frontend/nginx/default.conf.template) with the host's
# nginx on loopback, in front of the real backend jar (embedded store, in memory, asking for a
# token and trusting this nginx as its proxy), and checks what the browser relies on: the page and
# its headers, the API under /api, the WebSocket under /ws, the token and Origin rules through the
# proxy, an access log without tokens, and nginx's own error answers. No Docker needed.
#
# Needs: backend/target/incident-hub.jar (./mvnw -B -q package -DskipTests), nginx, envsubst,
# curl, java, node (20+).
# Ports: NGINX_CHECK_BACKEND_PORT (18281) and NGINX_CHECK_NGINX_PORT (18282), both on 127.0.0.1.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
template="$repo_root/frontend/nginx/default.conf.template"
public_dir="$repo_root/frontend/public"
jar="$repo_root/backend/target/incident-hub.jar"
backend_port="${NGINX_CHECK_BACKEND_PORT:-18281}"
nginx_port="${NGINX_CHECK_NGINX_PORT:-18282}"
origin="http://127.0.0.1:$nginx_port"

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

work_dir="$(mktemp -d)"
backend_pid=""
nginx_pid=""
cleanup() {
  if [[ -n "$nginx_pid" ]] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  if [[ -n "$backend_pid" ]] && kill -0 "$backend_pid" 2>/dev/null; then
    kill "$backend_pid" 2>/dev/null || true
    wait "$backend_pid" 2>/dev/null || true
  fi
  rm -rf "$work_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

finish() {
  echo "nginx-check: $passed passed, $failed failed"
  if [[ "$failed" -eq 0 ]]; then exit 0; else exit 1; fi
}

# Prints a log's tail when something it would explain went wrong.
show_log() {
  echo "--- last lines of $1 ---"
  tail -n 40 "$2" 2>/dev/null || true
  echo "---"
}

for tool in nginx envsubst curl java node; do
  command -v "$tool" >/dev/null || { fail "required tool '$tool' is not installed"; finish; }
done

# --- nginx configuration ------------------------------------------------------------------------
# The official image renders the template with envsubst over every set variable; rendering with
# exactly the three documented ones, and then finding no ${...} left, proves the template needs
# nothing else from the environment.
BACKEND_UPSTREAM="127.0.0.1:$backend_port" \
DASHBOARD_ROOT="$public_dir" \
NGINX_LISTEN="127.0.0.1:$nginx_port" \
  envsubst '${BACKEND_UPSTREAM} ${DASHBOARD_ROOT} ${NGINX_LISTEN}' <"$template" >"$work_dir/default.conf"
if grep -n '\${' "$work_dir/default.conf"; then
  fail "the rendered template still holds \${...} placeholders (listed above)"
else
  pass "template renders with BACKEND_UPSTREAM, DASHBOARD_ROOT and NGINX_LISTEN only"
fi

# A stand-in for the image's /etc/nginx/nginx.conf: the same http-level context (mime types,
# default type) around the rendered server block, with every writable path under the work dir
# so this runs without touching the host's nginx.
mkdir -p "$work_dir/temp"
{
  # Started as root, nginx would run its workers as "nobody", who may not read a checkout under
  # /root; the workers stay root instead (loopback only, for the duration of the check).
  if [[ "$(id -u)" -eq 0 ]]; then echo "user root;"; fi
  cat <<EOF
worker_processes 1;
pid $work_dir/nginx.pid;
error_log $work_dir/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $work_dir/access.log;
    client_body_temp_path $work_dir/temp/body;
    proxy_temp_path $work_dir/temp/proxy;
    fastcgi_temp_path $work_dir/temp/fastcgi;
    uwsgi_temp_path $work_dir/temp/uwsgi;
    scgi_temp_path $work_dir/temp/scgi;
    include $work_dir/default.conf;
}
EOF
} >"$work_dir/nginx.conf"

if nginx -t -q -p "$work_dir" -e "$work_dir/error.log" -c "$work_dir/nginx.conf" >"$work_dir/nginx-t.log" 2>&1; then
  pass "nginx -t accepts the rendered configuration"
else
  fail "nginx -t rejects the rendered configuration"
  cat "$work_dir/nginx-t.log"
  finish
fi

[[ -f "$jar" ]] || { fail "$jar is missing: run ./mvnw -B -q package -DskipTests first"; finish; }
[[ -f "$public_dir/index.html" ]] || { fail "$public_dir/index.html is missing"; finish; }
for port in "$backend_port" "$nginx_port"; do
  if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; then
    fail "port $port on 127.0.0.1 is already in use (set NGINX_CHECK_BACKEND_PORT / NGINX_CHECK_NGINX_PORT)"
    finish
  fi
done

# --- processes ------------------------------------------------------------------------------------
# wait_for PID TRIES INTERVAL COMMAND...: true once COMMAND succeeds; false after TRIES attempts or when PID
# (the process being waited for) has died.
wait_for() {
  local pid="$1" tries="$2" interval="$3"
  shift 3
  for _ in $(seq 1 "$tries"); do
    "$@" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep "$interval"
  done
  return 1
}

# An operator's token, made up for this run; nginx reaches the backend from 127.0.0.1, so that is
# the trusted proxy whose X-Forwarded-For and X-Forwarded-Proto the backend believes.
token="check-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
auth=(-H "Authorization: Bearer $token")
HTTP_PORT="$backend_port" DATA_DIR=memory STATIC_DIR="$work_dir/no-static-files" LOG_LEVEL=INFO \
  AUTH_TOKENS="nginx-check:operator:$token" TRUSTED_PROXIES=127.0.0.1/32 \
  java -jar "$jar" >"$work_dir/backend.log" 2>&1 &
backend_pid=$!

if wait_for "$backend_pid" 120 0.5 curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$backend_port/health"; then
  pass "backend jar answers /health on 127.0.0.1:$backend_port"
else
  fail "backend did not answer /health within 60 s"
  show_log backend "$work_dir/backend.log"
  finish
fi

nginx -p "$work_dir" -e "$work_dir/error.log" -c "$work_dir/nginx.conf" -g 'daemon off;' >"$work_dir/nginx.out" 2>&1 &
nginx_pid=$!
if wait_for "$nginx_pid" 40 0.25 curl -s -o /dev/null --max-time 2 "$origin/"; then
  pass "nginx serves on $origin"
else
  fail "nginx did not start"
  show_log nginx "$work_dir/error.log"
  finish
fi

# --- helpers --------------------------------------------------------------------------------------
# request METHOD PATH [curl args...]: fills $status, $body and $headers (lower-cased names).
request() {
  local method="$1" path="$2"
  shift 2
  : >"$work_dir/headers"
  status="$(curl -s -X "$method" -o "$work_dir/body" -D "$work_dir/headers" -w '%{http_code}' --max-time 10 "$@" "$origin$path" || true)"
  # NUL bytes (a gzip body) cannot live in a shell variable; the text checks do not need them.
  body="$(tr -d '\0' <"$work_dir/body")"
  headers="$(tr -d '\r' <"$work_dir/headers" | sed -E 's/^([^:]+):/\L\1:/')"
}
header() { printf '%s\n' "$headers" | sed -n "s/^$1: //p" | head -n 1; }
header_count() { printf '%s\n' "$headers" | grep -c "^$1: " || true; }

expected_csp="default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'"
# The security headers must be on every answer, including errors and proxied API answers, and
# exactly once (a location with its own add_header would drop them; a duplicate would mean two
# layers set them).
security_headers_ok() {
  [[ "$(header content-security-policy)" == "$expected_csp" && "$(header_count content-security-policy)" == 1 ]] \
    && [[ "$(header x-content-type-options)" == "nosniff" && "$(header_count x-content-type-options)" == 1 ]] \
    && [[ "$(header referrer-policy)" == "no-referrer" && "$(header_count referrer-policy)" == 1 ]]
}

# --- the page -----------------------------------------------------------------------------------
request GET /
if [[ "$status" == 200 && "$(header content-type)" == text/html* ]] && grep -qi '<html' <<<"$body" \
   && cmp -s "$work_dir/body" "$public_dir/index.html"; then
  pass "GET / returns frontend/public/index.html as text/html"
else
  fail "GET / returned $status, content-type '$(header content-type)', body not index.html"
fi
if security_headers_ok; then
  pass "GET / carries the CSP, X-Content-Type-Options and Referrer-Policy headers, once each"
else
  fail "GET / security headers wrong: CSP='$(header content-security-policy)' nosniff='$(header x-content-type-options)' referrer='$(header referrer-policy)'"
fi
if [[ "$(header cache-control)" == "no-cache" ]]; then
  pass "GET / is served with Cache-Control: no-cache"
else
  fail "GET / Cache-Control is '$(header cache-control)', expected no-cache"
fi

# The largest script or stylesheet: its cache policy, and gzip (nginx compresses from 1 KiB).
asset="$(cd "$public_dir" && find . -type f \( -name '*.js' -o -name '*.css' \) -printf '%s %P\n' | sort -rn | head -n 1 | cut -d' ' -f2-)"
if [[ -z "$asset" ]]; then
  fail "frontend/public holds no .js or .css file to check caching and gzip on"
else
  request GET "/$asset" -H 'Accept-Encoding: gzip'
  if [[ "$status" == 200 && "$(header cache-control)" == "public, max-age=300, must-revalidate" ]] && security_headers_ok; then
    pass "GET /$asset: short cache with revalidation, security headers present"
  else
    fail "GET /$asset returned $status, Cache-Control '$(header cache-control)'"
  fi
  if [[ "$(stat -c %s "$public_dir/$asset")" -lt 1024 ]]; then
    fail "/$asset is under 1 KiB, so it cannot show whether gzip is on"
  elif [[ "$(header content-encoding)" == "gzip" ]]; then
    pass "GET /$asset is gzip-compressed for a client that accepts it"
  else
    fail "GET /$asset not compressed (Content-Encoding '$(header content-encoding)')"
  fi
fi

request GET /no-such-page.html
if [[ "$status" == 404 ]] && security_headers_ok; then
  pass "an unknown static path is 404 and still carries the security headers"
else
  fail "GET /no-such-page.html returned $status or lost the security headers"
fi

# --- the API under /api -------------------------------------------------------------------------
request GET /api/health
if [[ "$status" == 200 ]] && grep -q '"status" *: *"UP"' <<<"$body" && grep -q '"auth" *: *"on"' <<<"$body"; then
  pass "GET /api/health through nginx is UP without a token, and says auth is on"
else
  fail "GET /api/health returned $status: $body"
fi

request GET /api/incidents
if [[ "$status" == 401 ]] && grep -q '"UNAUTHORIZED"' <<<"$body" && [[ "$(header www-authenticate)" == "Bearer" ]]; then
  pass "GET /api/incidents without a token is 401 with WWW-Authenticate: Bearer, through nginx"
else
  fail "GET /api/incidents without a token returned $status (WWW-Authenticate '$(header www-authenticate)'): $body"
fi

title="nginx check $$"
# With the page's own Origin, as the dashboard sends it: accepted only if nginx passes on the Host
# with its port and the backend believes nginx's X-Forwarded-Proto.
request POST /api/incidents "${auth[@]}" -H "Origin: $origin" -H 'Content-Type: application/json' \
  --data "{\"title\":\"$title\",\"severity\":\"high\",\"channel\":\"nginx-check\"}"
incident_id="$(sed -nE 's/.*"id" *: *"([^"]+)".*/\1/p' <<<"$body" | head -n 1)"
if [[ "$status" == 201 && -n "$incident_id" ]]; then
  pass "POST /api/incidents through nginx, from the page's own origin, created $incident_id"
else
  fail "POST /api/incidents returned $status: $body"
fi
if [[ "$(header location)" == "/api/incidents/$incident_id" ]]; then
  pass "the Location header names the incident under /api"
else
  fail "Location is '$(header location)', expected /api/incidents/$incident_id"
fi
if [[ -z "$(header cache-control)" ]] && security_headers_ok; then
  pass "API answers keep the security headers and get no static cache policy"
else
  fail "API answer headers: Cache-Control '$(header cache-control)', CSP '$(header content-security-policy)'"
fi

request GET "/api/incidents?channel=nginx-check" "${auth[@]}"
if [[ "$status" == 200 ]] && grep -qF "\"$incident_id\"" <<<"$body" && grep -qF "$title" <<<"$body"; then
  pass "GET /api/incidents through nginx lists the new incident"
else
  fail "GET /api/incidents returned $status without $incident_id: $body"
fi

request POST /api/incidents "${auth[@]}" -H 'Content-Type: application/json' --data '{"severity":"high"}'
if [[ "$status" == 400 ]] && grep -q '"VALIDATION_FAILED"' <<<"$body" && security_headers_ok; then
  pass "a backend error passes through nginx as the backend's envelope"
else
  fail "invalid POST returned $status: $body"
fi

request POST /api/incidents "${auth[@]}" -H 'Origin: http://evil.example' -H 'Content-Type: application/json' \
  --data '{"title":"from a foreign page","severity":"low"}'
if [[ "$status" == 403 ]] && grep -q '"FORBIDDEN_ORIGIN"' <<<"$body"; then
  pass "a write from a foreign page's Origin is 403 FORBIDDEN_ORIGIN through nginx"
else
  fail "a write with a foreign Origin returned $status: $body"
fi

# Over client_max_body_size (1m): nginx answers itself, in the API's error envelope.
head -c 1100000 /dev/zero | tr '\0' 'a' >"$work_dir/big-body"
request POST /api/incidents -H 'Content-Type: application/json' --data-binary "@$work_dir/big-body"
if [[ "$status" == 413 ]] && grep -q '"PAYLOAD_TOO_LARGE"' <<<"$body" && [[ "$(header content-type)" == application/json* ]]; then
  pass "a body over nginx's limit gets 413 PAYLOAD_TOO_LARGE as JSON"
else
  fail "oversized POST returned $status ($(header content-type)): ${body:0:200}"
fi

# --- the WebSocket under /ws --------------------------------------------------------------------
node_flags=()
if ! node -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null; then
  node_flags=(--experimental-websocket)
fi
if node "${node_flags[@]}" "$repo_root/.ci/ws-event-check.mjs" --api "$origin/api" --ws "ws://127.0.0.1:$nginx_port/ws" \
     --token "$token" >"$work_dir/ws.log" 2>&1; then
  pass "WebSockets through /ws (all channels and ?channels=) receive incident.created of a POST through /api"
else
  fail "WebSocket through /ws: $(cat "$work_dir/ws.log")"
  show_log nginx "$work_dir/error.log"
fi

# upgrade ORIGIN QUERY: the status nginx answers a WebSocket upgrade of /ws with (101 when it opens).
upgrade() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
    -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' -H "Origin: $1" \
    "$origin/ws?$2" || true
}
status="$(upgrade "$origin" "access_token=$token")"
if [[ "$status" == 101 ]]; then
  pass "a WebSocket from the page's own origin, with access_token, opens through nginx"
else
  fail "a WebSocket from $origin with access_token answered $status, expected 101"
fi
status="$(upgrade http://evil.example "access_token=$token")"
if [[ "$status" == 403 ]]; then
  pass "a WebSocket from a foreign page's Origin is refused with 403 through nginx"
else
  fail "a WebSocket from http://evil.example answered $status, expected 403"
fi

# The access log (nginx's stdout) names /ws but holds neither the query nor the token. nginx writes
# an upgraded request's line when the connection ends, a moment after the client left.
if wait_for "$nginx_pid" 20 0.25 grep -q '"GET /ws HTTP/1.1" 101' "$work_dir/nginx.out" \
   && ! grep -q -e access_token -e "$token" "$work_dir/nginx.out"; then
  pass "nginx's access log shows the WebSocket requests without their query or token"
else
  fail "nginx's access log: $(grep '/ws' "$work_dir/nginx.out" | head -n 3)"
fi
if ! grep -q -e access_token -e "$token" "$work_dir/backend.log"; then
  pass "the backend's log holds no token"
else
  fail "the backend's log holds a token: $(grep -e access_token -e "$token" "$work_dir/backend.log" | head -n 3)"
fi

# --- backend gone ---------------------------------------------------------------------------------
kill "$backend_pid" 2>/dev/null || true
wait "$backend_pid" 2>/dev/null || true
backend_pid=""
request GET /api/incidents "${auth[@]}"
if [[ "$status" == 502 ]] && grep -q '"BACKEND_UNAVAILABLE"' <<<"$body" && [[ "$(header content-type)" == application/json* ]] \
   && security_headers_ok; then
  pass "with the backend down, /api answers 502 BACKEND_UNAVAILABLE as JSON"
else
  fail "with the backend down, GET /api/incidents returned $status ($(header content-type)): $body"
fi

finish
