#!/usr/bin/env bash
# Create .venv (once) and install MidiDrumiGen with torch (the [train] extra) and its test tools into it.
# Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# Pin torch first on Linux: a CPU wheel of 2.13.0 is on the build machines, while an unpinned
# torch would pull a multi-GB CUDA build. Elsewhere (macOS, Windows) pip picks the right wheel.
if [ "$(uname -s)" = "Linux" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check "torch==2.13.0"
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[train,test]"
