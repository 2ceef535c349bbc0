#!/usr/bin/env bash
# Intake benchmark (not a test): reports/s, latency percentiles and peak memory of POST /v1/reports
# with durable commits, against GET /healthz on the same server in the same run.
#   scripts/bench-intake.sh [seconds]        (default 15 s of intake load, 10 s of healthz)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONNECTIONS=64
PORT=${VIGIL_BENCH_PORT:-18080}

source scripts/bench/server.sh

python3 scripts/bench/register_subjects.py 127.0.0.1 "$PORT" "$KEY" 10000

echo "intake: wrk -t2 -c$CONNECTIONS -d${DURATION}s POST /v1/reports"
INTAKE=$(VIGIL_BENCH_KEY="$KEY" wrk -t2 -c$CONNECTIONS -d"${DURATION}s" --latency -s scripts/bench/intake.lua "http://127.0.0.1:$PORT")
echo "$INTAKE" | grep -E "Requests/sec|Latency|50%|99%|wrk:|Non-2xx" || true

echo "baseline: wrk -t2 -c$CONNECTIONS -d10s GET /healthz"
HEALTH=$(wrk -t2 -c$CONNECTIONS -d10s --latency "http://127.0.0.1:$PORT/healthz")
echo "$HEALTH" | grep -E "Requests/sec|50%|99%" || true

RSS_KB=$(awk '/VmHWM/ {print $2}' /proc/$SERVER/status)
STORED=$("$BIN" audit verify --data-dir "$DATA" 2>/dev/null || true)

rate() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
pct() { echo "$1" | awk -v p="$2" '$1 == p {print $2}'; }
INTAKE_RPS=$(rate "$INTAKE"); HEALTH_RPS=$(rate "$HEALTH")
echo
echo "== results =="
printf "reports/s            %s\n" "$INTAKE_RPS"
printf "intake latency       p50 %s  p99 %s\n" "$(pct "$INTAKE" 50%)" "$(pct "$INTAKE" 99%)"
printf "healthz/s            %s  (p50 %s, p99 %s)\n" "$HEALTH_RPS" "$(pct "$HEALTH" 50%)" "$(pct "$HEALTH" 99%)"
awk -v kb="$RSS_KB" 'BEGIN {printf "server peak RSS      %.1f MiB\n", kb / 1024}'
awk -v a="$INTAKE_RPS" -v b="$HEALTH_RPS" 'BEGIN {printf "ratio intake/healthz %.3f\n", a / b}'
echo "audit log            $STORED"
