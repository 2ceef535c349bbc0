#!/usr/bin/env bash
# Detection benchmark (not a test): a signal to a decided automated action. Each request posts one
# classifier signal to a fresh subject; a live rule takes it down pending review (state, event,
# case, statement of reasons, rule match, committed) before the answer. Baselines in the same run:
# signals that match no rule (recorded and evaluated, nothing to do) and GET /healthz. Prints
# requests/s, client-side p50/p99, the server-side p99 bound from its own latency histogram (the
# in-process figure), peak RSS, and the ratios.
#   scripts/bench-detection.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNECTIONS=${2:-8}
THREADS=$(( CONNECTIONS < 2 ? 1 : 2 ))
PORT=${VIGIL_BENCH_PORT:-18095}
SUBJECTS=80000
RULES=$(mktemp)
cat > "$RULES" <<'YAML'
version: bench
rules:
  - id: nudity-suppress
    policy: nudity
    action: suppress
    mode: live
    when: {signal: {type: classifier, label: nudity, score_at_least: 0.7}}
  - id: nudity-takedown
    policy: nudity
    action: pending_review
    mode: live
    when: {signal: {type: classifier, label: nudity, score_at_least: 0.9}}
  - id: known-match
    policy: child_safety
    action: remove
    mode: live
    when: {signal: {type: hash_match, label: confirmed-removals, distance_at_most: 31}}
YAML
export VIGIL_RULES=$RULES
BENCH_SCOPES="--scope subjects:write --scope signals:write --scope metrics:read"
source scripts/bench/server.sh
python3 scripts/bench/register_subjects.py 127.0.0.1 "$PORT" "$KEY" "$SUBJECTS"

# The server's own histograms: the detection path in-process (signals received to outcome
# committed), read before and after each run, so each run's p50 and p99 bounds are its own.
snapshot() { curl -sf "http://127.0.0.1:$PORT/metrics" -H "Authorization: Bearer $KEY" > "$DATA/metrics-$1"; }
in_process() {  # name, before, after
  python3 - "$DATA/metrics-$2" "$DATA/metrics-$3" "$1" <<'PY'
import re, sys
def buckets(path):
    found = {}
    for line in open(path):
        m = re.match(r'vigil_detection_duration_seconds_bucket\{.*le="([^"]+)".*\} (\S+)', line)
        if m:
            found[float("inf") if m.group(1) == "+Inf" else float(m.group(1))] = float(m.group(2))
    return found
before, after = buckets(sys.argv[1]), buckets(sys.argv[2])
delta = {le: after[le] - before.get(le, 0) for le in after}
total = delta.get(float("inf"), 0)
bound = lambda q: next(le for le in sorted(delta) if delta[le] >= q * total)
if total:
    print(f"  in-process ({sys.argv[3]}): p50 <= {bound(0.5) * 1000:g} ms, p99 <= {bound(0.99) * 1000:g} ms over {int(total)} signals")
PY
}

run() {  # name, first subject, score
  local out
  out=$(VIGIL_BENCH_KEY="$KEY" VIGIL_BENCH_FIRST=$2 VIGIL_BENCH_SCORE=$3 wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s scripts/bench/signals.lua "http://127.0.0.1:$PORT")
  printf "%-34s %9s req/s   p50 %-9s p99 %s\n" "$1" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$out" | awk '$1 == "50%" {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')"
  echo "$out" | grep -E "Non-2xx" || true
  echo "$out" | awk '/Requests\/sec/ {print $2}' > "$DATA/$4"
}
echo "== signals, $CONNECTIONS connections, ${DURATION} s each =="
snapshot 0
run "signal -> takedown pending review" 0 0.95 acting
snapshot 1
in_process "takedowns" 0 1
run "signal matching no rule" 25000 0.1 idle
snapshot 2
in_process "no match" 1 2
HEALTH=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/healthz")
printf "%-34s %9s req/s   p50 %-9s p99 %s\n" "GET /healthz (baseline)" "$(echo "$HEALTH" | awk '/Requests\/sec/ {print $2}')" \
  "$(echo "$HEALTH" | awk '$1 == "50%" {print $2}')" "$(echo "$HEALTH" | awk '$1 == "99%" {print $2}')"
echo "$HEALTH" | awk '/Requests\/sec/ {print $2}' > "$DATA/health"

RSS_KB=$(awk '/VmHWM/ {print $2}' /proc/$SERVER/status)
echo "server peak RSS                    $((RSS_KB / 1024)) MiB"
python3 - "$DATA" <<'PY'
import sys, pathlib
d = pathlib.Path(sys.argv[1])
acting, idle, health = (float((d / n).read_text()) for n in ("acting", "idle", "health"))
print(f"ratio acting/idle signals          {acting / idle:.2f}")
print(f"ratio acting signals/healthz       {acting / health:.3f}")
PY
echo "audit log                          $("$BIN" audit verify --data-dir "$DATA" 2>/dev/null || true)"
rm -f "$RULES"
