#!/usr/bin/env bash
# Webhook benchmark (not a test):
#  1. intake throughput (scripts/bench/intake.lua, as bench-intake.sh), each run on a fresh server:
#     no webhook endpoint, 3 endpoints subscribed to every type, no endpoint again; the ratio of
#     the middle run to the mean of the other two;
#  2. delivery to 3 local receivers, on a fresh server: trusted flaggers' reports that each take a
#     subject down (two messages each), first as fast as they can be filed (deliveries/s; the same
#     load with no endpoint first, for its filing rate), then paced below capacity
#     (commit-to-delivery latency percentiles).
#   scripts/bench-webhooks.sh [seconds] [subjects] [paced reports/s]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
SUBJECTS=${2:-3000}
RATE=${3:-100}
PORT=${VIGIL_BENCH_PORT:-18080}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
echo "building release…"
swift build -c release --product vigil >/dev/null
BIN=$(swift build -c release --show-bin-path)/vigil
export VIGIL_WEBHOOK_ALLOW_HTTP_LOOPBACK=1 VIGIL_REPORTER_RATE_LIMIT=600
PIDS=()
DIRS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "${DIRS[@]}" scripts/bench/webhook_load.py.*.json; }
trap cleanup EXIT

# A fresh server on a fresh data directory; sets DATA, SERVER, KEY (every scope the runs need).
serve_fresh() {
  if [ -n "${SERVER:-}" ]; then kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; fi
  DATA=$(mktemp -d); DIRS+=("$DATA")
  KEY=$("$BIN" keys create --scope subjects:write --scope reports:write --scope reports:trusted --scope webhooks:manage --data-dir "$DATA" 2>/dev/null)
  "$BIN" serve --data-dir "$DATA" --port "$PORT" --log-level warning & SERVER=$!; PIDS+=("$SERVER")
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
}
receivers() {
  for i in 1 2 3; do
    python3 scripts/bench/webhook_receiver.py $((PORT + 10 + i)) "scripts/bench/webhook_load.py.$((PORT + 10 + i)).json" & PIDS+=($!)
  done
  sleep 1
}
subscribe() {
  for i in 1 2 3; do
    curl -sf -X POST "http://127.0.0.1:$PORT/v1/webhooks" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
      -d "{\"url\":\"http://127.0.0.1:$((PORT + 10 + i))/hook\"}" >/dev/null
  done
}
# Sets RPS to the intake throughput on a fresh server with $1 endpoints.
intake() {
  serve_fresh
  if [ "$1" = 3 ]; then subscribe; fi
  python3 scripts/bench/register_subjects.py 127.0.0.1 "$PORT" "$KEY" 10000 >/dev/null
  RPS=$(VIGIL_BENCH_KEY="$KEY" wrk -t2 -c64 -d"${DURATION}s" --latency -s scripts/bench/intake.lua "http://127.0.0.1:$PORT" | awk '/Requests\/sec/ {print $2}')
}

receivers
intake 0; NONE_A=$RPS
intake 3; THREE=$RPS
intake 0; NONE_B=$RPS
echo "== intake, a fresh server each run =="
printf "reports/s, no endpoint       %s\n" "$NONE_A"
printf "reports/s, 3 endpoints       %s\n" "$THREE"
printf "reports/s, no endpoint again %s\n" "$NONE_B"
awk -v a="$NONE_A" -v b="$NONE_B" -v t="$THREE" 'BEGIN {printf "ratio 3 endpoints / none    %.3f\n", t / ((a + b) / 2)}'

echo "== takedowns filed with no endpoint (the same load as below) =="
serve_fresh
python3 scripts/bench/webhook_load.py "$PORT" "$KEY" "$SUBJECTS" "$RATE"
echo "== delivery to 3 endpoints =="
serve_fresh
subscribe
python3 scripts/bench/webhook_load.py "$PORT" "$KEY" "$SUBJECTS" "$RATE" $((PORT + 11)) $((PORT + 12)) $((PORT + 13))
awk '/VmHWM/ {printf "server peak RSS              %.1f MiB\n", $2 / 1024}' /proc/$SERVER/status
