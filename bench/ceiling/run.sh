#!/bin/bash
# bench/ceiling/run.sh [tunnel-bench options]
#
# How fast could the tunnel go here if the cipher cost nothing? Runs the tunnel benchmark with one more
# contender, "platoon-null-cipher": platoon with seal and open replaced by nothing (null-cipher.patch),
# beside platoon itself, raw veth and wireguard-go, in alternation as always. The patched tree is a
# throw-away clone of this repository's HEAD (commit what you want measured) in a temp directory,
# deleted on exit: a build that sends plaintext never exists outside it. Needs root, like ./platoon bench.
# Defaults: --only raw,platoon,platoon-null,wireguard-go --no-docs (the page is not rewritten).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/platoon-ceiling.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
git clone -q "$ROOT" "$WORK/src"
git -C "$WORK/src" apply "$ROOT/bench/ceiling/null-cipher.patch" || {
  echo "ceiling: null-cipher.patch no longer applies to HEAD; redo its four small changes (its header) in a clone and save 'git diff' over it" >&2
  exit 1
}
echo "ceiling: $(git -C "$ROOT" rev-parse --short HEAD) + null-cipher.patch in $WORK/src" >&2
cd "$WORK/src"
./platoon bench --only raw,platoon,platoon-null,wireguard-go --no-docs "$@"
