#!/usr/bin/env bash
# Lays out platoon as the client package does, for the image's build stage (JAR_FROM=build):
#
#   docker/jlink-app.sh JAR OUT
#
# OUT/bin/platoon         packaging/launcher.sh (the JVM options, and the start-up cache when there is one)
# OUT/lib/runtime         a jlink runtime of only the modules platoon uses
# OUT/lib/app/platoon.jar and jvm.options (packaging/jvm.options)
#
# The module lists are read from packaging/build.sh, which says why each module is in or out, so the
# image and the packages link the same runtime. No start-up cache here: training one needs a network
# namespace and a tun device, which an image build does not have (docker/README.md).
set -euo pipefail
JAR="${1:?usage: jlink-app.sh JAR OUT}"
OUT="${2:?usage: jlink-app.sh JAR OUT}"
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
die() { echo "jlink-app.sh: $*" >&2; exit 1; }

eval "$(grep -E '^(EXCLUDE|EXTRA)_MODULES=\(' "$ROOT/packaging/build.sh")"
[ "${#EXTRA_MODULES[@]}" -gt 0 ] && [ "${#EXCLUDE_MODULES[@]}" -gt 0 ] \
  || die "no EXTRA_MODULES/EXCLUDE_MODULES in packaging/build.sh"
mapfile -t FOUND < <(jdeps --ignore-missing-deps --multi-release 25 -summary "$JAR" 2>/dev/null \
                     | awk '$2 == "->" && $3 ~ /^(java|jdk)\./ {print $3}' | sort -u)
[ ${#FOUND[@]} -gt 0 ] || die "jdeps found no modules in $JAR"
MODULES=$(printf '%s\n' "${FOUND[@]}" "${EXTRA_MODULES[@]}" | sort -u \
          | grep -vxF -f <(printf '%s\n' "${EXCLUDE_MODULES[@]}") | paste -sd, -)
echo "jlink-app.sh: modules $MODULES" >&2

jlink --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress zip-6 \
  --output "$OUT/lib/runtime"
install -D -m 0755 "$ROOT/packaging/launcher.sh" "$OUT/bin/platoon"
install -D -m 0644 "$JAR" "$OUT/lib/app/platoon.jar"
install -D -m 0644 "$ROOT/packaging/jvm.options" "$OUT/lib/app/jvm.options"
"$OUT/bin/platoon" --version >/dev/null || die "the linked runtime does not run platoon"
