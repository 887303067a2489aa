#!/usr/bin/env bash
# A few-second fan-out run against a running hub; exits non-zero on any lost, duplicated or out-of-order
# delivery, failed create or socket error. Meant for CI, right after the backend has started:
#
#   loadtest/smoke.sh http://127.0.0.1:18181          # REST base; the socket is derived (/ws)
#   loadtest/smoke.sh http://127.0.0.1:8080/api ws://127.0.0.1:8080/ws
#
# Needs loadtest/target/loadtest.jar (./mvnw -B -q package -DskipTests). No latency threshold on purpose:
# CI machines vary; correctness does not.
set -euo pipefail

url="${1:-${SMOKE_URL:-http://127.0.0.1:8081}}"
ws_url="${2:-${SMOKE_WS_URL:-}}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/loadtest.jar"
if [[ ! -f "$jar" ]]; then
  echo "smoke: $jar is missing; build it first with ./mvnw -B -q package -DskipTests" >&2
  exit 2
fi

args=(fanout --url "$url" --sockets "${SMOKE_SOCKETS:-60}" --channels 6 --rate "${SMOKE_RATE:-40}"
      --duration "${SMOKE_DURATION:-3}" --warmup 1 --drain 5)
if [[ -n "$ws_url" ]]; then
  args+=(--ws-url "$ws_url")
fi

summary="$(mktemp)"
trap 'rm -f "$summary"' EXIT
set +e
java -jar "$jar" "${args[@]}" >"$summary"
rc=$?
set -e

# The harness's last stderr line says RESULT ... PASSED/FAILED with the counts; the JSON only on failure.
if [[ $rc -ne 0 ]]; then
  cat "$summary"
  echo "smoke: fan-out FAILED (exit $rc)" >&2
fi
exit $rc
