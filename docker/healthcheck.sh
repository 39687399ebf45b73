#!/bin/sh
# Healthy when the interface's control socket exists and its status file was rewritten in the last
# 10 s (platoon's timer thread rewrites it every second, so a stale file means a stuck process).
conf="${PLATOON_CONFIG:-/etc/platoon/wg0.conf}"
name=$(basename "$conf" .conf)
[ -S "/var/run/wireguard/$name.sock" ] || { echo "no control socket /var/run/wireguard/$name.sock"; exit 1; }
[ -n "$(find "/run/platoon/$name.status" -newermt '-10 seconds' 2>/dev/null)" ] \
  || { echo "/run/platoon/$name.status is missing or older than 10 s"; exit 1; }
echo "$name is up"
