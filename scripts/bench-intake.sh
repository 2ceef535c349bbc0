#!/usr/bin/env bash
# Intake benchmark (not a test): reports/s, latency percentiles and peak memory of POST /v1/reports
# with durable commits, against GET /healthz on the same server in the same run.
#   scripts/bench-intake.sh [seconds] [sqlite|postgres|postgres2]
# (default 15 s of intake load, 10 s of healthz; postgres2 = two nodes on one database, half the
# connections each; the PostgreSQL modes start their own durable cluster, fsync on.)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
MODE=${2:-sqlite}
CONNECTIONS=64
PORT=${VIGIL_BENCH_PORT:-18080}
NODES=1
case "$MODE" in
  sqlite) ;;
  postgres|postgres2)
    PGURL=$(VIGIL_PG_FSYNC=on VIGIL_TEST_POSTGRES_PORT=55433 scripts/postgres-test-cluster.sh 2>/dev/null)
    psql "$PGURL" -qc "CREATE DATABASE vigil_bench" >/dev/null
    export VIGIL_DATABASE_URL="${PGURL%/*}/vigil_bench" VIGIL_DATABASE_POOL_SIZE=16
    export VIGIL_LOOKUP_KEY=$(head -c 32 /dev/urandom | base64) VIGIL_SEAL_KEY=$(head -c 32 /dev/urandom | base64)
    BENCH_CLEANUP="eval runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D $(cat /tmp/vigil-pg-55433/datadir) -m fast stop >/dev/null"
    [ "$MODE" = postgres2 ] && NODES=2 ;;
  *) echo "mode must be sqlite, postgres or postgres2" >&2; exit 2 ;;
esac
echo "mode: $MODE ($NODES node(s))"

source scripts/bench/server.sh

python3 scripts/bench/register_subjects.py 127.0.0.1 "$PORT" "$KEY" 10000

echo "intake: wrk -t2 -c$CONNECTIONS -d${DURATION}s POST /v1/reports"
if [ "$NODES" = 2 ]; then
  # Half the connections at each node, at once; each wrk walks its own reporters.
  VIGIL_BENCH_KEY="$KEY" VIGIL_BENCH_OFFSET=0 wrk -t1 -c$((CONNECTIONS / 2)) -d"${DURATION}s" --latency -s scripts/bench/intake.lua "http://127.0.0.1:$PORT" > "$DATA/wrk-a" &
  WRK_A=$!
  VIGIL_BENCH_KEY="$KEY" VIGIL_BENCH_OFFSET=50000 wrk -t1 -c$((CONNECTIONS / 2)) -d"${DURATION}s" --latency -s scripts/bench/intake.lua "http://127.0.0.1:$((PORT + 1))" > "$DATA/wrk-b"
  wait "$WRK_A"
  INTAKE=$(cat "$DATA/wrk-a"); INTAKE_B=$(cat "$DATA/wrk-b")
  echo "node A:"; echo "$INTAKE" | grep -E "Requests/sec|50%|99%|wrk:|Non-2xx" || true
  echo "node B:"; echo "$INTAKE_B" | grep -E "Requests/sec|50%|99%|wrk:|Non-2xx" || true
else
  INTAKE=$(VIGIL_BENCH_KEY="$KEY" wrk -t2 -c$CONNECTIONS -d"${DURATION}s" --latency -s scripts/bench/intake.lua "http://127.0.0.1:$PORT")
  echo "$INTAKE" | grep -E "Requests/sec|Latency|50%|99%|wrk:|Non-2xx" || true
fi

echo "baseline: wrk -t2 -c$CONNECTIONS -d10s GET /healthz"
HEALTH=$(wrk -t2 -c$CONNECTIONS -d10s --latency "http://127.0.0.1:$PORT/healthz")
echo "$HEALTH" | grep -E "Requests/sec|50%|99%" || true

RSS_KB=$(awk '/VmHWM/ {print $2}' /proc/$SERVER/status)
STORED=$("$BIN" audit verify --data-dir "$DATA" 2>&1 || true)

rate() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
pct() { echo "$1" | awk -v p="$2" '$1 == p {print $2}'; }
INTAKE_RPS=$(rate "$INTAKE"); HEALTH_RPS=$(rate "$HEALTH")
[ "$NODES" = 2 ] && INTAKE_RPS=$(awk -v a="$INTAKE_RPS" -v b="$(rate "$INTAKE_B")" 'BEGIN {print a + b}')
echo
echo "== results =="
printf "mode                 %s, %s node(s)\n" "$MODE" "$NODES"
printf "reports/s            %s\n" "$INTAKE_RPS"
printf "intake latency       p50 %s  p99 %s\n" "$(pct "$INTAKE" 50%)" "$(pct "$INTAKE" 99%)"
printf "healthz/s            %s  (p50 %s, p99 %s)\n" "$HEALTH_RPS" "$(pct "$HEALTH" 50%)" "$(pct "$HEALTH" 99%)"
awk -v kb="$RSS_KB" 'BEGIN {printf "server peak RSS      %.1f MiB\n", kb / 1024}'
awk -v a="$INTAKE_RPS" -v b="$HEALTH_RPS" 'BEGIN {printf "ratio intake/healthz %.3f\n", a / b}'
echo "audit log            $STORED"
