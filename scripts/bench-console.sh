#!/usr/bin/env bash
# Console benchmark (not a test): with N open cases (default 100,000), the latency of the console's
# queue page and case page for a signed-in moderator, against GET /healthz on the same server.
#   scripts/bench-console.sh [open-cases]
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-100000}
PORT=${VIGIL_BENCH_PORT:-18095}

source scripts/bench/server.sh

START=$(date +%s)
python3 scripts/bench/seed_cases.py 127.0.0.1 "$PORT" "$KEY" "$CASES"
echo "seeded in $(( $(date +%s) - START )) s"

ENROL=$(grep -o '/console/enrol/[0-9a-f]*' "$DATA/moderator.txt")
COOKIE=$(python3 scripts/bench/console_session.py 127.0.0.1 "$PORT" "$ENROL")
# 2,000 case ids from across the queue, for the case page.
python3 - "$PORT" "$MOD" > "$DATA/cases.txt" <<'PY'
import http.client, json, sys, urllib.parse
port, token = int(sys.argv[1]), sys.argv[2]
conn = http.client.HTTPConnection("127.0.0.1", port)
cursor, ids = None, []
while len(ids) < 2000:
    path = "/v1/mod/queue?limit=100" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    page = json.loads(conn.getresponse().read())
    ids += [c["case_id"] for c in page["cases"]]
    cursor = page.get("next_cursor")
    if not cursor:
        break
print("\n".join(ids))
PY
echo "case ids sampled: $(wc -l < "$DATA/cases.txt")"

measure() {  # name, wrk arguments…
  local name=$1; shift
  local out
  out=$(wrk -t2 -c8 -d15s --latency "$@")
  printf "%-34s %9s req/s   p50 %-9s p90 %-9s p99 %s\n" "$name" \
    "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(echo "$out" | awk '$1 == "50%" {print $2}')" \
    "$(echo "$out" | awk '$1 == "90%" {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')"
  echo "$out" | grep -E "Non-2xx" || true
}
echo
echo "== $CASES open cases, 8 connections, 15 s each =="
measure "GET /healthz (baseline)" "http://127.0.0.1:$PORT/healthz"
measure "GET /v1/mod/queue (API, same page)" -H "Authorization: Bearer $MOD" "http://127.0.0.1:$PORT/v1/mod/queue?limit=50"
measure "GET /console (queue page)" -H "Cookie: vigil_console=$COOKIE" "http://127.0.0.1:$PORT/console"
measure "GET /console?kind=live&category=…" -H "Cookie: vigil_console=$COOKIE" "http://127.0.0.1:$PORT/console?kind=live&category=child_safety"
measure "GET /console/queue/rows (refresh)" -H "Cookie: vigil_console=$COOKIE" "http://127.0.0.1:$PORT/console/queue/rows"
CONSOLE_CASES="$DATA/cases.txt" CONSOLE_COOKIE="$COOKIE" measure "GET /console/cases/{id} (random)" -s scripts/bench/console_case.lua "http://127.0.0.1:$PORT"
awk '/VmHWM/ {printf "server peak RSS                    %.1f MiB\n", $2 / 1024}' /proc/$SERVER/status
