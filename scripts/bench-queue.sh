#!/usr/bin/env bash
# Review benchmark (not a test): with N open cases (default 100,000), the latency and throughput of
# reading the queue and of claiming the next case, against GET /healthz on the same server.
#   scripts/bench-queue.sh [open-cases]
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-100000}
PORT=${VIGIL_BENCH_PORT:-18090}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
echo "building release…"
swift build -c release --product vigil >/dev/null
BIN=$(swift build -c release --show-bin-path)/vigil
DATA=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT

KEY=$("$BIN" keys create --scope subjects:write --scope reports:write --data-dir "$DATA" 2>/dev/null)
MOD=$("$BIN" moderators add bench --role moderator --data-dir "$DATA" 2>/dev/null)
VIGIL_REPORTER_RATE_LIMIT=600 "$BIN" serve --data-dir "$DATA" --port "$PORT" --log-level warning &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done

START=$(date +%s)
python3 scripts/bench/seed_cases.py 127.0.0.1 "$PORT" "$KEY" "$CASES"
echo "seeded in $(( $(date +%s) - START )) s"

H="Authorization: Bearer $MOD"
measure() {  # name, wrk arguments…
  local name=$1; shift
  local out
  out=$(wrk -t2 -c8 -d10s --latency -H "$H" "$@")
  printf "%-28s %10s req/s   p50 %-9s p99 %s\n" "$name" \
    "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(echo "$out" | awk '$1 == "50%" {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')"
  echo "$out" | grep -E "Non-2xx" || true
}
echo
echo "== $CASES open cases, 8 connections, 10 s each =="
measure "GET /healthz (baseline)" "http://127.0.0.1:$PORT/healthz"
measure "GET /v1/mod/queue" "http://127.0.0.1:$PORT/v1/mod/queue?limit=50"
measure "GET /v1/mod/queue?kind=live" "http://127.0.0.1:$PORT/v1/mod/queue?limit=50&kind=live"
measure "GET queue?claimed=false" "http://127.0.0.1:$PORT/v1/mod/queue?limit=50&claimed=false"
measure "POST /v1/mod/queue/next" -s scripts/bench/post.lua "http://127.0.0.1:$PORT/v1/mod/queue/next"
awk '/VmHWM/ {printf "server peak RSS             %.1f MiB\n", $2 / 1024}' /proc/$SERVER/status
echo "audit log                  $("$BIN" audit verify --data-dir "$DATA" 2>/dev/null || true)"
