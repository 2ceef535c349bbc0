"""Benchmark receiver: answers 204 at once (HTTP/1.1 keep-alive) and, when asked, writes what
arrived: per message, the arrival time, type and subject.   webhook_receiver.py PORT LOG"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, LOG = int(sys.argv[1]), sys.argv[2]
arrivals, lock = [], threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        now = time.time()
        if self.path == "/dump":
            with lock, open(LOG, "w") as f:
                json.dump(arrivals, f)
        elif self.headers.get("webhook-id"):
            with lock:
                arrivals.append((now, self.headers.get("webhook-id"), body.decode()))
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
