"""Deleting the daemon's old .mid files on a timer, never one that is being downloaded.

Only files the daemon itself named (`..._<job id>.mid`, see clip_files) directly inside the output
directory are candidates, so a producer's own files kept there are never touched. A download holds
a lease on its file for as long as the response is being sent; the sweep skips leased files and
deletes under the same lock, so a download can never start on a file halfway through deletion.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

DAEMON_CLIP_NAME: Final = re.compile(r"^[A-Za-z0-9_.-]+_[0-9a-f]{10}(-[0-9]+)?\.mid$")
"""What clip_files names a job's file: the clip stem, the 10-hex-digit job id, maybe a copy number."""

SWEEP_EVERY_S: Final = 600.0


class FileLeases:
    """Files being read right now; the sweeper leaves them alone."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._held: Counter[Path] = Counter()

    def acquire(self, path: Path) -> bool:
        """Lease `path` if it still exists; False when it is gone (cleaned up meanwhile)."""
        with self.lock:
            if not path.is_file():
                return False
            self._held[path] += 1
            return True

    def release(self, path: Path) -> None:
        with self.lock:
            self._held[path] -= 1
            if self._held[path] <= 0:
                del self._held[path]

    def is_leased(self, path: Path) -> bool:
        """Call with `lock` held."""
        return self._held[path] > 0

    @contextmanager
    def held(self, path: Path) -> Iterator[bool]:
        leased = self.acquire(path)
        try:
            yield leased
        finally:
            if leased:
                self.release(path)


class FileCleaner:
    """Deletes the daemon's .mid files older than `keep_hours` in `directory`, every `every_s` seconds.

    Args:
        directory: the daemon's output directory.
        keep_hours: age after which a file goes; must be above 0 (0 means the cleaner is not started).
        leases: the files being downloaded.
        clock: wall-clock seconds, compared with file modification times.
    """

    def __init__(self, directory: Path, keep_hours: float, leases: FileLeases, every_s: float = SWEEP_EVERY_S,
                 clock: Callable[[], float] = time.time) -> None:
        if keep_hours <= 0:
            raise ValueError(f"keep_hours must be above 0, got {keep_hours}")
        self.directory = directory
        self.keep_s = keep_hours * 3600.0
        self.leases = leases
        self.every_s = every_s
        self._clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sweep(self) -> list[Path]:
        """Delete what is old enough and not leased now; returns what was deleted."""
        if not self.directory.is_dir():
            return []
        cutoff = self._clock() - self.keep_s
        deleted = []
        for path in self.directory.iterdir():
            if not DAEMON_CLIP_NAME.match(path.name):
                continue
            with self.leases.lock:
                try:
                    if self.leases.is_leased(path) or not path.is_file() or path.stat().st_mtime > cutoff:
                        continue
                    path.unlink()
                except OSError as error:
                    log.warning("could not delete old clip %s: %s", path, error)
                    continue
            deleted.append(path)
        if deleted:
            log.info("deleted %d clip file(s) older than %g hours from %s",
                     len(deleted), self.keep_s / 3600, self.directory)
        return deleted

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="file-cleanup", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def _loop(self) -> None:
        while True:
            try:
                self.sweep()
            except Exception:  # a sweep must never end the timer
                log.exception("clip clean-up failed; trying again later")
            if self._stop.wait(self.every_s):
                return
