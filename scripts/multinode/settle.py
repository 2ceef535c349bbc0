"""Takedowns waiting out their settle period are settled once, whichever node gets to them.

Usage: settle.py NODE_A_PORT NODE_B_PORT API_KEY SUBJECTS
Registers SUBJECTS widely seen videos at both nodes and files three independent hate_speech reports
on each, alternating nodes; both nodes' maintenance services then race to settle the takedowns.
Prints the subject ids as JSON on stdout for the checks that follow."""
import http.client
import json
import sys

port_a, port_b, key, count = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
ports = [port_a, port_b]
headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}


def call(port, method, path, body):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=json.dumps(body), headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


subjects = [f"settle-{i}" for i in range(count)]
for i, subject in enumerate(subjects):
    # A million views explain three reports at once: they are independent voices.
    status = call(ports[i % 2], "PUT", f"/v1/subjects/{subject}", {"kind": "video", "creator_id": f"settle-creator-{i}", "reach": {"views": 1000000}})
    assert status in (200, 201), status
    for r in range(3):
        body = {"reporter_id": f"settle-viewer-{i}-{r}", "subject_id": subject, "reason": "hate_speech", "reporter_account_age_days": 400}
        status = call(ports[(i + r) % 2], "POST", "/v1/reports", body)
        assert status == 201, status
print(json.dumps(subjects))
