#!/bin/sh
# Brings up the interface named by the config (wg0 for /etc/platoon/wg0.conf) in the foreground. Extra
# arguments (the container's command) go to `platoon up`, e.g. --metrics 0.0.0.0:9586
# (PLATOON_METRICS=0.0.0.0:9586 in the environment does the same).
#
# Environment:
#   PLATOON_CONFIG   the server file (default /etc/platoon/wg0.conf)
#   PEERS            on first start, when there is no server file: make one, with a client per name
#                    (PEERS=alice,bob) or that many (PEERS=3: peer1..peer3); their files go to
#                    /etc/platoon/peers/NAME.conf (mode 0600). Needs SERVER_URL. Their QR codes hold
#                    their private keys, so they never go to the log; print one on a terminal with
#                    docker exec -it NAME platoon peer qr /etc/platoon/peers/CLIENT.conf
#   SERVER_URL       HOST[:PORT] the clients reach the server at (their Endpoint)
#   PEER_DNS         DNS for the clients' files (optional)
#   PEER_ALLOWED_IPS what the clients route into the tunnel (default 0.0.0.0/0, ::/0: everything)
#   PLATOON_ADDRESS  the server's tunnel addresses for a generated file (default 10.13.13.1/24)
#   PLATOON_NAT      1: forward and masquerade what the clients send out of every other interface;
#                    an interface name (eth0): out of that one only. Needs --sysctl net.ipv4.ip_forward=1.
#
# tini runs as PID 1 (unless the container already has an init, docker run --init): it reaps the
# children of hooks and passes SIGTERM and SIGHUP on, so `docker stop` tears the interface down and
# `docker kill -s HUP` reloads the file.
set -e
if [ "$$" = 1 ] && command -v tini >/dev/null 2>&1; then
  exec tini -- "$0" "$@"
fi
conf="${PLATOON_CONFIG:-/etc/platoon/wg0.conf}"
name=$(basename "$conf" .conf)

# /opt/platoon/bin/platoon is the client package's launcher: the jlink runtime, the JVM options of
# packaging/jvm.options, PLATOON_JAVA_OPTS, and the start-up cache when the image has one.
platoon() {
  /opt/platoon/bin/platoon "$@"
}

generate() {
  if [ -z "${SERVER_URL:-}" ]; then
    echo "platoon: PEERS needs SERVER_URL=HOST[:PORT], where the clients reach this server" >&2
    exit 1
  fi
  umask 077
  mkdir -p "$(dirname "$conf")/peers"
  key=$(platoon genkey)
  printf '[Interface]\nAddress = %s\nListenPort = %s\nPrivateKey = %s\n' \
    "${PLATOON_ADDRESS:-10.13.13.1/24}" "${PLATOON_PORT:-51820}" "$key" > "$conf.tmp"
  mv "$conf.tmp" "$conf"
  echo "platoon: made $conf for $name (${PLATOON_ADDRESS:-10.13.13.1/24}, port ${PLATOON_PORT:-51820})" >&2
  case "$PEERS" in
    *[!0-9]*) names=$(echo "$PEERS" | tr ',' ' ') ;;
    *) names=$(i=1; while [ "$i" -le "$PEERS" ]; do echo "peer$i"; i=$((i + 1)); done) ;;
  esac
  for peer in $names; do
    out="$(dirname "$conf")/peers/$peer.conf"
    echo "platoon: client $peer ($out):" >&2
    platoon peer add "$peer" --interface "$conf" --endpoint "$SERVER_URL" ${PEER_DNS:+--dns "$PEER_DNS"} \
      ${PEER_ALLOWED_IPS:+--allowed-ips "$PEER_ALLOWED_IPS"} --out "$out"
  done
}

if [ ! -e "$conf" ] && [ -n "${PEERS:-}" ]; then
  generate
fi
if [ ! -r "$conf" ]; then
  echo "platoon: no configuration at $conf; mount one (-v ./wg0.conf:$conf:ro) or set PEERS and SERVER_URL" >&2
  exit 1
fi
if [ ! -c /dev/net/tun ]; then
  echo "platoon: no /dev/net/tun in the container; run it with --device /dev/net/tun --cap-add NET_ADMIN" >&2
  exit 1
fi

case "${PLATOON_NAT:-0}" in
  0|"") exec /opt/platoon/bin/platoon up "$conf" --foreground "$@" ;;
  1) out='oifname != "'"$name"'"' ;;
  *) out='oifname "'"$PLATOON_NAT"'"' ;;
esac

# Forwarding and masquerade: what arrives from the tunnel leaves with the container's address. The
# rules are one nftables table of their own, made before the interface is up and deleted after it is down.
command -v nft >/dev/null 2>&1 || { echo "platoon: PLATOON_NAT needs nft (nftables) in the image" >&2; exit 1; }
if [ "$(cat /proc/sys/net/ipv4/ip_forward)" != 1 ] && ! echo 1 2>/dev/null > /proc/sys/net/ipv4/ip_forward; then
  echo "platoon: PLATOON_NAT needs IPv4 forwarding: run the container with --sysctl net.ipv4.ip_forward=1" >&2
  exit 1
fi
if [ -r /proc/sys/net/ipv6/conf/all/forwarding ] && [ "$(cat /proc/sys/net/ipv6/conf/all/forwarding)" != 1 ] \
   && ! echo 1 2>/dev/null > /proc/sys/net/ipv6/conf/all/forwarding; then
  echo "platoon: warning: IPv6 is not forwarded (--sysctl net.ipv6.conf.all.forwarding=1 to forward it)" >&2
fi
nft delete table inet platoon-nat 2>/dev/null || true
echo "[#] nft add table inet platoon-nat: masquerade from $name, $out" >&2
nft -f - <<EOF
table inet platoon-nat {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    iifname "$name" $out masquerade
  }
}
EOF
/opt/platoon/bin/platoon up "$conf" --foreground "$@" &
child=$!
for sig in TERM INT HUP; do
  trap "kill -$sig $child 2>/dev/null || true" "$sig"
done
while :; do
  set +e
  wait "$child"
  status=$?
  set -e
  # a trapped signal interrupts wait (status > 128) while java still runs: wait again
  if [ "$status" -gt 128 ] && kill -0 "$child" 2>/dev/null; then
    continue
  fi
  break
done
echo "[#] nft delete table inet platoon-nat" >&2
nft delete table inet platoon-nat || true
exit "$status"
