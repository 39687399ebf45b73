#!/bin/sh
# platoon's launcher in the packages (bin/platoon of the tarball, /opt/platoon/bin/platoon of the .deb):
# the bundled Java runtime, the JVM options platoon needs, and the start-up cache when there is one.
#
# It replaces the native launcher jpackage makes: that one asks `rpm -qf` and `dpkg -S` which package
# it belongs to on every start — twice, as it re-executes itself — which cost ~0.3 s of each command
# and twice that for a detaching `platoon up`. Nothing else of it is used.
#
# The options are the ones the source launcher (./platoon) passes: native access for the tun and
# epoll code, the two --add-opens of the in-place cipher (docs/architecture.md), a small heap. The
# start-up cache (lib/app/platoon.aot, packaging/aot-train.sh) is trained through this very script,
# so it sees the same options and class path.
app="$(dirname "$(dirname "$(readlink -f "$0")")")"
set -- --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  --add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED \
  --add-opens=java.base/sun.security.util.math=ALL-UNNAMED \
  -Xmx96m -cp "$app/lib/app/platoon.jar" dev.platoon.core.cli.Main "$@"
if [ -f "$app/lib/app/platoon.aot" ]; then
  set -- "-XX:AOTCache=$app/lib/app/platoon.aot" "$@"
fi
exec "$app/lib/runtime/bin/java" "$@"
