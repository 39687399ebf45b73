#!/usr/bin/env bash
# Trains platoon's start-up cache: a JDK 25 AOT cache (JEP 483/514/515) holding the classes that
# `platoon up` loads, already parsed, verified and linked, and the method profiles of its data path.
# With it, `platoon up` reaches "is up" in about a third of the time, and C2 compiles the data path
# as the first transfer starts (docs/benchmarks.md: "`platoon up` to handshake-ready", "cold start").
#
#   packaging/aot-train.sh CACHE COMMAND...
#
# COMMAND runs platoon (the source launcher `./platoon`, or a jpackage image's bin/platoon). The
# training run is a real `platoon up --foreground` in a throwaway network namespace, joined by a veth
# pair (192.0.2.1 - 192.0.2.2) to a second namespace with an ordinary platoon as its peer: a tun
# device, its addresses, the UDP socket, the control socket, a handshake, pings, a bounded TCP
# transfer each way through the tunnel (4 s or 4 GB each, `platoon transfer`), one `platoon show`,
# then SIGTERM. About 15 s. The JVM writes CACHE as it exits. The option reaches the JVM through
# JAVA_TOOL_OPTIONS, which every launcher honours.
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
NS_PEER="platoon-aotp-$$"
WORK="$(mktemp -d)"
TRAINEE=""
PEER_PID=""
RECEIVER=""
cleanup() {
  if [ -n "$TRAINEE" ] && kill -0 "$TRAINEE" 2>/dev/null; then
    kill -KILL "$TRAINEE" 2>/dev/null
    wait "$TRAINEE" 2>/dev/null
  fi
  for p in $PEER_PID $RECEIVER; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  ip netns del "$NS" 2>/dev/null
  ip netns del "$NS_PEER" 2>/dev/null
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
ip netns add "$NS_PEER" || fail "ip netns add $NS_PEER failed"
ip -n "$NS" link add veth0 type veth peer name veth0 netns "$NS_PEER" || fail "no veth pair"
ip -n "$NS" addr add 192.0.2.1/24 dev veth0
ip -n "$NS_PEER" addr add 192.0.2.2/24 dev veth0
for n in "$NS" "$NS_PEER"; do ip -n "$n" link set lo up; ip -n "$n" link set veth0 up; done
export PLATOON_RUN_DIR="$WORK/run" PLATOON_LOG_DIR="$WORK/log"

KEY=$("$@" genkey) || fail "'$* genkey' failed"
PEER_KEY=$("$@" genkey) || fail "'$* genkey' failed"
PUB=$(echo "$KEY" | "$@" pubkey) || fail "'$* pubkey' failed"
PEER=$(echo "$PEER_KEY" | "$@" pubkey) || fail "'$* pubkey' failed"
cat > "$WORK/$NAME.conf" <<EOF
[Interface]
PrivateKey = $KEY
ListenPort = 51820
Address = 100.64.0.1/24, fd00:64::1/64

[Peer]
PublicKey = $PEER
AllowedIPs = 100.64.0.2/32, fd00:64::2/128
Endpoint = 192.0.2.2:51820
EOF
cat > "$WORK/${NAME}p.conf" <<EOF
[Interface]
PrivateKey = $PEER_KEY
ListenPort = 51820
Address = 100.64.0.2/24, fd00:64::2/64

[Peer]
PublicKey = $PUB
AllowedIPs = 100.64.0.1/32, fd00:64::1/128
EOF
chmod 600 "$WORK/$NAME.conf" "$WORK/${NAME}p.conf"

rm -f "$CACHE"
# The peer: an ordinary platoon (there is no cache yet, and it records nothing).
ip netns exec "$NS_PEER" "$@" up --foreground "$WORK/${NAME}p.conf" > "$WORK/peer.log" 2>&1 &
PEER_PID=$!
# Classes and method profiles (JEP 515; AOTRecordTraining is on by default): the trainee carries real
# traffic, so the profiles are the data path's, and with them (and AOTCompileEagerly, in
# packaging/jvm.options) C2 compiles the data path as a transfer starts instead of after seconds of
# profiling in C1 (docs/benchmarks.md, "Targets against modern wireguard-go": what holds the cold start).
JAVA_TOOL_OPTIONS="-XX:AOTCacheOutput=$CACHE" \
  ip netns exec "$NS" "$@" up --foreground "$WORK/$NAME.conf" > "$WORK/train.log" 2>&1 &
TRAINEE=$!
wait_for "grep -q 'is up' '$WORK/train.log' || ! kill -0 $TRAINEE 2>/dev/null" 60 || fail "no 'is up' within 60 s"
grep -q 'is up' "$WORK/train.log" || fail "the training run stopped before it was up"
wait_for "grep -q 'is up' '$WORK/peer.log' || ! kill -0 $PEER_PID 2>/dev/null" 60 || fail "its peer was not up within 60 s"

# A handshake and pings, a bounded TCP transfer each way through the tunnel (4 s or 4 GB, whichever
# ends first), and the control socket's read path.
# The first answer may take a while on a loaded machine (two JVMs starting, a handshake): wait for it
# with a deadline, then the three pings the training is for.
wait_for "ip netns exec $NS ping -c 1 -W 1 100.64.0.2 >/dev/null 2>&1" 30 || fail "no ping through the training tunnel in 30 s"
ip netns exec "$NS" ping -c 3 -i 0.2 -W 2 100.64.0.2 >/dev/null 2>&1 || fail "no ping through the training tunnel"
for way in "$NS_PEER 100.64.0.2 $NS" "$NS 100.64.0.1 $NS_PEER"; do
  read -r RECV_NS RECV_AT SEND_NS <<< "$way"
  ip netns exec "$RECV_NS" "$@" transfer recv --address "$RECV_AT" --timeout 30 > "$WORK/recv.log" 2>&1 &
  RECEIVER=$!
  wait_for "ip netns exec $RECV_NS ss -Hltn 'sport = :5201' | grep -q ." 30 || fail "the receiver did not listen"
  ip netns exec "$SEND_NS" "$@" transfer send --address "$RECV_AT" --bytes 4000000000 --seconds 4 \
    > "$WORK/send.log" 2>&1 || fail "the training transfer failed: $(cat "$WORK/send.log")"
  wait "$RECEIVER" 2>/dev/null
  RECEIVER=""
done
ip netns exec "$NS" "$@" show "$NAME" > "$WORK/show.txt" 2>&1 || fail "'platoon show $NAME' failed: $(cat "$WORK/show.txt")"

kill -TERM "$PEER_PID" 2>/dev/null
kill -TERM "$TRAINEE"
# The JVM assembles the cache as it exits (a second JVM does the work): allow it time.
wait_for "! kill -0 $TRAINEE 2>/dev/null" 180 || fail "the training run did not exit within 180 s of SIGTERM"
wait "$TRAINEE" 2>/dev/null
TRAINEE=""
[ -s "$CACHE" ] || fail "no cache at $CACHE after the training run"
exit 0
