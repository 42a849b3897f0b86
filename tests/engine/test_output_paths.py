"""`mididrumigen generate --out` never replaces what is not a regular file (issue 15): one line, exit 2."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mididrumigen.engine.cli import main


def test_generate_out_a_fifo_exits_2_and_keeps_the_fifo(monkeypatch: pytest.MonkeyPatch, tiny_checkpoint: Path,
                                                       tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MIDIDRUMIGEN_MODEL", str(tiny_checkpoint))
    monkeypatch.setenv("MIDIDRUMIGEN_PRESETS_DIR", str(tmp_path / "no_presets"))
    fifo = tmp_path / "out.mid"
    os.mkfifo(fifo)
    assert main(["generate", "--style", "j_dilla", "--bars", "1", "--seed", "1", "--out", str(fifo)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: {fifo} is a FIFO, not a regular file; refusing to replace it"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
