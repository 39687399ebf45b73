#!/usr/bin/env bash
# Regenerates the matrix in docs/interop.md from a run of the interop tests (as root, ~6 minutes):
# every cell is a line "[interop] peer|outer|feature" that a test printed after it checked it.
#
#   docs/interop-matrix.sh           runs the interop tests, then writes the matrix
#   docs/interop-matrix.sh LOG...    writes it from the output of passing runs (./platoon test > LOG)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ge 1 ]; then
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  for f in "$@"; do
    [ -r "$f" ] || { echo "interop-matrix: cannot read the test log $f" >&2; exit 1; }
    grep -q "BUILD SUCCESS" "$f" || { echo "interop-matrix: $f is not the log of a passing run" >&2; exit 1; }
    cat "$f" >> "$log"
  done
else
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  ./platoon test -pl vpn-core -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dit.test='PlatoonPairIT,WireguardGoIT,OuterIpv6IT,DualStackIT,UdpTrainsIT,RekeyIT,RoamingIT,InteropEdgesIT,PeerUnderLoadIT,TapWireguardGoIT' \
    > "$log" 2>&1 || {
    grep -E "Tests run:|FAIL|ERROR" "$log" | tail -20 >&2
    echo "interop-matrix: the tests failed; docs/interop.md is unchanged" >&2
    exit 1
  }
fi
grep -q '^\[interop\] .*0\.0\.20250522' "$log" || \
  echo "interop-matrix: warning: no upstream wireguard-go results in this run (its column stays empty)" >&2
table=$(grep -o '^\[interop\] .*' "$log" | sed 's/^\[interop\] //' | sort -u | sort -s -t'|' -k2,2 -k3,3 | awk -F'|' '
  BEGIN {
    n = split("platoon|wireguard-go 0.0.20220316 (Debian)|wireguard-go 0.0.20250522 (upstream)", peers, "|")
  }
  { key = $2 "|" $3; seen[$1 "|" key] = 1; if (!(key in rows)) { rows[key] = 1; order[++m] = key } }
  END {
    printf "| outer | feature |"; for (i = 1; i <= n; i++) printf " %s |", peers[i]; print ""
    printf "| --- | --- |"; for (i = 1; i <= n; i++) printf " --- |"; print ""
    for (r = 1; r <= m; r++) {
      split(order[r], k, "|"); printf "| %s | %s |", k[1], k[2]
      for (i = 1; i <= n; i++) printf " %s |", ((peers[i] "|" order[r]) in seen) ? "yes" : "–"
      print ""
    }
  }')
awk -v table="$table" '
  /<!-- matrix -->/ { print; print table; skip = 1; next }
  /<!-- \/matrix -->/ { skip = 0 }
  !skip { print }' docs/interop.md > docs/interop.md.new
mv docs/interop.md.new docs/interop.md
echo "interop-matrix: docs/interop.md updated ($(printf '%s\n' "$table" | tail -n +3 | wc -l) rows)"
