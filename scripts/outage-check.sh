#!/usr/bin/env bash
# A node survives its PostgreSQL going away: while the database is down, /readyz fails and requests
# answer 503 with a problem body; when it returns, the node serves again without a restart.
# Needs the cluster started by scripts/postgres-test-cluster.sh (it stops and restarts it).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VIGIL_TEST_POSTGRES_URL:?set VIGIL_TEST_POSTGRES_URL}"
BIN=${VIGIL_BIN:-$(swift build --show-bin-path)/vigil}
PGBIN=/usr/lib/postgresql/15/bin
CLUSTER_PORT=${VIGIL_TEST_POSTGRES_URL##*:}
DATA=$(cat "/tmp/vigil-pg-${CLUSTER_PORT%%/*}/datadir")
AS=(); [ "$(id -u)" = 0 ] && AS=(runuser -u postgres --)
pg() { "${AS[@]}" "$PGBIN/pg_ctl" -D "$DATA" -w "$@" >/dev/null; }
NAME=vigil_outage_$$
psql "$VIGIL_TEST_POSTGRES_URL" -qc "CREATE DATABASE $NAME" >/dev/null
WORK=$(mktemp -d)
PORT=${VIGIL_OUTAGE_PORT:-18310}
cleanup() {
  kill ${NODE:-} 2>/dev/null || true; wait 2>/dev/null || true
  pg status >/dev/null 2>&1 || pg -o "$(cat "$WORK/opts" 2>/dev/null)" start || true
  psql "$VIGIL_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
# The options the cluster was started with, to start it the same way again.
"${AS[@]}" cat "$DATA/postmaster.opts" | sed -e 's/^[^ ]* //' -e 's/"//g' > "$WORK/opts"

export VIGIL_DATABASE_URL="${VIGIL_TEST_POSTGRES_URL%/*}/$NAME" VIGIL_DATABASE_TIMEOUT_SECONDS=2
KEY=$("$BIN" keys create --scope subjects:write --scope reports:write --scope metrics:read --data-dir "$WORK" 2>/dev/null)
"$BIN" serve --port "$PORT" --data-dir "$WORK" --log-level critical & NODE=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
H=(-H "Authorization: Bearer $KEY" -H 'Content-Type: application/json')
report() { curl -s -o "$WORK/body" -w '%{http_code} %{content_type}' -X POST "http://127.0.0.1:$PORT/v1/reports" "${H[@]}" \
  -d "{\"reporter_id\":\"r$1\",\"subject_id\":\"s\",\"reason\":\"spam\"}"; }
fail() { echo "FAIL  $1"; exit 1; }

curl -sf -X PUT "http://127.0.0.1:$PORT/v1/subjects/s" "${H[@]}" -d '{"kind":"video","creator_id":"c"}' >/dev/null || fail "register"
[ "$(report 1 | cut -d' ' -f1)" = 201 ] || fail "a report before the outage"
metric() { curl -sf "http://127.0.0.1:$PORT/metrics" -H "Authorization: Bearer $KEY" | awk -v m="$1" '$1 == m {print $2}'; }
[ "$(metric vigil_database_up)" = 1.0 ] || fail "/metrics reports the database up"
echo "ok    serving before the outage"

pg -m fast stop
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")" = 503 ] || fail "/readyz fails while the database is down"
echo "ok    /readyz answers 503 while the database is down"
[ "$(report 2)" = "503 application/problem+json" ] || fail "a report answers 503 with a problem body (got $(report 2))"
echo "ok    a report answers 503 with a problem body: $(cat "$WORK/body")"
# The key was checked moments ago, so it is still in the node's credential cache.
[ "$(metric vigil_database_up)" = 0.0 ] || fail "/metrics still answers, with vigil_database_up 0"
echo "ok    /metrics answers with vigil_database_up 0"

pg -o "$(cat "$WORK/opts")" start
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")" = 200 ] || fail "/readyz recovers"
[ "$(report 3 | cut -d' ' -f1)" = 201 ] || fail "a report after the database returned"
echo "ok    recovered without a restart"
kill $NODE; wait $NODE 2>/dev/null || true
"$BIN" audit verify --data-dir "$WORK"
echo "outage check passed"
