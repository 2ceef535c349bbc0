#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster for the tests (installing the server if it is missing)
# and prints its URL. Usage: export VIGIL_TEST_POSTGRES_URL=$(scripts/postgres-test-cluster.sh)
# Tests run it with fsync off (nothing in it outlives the run); VIGIL_PG_FSYNC=on gives a durable
# cluster for benchmarks. VIGIL_TEST_POSTGRES_PORT picks the port (default 55432). The cluster
# offers TLS with a throwaway CA kept in /tmp/vigil-pg-PORT/ca.crt.
# Stop it with: pg_ctl -D "$(cat /tmp/vigil-pg-PORT/datadir)" stop  (as the postgres user)
set -euo pipefail
PORT=${VIGIL_TEST_POSTGRES_PORT:-55432}
BIN=/usr/lib/postgresql/15/bin
if [ ! -x "$BIN/initdb" ] || ! command -v openssl >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 openssl) >&2
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
# TLS, so the tests can connect with every sslmode: a throwaway CA ($STATE/ca.crt, which tests
# pass as sslrootcert) signs a certificate for 127.0.0.1 and localhost.
TLS=$(mktemp -d)
openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=Vigil test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$TLS/ca.key" -out "$TLS/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$TLS/server.key" -out "$TLS/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$TLS/ext"
openssl x509 -req -in "$TLS/server.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" -CAcreateserial -days 7 \
  -extfile "$TLS/ext" -out "$TLS/server.crt" 2>/dev/null
cp "$TLS/server.crt" "$TLS/server.key" "$DATA/"
chmod 600 "$DATA/server.key"
[ "$(id -u)" = 0 ] && chown postgres "$DATA/server.crt" "$DATA/server.key"
cp "$TLS/ca.crt" "$STATE/ca.crt"; chmod 644 "$STATE/ca.crt"
rm -rf "$TLS"
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" -o "-p $PORT -k $STATE -c listen_addresses=127.0.0.1 -c max_connections=1000 -c fsync=$FSYNC -c ssl=on -c ssl_cert_file=$DATA/server.crt -c ssl_key_file=$DATA/server.key" -l "$DATA/log" -w start >&2
echo "$DATA" > "$STATE/datadir"
echo "postgres://vigil@127.0.0.1:$PORT/postgres"
