"""Opens N cases through the API: N subjects, each taken down by one child_safety report."""
import http.client
import json
import sys
from concurrent.futures import ThreadPoolExecutor

host, port, key, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
workers = 16
headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}


def seed(worker):
    conn = http.client.HTTPConnection(host, port)
    for i in range(worker, count, workers):
        kind = "live" if i % 20 == 0 else "video"
        conn.request("PUT", f"/v1/subjects/q-{i}", body=json.dumps({"kind": kind, "creator_id": f"c-{i % 1000}", "reach": {"views": i}, "media": {"url": f"https://media.example.com/q-{i}.jpg"}}), headers=headers)
        r = conn.getresponse(); r.read()
        if r.status not in (200, 201):
            raise SystemExit(f"subject q-{i}: {r.status}")
        reason = "child_safety" if i % 2 == 0 else "violent_extremism"
        conn.request("POST", "/v1/reports", body=json.dumps({"reporter_id": f"qr-{i}", "subject_id": f"q-{i}", "reason": reason}), headers=headers)
        r = conn.getresponse(); r.read()
        if r.status != 201:
            raise SystemExit(f"report on q-{i}: {r.status}")


with ThreadPoolExecutor(workers) as pool:
    list(pool.map(seed, range(workers)))
print(f"opened {count} cases")
