"""A logger that cannot flood: hostile datagrams, refused requests or a vanished MIDI port log once a second."""

from __future__ import annotations

import logging
import threading
import time


class RateLimitedLog:
    """Logs at most one line per `interval_s` (per instance) and says how many were held back."""

    def __init__(self, logger: logging.Logger, interval_s: float = 1.0) -> None:
        self._log = logger
        self._interval_s = interval_s
        self._last_s = -float("inf")
        self._suppressed = 0
        self._lock = threading.Lock()

    def warning(self, message: str, *args: object) -> None:
        self.log(logging.WARNING, message, *args)

    def info(self, message: str, *args: object) -> None:
        self.log(logging.INFO, message, *args)

    def log(self, level: int, message: str, *args: object) -> None:
        with self._lock:
            now = time.monotonic()
            if now - self._last_s < self._interval_s:
                self._suppressed += 1
                return
            suppressed, self._suppressed, self._last_s = self._suppressed, 0, now
        if suppressed:
            message += " (%d similar messages suppressed)"
            args = (*args, suppressed)
        self._log.log(level, message, *args)
