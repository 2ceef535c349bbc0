"""Registers N subjects over one keep-alive connection (faster than a curl per subject)."""
import http.client
import json
import sys

host, port, key, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
conn = http.client.HTTPConnection(host, port)
headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
for i in range(count):
    body = json.dumps({"kind": "live" if i % 10 == 0 else "video", "creator_id": f"creator-{i % 500}", "reach": {"views": i}})
    conn.request("PUT", f"/v1/subjects/bench-subject-{i}", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    if response.status not in (200, 201):
        sys.exit(f"registering bench-subject-{i} failed: {response.status}")
print(f"registered {count} subjects")
