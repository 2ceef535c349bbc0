#!/usr/bin/env bash
# PDQ speed (not a test): Vigil's Swift PDQ against Meta's C++ (PyPI pdqhash) on the same decoded
# pixels, same machine, same run. Decoding is left out of both: each decodes once, then hashes.
#   scripts/bench-pdq.sh [seconds] [image]    (default 3 s per measure, the 512×512 staged image)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-3}
IMAGE=${2:-../shared/detection-fixtures/pdq-images/square-512x512.jpg}
VENV=${PDQ_VENV:-.build/pdq-venv}
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import pdqhash, PIL" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pdqhash pillow numpy
fi
echo "building release…"
swift build -c release --product vigil >/dev/null
BIN=$(swift build -c release --show-bin-path)/vigil
echo "== Vigil (Swift), in process =="
SWIFT=$("$BIN" hash bench "$IMAGE" --seconds "$SECONDS_EACH")
echo "$SWIFT"
echo "== pdqhash $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("pdqhash"))') (Meta's C++ via Cython), in process =="
PY=$("$VENV/bin/python" - "$IMAGE" "$SECONDS_EACH" <<'PY'
import sys, time
import numpy as np, pdqhash
from PIL import Image
pixels = np.ascontiguousarray(np.asarray(Image.open(sys.argv[1]).convert("RGB")))
seconds = float(sys.argv[2])
for name, work in (("pdq", lambda: pdqhash.compute(pixels)), ("pdq+dihedral", lambda: pdqhash.compute_dihedral(pixels))):
    work()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        work()
        count += 1
    rate = count / (time.perf_counter() - start)
    print(f"{name}\t{rate:.1f} images/s\t{1e6 / rate:.1f} µs each")
PY
)
echo "$PY"
python3 - "$SWIFT" "$PY" <<'PY'
import sys, re
def rates(text):
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^(pdq(?:\+dihedral)?)\t([\d.]+) images/s", text, re.M)}
swift, cpp = rates(sys.argv[1]), rates(sys.argv[2])
for name in ("pdq", "pdq+dihedral"):
    print(f"ratio Swift/C++ {name:<13} {swift[name] / cpp[name]:.2f}")
PY
