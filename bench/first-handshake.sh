#!/usr/bin/env bash
# From `platoon up` to the first handshake: two namespaces over veth (192.0.2.1 ↔ .2), side b up
# first (and left running), then ROUNDS times on side a: start a detached `platoon up`, time its
# return ("up"), send one ping through the tunnel at once, and time when `wg show` first reports a
# handshake and when the ping is answered; then `platoon down`. Needs root and `wg` (wireguard-tools).
# Cleans up everything it made, also on failure.
#
#   bench/first-handshake.sh [-n ROUNDS] LAUNCHER
set -uo pipefail

ROUNDS=3
if [ "${1:-}" = -n ]; then ROUNDS="${2:?-n needs a number}"; shift 2; fi
L="${1:?usage: bench/first-handshake.sh [-n ROUNDS] LAUNCHER}"
[ "$(id -u)" -eq 0 ] || { echo "first-handshake.sh: needs root (network namespaces)" >&2; exit 1; }
command -v wg >/dev/null || { echo "first-handshake.sh: needs wg (apt-get install wireguard-tools)" >&2; exit 1; }

A="pt-fh-$$-a"; B="pt-fh-$$-b"; IA="ptfha$$"; IB="ptfhb$$"
WORK="$(mktemp -d)"; BPID=""
cleanup() {
  [ -n "$BPID" ] && kill -TERM "$BPID" 2>/dev/null && wait "$BPID" 2>/dev/null
  ip netns exec "$A" "$L" down "$IA" >/dev/null 2>&1
  ip netns del "$A" 2>/dev/null; ip netns del "$B" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

ip netns add "$A" && ip netns add "$B" || exit 1
ip -n "$A" link set lo up; ip -n "$B" link set lo up
ip link add "vfa$$" netns "$A" type veth peer name "vfb$$" netns "$B" || exit 1
ip -n "$A" addr add 192.0.2.1/24 dev "vfa$$"; ip -n "$B" addr add 192.0.2.2/24 dev "vfb$$"
ip -n "$A" link set "vfa$$" up; ip -n "$B" link set "vfb$$" up
export PLATOON_RUN_DIR="$WORK/run" PLATOON_LOG_DIR="$WORK/log"
KA=$("$L" genkey) && KB=$("$L" genkey) || exit 1
PA=$(echo "$KA" | "$L" pubkey); PB=$(echo "$KB" | "$L" pubkey)
printf '[Interface]\nPrivateKey = %s\nListenPort = 51820\nAddress = 100.64.0.1/24\n\n[Peer]\nPublicKey = %s\nAllowedIPs = 100.64.0.2/32\nEndpoint = 192.0.2.2:51820\n' \
  "$KA" "$PB" > "$WORK/$IA.conf"
printf '[Interface]\nPrivateKey = %s\nListenPort = 51820\nAddress = 100.64.0.2/24\n\n[Peer]\nPublicKey = %s\nAllowedIPs = 100.64.0.1/32\n' \
  "$KB" "$PA" > "$WORK/$IB.conf"
chmod 600 "$WORK"/*.conf

ip netns exec "$B" "$L" up --foreground "$WORK/$IB.conf" > "$WORK/b.log" 2>&1 &
BPID=$!
deadline=$((SECONDS + 30))
until grep -q 'is up' "$WORK/b.log"; do
  [ $SECONDS -lt $deadline ] && kill -0 "$BPID" 2>/dev/null || { cat "$WORK/b.log" >&2; exit 1; }
  sleep 0.05
done

for r in $(seq 1 "$ROUNDS"); do
  s=$(now)
  ip netns exec "$A" "$L" up "$WORK/$IA.conf" > "$WORK/up.out" 2>&1 || { cat "$WORK/up.out" >&2; exit 1; }
  u=$(now)
  ip netns exec "$A" ping -c 1 -W 5 -q 100.64.0.2 > /dev/null 2>&1 &
  ping=$!
  h=""
  until [ -n "$h" ]; do
    latest=$(ip netns exec "$A" wg show "$IA" latest-handshakes 2>/dev/null | awk '{print $2}')
    [ "${latest:-0}" -gt 0 ] && h=$(now)
    [ $(( ($(now) - s) / 1000000000 )) -lt 15 ] || { echo "no handshake within 15 s" >&2; exit 1; }
    [ -n "$h" ] || sleep 0.02
  done
  wait "$ping" || { echo "the ping was not answered" >&2; exit 1; }
  p=$(now)
  echo "round $r: up $(ms "$s" "$u") ms, handshake $(ms "$s" "$h") ms, first ping answered $(ms "$s" "$p") ms"
  ip netns exec "$A" "$L" down "$IA" > /dev/null
done
