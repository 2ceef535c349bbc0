#!/usr/bin/env bash
# Bank matching speed (not a test): Vigil's PDQ index (multi-index hashing) at 1M and 10M hashes,
# each query 8 hashes (an image's rotations and flips) at distance 31, against a linear scan of the
# same hashes in the same run; build time, memory per million, latency percentiles, the speed-up,
# and a check that index and scan return the same hashes.
#   scripts/bench-match.sh [sizes...]      (default: 1000000 10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1000000 10000000)
echo "building release…"
swift build -c release --product vigil >/dev/null
BIN=$(swift build -c release --show-bin-path)/vigil
for n in "${SIZES[@]}"; do
  echo "== $n hashes =="
  # The scan is slow at 10M (8 × 10M comparisons a query): fewer scan queries there.
  scans=$(( n >= 5000000 ? 10 : 40 ))
  "$BIN" hash bench-match --hashes "$n" --queries 2000 --scan-queries "$scans"
done
