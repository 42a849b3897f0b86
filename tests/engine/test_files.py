"""atomic_write: a failed write never touches the old file or leaves temp files behind, and only a new path
or a regular file is ever written (issue 15): devices, FIFOs and folders are refused, links written through."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

import pytest

from mididrumigen.engine.errors import OutputPathError
from mididrumigen.engine.files import atomic_write, atomic_write_bytes, remove_stale_temp_files


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


def test_a_fifo_is_refused_and_left_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "out.mid"
    os.mkfifo(fifo)
    with pytest.raises(OutputPathError, match="out.mid is a FIFO, not a regular file; refusing to replace it"):
        atomic_write_bytes(fifo, b"MThd")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and [p.name for p in tmp_path.iterdir()] == ["out.mid"]


def test_a_device_node_is_refused_and_left_a_device(tmp_path: Path) -> None:
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a private /dev/null
    except PermissionError:
        pytest.skip("making a device node needs root")
    with pytest.raises(OutputPathError, match="null is a device, not a regular file"):
        atomic_write_bytes(device, b"MThd")
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.mid"
    real.write_bytes(b"old")
    link = tmp_path / "link.mid"
    link.symlink_to(real)
    assert atomic_write_bytes(link, b"new") == link
    assert link.is_symlink() and real.read_bytes() == b"new"
    fifo_link = tmp_path / "fifo-link.mid"
    os.mkfifo(tmp_path / "fifo")
    fifo_link.symlink_to(tmp_path / "fifo")
    with pytest.raises(OutputPathError, match="is a FIFO"):
        atomic_write_bytes(fifo_link, b"x")
    loop = tmp_path / "loop.mid"
    loop.symlink_to(loop)
    with pytest.raises(OutputPathError):
        atomic_write_bytes(loop, b"x")
    assert loop.is_symlink()


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputPathError, match="is a folder"):
        atomic_write_bytes(tmp_path, b"x")


def test_stale_temp_files_are_removed_and_nothing_else(tmp_path: Path) -> None:
    stale = tmp_path / ".clip.mid.ab12_xyz.tmp"
    stale.write_bytes(b"half a fi")
    keep = [tmp_path / "clip.mid", tmp_path / ".hidden.tmp", tmp_path / ".notes.txt.ab12_xyz.tmp"]
    for path in keep:
        path.write_bytes(b"x")
    (tmp_path / ".link.mid.ab12_xyz.tmp").symlink_to(keep[0])
    assert remove_stale_temp_files(tmp_path, suffix=".mid") == 1
    assert not stale.exists() and all(path.exists() for path in keep)
