"""bridge.cli: `mididrumigen serve` as a real process: one startup line, answers, exit 0 on SIGTERM."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mididrumigen.bridge.cli import main_serve
from tests.bridge.support import check_serve_process

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _keep_root_log_level() -> Iterator[None]:
    """main_serve sets the root logger's level, as a CLI should; later tests must not inherit it."""
    root = logging.getLogger()
    level = root.level
    yield
    root.setLevel(level)


def test_bad_flag_value_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main_serve(["--port", "70000", "--no-midi"]) == 2
    assert "port must be a whole number between 0 and 65535" in capsys.readouterr().err


def test_missing_checkpoint_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--port", "0", "--no-midi", "--checkpoint", str(tmp_path / "none.pt"), "--log-level", "ERROR"]
    assert main_serve(args) == 2
    assert "none.pt" in capsys.readouterr().err


def test_broken_checkpoint_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.pt"
    broken.write_bytes(b"not a checkpoint at all")
    args = ["--port", "0", "--no-midi", "--model", str(broken), "--log-level", "ERROR"]  # the old flag name
    assert main_serve(args) == 2
    err = capsys.readouterr().err
    [line] = [line for line in err.splitlines() if line.startswith("mididrumigen serve:")]
    assert "broken.pt" in line and "Traceback" not in err
    assert broken.read_bytes() == b"not a checkpoint at all"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM cannot be sent to a console process on Windows")
def test_serve_process_answers_and_exits_0_on_sigterm(tiny_checkpoint: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "mididrumigen.bridge.cli", "--port", "0", "--no-midi", "--checkpoint", str(tiny_checkpoint),
               "--output-dir", str(tmp_path), "--log-level", "WARNING"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    line, ready = check_serve_process(process, tiny_checkpoint.stem)
    assert "model loading" in line and "no MIDI" in line  # bound before the model loads
    assert "ready on cpu" in ready
