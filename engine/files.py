"""Atomic file writes, so a crash or an exception never leaves a half-written .mid or .png behind.

A write goes to a new path or over an existing regular file, nothing else: os.replace would turn a
device node (as root, /dev/null), a FIFO or a symlink into a plain file. A symlink is resolved and
its target written (the link stays); a target that is not a regular file is refused.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Final

from mididrumigen.engine.errors import OutputPathError

log = logging.getLogger(__name__)

_NEW_FILE_MODE: Final = 0o644
"""mkstemp creates files private to the owner; a written clip should be readable like any other file."""
_TEMP_NAME: Final = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")
"""What `atomic_write` names its temp file: `.NAME.` + mkstemp's 8 random characters + `.tmp`."""
_KINDS: Final = {stat.S_IFDIR: "folder", stat.S_IFCHR: "device", stat.S_IFBLK: "device", stat.S_IFIFO: "FIFO",
                 stat.S_IFSOCK: "socket"}


def writable_target(path: Path) -> Path:
    """Where a write to `path` may go: `path` itself, or a symlink's target; never a non-regular file.

    Raises:
        OutputPathError: the path (or what its link leads to) exists and is not a regular file, or the
            link cannot be resolved (a loop).
    """
    target = path
    if path.is_symlink():
        try:
            target = path.resolve()
        except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop before Python 3.13
            raise OutputPathError(f"{path}: cannot resolve the link: {error}") from error
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError as error:
        raise OutputPathError(f"{path}: cannot check the output path: {error.strerror or error}") from error
    if stat.S_ISREG(mode):
        return target
    kind = _KINDS.get(stat.S_IFMT(mode), "special file")
    raise OutputPathError(f"{path} is a {kind}, not a regular file; refusing to replace it")


def remove_stale_temp_files(folder: Path, suffix: str = "") -> int:
    """Delete the temp files a killed `atomic_write` left in `folder` (only `.NAME<suffix>.XXXXXXXX.tmp`
    regular files); returns how many. Call it where nothing else is writing, e.g. at start-up."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None or not match["name"].endswith(suffix) or not entry.is_file(follow_symlinks=False):
            continue
        try:
            os.unlink(entry.path)
            removed += 1
        except OSError as error:
            log.warning("could not remove the stale temp file %s: %s", entry.path, error)
    if removed:
        log.info("removed %d stale temp files from %s", removed, folder)
    return removed


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
    existing file at `path` is left exactly as it was. A symlink's target is written, the link kept.

    Returns:
        `path`.

    Raises:
        OutputPathError: `path` is (or links to) a device, FIFO, folder or other non-regular file.
    """
    path = Path(path)
    target = writable_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temp_path = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        # Checked again just before the rename: the path may have changed while `write` ran.
        mode = writable_target(target).stat().st_mode & 0o777 if os.path.lexists(target) else _NEW_FILE_MODE
        os.chmod(temp_path, mode)
        os.replace(temp_path, target)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    log.debug("wrote %s atomically", target)
    return path


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write `data` to `path` atomically (see `atomic_write`)."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")

    def _write(file: BinaryIO) -> None:
        file.write(data)

    return atomic_write(path, _write)
