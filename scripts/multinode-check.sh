#!/usr/bin/env bash
# Two Vigil nodes on one PostgreSQL database behave as one service: concurrent reports (with
# cross-node duplicates and idempotency retries) and claims at both nodes, then the checks:
# every acknowledged report stored exactly once, no case held by two moderators, one valid chain;
# then a hash list imported from the command line reaches both nodes' bank indexes within seconds.
# Needs VIGIL_TEST_POSTGRES_URL (as set by scripts/postgres-test-cluster.sh) and a built vigil.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VIGIL_TEST_POSTGRES_URL:?set VIGIL_TEST_POSTGRES_URL}"
BIN=${VIGIL_BIN:-$(swift build --show-bin-path)/vigil}
[ -x "$BIN" ] || swift build --product vigil >/dev/null
NAME=vigil_multinode_$$
psql "$VIGIL_TEST_POSTGRES_URL" -qc "CREATE DATABASE $NAME" >/dev/null
URL="${VIGIL_TEST_POSTGRES_URL%/*}/$NAME"
WORK=$(mktemp -d)
cleanup() {
  kill ${NODE_A:-} ${NODE_B:-} 2>/dev/null || true; wait 2>/dev/null || true
  psql "$VIGIL_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Both nodes must hash and seal reporter ids with the same keys.
export VIGIL_LOOKUP_KEY=$(head -c 32 /dev/urandom | base64) VIGIL_SEAL_KEY=$(head -c 32 /dev/urandom | base64)
# A settle period of three seconds, so both nodes race to settle the takedowns while the check runs.
export VIGIL_DATABASE_URL=$URL VIGIL_REPORTER_RATE_LIMIT=1000 VIGIL_SETTLE_MINUTES=0.05
KEY=$("$BIN" keys create --scope subjects:write --scope reports:write --data-dir "$WORK/a" 2>/dev/null)
for i in 1 2 3 4 5 6; do "$BIN" moderators add "mod-$i" --role moderator --data-dir "$WORK/a" 2>/dev/null; done > "$WORK/tokens"
PORT_A=${VIGIL_MULTINODE_PORT:-18300}; PORT_B=$((PORT_A + 1))
"$BIN" serve --port "$PORT_A" --data-dir "$WORK/a" --log-level warning & NODE_A=$!
"$BIN" serve --port "$PORT_B" --data-dir "$WORK/b" --log-level warning & NODE_B=$!
for port in $PORT_A $PORT_B; do
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
done

python3 scripts/multinode/drive.py "$PORT_A" "$PORT_B" "$KEY" "$WORK/tokens" > "$WORK/result.json"
python3 scripts/multinode/settle.py "$PORT_A" "$PORT_B" "$KEY" 30 > "$WORK/settle.json"
# Both maintenance services sweep every five seconds: let each have its turns.
sleep 12
python3 - "$WORK/result.json" "$URL" "$WORK/settle.json" <<'PY'
import json, subprocess, sys
result = json.load(open(sys.argv[1])); url = sys.argv[2]
def sql(q): return subprocess.run(["psql", url, "-Atc", q], capture_output=True, text=True, check=True).stdout.split()
failed = []
def check(name, ok, detail=""):
    print(("ok    " if ok else "FAIL  ") + name + (f": {detail}" if detail and not ok else ""))
    if not ok: failed.append(name)
acks = result["acks"]
check("no request failed", not result["failures"], result["failures"][:3])
received = {a[1] for a in acks if a[5] == "received"}
stored = sql("SELECT id FROM reports")
check("every acknowledged report is stored", received <= set(stored), len(received - set(stored)))
check("each report stored once", len(stored) == len(set(stored)))
pairs = sql("SELECT subject_id || '/' || reporter_hash FROM reports")
check("one report per reporter and subject", len(pairs) == len(set(pairs)))
by_pair = {}
for status, rid, reporter, subject, idem, kind in acks:
    by_pair.setdefault((reporter, subject), set()).add(rid)
check("duplicates across nodes answer with the first report", all(len(ids) == 1 for ids in by_pair.values()),
      [k for k, v in by_pair.items() if len(v) > 1][:3])
driven = set(sql("SELECT id FROM reports WHERE subject_id NOT LIKE 'settle-%'"))
check("every stored report was acknowledged", driven <= {a[1] for a in acks}, len(driven - {a[1] for a in acks}))
claims = result["claims"]
holders = {}
for token, case_id, expires in claims:
    holders.setdefault(case_id, set()).add(token)
check("no case claimed by two moderators", all(len(h) == 1 for h in holders.values()), [c for c, h in holders.items() if len(h) > 1][:3])
check("moderators raced for cases", len(claims) >= 20, len(claims))
check("a lease holds at both nodes", result["lease_conflicts"] == [409, 409], result["lease_conflicts"])
settling = json.load(open(sys.argv[3]))
listed = "'" + "','".join(settling) + "'"
down = sql(f"SELECT id FROM subjects WHERE state = 'pending_review' AND id IN ({listed})")
check("every corroborated takedown was carried out after its settle period", len(down) == len(settling), f"{len(down)} of {len(settling)}")
changes = sql(f"SELECT subject_id FROM audit_events WHERE type = 'subject.state_changed' AND subject_id IN ({listed})")
check("each takedown settled once across the nodes", sorted(changes) == sorted(settling), f"{len(changes)} state changes")
pending = sql(f"SELECT COUNT(*) FROM cases WHERE takedown_due_at IS NOT NULL AND subject_id IN ({listed})")
check("no takedown left waiting", pending == ["0"], pending)
print(f"{len(acks)} acknowledgements, {len(stored)} reports stored, {len(claims)} claims, {len(down)} takedowns settled")
sys.exit(1 if failed else 0)
PY
# Hash banks: a list imported through the command line (a third process on the same database) is
# in both nodes' in-memory indexes within seconds.
ADMIN=$("$BIN" moderators add bank-admin --role admin --data-dir "$WORK/a" 2>/dev/null)
"$BIN" banks import partner-list ../shared/detection-fixtures/pdq-hashlists/haystack.txt --data-dir "$WORK/a" >/dev/null
python3 - "$PORT_A" "$PORT_B" "$ADMIN" <<'PY'
import json, sys, time, urllib.request
ports, token = sys.argv[1:3], sys.argv[3]
def indexed(port):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/mod/banks", headers={"Authorization": f"Bearer {token}"})
    body = json.load(urllib.request.urlopen(request))
    bank = next(b for b in body["banks"] if b["name"] == "partner-list")
    return body["index"]["hashes"], bank["hashes"]
start = time.monotonic()
while time.monotonic() - start < 10:
    seen = [indexed(port) for port in ports]
    if all(memory == stored > 0 for memory, stored in seen):
        print(f"ok    both nodes hold the imported bank in memory ({seen[0][1]} hashes) after {time.monotonic() - start:.1f} s")
        break
    time.sleep(0.2)
else:
    print(f"FAIL  the nodes' indexes did not follow the import within 10 s: {seen}")
    sys.exit(1)
PY
"$BIN" audit verify --data-dir "$WORK/a"
echo "multi-node check passed"
