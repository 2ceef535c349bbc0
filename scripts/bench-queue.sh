#!/usr/bin/env bash
# Review benchmark (not a test): with N open cases (default 100,000), the latency and throughput of
# reading the queue and of claiming the next case, against GET /healthz on the same server.
#   scripts/bench-queue.sh [open-cases]
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-100000}
PORT=${VIGIL_BENCH_PORT:-18090}

source scripts/bench/server.sh

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
