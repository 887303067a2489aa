#!/usr/bin/env bash
# Two clustered backend nodes, each in a network namespace of its own, and a fan-out run across them during
# which every TCP connection between the nodes except HTTP and MongoDB is rejected for some seconds, then allowed
# again: a real cut of the cluster links (Hazelcast and the event bus), not a simulated one. Needs root (or
# CAP_NET_ADMIN), ip (iproute2) and iptables.
#
#   loadtest/cluster-cut.sh                      # 200 sockets, 50 creates/s for 30 s, the links cut from 5 s to 17 s
#   loadtest/cluster-cut.sh --sockets 1000 --channels 10 --rate 200 --duration 40 --cut-at 10 --cut-for 15
#
# Options given replace that default run's (the nodes' URLs and the cut and heal commands are always added).
#
# The network: a bridge in this namespace (x.x.x.1) and one veth into each node's namespace (a: x.x.x.2, b: x.x.x.3),
# so that the harness, here, reaches both nodes' HTTP port, and the nodes reach each other. Node a runs the
# embedded store (DATA_DIR=memory) on its loopback; node b reaches it through a DNAT rule in a's namespace
# (MONGO_URI=mongodb://x.x.x.2:PORT), so both nodes use one store, as they would one MongoDB.
#
# The cut: in each node's namespace, packets from the other node to any port but HTTP and the store's are
# answered with a TCP reset, and the connections already open between them are reset at once (ss -K), so
# Hazelcast's and the event bus's connections fail both ways while HTTP and the store stay reachable. The harness
# runs this script's --cut and --heal as its --cut-command and --heal-command, and reports what the nodes'
# sockets lost, received twice, and how late the cross-node deliveries of the cut arrived.
#
# Everything is named after CUT_PREFIX (default: "ih" and five random characters; at most 10 characters, since
# interface names are short) on the subnet CUT_SUBNET (default: a free 10.x.y), so runs side by side do not
# collide; the namespaces, the bridge and both nodes are removed on exit, whatever happens. The harness's JSON
# summary goes to stdout, its progress and the nodes' last log lines (on failure) to stderr; CUT_LOG_DIR, if set,
# keeps both nodes' whole logs (a.log, b.log). Extra environment for both nodes: CUT_NODE_ENV (for example
# "POSITION_CHECK_SECONDS=1").
#
# Needs backend/target/incident-hub.jar and loadtest/target/loadtest.jar: ./mvnw -B -q package -DskipTests.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
self="$root/loadtest/cluster-cut.sh"
http_port=8081
cluster_port=5701
chain=cluster-cut

# ---- the cut and the heal, run by the harness (the environment comes from the run below) ---------------------
ns() { ip netns exec "$CUT_PREFIX-$1" "${@:2}"; }

cut() {
  ns a iptables -I INPUT -s "$CUT_SUBNET.3" -j "$chain"
  ns b iptables -I INPUT -s "$CUT_SUBNET.2" -j "$chain"
  # Reset what is already open between the nodes, except HTTP and the store.
  local kept="sport = :$http_port or dport = :$http_port or sport = :$CUT_STORE_PORT or dport = :$CUT_STORE_PORT"
  ns a ss -K -t "( dst $CUT_SUBNET.3 ) and not ( $kept )" >/dev/null
  ns b ss -K -t "( dst $CUT_SUBNET.2 ) and not ( $kept )" >/dev/null
  # Prove it: the other node's Hazelcast port now refuses, its HTTP port and the store still answer.
  if ns b timeout 2 bash -c "exec 3<>/dev/tcp/$CUT_SUBNET.2/$cluster_port" 2>/dev/null; then
    echo "cluster-cut: node b still reaches node a's Hazelcast port after the cut" >&2
    return 1
  fi
  ns b timeout 2 bash -c "exec 3<>/dev/tcp/$CUT_SUBNET.2/$http_port && exec 4<>/dev/tcp/$CUT_SUBNET.2/$CUT_STORE_PORT"
  echo "cluster-cut: links between the nodes cut (HTTP and the store still reachable)" >&2
}

