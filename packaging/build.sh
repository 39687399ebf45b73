#!/usr/bin/env bash
# Builds platoon's client packages: a jlink runtime with only the modules platoon needs, a jpackage
# app-image (tarball) and a .deb that installs it in /opt/platoon with /usr/bin/platoon and the
# systemd unit platoon@.service. Usually run as `./platoon package`.
#
#   packaging/build.sh [--no-build] [--jar FILE] [--out DIR]
#
#   --no-build   use the jar as it is (the packaging test does this: `mvn verify` just built it)
#   --jar FILE   the shaded jar (default vpn-core/target/platoon.jar)
#   --out DIR    where the tarball and the .deb go (default packaging/target)
#   (scratch space: a fresh folder .work.* under --out, removed at the end)
#
# Needs a JDK 25+ with jlink and jpackage (JAVA_HOME, else /usr/lib/jvm/*), fakeroot and
# dpkg-deb (for the .deb), tar and gzip. Prints the artifacts' paths on stdout, progress on stderr.
set -euo pipefail

HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(dirname "$HERE")"
JAR="$ROOT/vpn-core/target/platoon.jar"
OUT="$HERE/target"
BUILD=1

die() { echo "platoon package: $*" >&2; exit 1; }
say() { echo "platoon package: [${SECONDS}s] $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --jar) JAR="$(readlink -f "${2:?--jar needs a file}")"; shift ;;
    --out) OUT="${2:?--out needs a folder}"; shift ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (try --help)" ;;
  esac
  shift
done

# Modules that jdeps finds but platoon never loads (checked by running `platoon demo` on a runtime
# without them). Each costs megabytes.
#   java.desktop  JNA's optional AWT helpers (Native.getComponentID); platoon has no windows
#   java.sql      Bouncy Castle's X.509/LDAP utilities; platoon uses only BC's lightweight primitives
#   java.naming   the same Bouncy Castle X.509/LDAP code
EXCLUDE_MODULES=(java.desktop java.sql java.naming)
# Modules that platoon needs at run time but jdeps cannot see (reflection, service loading), or
# that are on the way in:
#   java.logging     Netty's fallback logger (java.util.logging) when no SLF4J/Log4j is present;
#                    jdeps does list it, but it must stay even though java.sql (which requires it
#                    transitively) is dropped above
#   jdk.unsupported  sun.misc.Unsafe for Netty's direct buffers (Netty probes it by reflection)
#   java.management  the demo's JavaCommand (RuntimeMXBean) and Micrometer's JVM binders
#   jdk.management   com.sun.management.OperatingSystemMXBean, which Micrometer's process and CPU
#                    metrics look up by reflection
#   jdk.httpserver   com.sun.net.httpserver for the /metrics endpoint
#   jdk.jfr          Netty 4.2's buffer allocator events (io.netty.buffer references jdk.jfr.Event)
# Not needed: jdk.crypto.ec (empty since JDK 22; EC lives in java.base) — platoon's X25519 is
# Bouncy Castle's; ChaCha20-Poly1305 and BLAKE2s come from java.base and Bouncy Castle. The native
# cipher engine calls libcrypto through java.lang.foreign, final since JDK 22 and part of java.base
# (no jdk.incubator.* module); it needs only --enable-native-access (jvm.options) and the library.
EXTRA_MODULES=(java.logging jdk.unsupported java.management jdk.management jdk.httpserver jdk.jfr)

