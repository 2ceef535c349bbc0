#!/usr/bin/env bash
# The API contract, checked by a real third-party client: schemathesis generates requests from
# /openapi.json (valid ones, which must be accepted, and invalid ones, which must be refused),
# sends them to a running Vigil and checks every answer against the document: status codes,
# content types, headers, response schemas, no 5xx, 405 with Allow for other methods. Once with a
# platform key holding every scope, once with an admin moderator token for /v1/mod. Any failure
# fails the script. Settings in schemathesis.toml (the refusals no schema can express).
set -euo pipefail
cd "$(dirname "$0")/.."
EXAMPLES=${CONTRACT_EXAMPLES:-60}
SEED=${CONTRACT_SEED:-2026}
PORT=${CONTRACT_PORT:-18390}
VENV=${CONTRACT_VENV:-.build/contract-venv}

if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==4.32.5"
fi
swift build --product vigil >/dev/null
BIN=$(swift build --show-bin-path)/vigil
DATA=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DATA"' EXIT
SCOPES=""
for scope in subjects:write subjects:read reports:write reports:read reports:trusted notices:read events:read appeals:write metrics:read webhooks:manage signals:write; do
  SCOPES="$SCOPES --scope $scope"
done
KEY=$("$BIN" keys create $SCOPES --data-dir "$DATA" 2>/dev/null)
MOD=$("$BIN" moderators add contract-admin --role admin --data-dir "$DATA" 2>/dev/null)
"$BIN" serve --data-dir "$DATA" --port "$PORT" --log-level warning &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done

# Something to find: subjects, reports that open cases, a decision and an appeal.
api() { curl -sf -X "$1" "http://127.0.0.1:$PORT$2" -H "Authorization: Bearer $3" ${4:+-H 'Content-Type: application/json' -d "$4"} >/dev/null; }
for i in 0 1 2; do
  api PUT "/v1/subjects/0$i" "$KEY" "{\"kind\":\"video\",\"creator_id\":\"0\",\"reach\":{\"views\":$i}}"
  for r in a b c; do api POST /v1/reports "$KEY" "{\"reporter_id\":\"$r$i\",\"subject_id\":\"0$i\",\"reason\":\"hate_speech\"}"; done
done
# A signal, so that the rules' figures and a case's detection section have something in them.
api POST /v1/subjects/00/signals "$KEY" '{"signals":[{"id":"s0","source":"platform","type":"classifier","label":"nudity","score":0.5,"model":"m"}]}'
CASE=$(curl -sf -X POST "http://127.0.0.1:$PORT/v1/mod/queue/next" -H "Authorization: Bearer $MOD" | sed 's/.*"case_id":"\([^"]*\)".*/\1/')
api POST "/v1/mod/cases/$CASE/decision" "$MOD" '{"outcome":"violation","policy_ids":["hate_speech"],"action":"remove","strike":true,"note":"seen"}'

status=0
run() {
  local name=$1; shift
  echo "contract: $name"
  if ! "$VENV/bin/schemathesis" run "http://127.0.0.1:$PORT/openapi.json" --checks all --seed "$SEED" -n "$EXAMPLES" \
       --no-color --workers 1 --output-truncate false "$@" > "$DATA/$name.log" 2>&1; then
    status=1
    sed -n '/^=* \(FAILURES\|ERRORS\) =*$/,/^=* SUMMARY =*$/p' "$DATA/$name.log" | cut -c1-3000 | head -150
  fi
  grep -E "^Test cases:|generated|^=+ .* =+$" "$DATA/$name.log" | tail -2
}
run platform -H "Authorization: Bearer $KEY" --exclude-path-regex '^/v1/mod'
run moderator -H "Authorization: Bearer $MOD" --include-path-regex '^/v1/mod'
[ "$status" = 0 ] && echo "contract check passed" || echo "contract check FAILED"
exit "$status"
