#!/usr/bin/env bash
# Start-up of `platoon up`, the way a user meets it: for each launcher given, N alternating rounds of
#   detached    `platoon up NAME.conf` until it returns (the interface is up, the parent has exited)
#   foreground  `platoon up --foreground NAME.conf` until its "is up" line
# each in a fresh network namespace (only lo; the peer's endpoint is never contacted), then `down`.
# Prints the median, min and max per launcher. Needs root. Runs nothing outside its namespaces.
#
#   bench/startup.sh [-n ROUNDS] NAME=LAUNCHER [NAME=LAUNCHER ...]
#   bench/startup.sh -n 9 package=/opt/platoon/bin/platoon source=./platoon
set -uo pipefail

ROUNDS=5
if [ "${1:-}" = -n ]; then ROUNDS="${2:?-n needs a number}"; shift 2; fi
[ $# -gt 0 ] || { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "startup.sh: needs root (network namespaces)" >&2; exit 1; }

NS="pt-su-$$"
WORK="$(mktemp -d)"
CHILD=""
cleanup() {
  [ -n "$CHILD" ] && kill -KILL "$CHILD" 2>/dev/null
  ip netns del "$NS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
export PLATOON_RUN_DIR="$WORK/run" PLATOON_LOG_DIR="$WORK/log"
ms() { echo $(( ($2 - $1) / 1000000 )); }

# One round for one launcher: prints "DETACHED_MS FOREGROUND_MS".
round() {
  local launcher="$1" conf="$2" name s e s2 fg
  name="$(basename "$conf" .conf)"
  ip netns del "$NS" 2>/dev/null
  ip netns add "$NS" && ip -n "$NS" link set lo up || return 1
  s=$(date +%s%N)
  ip netns exec "$NS" "$launcher" up "$conf" > "$WORK/detached.out" 2>&1 || { cat "$WORK/detached.out" >&2; return 1; }
  e=$(date +%s%N)
  ip netns exec "$NS" "$launcher" down "$name" > /dev/null 2>&1
  : > "$WORK/fg.out"
  s2=$(date +%s%N)
  ip netns exec "$NS" "$launcher" up --foreground "$conf" > "$WORK/fg.out" 2>&1 &
  CHILD=$!
  until grep -q 'is up' "$WORK/fg.out"; do
    kill -0 "$CHILD" 2>/dev/null || { cat "$WORK/fg.out" >&2; return 1; }
    [ $(( ($(date +%s%N) - s2) / 1000000000 )) -lt 30 ] || { echo "no 'is up' in 30 s" >&2; return 1; }
    sleep 0.005
  done
  fg=$(date +%s%N)
  kill -TERM "$CHILD"; wait "$CHILD" 2>/dev/null; CHILD=""
  ip netns del "$NS"
  echo "$(ms "$s" "$e") $(ms "$s2" "$fg")"
}

declare -A CONF=() DET=() FG=()
n=0
for spec in "$@"; do
  name="${spec%%=*}"; launcher="${spec#*=}"
  key=$("$launcher" genkey) && peer=$("$launcher" genkey | "$launcher" pubkey) || { echo "startup.sh: $launcher genkey failed" >&2; exit 1; }
  n=$((n + 1))
  conf="$WORK/ptsu$$$n.conf"
  printf '[Interface]\nPrivateKey = %s\nListenPort = 51820\nAddress = 100.64.0.1/24\n\n[Peer]\nPublicKey = %s\nAllowedIPs = 100.64.0.2/32\nEndpoint = 192.0.2.2:51820\n' \
    "$key" "$peer" > "$conf"
  chmod 600 "$conf"
  CONF[$name]="$conf"
done
for r in $(seq 1 "$ROUNDS"); do
  for spec in "$@"; do
    name="${spec%%=*}"; launcher="${spec#*=}"
    round "$launcher" "${CONF[$name]}" > "$WORK/round" || { echo "startup.sh: $name failed" >&2; exit 1; }
    read -r d f < "$WORK/round"
    DET[$name]+="$d "; FG[$name]+="$f "
    echo "round $r/$ROUNDS $name: detached $d ms, foreground $f ms" >&2
  done
done
summary() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {printf "median %5d ms (min %d, max %d)", a[int((NR+1)/2)], a[1], a[NR]}'; }
echo "load average $(cut -d' ' -f1-3 /proc/loadavg); $ROUNDS rounds, alternating"
for spec in "$@"; do
  name="${spec%%=*}"
  printf '%-12s up (detached) %s   up --foreground to "is up" %s\n' "$name" "$(echo "${DET[$name]}" | summary)" "$(echo "${FG[$name]}" | summary)"
done
