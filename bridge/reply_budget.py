"""How many reply bytes each host may be sent: the bound on the daemon as a traffic amplifier.

UDP sender addresses can be forged, so a small request could aim a large answer (a style list, a
resent 32-bar clip) at a neighbour. Each host has a token bucket of bytes: it refills at a steady
rate and earns `credit_per_byte_in` bytes for each byte the host itself sent, so answers that are
about as large as their requests (pongs, busy errors) are never held back, while a flood of costly
requests gets at most the steady rate on top of a small multiple of what came in.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Final

REPLY_BYTES_PER_S: Final = 128 * 1024
"""Steady reply bytes per second per host: a 32-bar clip (~20 KB) five times a second."""
REPLY_BURST_BYTES: Final = 256 * 1024
"""What a host may receive at once after a quiet spell (the bucket's size)."""
CREDIT_PER_BYTE_IN: Final = 4
"""Reply bytes a host earns per byte it sent: bytes out stay within 4x bytes in, plus the steady rate."""
MAX_TRACKED_HOSTS: Final = 4096
"""Buckets kept; the least recently used is forgotten first (a forgotten host starts with a full bucket)."""


class ReplyBudget:
    """Per-host token buckets of reply bytes; safe to use from any thread."""

    def __init__(
        self,
        bytes_per_s: float = REPLY_BYTES_PER_S,
        burst_bytes: float = REPLY_BURST_BYTES,
        credit_per_byte_in: float = CREDIT_PER_BYTE_IN,
        max_hosts: int = MAX_TRACKED_HOSTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bytes_per_s = bytes_per_s
        self.burst_bytes = burst_bytes
        self.credit_per_byte_in = credit_per_byte_in
        self._max_hosts = max_hosts
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # host -> (bytes, at)

    def _level(self, host: str, now: float) -> float:
        level, at = self._buckets.get(host, (self.burst_bytes, now))
        return min(self.burst_bytes, level + (now - at) * self.bytes_per_s)

    def _store(self, host: str, level: float, now: float) -> None:
        self._buckets[host] = (level, now)
        self._buckets.move_to_end(host)
        while len(self._buckets) > self._max_hosts:
            self._buckets.popitem(last=False)

    def credit(self, host: str, bytes_in: int) -> None:
        """`host` sent `bytes_in` bytes: it may be answered a few times that much."""
        with self._lock:
            now = self._clock()
            level = min(self.burst_bytes, self._level(host, now) + bytes_in * self.credit_per_byte_in)
            self._store(host, level, now)

    def spend(self, host: str, bytes_out: int) -> bool:
        """Take `bytes_out` from `host`'s bucket; False (and nothing taken) when it holds less."""
        with self._lock:
            now = self._clock()
            level = self._level(host, now)
            if level < bytes_out:
                self._store(host, level, now)
                return False
            self._store(host, level - bytes_out, now)
            return True
