# Sourced by the benchmark scripts: builds release, starts `vigil serve` on a fresh data directory
# with a platform key (KEY) and a moderator token (MOD), and stops it and removes the data on exit.
# Needs PORT set (BENCH_SCOPES: the key's --scope flags, VIGIL_RULES: a rule file); leaves BIN, DATA, SERVER, KEY and MOD set. With VIGIL_DATABASE_URL exported
# (and shared VIGIL_LOOKUP_KEY/VIGIL_SEAL_KEY), NODES=2 starts a second node on PORT+1 (SERVER_B).
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
echo "building release…"
swift build -c release --product vigil >/dev/null
BIN=$(swift build -c release --show-bin-path)/vigil
DATA=$(mktemp -d)
trap 'kill $SERVER ${SERVER_B:-} 2>/dev/null || true; wait 2>/dev/null || true; [ -n "${VIGIL_BENCH_KEEP:-}" ] && echo "data kept in $DATA" || rm -rf "$DATA"; ${BENCH_CLEANUP:-true}' EXIT
KEY=$("$BIN" keys create ${BENCH_SCOPES:---scope subjects:write --scope reports:write} --data-dir "$DATA" 2>/dev/null)
MOD=$("$BIN" moderators add bench --role moderator --data-dir "$DATA" 2>"$DATA/moderator.txt")
# Each benchmark reporter files a handful of reports at most; the default per-reporter limit stays in force.
VIGIL_REPORTER_RATE_LIMIT=600 "$BIN" serve --data-dir "$DATA" --port "$PORT" --log-level warning &
SERVER=$!
if [ "${NODES:-1}" = 2 ]; then
  VIGIL_REPORTER_RATE_LIMIT=600 "$BIN" serve --data-dir "$DATA/b" --port $((PORT + 1)) --log-level warning &
  SERVER_B=$!
fi
for port in $PORT $([ "${NODES:-1}" = 2 ] && echo $((PORT + 1))); do
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
done
