#!/bin/sh
# `platoon show`, `platoon genkey`, ... inside the container (docker exec NAME platoon show wg0).
exec java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow ${PLATOON_JAVA_OPTS:-} \
  -jar /opt/platoon/platoon.jar "$@"
