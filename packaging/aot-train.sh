#!/usr/bin/env bash
# Trains platoon's start-up cache: a JDK 25 AOT cache (JEP 483/514) holding the classes that
# `platoon up` loads, already parsed, verified and linked. With it, `platoon up` reaches "is up" in
# about a third of the time (docs/benchmarks.md, "`platoon up` to handshake-ready").
#
#   packaging/aot-train.sh CACHE COMMAND...
#
# COMMAND runs platoon (the source launcher `./platoon`, or a jpackage image's bin/platoon). The
# training run is a real `platoon up --foreground` in a throwaway network namespace: a tun device,
# its addresses, the UDP socket, the control socket, a handshake initiation (to a peer on the
# namespace's loopback that never answers), one `platoon show` against it, then SIGTERM. The JVM
# writes CACHE as it exits. The option reaches the JVM through JAVA_TOOL_OPTIONS, which every
# launcher honours.
#
# A cache is only valid for the same JDK build, the same JVM options that matter (heap, module
# options) and the same jar (size and modification time); the JVM checks that itself and quietly
# runs without a cache that does not match — so a stale cache costs speed, never correctness.
#
# Exit status: 0 cache written; 2 skipped (not root, or no `ip`: the namespace needs both; one line
# on stderr says so); 1 the training run failed (its log on stderr).
set -uo pipefail

CACHE="${1:?usage: aot-train.sh CACHE COMMAND...}"
shift
[ $# -gt 0 ] || { echo "usage: aot-train.sh CACHE COMMAND..." >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  echo "platoon: start-up cache skipped: training it needs root (a network namespace and a tun device)" >&2
  exit 2
fi
if ! command -v ip >/dev/null 2>&1; then
  echo "platoon: start-up cache skipped: training it needs 'ip' (apt-get install iproute2)" >&2
  exit 2
fi

NAME="ptaot$$"                 # the interface, and the name of its control socket: unique per run
NS="platoon-aot-$$"
WORK="$(mktemp -d)"
TRAINEE=""
cleanup() {
  if [ -n "$TRAINEE" ] && kill -0 "$TRAINEE" 2>/dev/null; then
    kill -KILL "$TRAINEE" 2>/dev/null
    wait "$TRAINEE" 2>/dev/null
  fi
  ip netns del "$NS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "platoon: start-up cache: $*" >&2; sed 's/^/  | /' "$WORK/train.log" >&2 2>/dev/null; exit 1; }

# Waits up to $2 seconds for the command in $1 to succeed.
wait_for() {
  local deadline=$((SECONDS + $2))
  until eval "$1"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.05
  done
}

ip netns add "$NS" || fail "ip netns add $NS failed"
ip -n "$NS" link set lo up
export PLATOON_RUN_DIR="$WORK/run" PLATOON_LOG_DIR="$WORK/log"

KEY=$("$@" genkey) || fail "'$* genkey' failed"
PEER=$("$@" genkey | "$@" pubkey) || fail "'$* pubkey' failed"
cat > "$WORK/$NAME.conf" <<EOF
[Interface]
PrivateKey = $KEY
ListenPort = 51820
Address = 100.64.0.1/24, fd00:64::1/64

[Peer]
PublicKey = $PEER
AllowedIPs = 100.64.0.2/32, fd00:64::2/128
Endpoint = 127.0.0.1:51821
EOF
chmod 600 "$WORK/$NAME.conf"

rm -f "$CACHE"
# Classes only, no method profiles (-AOTRecordTraining): with profiles the JIT compiles the trained
# methods early at every start, and on 2 CPUs that competes with `up` itself — the detaching `up`
# took 0.88 s with them and 0.79 s without (docs/benchmarks.md). The data path warms up as it did.
JAVA_TOOL_OPTIONS="-XX:AOTCacheOutput=$CACHE -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining" \
  ip netns exec "$NS" "$@" up --foreground "$WORK/$NAME.conf" > "$WORK/train.log" 2>&1 &
TRAINEE=$!
wait_for "grep -q 'is up' '$WORK/train.log' || ! kill -0 $TRAINEE 2>/dev/null" 60 || fail "no 'is up' within 60 s"
grep -q 'is up' "$WORK/train.log" || fail "the training run stopped before it was up"

# A handshake initiation (a packet to the peer starts one; nobody answers on the namespace's loopback),
# and the control socket's read path.
ip netns exec "$NS" ping -c 2 -i 0.2 -W 1 100.64.0.2 >/dev/null 2>&1
ip netns exec "$NS" "$@" show "$NAME" > "$WORK/show.txt" 2>&1 || fail "'platoon show $NAME' failed: $(cat "$WORK/show.txt")"

kill -TERM "$TRAINEE"
# The JVM assembles the cache as it exits (a second JVM does the work): allow it time.
wait_for "! kill -0 $TRAINEE 2>/dev/null" 180 || fail "the training run did not exit within 180 s of SIGTERM"
wait "$TRAINEE" 2>/dev/null
TRAINEE=""
[ -s "$CACHE" ] || fail "no cache at $CACHE after the training run"
exit 0
