#!/usr/bin/env python3
"""Expected PDQ hashes from Meta's reference (PyPI `pdqhash`, the C++ behind a Cython wrapper) for
synthetic images that Vigil's tests rebuild pixel for pixel (integer arithmetic only, so Python and
Swift make the same bytes). Writes Tests/VigilCoreTests/Fixtures/pdq-synthetic.tsv:
name, width, height, seed, quality, then the hash and its seven dihedral variants (hex).

    python3 -m venv v && v/bin/pip install pdqhash numpy && v/bin/python scripts/detection/pdq-vectors.py
"""
import sys

import numpy as np
import pdqhash

SIZES = [(5, 5), (9, 4), (34, 42), (64, 64), (63, 65), (100, 300), (300, 100), (128, 128), (257, 129), (200, 200),
         (511, 513), (640, 480), (480, 640), (1024, 768), (1000, 17)]


def xorshift(state):
    state ^= (state << 13) & 0xFFFFFFFF
    state ^= state >> 17
    state ^= (state << 5) & 0xFFFFFFFF
    return state & 0xFFFFFFFF


def image(width, height, seed):
    """Blocks, a gradient and noise: enough structure for a meaningful hash, all in integers."""
    pixels = np.zeros((height, width, 3), dtype=np.uint8)
    state = (seed * 2654435761 + 1) & 0xFFFFFFFF or 1
    bw, bh = 8 + seed % 5 * 7, 6 + seed % 7 * 5
    for y in range(height):
        for x in range(width):
            for c in range(3):
                state = xorshift(state)
                block = ((x // bw) * 37 + (y // bh) * 91 + c * 53 + seed * 17) & 255
                grad = (x * 255 // width + y * 128 // height + c * 40) & 255
                pixels[y, x, c] = (block // 2 + grad // 3 + (state & 31)) & 255
    return pixels


def hex_of(bits):
    return format(sum(int(b) << (255 - k) for k, b in enumerate(bits)), "064x")


def main(path):
    rows = []
    for index, (width, height) in enumerate(SIZES):
        for seed in (index * 3 + 1, index * 3 + 2):
            pixels = image(width, height, seed)
            bits, quality = pdqhash.compute(pixels)
            variants, _ = pdqhash.compute_dihedral(pixels)
            hashes = [hex_of(bits)] + [hex_of(v) for v in variants[1:]]
            assert hashes[0] == hex_of(variants[0])
            rows.append([f"img{len(rows)}", str(width), str(height), str(seed), str(quality)] + hashes)
    with open(path, "w") as out:
        out.write("# name\twidth\theight\tseed\tquality\thash\trot90\trot180\trot270\tflipx\tflipy\tflipplus1\tflipminus1 (pdqhash " +
                  __import__("importlib.metadata").metadata.version("pdqhash") + ")\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    print(f"{len(rows)} images written to {path}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Tests/VigilCoreTests/Fixtures/pdq-synthetic.tsv")
