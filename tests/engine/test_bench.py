"""`mididrumigen bench` with the tiny model: it runs end to end and prints every row for both runtimes
(timings are not checked)."""

from __future__ import annotations

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
                "8 variations one after another", "batched / one pattern", "process start to written file",
                "installed size of its install (target <= 150 MB)", "`pip install mididrumigen` brings", "onnx / torch: 4 bars", "continue a 4-bar clip by 4 bars",
                "groove a 4-bar clip", "continue / 4 bars", "groove / 4 bars"):
        assert row in out


def test_bench_of_one_runtime(tiny_checkpoint: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--model", str(tiny_checkpoint), "--runs", "1", "--runtime", "onnx"]) == 0
    out = capsys.readouterr().out
    assert "runtimes: onnx (" in out and "onnx / torch" not in out
