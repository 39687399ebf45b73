#!/usr/bin/env bash
# Scale of one `platoon up`, each measured in a fresh network namespace (only lo; no peer is ever
# contacted), for each launcher given, launchers alternating in each round:
#   routes  `platoon up --foreground` of a peer with 10,000 AllowedIPs as routes (5,000 /32 and
#           5,000 /128 host routes the interface's own addresses do not cover): ms until its "is up"
#           line (JVM start included), and the routes it made; beside it the same for a peer whose
#           one AllowedIP needs no route (the JVM start and the rest of up)
#   idle    an interface with 5,000 peers (one /32 each inside Address = 100.64.0.1/16, no routes, no
#           traffic): the process's CPU from /proc/PID/stat over IDLE s after SETTLE s, % of one core
# Needs root. Runs nothing outside its namespaces; every process it starts it stops by its pid.
#
#   bench/scale.sh [-n ROUNDS] NAME=LAUNCHER [NAME=LAUNCHER ...]
#   bench/scale.sh before=/tmp/main/platoon after=./platoon     (a LAUNCHER runs `platoon ARGS...`)
set -uo pipefail

ROUNDS=1
SETTLE=${SETTLE:-15}
IDLE=${IDLE:-20}
ROUTES=10000
PEERS=5000
if [ "${1:-}" = -n ]; then ROUNDS="${2:?-n needs a number}"; shift 2; fi
[ $# -gt 0 ] || { sed -n '2,/^set -uo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "scale.sh: needs root (network namespaces)" >&2; exit 1; }

NS="pt-sc-$$"
WORK="$(mktemp -d)"
CHILD=""
cleanup() {
  [ -n "$CHILD" ] && kill -KILL "$CHILD" 2>/dev/null
  ip netns del "$NS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
export PLATOON_RUN_DIR="$WORK/run" PLATOON_LOG_DIR="$WORK/log"
mkdir -p "$PLATOON_RUN_DIR" "$PLATOON_LOG_DIR"

# Keys need not be real X25519 public keys for an interface nobody talks to: 32 random bytes each.
python3 - "$WORK" "$NS" "$ROUTES" "$PEERS" <<'EOF'
import base64, os, sys
work, ns, routes, peers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
key = lambda: base64.b64encode(os.urandom(32)).decode()
half = routes // 2
with open(f"{work}/ptsr{os.getpid() % 10000}.conf", "w") as f:
    f.write(f"[Interface]\nPrivateKey = {key()}\nAddress = 100.64.0.1/32, fd00:64::1/128\n\n[Peer]\nPublicKey = {key()}\n")
    ips = [f"10.96.{n >> 8}.{n & 255}/32" for n in range(half)] + [f"fd00:64::1:{n:x}/128" for n in range(half)]
    for i in range(0, len(ips), 200):
        f.write("AllowedIPs = " + ", ".join(ips[i:i + 200]) + "\n")
with open(f"{work}/ptsn{os.getpid() % 10000}.conf", "w") as f:
    f.write(f"[Interface]\nPrivateKey = {key()}\nAddress = 100.64.0.1/24\n\n[Peer]\nPublicKey = {key()}\n"
            "AllowedIPs = 100.64.0.2/32\n")
with open(f"{work}/ptsi{os.getpid() % 10000}.conf", "w") as f:
    f.write(f"[Interface]\nPrivateKey = {key()}\nAddress = 100.64.0.1/16\n")
    for n in range(peers):
        f.write(f"\n[Peer]\nPublicKey = {key()}\nAllowedIPs = 100.64.{(n + 2) >> 8}.{(n + 2) & 255}/32\n")
EOF
chmod 600 "$WORK"/*.conf
ROUTES_CONF=$(ls "$WORK"/ptsr*.conf)
IDLE_CONF=$(ls "$WORK"/ptsi*.conf)
NONE_CONF=$(ls "$WORK"/ptsn*.conf)
now() { date +%s%N; }

# Starts LAUNCHER up --foreground CONF in a fresh namespace (CHILD: its pid); waits for "is up" (at
# most 300 s) and sets UP_MS. Not to be called in a subshell: stop needs CHILD.
start() {
  local launcher="$1" conf="$2" s
  ip netns del "$NS" 2>/dev/null
  ip netns add "$NS" && ip -n "$NS" link set lo up || return 1
  : > "$WORK/fg.out"
  s=$(now)
  ip netns exec "$NS" "$launcher" up --foreground "$conf" > "$WORK/fg.out" 2>&1 &
  CHILD=$!
  until grep -q ' is up: ' "$WORK/fg.out"; do
    kill -0 "$CHILD" 2>/dev/null || { tail -3 "$WORK/fg.out" >&2; CHILD=""; return 1; }
    [ $(( ($(now) - s) / 1000000000 )) -lt 300 ] || { echo "no 'is up' in 300 s" >&2; return 1; }
    sleep 0.01
  done
  UP_MS=$(( ($(now) - s) / 1000000 ))
}

# SIGTERM (the teardown), SIGKILL after 60 s; then the namespace goes.
stop() {
  if [ -n "$CHILD" ]; then
    kill -TERM "$CHILD" 2>/dev/null
    for _ in $(seq 600); do
      ps -o stat= -p "$CHILD" 2>/dev/null | grep -qv Z || break
      sleep 0.1
    done
    kill -KILL "$CHILD" 2>/dev/null; wait "$CHILD" 2>/dev/null; CHILD=""
  fi
  ip netns del "$NS" 2>/dev/null
}

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

declare -A UP=() BASE=() MADE=() CPU=()
for r in $(seq 1 "$ROUNDS"); do
  for spec in "$@"; do
    name="${spec%%=*}"; launcher="${spec#*=}"
    start "$launcher" "$ROUTES_CONF" || { stop; exit 1; }
    ms=$UP_MS
    made=$(( $(ip -n "$NS" -4 route show | grep -c '^10\.96\.') + $(ip -n "$NS" -6 route show | grep -c '^fd00:64::1:') ))
    stop
    start "$launcher" "$NONE_CONF" || { stop; exit 1; }
    base=$UP_MS
    stop
    start "$launcher" "$IDLE_CONF" || { stop; exit 1; }
    pid=$CHILD
    sleep "$SETTLE"
    t0=$(ticks "$pid"); s=$(now)
    sleep "$IDLE"
    t1=$(ticks "$pid"); e=$(now)
    stop
    hz=$(getconf CLK_TCK)
    cpu=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v ns=$((e - s)) 'BEGIN { printf "%.1f", 100 * t / hz / (ns / 1e9) }')
    echo "round $r $name: up with $ROUTES routes ${ms} ms ($made made), with none ${base} ms;" \
      "idle CPU with $PEERS peers ${cpu} % of a core"
    UP[$name]+="$ms "; BASE[$name]+="$base "; MADE[$name]=$made; CPU[$name]+="$cpu "
  done
done
for spec in "$@"; do
  name="${spec%%=*}"
  echo "$name: up ms [${UP[$name]% }] (no routes: [${BASE[$name]% }]), routes made ${MADE[$name]}," \
    "idle CPU % [${CPU[$name]% }]"
done
