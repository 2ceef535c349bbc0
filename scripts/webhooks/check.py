"""Reliability checks of webhook delivery (run by scripts/webhook-check.sh, which CI calls).

crash:  reports from several threads while `vigil serve` is killed with SIGKILL at a random moment,
        restarted on the same data, for several rounds (SQLite), or once (PostgreSQL). Then: every
        acknowledged report is stored, the audit chain verifies, and every committed outbox message
        reached the receiver, verified by standardwebhooks.
down:   the receiver stops for 60 s under load and comes back: every message delivered, none twice
        under different ids, each verified; the order of delivery is reported.

    check.py crash|down --bin VIGIL --venv VENV [--rounds N] [--database-url URL]
"""
import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def request(method, url, token, body=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=timeout) as response:
        return response.status, json.loads(response.read() or b"null")


class Node:
    """One `vigil serve` on a data directory (and a PostgreSQL database when given)."""

    def __init__(self, binary, data, port, env):
        self.binary, self.data, self.port, self.env, self.process = binary, data, port, env, None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "serve", "--data-dir", self.data, "--port", str(self.port), "--log-level", "error"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.data, "serve.log"), "a"))
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=1)
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        raise SystemExit("vigil did not become ready")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


class Receiver:
    def __init__(self, venv, port, secret_file, log):
        self.args = [os.path.join(venv, "bin", "python"), os.path.join(HERE, "receiver.py"), str(port), secret_file, log]
        self.port, self.log, self.process = port, log, None

    def start(self):
        self.process = subprocess.Popen(self.args)
        for _ in range(100):
            try:
                urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{self.port}/", method="POST", data=b""), timeout=1)
            except urllib.error.HTTPError:
                return  # answering (400: no signature)
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        raise SystemExit("receiver did not start")

    def stop(self):
        self.process.kill()
        self.process.wait()

    def entries(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [json.loads(line) for line in f if line.strip()]


class Load:
    """Threads filing reports: each registers a subject and files a trusted flagger's report that
    takes it down (a state change and a creator notice: two outbox messages), plus ordinary reports.
    Records every acknowledged report id."""

    def __init__(self, port_of, key, threads=6, prefix="s"):
        self.port_of, self.key, self.threads, self.prefix = port_of, key, threads, prefix
        self.acknowledged, self.stopping, self.lock, self.sent = [], threading.Event(), threading.Lock(), 0
        self.workers = []

    def start(self):
        self.stopping.clear()
        self.workers = [threading.Thread(target=self.work, args=(i,), daemon=True) for i in range(self.threads)]
        for worker in self.workers:
            worker.start()

    def stop(self):
        self.stopping.set()
        for worker in self.workers:
            worker.join()

    def work(self, index):
        n = 0
        while not self.stopping.is_set():
            n += 1
            subject = f"{self.prefix}-{index}-{n}-{random.randrange(1 << 30)}"
            base = f"http://127.0.0.1:{self.port_of()}"
            try:
                request("PUT", f"{base}/v1/subjects/{subject}", self.key, {"kind": "video", "creator_id": f"creator-{index}", "reach": {"views": 1000}})
                for reporter, extra in ((f"flagger-{index}", {"channel": "trusted_flagger"}), (f"viewer-{index}-{n}", {})):
                    status, receipt = request("POST", f"{base}/v1/reports", self.key,
                                              {"reporter_id": reporter, "subject_id": subject, "reason": "hate_speech", **extra})
                    if status == 201:
                        with self.lock:
                            self.acknowledged.append(receipt["report_id"])
                with self.lock:
                    self.sent += 1
            except (urllib.error.URLError, ConnectionError, OSError, ValueError):
                time.sleep(0.05)  # the node is down or restarting: not acknowledged, not counted


def database_rows(args, data, query):
    if args.database_url:
        out = subprocess.run(["psql", args.database_url, "-AtF", "\t", "-c", query], check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]
    with sqlite3.connect(os.path.join(data, "vigil.sqlite")) as db:
        return [tuple(str(v) for v in row) for row in db.execute(query)]


def wait_delivered(args, data, receiver, seconds=240):
    deadline = time.time() + seconds
    while time.time() < deadline:
        pending = database_rows(args, data, "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'")[0][0]
        messages = int(database_rows(args, data, "SELECT COUNT(*) FROM webhook_messages")[0][0])
        fanned = int(database_rows(args, data, "SELECT after_seq FROM webhook_fanout")[0][0])
        if pending == "0" and fanned == messages:
            return messages
        time.sleep(0.5)
    raise SystemExit(f"deliveries still pending after {seconds} s")


def verdict(args, data, receiver, messages, load):
    entries = receiver.entries()
    failures = []
    unverified = [e for e in entries if not e["verified"]]
    ids_by_source = {}
    for e in entries:
        ids_by_source.setdefault(e["source"], set()).add(e["id"])
    distinct = {e["id"] for e in entries if e["verified"]}
    twice = {s: ids for s, ids in ids_by_source.items() if len(ids) > 1}
    if unverified:
        failures.append(f"{len(unverified)} deliveries failed standardwebhooks verification")
    if len(distinct) != messages:
        failures.append(f"{messages} messages committed, {len(distinct)} distinct webhook-ids received")
    if twice:
        failures.append(f"{len(twice)} events delivered under more than one webhook-id")
    statuses = dict(database_rows(args, data, "SELECT status, COUNT(*) FROM webhook_deliveries GROUP BY status"))
    if set(statuses) - {"delivered"}:
        failures.append(f"deliveries not delivered: {statuses}")
    # Every acknowledged report is stored.
    stored = {row[0] for row in database_rows(args, data, "SELECT id FROM reports")}
    lost = [r for r in load.acknowledged if r not in stored]
    if lost:
        failures.append(f"{len(lost)} acknowledged reports are missing")
    attempts = int(database_rows(args, data, "SELECT COUNT(*) FROM webhook_attempts")[0][0])
    # The order of delivery, as recorded: how many messages arrived after a message committed later.
    delivered = database_rows(args, data, "SELECT message_seq FROM webhook_attempts WHERE outcome = 'delivered' ORDER BY attempted_at, id")
    behind, highest = 0, 0
    for (seq,) in delivered:
        behind += 1 if int(seq) < highest else 0
        highest = max(highest, int(seq))
    return failures, {"delivered behind a later message": behind, "acknowledged reports": len(load.acknowledged), "messages": messages, "deliveries received": len(entries),
                      "distinct webhook-ids": len(distinct), "attempts": attempts, "redeliveries (same id)": len(entries) - len(distinct)}


def setup(args):
    data = tempfile.mkdtemp(prefix="vigil-webhook-check-")
    env = dict(os.environ, VIGIL_WEBHOOK_ALLOW_HTTP_LOOPBACK="1", VIGIL_WEBHOOK_RETRY_SCHEDULE=args.schedule,
               VIGIL_REPORTER_RATE_LIMIT="100000")
    if args.database_url:
        env["VIGIL_DATABASE_URL"] = args.database_url
    def cli(*words):
        return subprocess.run([args.bin, *words, "--data-dir", data], env=env, check=True, capture_output=True, text=True).stdout.strip()
    key = cli("keys", "create", "--scope", "subjects:write", "--scope", "reports:write", "--scope", "reports:trusted", "--scope", "webhooks:manage")
    node = Node(args.bin, data, args.port, env)
    secret_file, log = os.path.join(data, "secret"), os.path.join(data, "received.jsonl")
    receiver = Receiver(args.venv, args.port + 1, secret_file, log)
    receiver.start()
    node.start()
    status, issued = request("POST", f"http://127.0.0.1:{args.port}/v1/webhooks", key, {"url": f"http://127.0.0.1:{args.port + 1}/hook"})
    with open(secret_file, "w") as f:
        f.write(issued["secret"])
    return data, key, node, receiver


def crash(args):
    data, key, node, receiver = setup(args)
    load = Load(lambda: args.port, key)
    load.start()
    for round_ in range(args.rounds):
        time.sleep(random.uniform(2, 5))
        node.kill()
        print(f"round {round_ + 1}: killed with SIGKILL after {load.sent} subjects")
        time.sleep(0.3)
        node.start()
    time.sleep(2)
    load.stop()
    messages = wait_delivered(args, data, receiver)
    node.stop()
    audit = subprocess.run([args.bin, "audit", "verify", "--data-dir", data], env=node.env, capture_output=True, text=True)
    receiver.stop()
    failures, figures = verdict(args, data, receiver, messages, load)
    if audit.returncode != 0:
        failures.append("audit chain: " + (audit.stdout + audit.stderr).strip())
    figures["rounds (SIGKILL)"] = args.rounds
    figures["audit"] = (audit.stdout or audit.stderr).strip()
    return failures, figures


def down(args):
    data, key, node, receiver = setup(args)
    load = Load(lambda: args.port, key)
    load.start()
    time.sleep(10)
    receiver.stop()
    print(f"receiver stopped for {args.down_seconds} s under load")
    time.sleep(args.down_seconds)
    receiver.start()
    print("receiver back")
    time.sleep(10)
    load.stop()
    messages = wait_delivered(args, data, receiver)
    node.stop()
    receiver.stop()
    failures, figures = verdict(args, data, receiver, messages, load)
    failed_attempts = database_rows(args, data, "SELECT COUNT(*) FROM webhook_attempts WHERE outcome = 'failed'")[0][0]
    figures["failed attempts while down"] = int(failed_attempts)
    if int(failed_attempts) == 0:
        failures.append("no attempt failed while the receiver was down: the check did not test anything")
    return failures, figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["crash", "down"])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--venv", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=18420)
    parser.add_argument("--down-seconds", type=float, default=60)
    parser.add_argument("--database-url")
    # A shorter retry schedule than production's (whose second retry waits 5 minutes); the same code path.
    parser.add_argument("--schedule", default="1,2,4,8,15,30,60")
    args = parser.parse_args()
    random.seed(os.getpid())
    failures, figures = crash(args) if args.mode == "crash" else down(args)
    label = f"{args.mode} ({'PostgreSQL' if args.database_url else 'SQLite'})"
    for name, value in figures.items():
        print(f"  {name:28} {value}")
    if failures:
        print(f"webhook check {label} FAILED:\n  - " + "\n  - ".join(failures))
        sys.exit(1)
    print(f"webhook check {label} passed")


if __name__ == "__main__":
    main()
