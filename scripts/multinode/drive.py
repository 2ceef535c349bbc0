"""Drives two Vigil nodes on one database at once and checks they behave as one service.

Usage: drive.py NODE_A_PORT NODE_B_PORT API_KEY MODERATOR_TOKENS_FILE
Prints the acknowledged report ids and the claims as JSON on stdout for the checks that follow."""
import http.client
import json
import random
import sys
import threading

port_a, port_b, key, tokens_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
moderators = [line.strip() for line in open(tokens_file) if line.strip()]
ports = [port_a, port_b]
headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
lock = threading.Lock()
acks = []          # (status, report_id, reporter, subject, idempotency key or None)
failures = []


def call(port, method, path, body=None, extra=None, token=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    h = dict(headers) if token is None else {"Authorization": f"Bearer {token}"}
    if extra:
        h.update(extra)
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, (json.loads(data) if data else None)


SUBJECTS = 40
for i in range(SUBJECTS):
    status, _ = call(ports[i % 2], "PUT", f"/v1/subjects/mn-{i}", {"kind": "live" if i % 5 == 0 else "video", "creator_id": f"c{i % 7}"})
    assert status in (200, 201), status


def reporter_worker(worker):
    rng = random.Random(worker)
    for n in range(60):
        reporter = f"mn-reporter-{rng.randrange(120)}"
        subject = f"mn-{rng.randrange(SUBJECTS)}"
        reason = rng.choice(["spam", "hate_speech", "child_safety", "harassment"])
        body = {"reporter_id": reporter, "subject_id": subject, "reason": reason}
        idem = f"w{worker}-n{n}" if n % 3 == 0 else None
        extra = {"Idempotency-Key": idem} if idem else None
        # The same request at both nodes, as a client retrying through a load balancer would.
        targets = ports if n % 4 == 0 else [rng.choice(ports)]
        for port in targets:
            status, answer = call(port, "POST", "/v1/reports", body, extra)
            with lock:
                if status in (200, 201):
                    acks.append((status, answer["report_id"], reporter, subject, idem, answer["status"]))
                elif status != 429:
                    failures.append((status, answer))


claims = []


def claim_worker(token, port):
    for _ in range(15):
        status, answer = call(port, "POST", "/v1/mod/queue/next", token=token)
        if status == 200:
            with lock:
                claims.append((token[:17], answer["case_id"], answer.get("expires_at")))
        elif status != 204:
            with lock:
                failures.append((status, answer))


def run(threads):
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# Reports at both nodes at once; then every moderator at once, half through each node, so they
# race for the same most urgent cases.
run([threading.Thread(target=reporter_worker, args=(w,)) for w in range(12)])
run([threading.Thread(target=claim_worker, args=(t, ports[i % 2])) for i, t in enumerate(moderators)])

# A lease taken through one node holds at the other.
lease_conflicts = []
if claims:
    holder = next(t for t in moderators if t.startswith(claims[0][0]))
    other = next(t for t in moderators if t != holder)
    case_id = claims[0][1]
    for port in ports:
        status, _ = call(port, "POST", f"/v1/mod/cases/{case_id}/claim", token=other)
        lease_conflicts.append(status)
json.dump({"acks": acks, "claims": claims, "failures": failures, "lease_conflicts": lease_conflicts}, sys.stdout)
