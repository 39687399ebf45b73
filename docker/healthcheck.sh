#!/bin/sh
# Healthy when the interface's control socket exists and its liveness file /run/platoon/NAME.status
# had its time set in the last 10 s: platoon's timer thread sets it every second (one utimensat, however
# many peers), so a stale time means a stuck process. No JVM starts here; `platoon show` asks the
# process itself for the full status.
conf="${PLATOON_CONFIG:-/etc/platoon/wg0.conf}"
name=$(basename "$conf" .conf)
[ -S "/var/run/wireguard/$name.sock" ] || { echo "no control socket /var/run/wireguard/$name.sock"; exit 1; }
[ -n "$(find "/run/platoon/$name.status" -newermt '-10 seconds' 2>/dev/null)" ] \
  || { echo "/run/platoon/$name.status is missing or its time is older than 10 s"; exit 1; }
echo "$name is up"