heal() {
  ns a iptables -D INPUT -s "$CUT_SUBNET.3" -j "$chain"
  ns b iptables -D INPUT -s "$CUT_SUBNET.2" -j "$chain"
  echo "cluster-cut: links between the nodes healed" >&2
}

case "${1:-}" in
  --cut) cut; exit ;;
  --heal) heal; exit ;;
esac

# ---- the run -----------------------------------------------------------------------------------------------------
for tool in ip iptables ss java curl; do
  command -v "$tool" >/dev/null || { echo "cluster-cut: $tool is missing" >&2; exit 2; }
done
[[ "$(id -u)" -eq 0 ]] || { echo "cluster-cut: network namespaces and iptables need root" >&2; exit 2; }
for jar in backend/target/incident-hub.jar loadtest/target/loadtest.jar; do
  [[ -f "$root/$jar" ]] || { echo "cluster-cut: $jar is missing; ./mvnw -B -q package -DskipTests" >&2; exit 2; }
done

export CUT_PREFIX="${CUT_PREFIX:-ih$(tr -dc 'a-z0-9' </dev/urandom | head -c 5)}"
if [[ -z "${CUT_SUBNET:-}" ]]; then
  for _ in $(seq 1 20); do
    candidate="10.$((RANDOM % 56 + 200)).$((RANDOM % 256))"
    ip -4 addr | grep -q " $candidate\." || { CUT_SUBNET="$candidate"; break; }
  done
fi
export CUT_SUBNET
work="$(mktemp -d "/tmp/$CUT_PREFIX.XXXXXX")"
pids=()

