"""A webhook receiver for the reliability checks: verifies every delivery with the PyPI package
standardwebhooks (the receiver's side of the specification, not Vigil's code) and appends one JSON
line per request to a log: webhook-id, the event or notice it carries, whether it verified, when.
    receiver.py PORT SECRET_FILE LOG
The secret is read from SECRET_FILE at each request (it is written once the endpoint exists)."""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

PORT, SECRET_FILE, LOG = int(sys.argv[1]), sys.argv[2], sys.argv[3]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        if "webhook-id" not in headers:
            # Not a delivery (the check's own probe that the receiver is up).
            self.send_response(400)
            self.end_headers()
            return
        try:
            with open(SECRET_FILE) as f:
                secret = f.read().strip()
            Webhook(secret).verify(body, headers)
            verified = True
        except (WebhookVerificationError, OSError, ValueError) as error:
            verified = False
            print("unverified delivery:", error, file=sys.stderr)
        source = None
        try:
            payload = json.loads(body)
            data = payload.get("data", {})
            source = data.get("event_id") or (data.get("notice") or {}).get("notice_id")
            kind = payload.get("type")
        except ValueError:
            kind = None
        with open(LOG, "a") as f:
            f.write(json.dumps({"id": headers.get("webhook-id"), "source": source, "type": kind,
                                "verified": verified, "at": time.time()}) + "\n")
        self.send_response(204 if verified else 400)
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
