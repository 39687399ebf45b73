#!/bin/sh
# Brings up the interface named by the mounted config (wg0 for /etc/platoon/wg0.conf) in the
# foreground. Extra arguments (the container's command) go to `platoon up`, e.g. --metrics 0.0.0.0:9586
# (PLATOON_METRICS=0.0.0.0:9586 in the environment does the same).
# exec: java replaces this shell as PID 1, so SIGTERM from `docker stop` reaches it and it tears down.
set -e
conf="${PLATOON_CONFIG:-/etc/platoon/wg0.conf}"
if [ ! -r "$conf" ]; then
  echo "platoon: no configuration at $conf; mount one: -v ./wg0.conf:$conf:ro" >&2
  exit 1
fi
if [ ! -c /dev/net/tun ]; then
  echo "platoon: no /dev/net/tun in the container; run it with --device /dev/net/tun --cap-add NET_ADMIN" >&2
  exit 1
fi
# The JVM options are packaging/jvm.options, copied to /opt/platoon/jvm.options (split, never globbed).
set -f
exec java $(sed 's/#.*//' /opt/platoon/jvm.options) ${PLATOON_JAVA_OPTS:-} \
  -jar /opt/platoon/platoon.jar up "$conf" --foreground "$@"
