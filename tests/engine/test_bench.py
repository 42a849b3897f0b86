"""`mididrumigen bench` with the tiny model: it runs end to end and prints every row for both runtimes
(timings are not checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mididrumigen.engine.cli import main


def test_bench_prints_the_table(
    tiny_checkpoint: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MIDIDRUMIGEN_PRESETS_DIR", str(tmp_path))  # built-in presets only
    assert main(["bench", "--model", str(tiny_checkpoint), "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "model: tiny.pt, " in out
    assert "runtimes: onnx, torch" in out
    for row in ("model load", "ms per event (4 bars)", "4 bars", "32 bars", "64-bar song (9 sections)",
                "64-bar song / 32 bars (target <= 2.2x)", "8 variations batched",
                "8 variations one after another", "batched / one pattern (target <= 2.2x)",
                "process start to written file", "installed (target <= 150 MB)", "`pip install mididrumigen` brings",
                "`[train]` adds", "onnx / torch: 4 bars", "continue a 4-bar clip by 4 bars",
                "groove a 4-bar clip", "continue / 4 bars", "groove / 4 bars"):
        assert row in out


def test_bench_of_one_runtime(tiny_checkpoint: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--model", str(tiny_checkpoint), "--runs", "1", "--runtime", "onnx"]) == 0
    out = capsys.readouterr().out
    assert "runtimes: onnx (" in out and "onnx / torch" not in out


def test_bench_today_times_the_path_from_before_onnx_runtime(
    tiny_checkpoint: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bench --today` loads main as it was before issue 16 from git and times it in the same run."""
    from mididrumigen.engine.bench_today import TODAY_REF, _source_root

    known = subprocess.run(["git", "-C", str(_source_root()), "rev-parse", "--verify", "--quiet", TODAY_REF],
                           capture_output=True)
    if known.returncode != 0:
        pytest.skip(f"not a git checkout holding {TODAY_REF}")
    assert main(["bench", "--model", str(tiny_checkpoint), "--runs", "1", "--runtime", "onnx", "--today"]) == 0
    out = capsys.readouterr().out
    assert f"today's path ({TODAY_REF}: torch eager, inference_mode" in out
    assert "x today per event (target <= 0.35x)" in out
    assert "mididrumigen_today" not in " ".join(sys.path)  # its folder leaves the import path with it
