#!/usr/bin/env bash
# A few-second fan-out run (60 sockets, 6 channels, 40 creates/s for 3 s, sockets dropping and resuming) that
# exits non-zero on any lost, duplicated or out-of-order delivery, failed create or socket error. No latency
# threshold on purpose: CI machines vary, correctness does not.
#
#   loadtest/smoke.sh                                   # starts its own backend (in-memory store, free port)
#   loadtest/smoke.sh http://127.0.0.1:18181            # against a running hub; the socket is derived (/ws)
#   loadtest/smoke.sh http://127.0.0.1:8080/api ws://127.0.0.1:8080/ws     # behind nginx
#
# The backend it starts asks for a token (a reporter's, made up for the run), so the run also proves the
# harness's requests and sockets authenticate; against a hub of your own, export HUB_TOKEN when it has tokens.
#
# Needs loadtest/target/loadtest.jar (and backend/target/incident-hub.jar when it starts its own backend):
# ./mvnw -B -q package -DskipTests.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/loadtest/target/loadtest.jar"
url="${1:-${SMOKE_URL:-}}"
ws_url="${2:-${SMOKE_WS_URL:-}}"
if [[ ! -f "$jar" ]]; then
  echo "smoke: $jar is missing; build it first with ./mvnw -B -q package -DskipTests" >&2
  exit 2
fi

server_pid=""
server_log=""
summary="$(mktemp)"
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -f "$summary" ${server_log:+"$server_log"}
}
trap cleanup EXIT

args=()
if [[ -z "$url" ]]; then
  backend="$root/backend/target/incident-hub.jar"
  if [[ ! -f "$backend" ]]; then
    echo "smoke: $backend is missing; build it first with ./mvnw -B -q package -DskipTests" >&2
    exit 2
  fi
  server_log="$(mktemp)"
  # Port 0: the backend picks a free port and logs it, so the smoke run never collides with anything. The write
  # limit sits above the run's 40 creates/s (and its burst); the socket limits already fit 60 sockets.
  HUB_TOKEN="smoke-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  export HUB_TOKEN
  HTTP_PORT=0 DATA_DIR=memory LOG_LEVEL=INFO AUTH_TOKENS="smoke:reporter:$HUB_TOKEN" \
    WRITES_PER_SECOND=1000 WRITE_BURST=1000 java -jar "$backend" >"$server_log" 2>&1 &
  server_pid=$!
  port=""
  for _ in $(seq 1 120); do
    port="$(grep -oE 'HTTP server listening on port [0-9]+' "$server_log" | grep -oE '[0-9]+$' || true)"
    [[ -n "$port" ]] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
      break
    fi
    sleep 0.25
  done
  if [[ -z "$port" ]]; then
    cat "$server_log" >&2
    echo "smoke: the backend did not start within 30 s" >&2
    exit 1
  fi
  url="http://127.0.0.1:$port"
  args+=(--server-pid "$server_pid")
  echo "smoke: started the backend (pid $server_pid) on $url"
fi

# Every socket also drops at a random moment (every 2 s on average) and resumes with its last cursor: the replay
# must fill in what it missed, exactly once.
args=(fanout --url "$url" --sockets "${SMOKE_SOCKETS:-60}" --channels 6 --rate "${SMOKE_RATE:-40}"
      --duration "${SMOKE_DURATION:-3}" --warmup 1 --drain 5 --reconnect-every "${SMOKE_RECONNECT_EVERY:-2}"
      "${args[@]}")
if [[ -n "$ws_url" ]]; then
  args+=(--ws-url "$ws_url")
fi

set +e
java -jar "$jar" "${args[@]}" >"$summary"
rc=$?
set -e

# The harness's last stderr line is "RESULT fanout PASSED|FAILED ..." with the counts; the JSON only on failure.
if [[ $rc -ne 0 ]]; then
  cat "$summary"
  if [[ -n "$server_log" ]]; then
    echo "--- backend log (last 40 lines)"
    tail -n 40 "$server_log"
  fi
  echo "smoke: fan-out FAILED (exit $rc)" >&2
fi
exit $rc
