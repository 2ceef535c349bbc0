#!/usr/bin/env bash
# Webhook reliability checks (issue: signed webhooks with an outbox), run by CI on every submission:
#   crash on SQLite (several SIGKILL rounds on one data directory) and, when VIGIL_TEST_POSTGRES_URL
#   is set, once on PostgreSQL; then the receiver down for 60 s under load. Each prints its figures;
#   any lost or unverified message, or one delivered under two ids, fails the script.
# The receiver verifies signatures with the PyPI package standardwebhooks, not with Vigil's code.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${WEBHOOK_VENV:-.build/webhook-venv}
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import standardwebhooks" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "standardwebhooks==1.1.0"
fi
swift build --product vigil >/dev/null
BIN=$(swift build --show-bin-path)/vigil
ROUNDS=${WEBHOOK_CRASH_ROUNDS:-3}

python3 scripts/webhooks/check.py crash --bin "$BIN" --venv "$VENV" --rounds "$ROUNDS" --port 18420
if [ -n "${VIGIL_TEST_POSTGRES_URL:-}" ]; then
  NAME=vigil_webhooks_$$
  psql "$VIGIL_TEST_POSTGRES_URL" -qc "CREATE DATABASE $NAME" >/dev/null
  trap 'psql "$VIGIL_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
  python3 scripts/webhooks/check.py crash --bin "$BIN" --venv "$VENV" --rounds 1 --port 18430 --database-url "${VIGIL_TEST_POSTGRES_URL%/*}/$NAME"
fi
python3 scripts/webhooks/check.py down --bin "$BIN" --venv "$VENV" --port 18440 --down-seconds "${WEBHOOK_DOWN_SECONDS:-60}"
