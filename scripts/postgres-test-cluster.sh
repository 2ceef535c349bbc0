#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster for the tests (installing the server if it is missing)
# and prints its URL. Usage: export VIGIL_TEST_POSTGRES_URL=$(scripts/postgres-test-cluster.sh)
# Tests run it with fsync off (nothing in it outlives the run); VIGIL_PG_FSYNC=on gives a durable
# cluster for benchmarks. VIGIL_TEST_POSTGRES_PORT picks the port (default 55432).
# Stop it with: pg_ctl -D "$(cat /tmp/vigil-pg-PORT/datadir)" stop  (as the postgres user)
set -euo pipefail
PORT=${VIGIL_TEST_POSTGRES_PORT:-55432}
BIN=/usr/lib/postgresql/15/bin
if [ ! -x "$BIN/initdb" ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15) >&2
fi
RUN_AS=()
if [ "$(id -u)" = 0 ]; then RUN_AS=(runuser -u postgres --); fi
FSYNC=${VIGIL_PG_FSYNC:-off}
STATE=/tmp/vigil-pg-$PORT
mkdir -p "$STATE"; chmod 777 "$STATE"
DATA=$(mktemp -d "$STATE/data.XXXXXX")
[ "$(id -u)" = 0 ] && chown postgres "$DATA"
# C locale: text ids order by their bytes, as on SQLite.
"${RUN_AS[@]}" "$BIN/initdb" -D "$DATA" --locale=C --encoding=UTF8 -A trust -U vigil >&2
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" -o "-p $PORT -k $STATE -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=$FSYNC" -l "$DATA/log" -w start >&2
echo "$DATA" > "$STATE/datadir"
echo "postgres://vigil@127.0.0.1:$PORT/postgres"
