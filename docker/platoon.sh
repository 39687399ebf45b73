#!/bin/sh
# `platoon show`, `platoon genkey`, ... inside the container (docker exec NAME platoon show wg0).
# The JVM options are packaging/jvm.options, copied to /opt/platoon/jvm.options (split, never globbed).
set -f
exec java $(sed 's/#.*//' /opt/platoon/jvm.options) ${PLATOON_JAVA_OPTS:-} \
  -jar /opt/platoon/platoon.jar "$@"