# --- a JDK 25+ with jlink and jpackage --------------------------------------------------------------
jdk_ok() { [ -x "$1/bin/jlink" ] && [ -x "$1/bin/jpackage" ] && [ -x "$1/bin/jdeps" ] &&
           "$1/bin/java" -version 2>&1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'; }
JDK=""
for c in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  if [ -n "$c" ] && jdk_ok "$c"; then JDK="$c"; break; fi
done
[ -n "$JDK" ] || die "needs a JDK 25 or newer with jlink and jpackage (JAVA_HOME=${JAVA_HOME:-unset})"
for tool in tar gzip; do command -v "$tool" >/dev/null || die "needs '$tool'"; done
if ! command -v fakeroot >/dev/null || ! command -v dpkg-deb >/dev/null; then
  die "the .deb needs fakeroot and dpkg-deb: apt-get install fakeroot dpkg"
fi

# --- the jar ----------------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  JAVA_HOME="$JDK" "$ROOT/platoon" build
fi
[ -f "$JAR" ] || die "no jar at $JAR (run './platoon build')"

mkdir -p "$OUT"
OUT="$(readlink -f "$OUT")"
WORK="$(mktemp -d "$OUT/.work.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# The version of the jar being packaged, from Maven's pom.properties inside it (0.1.0-SNAPSHOT), which
# is also what `platoon --version` prints: the artifacts carry it whole. jpackage wants numbers only
# (0.1.0) for its own metadata; the .deb's Version is the Maven version in Debian's spelling, where "~"
# sorts before the release (0.1.0~SNAPSHOT < 0.1.0).
(cd "$WORK" && "$JDK/bin/jar" --extract --file "$JAR" META-INF/maven/dev.platoon/platoon-vpn-core/pom.properties) \
  2>/dev/null || die "$JAR is not a whole jar (is a build writing it right now?)"
MAVEN_VERSION=$(sed -n 's/^version=//p' "$WORK/META-INF/maven/dev.platoon/platoon-vpn-core/pom.properties" | tr -d '\r')
[ -n "$MAVEN_VERSION" ] || die "no Maven version in $JAR"
VERSION=$(echo "$MAVEN_VERSION" | sed -n 's/^\([0-9][0-9]*\(\.[0-9][0-9]*\)\{0,2\}\).*/\1/p')
[ -n "$VERSION" ] || die "the Maven version '$MAVEN_VERSION' does not start with a number"
DEB_VERSION=$(echo "$MAVEN_VERSION" | tr -- '-' '~')

# --- the modules ------------------------------------------------------------------------------------
# -summary lists every module the jar uses directly; --print-module-deps would fold java.logging into
# java.sql, which is excluded above.
say "jdeps on $JAR ..."
mapfile -t FOUND < <("$JDK/bin/jdeps" --ignore-missing-deps --multi-release 25 -summary "$JAR" 2>/dev/null \
                     | awk '$2 == "->" && $3 ~ /^(java|jdk)\./ {print $3}' | sort -u)
[ ${#FOUND[@]} -gt 0 ] || die "jdeps found no modules in $JAR"
MODULES=$(printf '%s\n' "${FOUND[@]}" "${EXTRA_MODULES[@]}" | sort -u \
          | grep -vxF -f <(printf '%s\n' "${EXCLUDE_MODULES[@]}") | paste -sd, -)
say "modules: $MODULES"

# --- jlink: the runtime ---------------------------------------------------------------------------
# Temurin 25 ships no jmods; its jlink links from the JDK's own run-time image (JEP 493).
say "jlink ..."
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
  --compress zip-6 --output "$WORK/runtime"

# --- jpackage: the app-image ----------------------------------------------------------------------
mkdir -p "$WORK/input"
cp "$JAR" "$WORK/input/platoon.jar"
say "jpackage app-image ..."
"$JDK/bin/jpackage" --type app-image --name platoon --app-version "$VERSION" \
  --vendor platoon --description "A userspace WireGuard endpoint that moves packets in trains." \
  --input "$WORK/input" --main-jar platoon.jar --main-class dev.platoon.core.cli.Main \
  --runtime-image "$WORK/runtime" \
  --app-content "$HERE/systemd/platoon@.service" \
  --dest "$WORK/image"
IMAGE="$WORK/image/platoon"
[ -x "$IMAGE/bin/platoon" ] || die "jpackage made no $IMAGE/bin/platoon"
# Our own launcher instead of jpackage's native one (packaging/launcher.sh says why), with the JVM
# options file every launcher reads; jpackage's own options file, read only by its native launcher,
# goes with that launcher.
install -m 0755 "$HERE/launcher.sh" "$IMAGE/bin/platoon"
install -m 0644 "$HERE/jvm.options" "$IMAGE/lib/app/jvm.options"
rm -f "$IMAGE/lib/libapplauncher.so" "$IMAGE/lib/app/platoon.cfg"

# --- the start-up cache ---------------------------------------------------------------------------
# One real `platoon up`, trained with the image's own launcher and runtime (a cache serves only the
# JVM, options and jar it was made with); the launcher passes it when it is there, so every command
# and the detached `up` child map it. The JVM accepts the app in another folder (/opt/platoon, a
# tarball unpacked anywhere) as long as the jar is the same file, same size and modification time.
# Without root (the training needs a namespace) the package has no cache and `platoon up` starts
# slower; nothing else changes.
say "start-up cache: training on a short transfer between two platoons in throwaway namespaces ..."
if "$HERE/aot-train.sh" "$IMAGE/lib/app/platoon.aot" "$IMAGE/bin/platoon"; then
  say "start-up cache: $(du -h "$IMAGE/lib/app/platoon.aot" | cut -f1)"
else
  say "start-up cache: none in this build ('platoon up' starts slower)"
fi

# The tarball's README (how to run it, and what it needs from the system: libcrypto for the native
# cipher, which the .deb declares as a dependency instead); only the tarball carries it.
install -m 0644 "$HERE/tarball-README.txt" "$IMAGE/README.txt"
TARBALL="$OUT/platoon-$MAVEN_VERSION-linux-x64.tar.gz"
tar -C "$WORK/image" --owner=0 --group=0 -czf "$TARBALL" platoon
rm "$IMAGE/README.txt"
echo "$TARBALL"

# --- jpackage: the .deb, then the files jpackage cannot place -------------------------------------
# The native transport cipher loads OpenSSL's libcrypto at run time (libcrypto.so.3, else .so.1.1):
# jpackage cannot see that library in the image, so it is declared here and lands after the
# dependencies jpackage finds itself. Debian 12 and Ubuntu 22.04 call the package libssl3, Debian 13
# and Ubuntu 24.04 libssl3t64 (the 64-bit time_t rename), Debian 11 and Ubuntu 20.04 libssl1.1.
# platoon runs ip(8) for routes, rules and the MTU: iproute2. wg(8) is how most people look at and
# change a running interface (wireguard-tools), and nft(8) makes a full tunnel's anti-spoofing rules
# (nftables): recommended, as platoon runs without them.
DEB_DEPENDS="iproute2, libssl3 | libssl3t64 | libssl1.1"
DEB_RECOMMENDS="wireguard-tools, nftables"
DEB_SUGGESTS="resolvconf"
say "jpackage deb ..."
"$JDK/bin/jpackage" --type deb --app-image "$IMAGE" --name platoon --app-version "$VERSION" \
  --vendor platoon --description "A userspace WireGuard endpoint that moves packets in trains." \
  --linux-package-name platoon --linux-app-category net --linux-deb-maintainer platoon@localhost \
  --linux-package-deps "$DEB_DEPENDS" \
  --resource-dir "$HERE/deb" --install-dir /opt --dest "$WORK/deb"
DEB_IN=$(ls "$WORK"/deb/*.deb)
# jpackage installs only below --install-dir. The unit file and /usr/bin/platoon are added to the
# package itself (not copied by a maintainer script), so that dpkg owns them: `dpkg -S`, removal and
# purge work as for any other file.
dpkg-deb -R "$DEB_IN" "$WORK/debroot"
# jpackage copied the app with new modification times; the start-up cache names the jar by its time.
touch -r "$IMAGE/lib/app/platoon.jar" "$WORK/debroot/opt/platoon/lib/app/platoon.jar"
install -D -m 0644 "$HERE/systemd/platoon@.service" "$WORK/debroot/lib/systemd/system/platoon@.service"
mkdir -p "$WORK/debroot/usr/bin"
ln -s /opt/platoon/bin/platoon "$WORK/debroot/usr/bin/platoon"
# The manual page and the bash completion, made from the command specs by the platoon just packaged.
mkdir -p "$WORK/debroot/usr/share/man/man8" "$WORK/debroot/usr/share/bash-completion/completions"
"$IMAGE/bin/platoon" generate man | gzip -9n > "$WORK/debroot/usr/share/man/man8/platoon.8.gz"
"$IMAGE/bin/platoon" generate bash-completion > "$WORK/debroot/usr/share/bash-completion/completions/platoon"
[ -s "$WORK/debroot/usr/share/bash-completion/completions/platoon" ] || die "platoon generate made no completion"
install -D -m 0644 "$HERE/logrotate/platoon" "$WORK/debroot/etc/logrotate.d/platoon"
echo /etc/logrotate.d/platoon >> "$WORK/debroot/DEBIAN/conffiles"
if [ -f "$WORK/debroot/DEBIAN/md5sums" ]; then
  (cd "$WORK/debroot" && find lib usr etc -type f -exec md5sum {} + >> DEBIAN/md5sums)
fi
CONTROL="$WORK/debroot/DEBIAN/control"
sed -i -e "s/^Version: .*/Version: $DEB_VERSION/" \
       -e "/^Depends:/a Recommends: $DEB_RECOMMENDS\nSuggests: $DEB_SUGGESTS" "$CONTROL"
grep -q "^Version: $DEB_VERSION\$" "$CONTROL" || die "could not set Version: $DEB_VERSION in the .deb"
DEB="$OUT/platoon_${DEB_VERSION}_amd64.deb"
# gzip, not xz: a minute less on a busy 2-core machine for ~10% more bytes.
fakeroot dpkg-deb -Zgzip -z9 --build "$WORK/debroot" "$DEB" >/dev/null
echo "$DEB"
say "done: $(du -h "$TARBALL" | cut -f1) $(basename "$TARBALL"), $(du -h "$DEB" | cut -f1) $(basename "$DEB")"
