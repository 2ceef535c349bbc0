#!/usr/bin/env bash
# The console in a real browser (headless Chromium through Selenium), against a real server on
# SQLite: see scripts/console/browser_check.py. Screenshots go to $CONSOLE_SHOTS (default: a temporary folder, printed).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromedriver >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; }
VENV=${CONSOLE_VENV:-/tmp/vigil-console-venv}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
# axe-playwright-python for the axe-core script it ships (4.x); Playwright itself is not used.
"$VENV/bin/pip" install -q selenium pyotp
"$VENV/bin/pip" install -q --no-deps axe-playwright-python
swift build --product vigil >/dev/null
BIN=$(swift build --show-bin-path)/vigil
DATA=$(mktemp -d)
SHOTS=${CONSOLE_SHOTS:-$(mktemp -d)}
mkdir -p "$SHOTS"
PORT=${CONSOLE_PORT:-18190}
MEDIA_PORT=$((PORT + 1))
MEDIA_DIR=${CONSOLE_MEDIA_DIR:-../shared/detection-fixtures/pdq-images}
IDLE_SECONDS=40
trap 'kill $SERVER 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DATA"' EXIT
KEY=$("$BIN" keys create --scope subjects:write --scope subjects:read --scope reports:write --scope notices:read --scope appeals:write --data-dir "$DATA" 2>/dev/null)
"$BIN" moderators add console-check --role moderator --data-dir "$DATA" >/dev/null 2>"$DATA/enrol.txt"
ENROL=$(grep -o '/console/enrol/[0-9a-f]*' "$DATA/enrol.txt")
"$BIN" moderators add console-appeals --role appeals --data-dir "$DATA" >/dev/null 2>"$DATA/appeals.txt"
"$BIN" moderators add console-officer --role privacy_officer --data-dir "$DATA" >/dev/null 2>"$DATA/officer.txt"
APPEALS_ENROL=$(grep -o '/console/enrol/[0-9a-f]*' "$DATA/appeals.txt")
OFFICER_ENROL=$(grep -o '/console/enrol/[0-9a-f]*' "$DATA/officer.txt")
"$BIN" moderators add console-admin --role admin --data-dir "$DATA" >/dev/null 2>"$DATA/admin.txt"
ADMIN_ENROL=$(grep -o '/console/enrol/[0-9a-f]*' "$DATA/admin.txt")
# A short idle timeout, so the suite can see a session end; the media host the suite serves.
VIGIL_CONSOLE_IDLE_MINUTES=$(python3 -c "print($IDLE_SECONDS / 60)") VIGIL_CONSOLE_MEDIA_SOURCES="http://127.0.0.1:$MEDIA_PORT" \
  "$BIN" serve --data-dir "$DATA" --port "$PORT" --log-level warning &
SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
"$VENV/bin/python" scripts/console/browser_check.py "http://127.0.0.1:$PORT" "$ENROL" "$KEY" "$SHOTS" "$APPEALS_ENROL" "$OFFICER_ENROL" \
  "$MEDIA_DIR" "$MEDIA_PORT" "$IDLE_SECONDS" "$ADMIN_ENROL"
echo "screenshots: $SHOTS"
