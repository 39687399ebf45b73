#!/bin/sh
# platoon's launcher in the packages (bin/platoon of the tarball, /opt/platoon/bin/platoon of the .deb):
# the bundled Java runtime, the JVM options platoon needs, and the start-up cache when there is one.
#
# It replaces the native launcher jpackage makes: that one asks `rpm -qf` and `dpkg -S` which package
# it belongs to on every start — twice, as it re-executes itself — which cost ~0.3 s of each command
# and twice that for a detaching `platoon up`. Nothing else of it is used.
#
# The options are those of lib/app/jvm.options (packaging/jvm.options, which says why each is there),
# the same file the source launcher (./platoon) reads; PLATOON_JAVA_OPTS after them. The start-up
# cache (lib/app/platoon.aot, packaging/aot-train.sh) is trained through this very script, so it sees
# the same options and class path.
app="$(dirname "$(dirname "$(readlink -f "$0")")")"
set -f   # the options are split on white space below, never globbed
set -- $(sed 's/#.*//' "$app/lib/app/jvm.options") ${PLATOON_JAVA_OPTS:-} \
  -cp "$app/lib/app/platoon.jar" dev.platoon.core.cli.Main "$@"
if [ -f "$app/lib/app/platoon.aot" ]; then
  set -- "-XX:AOTCache=$app/lib/app/platoon.aot" "$@"
fi
exec "$app/lib/runtime/bin/java" "$@"
