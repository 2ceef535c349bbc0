"""Delivery benchmark load: registers subjects, then files one trusted flagger's report on each
(each takes its subject down: a state change and a creator notice, two outbox messages), records
when each report was acknowledged (after its commit), and reads from the receivers when each
message arrived. Two runs: as fast as reports can be filed (deliveries per second), then paced at
RATE reports/s (commit-to-delivery latency, below capacity).
    webhook_load.py PORT KEY SUBJECTS RATE RECEIVER_PORT..."""
import json
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

PORT, KEY, SUBJECTS, RATE, RECEIVERS = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), [int(p) for p in sys.argv[5:]]
BASE = f"http://127.0.0.1:{PORT}"


def call(method, path, body):
    req = urllib.request.Request(BASE + path, data=json.dumps(body).encode(), method=method,
                                 headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as response:
        return response.status


def arrivals():
    found = []
    for port in RECEIVERS:
        urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/dump", data=b"", method="POST"), timeout=30)
        with open(f"{sys.argv[0]}.{port}.json") as f:
            found += json.load(f)
    return found


def run(prefix, paced):
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda i: call("PUT", f"/v1/subjects/{prefix}-{i}", {"kind": "video", "creator_id": f"c-{i % 500}", "reach": {"views": 1000}}), range(SUBJECTS)))
    acked, lock = {}, threading.Lock()

    def report(i):
        if paced:
            delay = start + i / RATE - time.time()
            if delay > 0:
                time.sleep(delay)
        call("POST", "/v1/reports", {"reporter_id": f"flagger-{i % 50}", "subject_id": f"{prefix}-{i}", "reason": "hate_speech", "channel": "trusted_flagger"})
        with lock:
            acked[f"{prefix}-{i}"] = time.time()

    start = time.time()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(report, range(SUBJECTS)))
    filed = time.time() - start
    expected = 2 * SUBJECTS * len(RECEIVERS)
    if not RECEIVERS:
        print(f"-- {'paced' if paced else 'as fast as filed'}, no endpoint")
        print(f"reports filed                {SUBJECTS} in {filed:.1f} s ({SUBJECTS / filed:.0f}/s)")
        return
    deadline = time.time() + 300
    while time.time() < deadline:
        # This run's messages only: the receivers also took the intake runs' deliveries.
        found = [entry for entry in arrivals() if f'"{prefix}-' in entry[2]]
        if len(found) >= expected:
            break
        time.sleep(0.5)
    latencies, last = [], 0.0
    for at, _id, body in found:
        last = max(last, at)
        payload = json.loads(body)
        if payload["type"] == "subject.state_changed" and payload["data"]["subject_id"] in acked:
            latencies.append(at - acked[payload["data"]["subject_id"]])
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    ids = {i for _, i, _ in found}
    label = f"paced at {RATE:.0f} reports/s" if paced else "as fast as filed"
    print(f"-- {label}")
    print(f"reports filed                {SUBJECTS} in {filed:.1f} s ({SUBJECTS / filed:.0f}/s)")
    print(f"deliveries                   {2 * SUBJECTS} messages x {len(RECEIVERS)} endpoints: {len(found)} arrived, {len(ids)} distinct ids")
    print(f"deliveries/s                 {len(found) / (last - start):.0f} (first report to last delivery)")
    print(f"commit to delivery           p50 {pct(0.5):.1f} ms  p90 {pct(0.9):.1f} ms  p99 {pct(0.99):.1f} ms  max {pct(1):.1f} ms")


run("burst", False)
if RECEIVERS:
    run("paced", True)