cleanup() {
  local rc=$?
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for side in a b; do
    ip link del "$CUT_PREFIX-$side" 2>/dev/null || true
    ip netns del "$CUT_PREFIX-$side" 2>/dev/null || true
  done
  ip link del "$CUT_PREFIX-br" 2>/dev/null || true
  if [[ $rc -ne 0 ]]; then
    for side in a b; do
      [[ -f "$work/$side.log" ]] || continue
      echo "--- node $side (the last 40 lines but requests and sockets coming and going)" >&2
      grep -vE 'AccessLog|SocketHub - WebSocket' "$work/$side.log" | tail -n 40 >&2
    done
  fi
  if [[ -n "${CUT_LOG_DIR:-}" ]]; then
    mkdir -p "$CUT_LOG_DIR" && cp "$work"/*.log "$CUT_LOG_DIR"/ 2>/dev/null || true
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "cluster-cut: namespaces $CUT_PREFIX-a and $CUT_PREFIX-b on $CUT_SUBNET.0/24" >&2
ip link add "$CUT_PREFIX-br" type bridge
ip addr add "$CUT_SUBNET.1/24" dev "$CUT_PREFIX-br"
ip link set "$CUT_PREFIX-br" up
host=2
for side in a b; do
  space="$CUT_PREFIX-$side"
  ip netns add "$space"
  ip link add "$CUT_PREFIX-$side" type veth peer name "$CUT_PREFIX-$side-n"
  ip link set "$CUT_PREFIX-$side" master "$CUT_PREFIX-br" up
  ip link set "$CUT_PREFIX-$side-n" netns "$space"
  ns "$side" ip link set lo up
  ns "$side" ip link set "$CUT_PREFIX-$side-n" name eth0
  ns "$side" ip addr add "$CUT_SUBNET.$host/24" dev eth0
  ns "$side" ip link set eth0 up
  host=$((host + 1))
done

hazelcast_flags=(--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED -XX:-DontCompileHugeMethods)
# The harness is one client: the per-client limits are lifted above anything a run asks.
start_node() {
  local side="$1" address="$2"
  shift 2
  # Not through ns(): a function in the background is a subshell, and its pid would not be the node's.
  # shellcheck disable=SC2086 # CUT_NODE_ENV is a list of NAME=value words
  ip netns exec "$CUT_PREFIX-$side" env HTTP_PORT=$http_port HUB_INSTANCES=1 LOG_LEVEL=INFO STATIC_DIR="$work/none" \
    WRITES_PER_SECOND=1000000 WRITE_BURST=1000000 MAX_SOCKETS_PER_CLIENT=1000000 \
    CLUSTER_MEMBERS="$CUT_SUBNET.2:$cluster_port,$CUT_SUBNET.3:$cluster_port" CLUSTER_HOST="$address" \
    CLUSTER_PORT=$cluster_port "$@" ${CUT_NODE_ENV:-} \
    java "${hazelcast_flags[@]}" -jar "$root/backend/target/incident-hub.jar" >"$work/$side.log" 2>&1 &
  pids+=($!)
}
await_log() {
  local side="$1" pattern="$2"
  for _ in $(seq 1 240); do
    grep -qE "$pattern" "$work/$side.log" 2>/dev/null && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.25
  done
  echo "cluster-cut: node $side did not log '$pattern' within 60 s" >&2
  return 1
}

start_node a "$CUT_SUBNET.2" DATA_DIR=memory
await_log a 'HTTP server listening'
CUT_STORE_PORT="$(grep -oE 'EMBEDDED DEVELOPMENT STORE at mongodb:\\?/\\?/127\.0\.0\.1:[0-9]+' "$work/a.log" \
  | grep -oE '[0-9]+$' | head -n 1)"
export CUT_STORE_PORT
# Node a's store listens on its loopback; node b reaches it on a's address.
ns a sysctl -qw net.ipv4.conf.all.route_localnet=1
ns a iptables -t nat -A PREROUTING -d "$CUT_SUBNET.2" -p tcp --dport "$CUT_STORE_PORT" \
  -j DNAT --to-destination "127.0.0.1:$CUT_STORE_PORT"
start_node b "$CUT_SUBNET.3" MONGO_URI="mongodb://$CUT_SUBNET.2:$CUT_STORE_PORT"
await_log b 'HTTP server listening'

# The rules a cut puts in front of each namespace's input: HTTP and the store pass, any other TCP is reset.
for side in a b; do
  ns "$side" iptables -N "$chain"
  for port in $http_port "$CUT_STORE_PORT"; do
    ns "$side" iptables -A "$chain" -p tcp --dport "$port" -j ACCEPT
    ns "$side" iptables -A "$chain" -p tcp --sport "$port" -j ACCEPT
  done
  # The resets the other side's rules send must get through, or a connection attempt hangs instead of failing.
  ns "$side" iptables -A "$chain" -p tcp --tcp-flags RST RST -j ACCEPT
  ns "$side" iptables -A "$chain" -p tcp -j REJECT --reject-with tcp-reset
done

for side in a b; do
  address="$CUT_SUBNET.$([[ $side == a ]] && echo 2 || echo 3)"
  for _ in $(seq 1 120); do
    curl -sf "http://$address:$http_port/health" | grep -q '"members":2' && break
    sleep 0.25
  done
  curl -sf "http://$address:$http_port/health" | grep -q '"members":2' \
    || { echo "cluster-cut: node $side does not see two cluster members" >&2; exit 1; }
done
echo "cluster-cut: two nodes clustered, store at $CUT_SUBNET.2:$CUT_STORE_PORT" >&2

if [[ $# -eq 0 ]]; then
  set -- --sockets 200 --channels 10 --rate 50 --duration 30 --warmup 3 --cut-at 5 --cut-for 12
fi
args=(fanout --url "http://$CUT_SUBNET.2:$http_port,http://$CUT_SUBNET.3:$http_port" --allow-remote
      --cut-command "$self --cut" --heal-command "$self --heal" "$@")
# In the background, so that a TERM reaches the trap (and the clean-up) at once rather than after the run.
java -jar "$root/loadtest/target/loadtest.jar" "${args[@]}" &
harness=$!
pids+=("$harness")
set +e
wait "$harness"
rc=$?
set -e
exit $rc
