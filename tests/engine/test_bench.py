"""`mididrumigen bench` with the tiny model: it runs end to end and prints every row (timings are not checked)."""

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
    for row in ("model load", "events/s with KV cache (4 bars)", "events/s without cache (4 bars)",
                "speed-up from the cache", "request to .mid file"):
        assert row in out
    for bars in (1, 4, 16, 32):
        assert f"{bars:>3} bars" in out
