"""Atomic file writes, so a crash or an exception never leaves a half-written .mid or .png behind."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Final

log = logging.getLogger(__name__)

_NEW_FILE_MODE: Final = 0o644
"""mkstemp creates files private to the owner; a written clip should be readable like any other file."""


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable; some platforms (Windows) cannot open a folder, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as error:
        log.debug("cannot open %s to fsync it: %s", folder, error)
        return
    try:
        os.fsync(fd)
    except OSError as error:
        log.debug("cannot fsync %s: %s", folder, error)
    finally:
        os.close(fd)


def atomic_write(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """Write a file through `write(file)` into a temp file beside `path`, fsync it, then os.replace it.

    The parent folder is created if needed. If `write` raises, the temp file is removed and any
    existing file at `path` is left exactly as it was.

    Returns:
        `path`.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp_path = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else _NEW_FILE_MODE
        os.chmod(temp_path, mode)
        os.replace(temp_path, path)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    log.debug("wrote %s atomically", path)
    return path


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write `data` to `path` atomically (see `atomic_write`)."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")

    def _write(file: BinaryIO) -> None:
        file.write(data)

    return atomic_write(path, _write)
