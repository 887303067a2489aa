#!/usr/bin/env bash
# Executes the k6 scripts' logic under Node (20.10 or later) with small stand-ins for the k6 modules, against
# a running hub: catches a wrong URL, JSON path or check in loadtest/k6/*.js where k6 itself is not installed.
# It is a correctness check of the scripts, not a load test. Needs node and curl.
#
#   loadtest/k6-selfcheck.sh http://127.0.0.1:18181
#   HUB_TOKEN=... loadtest/k6-selfcheck.sh http://127.0.0.1:18181     # a hub with AUTH_TOKENS (operator or admin)
set -euo pipefail
url="${1:-http://127.0.0.1:8081}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/k6/selfcheck"
node --import "$here/register.mjs" "$here/rest-check.mjs" "$url"
node --no-warnings --experimental-websocket --import "$here/register.mjs" "$here/ws-fanout-check.mjs" "$url"
