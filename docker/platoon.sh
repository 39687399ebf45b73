#!/bin/sh
# `platoon show`, `platoon genkey`, ... inside the container (docker exec NAME platoon show wg0).
exec java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow --add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED --add-opens=java.base/sun.security.util.math=ALL-UNNAMED ${PLATOON_JAVA_OPTS:-} \
  -jar /opt/platoon/platoon.jar "$@"
