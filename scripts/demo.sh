#!/usr/bin/env bash
# Quick start 1: set up, list the styles, and generate a 4-bar J Dilla pattern with the shipped model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/mididrumigen styles
mkdir -p out
.venv/bin/mididrumigen generate --style "J Dilla" --bars 4 --tempo 95 --seed 1234 --out out/dilla.mid --plot
echo "Next: .venv/bin/mididrumigen --help (or run \`source .venv/bin/activate\` once, then just \`mididrumigen\`)"
