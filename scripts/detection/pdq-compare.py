#!/usr/bin/env python3
"""Vigil's PDQ against Meta's reference (PyPI pdqhash) on generated images stored losslessly (PNG):
random sizes, shapes, gradients and noise, in RGB, grey, palette and 16-bit PNG. Each image is
hashed by `vigil hash pdq` (decoding it itself) and by pdqhash on the pixels Pillow decodes.
Prints how many agree bit for bit; any difference fails.

    scripts/detection/pdq-compare.py --bin .build/debug/vigil --count 300
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

import numpy as np
import pdqhash
from PIL import Image, ImageDraw


def generate(rng, path):
    width, height = rng.randint(5, 900), rng.randint(5, 900)
    image = Image.new("RGB", (width, height), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(0, 40)):
        box = sorted(rng.randrange(width) for _ in range(2)), sorted(rng.randrange(height) for _ in range(2))
        shape = [box[0][0], box[1][0], box[0][1], box[1][1]]
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(shape, fill=colour)
    pixels = np.asarray(image).astype(np.int32)
    if rng.random() < 0.5:  # a gradient
        pixels += (np.arange(width)[None, :, None] * rng.randint(0, 3) // 4)
    if rng.random() < 0.5:  # noise
        pixels += np.array(np.random.default_rng(rng.randrange(1 << 30)).integers(-20, 20, pixels.shape))
    pixels = np.clip(pixels, 0, 255).astype(np.uint8)
    mode = rng.choice(["RGB", "RGB", "L", "P", "RGB16"])
    if mode == "RGB":
        Image.fromarray(pixels, "RGB").save(path)
    elif mode == "L":
        Image.fromarray(pixels, "RGB").convert("L").save(path)
    elif mode == "P":
        Image.fromarray(pixels, "RGB").convert("P", palette=Image.ADAPTIVE, colors=rng.randint(2, 256)).save(path)
    else:  # 16-bit grey: the reference sees what an 8-bit decode gives
        Image.fromarray((pixels[:, :, 0].astype(np.uint16) * 257)).save(path)
    return mode


def reference(path):
    image = Image.open(path)
    if image.mode == "I;16":
        image = Image.fromarray((np.asarray(image) >> 8).astype(np.uint8), "L")
    bits, quality = pdqhash.compute(np.ascontiguousarray(np.asarray(image.convert("RGB"))))
    return format(sum(int(b) << (255 - k) for k, b in enumerate(bits)), "064x"), quality


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as work:
        paths, modes = [], {}
        for index in range(args.count):
            path = os.path.join(work, f"img{index:04d}.png")
            modes[path] = generate(rng, path)
            paths.append(path)
        ours = {}
        for start in range(0, len(paths), 100):
            out = subprocess.run([args.bin, "hash", "pdq"] + paths[start:start + 100], capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"vigil hash pdq failed: {out.stderr}")
            for line in out.stdout.splitlines():
                hex_, quality, path = line.split(" ", 2)
                ours[path] = (hex_, int(quality))
        agree, by_mode = 0, {}
        for path in paths:
            expected = reference(path)
            ok = ours.get(path) == expected
            by_mode.setdefault(modes[path], [0, 0])[0 if ok else 1] += 1
            if ok:
                agree += 1
            else:
                print(f"DIFFERENT {os.path.basename(path)} ({modes[path]}): vigil {ours.get(path)} pdqhash {expected}")
        print(f"{agree} of {len(paths)} PNG images bit-exact with pdqhash {__import__('importlib.metadata').metadata.version('pdqhash')} "
              + ", ".join(f"{mode} {counts[0]}/{sum(counts)}" for mode, counts in sorted(by_mode.items())))
        if agree != len(paths):
            sys.exit(1)


if __name__ == "__main__":
    main()
