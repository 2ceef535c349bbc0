#!/usr/bin/env python3
"""`vigil hash vpdq` against the vPDQ reference's rule on generated videos: every decoded frame
(ffmpeg, rgb24) is numbered; frame n is hashed when n % max(1, int(fps * seconds_per_hash)) == 0,
with timestamp n / fps; each such frame is hashed by Meta's reference PDQ (PyPI pdqhash). Vigil's
lines (frame, quality, hash, timestamp) must be exactly these. Also checks that a re-encoded,
cropped copy matches the original under vPDQ (query and compared >= 80%) and an unrelated video
does not.

    scripts/detection/vpdq-compare.py --bin .build/debug/vigil
"""
import argparse
import subprocess
import sys
import tempfile

import numpy as np
import pdqhash

VIDEOS = [  # (ffmpeg lavfi source, fps, size, seconds)
    ("testsrc2", 25, "320x240", 6),
    ("testsrc", 30, "256x144", 5),
    ("mandelbrot", 24, "200x200", 5),
    ("smptehdbars", 30000 / 1001, "640x360", 4),
    ("life=s=160x120:mold=10:r=12:ratio=0.1", 12, None, 6),
]


def run(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, **kw)


def make(path, source, fps, size, seconds, extra=()):
    src = source if size is None else f"{source}=size={size}:rate={fps}"
    run("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", src, "-t", str(seconds), *extra,
        "-c:v", "libx264", "-pix_fmt", "yuv420p", path)


def reference(path, seconds_per_hash=1.0):
    rate = run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=avg_frame_rate,r_frame_rate",
               "-of", "csv=p=0", path).stdout.decode().strip().split(",")
    fps = 0.0
    for r in reversed(rate):
        n, _, d = r.partition("/")
        value = float(n) / float(d or 1) if float(d or 1) else 0
        if 0 < value <= 1000:
            fps = value
            break
    probe = run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0",
                path).stdout.decode().strip().split(",")
    width, height = int(probe[0]), int(probe[1])
    raw = run("ffmpeg", "-nostdin", "-loglevel", "error", "-i", path, "-map", "0:v:0", "-fps_mode", "passthrough",
              "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1").stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)
    every = max(1, int(seconds_per_hash * fps))
    lines = []
    for n in range(0, len(frames), every):
        bits, quality = pdqhash.compute(np.ascontiguousarray(frames[n]))
        hexhash = format(sum(int(b) << (255 - k) for k, b in enumerate(bits)), "064x")
        lines.append(f"{n},{quality},{hexhash},{n / fps:.3f}")
    return lines


def vigil(binary, path):
    out = run(binary, "hash", "vpdq", path).stdout.decode().split("\n")
    return [line for line in out if line and not line.startswith("#")]


def percent(query, compared):
    q = list(dict.fromkeys(int(l.split(",")[2], 16) for l in query if int(l.split(",")[1]) >= 50))
    c = list(dict.fromkeys(int(l.split(",")[2], 16) for l in compared if int(l.split(",")[1]) >= 50))
    near = lambda a, bs: any(bin(a ^ b).count("1") <= 31 for b in bs)
    return 100 * sum(near(a, c) for a in q) / len(q), 100 * sum(near(b, q) for b in c) / len(c)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    args = parser.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (source, fps, size, seconds) in enumerate(VIDEOS):
            path = f"{tmp}/v{i}.mp4"
            make(path, source, fps, size, seconds)
            ours, theirs = vigil(args.bin, path), reference(path)
            same = ours == theirs
            failures += not same
            print(f"{source:40s} {len(theirs):3d} frames hashed: {'identical' if same else 'DIFFERENT'}")
            if not same:
                for a, b in zip(ours, theirs):
                    if a != b:
                        print(f"  vigil     {a}\n  reference {b}")
                        break
        # A re-encoded, cropped copy matches; an unrelated video does not.
        original, copy, other = f"{tmp}/orig.mp4", f"{tmp}/copy.mp4", f"{tmp}/v2.mp4"
        make(original, "testsrc2", 25, "640x360", 10)
        run("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", original, "-vf", "crop=iw-8:ih-8:4:4", "-c:v", "libx264", "-b:v", "150k", copy)
        q, c = percent(vigil(args.bin, copy), vigil(args.bin, original))
        print(f"re-encoded and cropped copy vs original: query {q:.1f}% compared {c:.1f}%")
        failures += not (q >= 80 and c >= 80)
        q, c = percent(vigil(args.bin, other), vigil(args.bin, original))
        print(f"unrelated video vs original: query {q:.1f}% compared {c:.1f}%")
        failures += not (q < 80 and c < 80)
    print("vPDQ: all agree" if failures == 0 else f"vPDQ: {failures} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
