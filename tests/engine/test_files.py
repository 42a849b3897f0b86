"""atomic_write: a failed write never touches the old file or leaves temp files behind."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pytest

from mididrumigen.engine.files import atomic_write, atomic_write_bytes


def test_writes_new_file_and_creates_parents(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "clip.mid"
    assert atomic_write_bytes(path, b"MThd") == path
    assert path.read_bytes() == b"MThd"
    assert path.stat().st_mode & 0o777 == 0o644
    assert list(path.parent.iterdir()) == [path]


def test_overwrites_and_keeps_the_existing_mode(tmp_path: Path) -> None:
    path = tmp_path / "clip.mid"
    path.write_bytes(b"old")
    path.chmod(0o600)
    atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"new"
    assert path.stat().st_mode & 0o777 == 0o600


def test_failure_mid_write_leaves_the_old_file_intact(tmp_path: Path) -> None:
    path = tmp_path / "clip.mid"
    path.write_bytes(b"old contents")

    def write_half_then_fail(file: BinaryIO) -> None:
        file.write(b"half a fi")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        atomic_write(path, write_half_then_fail)
    assert path.read_bytes() == b"old contents"
    assert list(tmp_path.iterdir()) == [path]


def test_rejects_text(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="data must be bytes"):
        atomic_write_bytes(tmp_path / "x", "text")  # type: ignore[arg-type]
