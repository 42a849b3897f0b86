#!/usr/bin/env bash
# Quick start 2: set up, then run the whole test suite (pytest, then the device's JavaScript tests
# with Node's built-in runner). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python -m pytest "$@"
if command -v node >/dev/null 2>&1; then
    node --test max_for_live/test/
else
    echo "skipped the Max for Live JavaScript tests: node is not installed"
fi
