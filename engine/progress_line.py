"""A one-line byte counter on stderr for `data fetch`, so the default install needs no tqdm.

tqdm is kept for train and eval (the `[train]` extra); a download only needs "done of total",
redrawn in place a few times a second.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Final, TextIO

REDRAW_EVERY_S: Final = 0.2
"""Redraws at most this often: a 64 KB chunk arrives far more often than a terminal needs a new line."""


def _megabytes(count: int) -> str:
    return f"{count / 1e6:.1f} MB"


class ByteProgress:
    """`label: 1.2 MB of 3.3 MB (36%)`, redrawn in place; the line is cleared on exit."""

    def __init__(self, label: str, total: int | None, done: int = 0, enabled: bool = True,
                 stream: TextIO | None = None) -> None:
        self.label, self.total, self.done, self.enabled = label, total, done, enabled
        self.stream = stream if stream is not None else sys.stderr
        self._drawn_at = float("-inf")
        self._width = 0

    def __enter__(self) -> ByteProgress:
        self._draw()
        return self

    def update(self, count: int) -> None:
        self.done += count
        if time.monotonic() - self._drawn_at >= REDRAW_EVERY_S:
            self._draw()

    def text(self) -> str:
        if self.total:
            return f"{self.label}: {_megabytes(self.done)} of {_megabytes(self.total)} " \
                   f"({100 * self.done // self.total}%)"
        return f"{self.label}: {_megabytes(self.done)}"

    def _draw(self) -> None:
        if not self.enabled:
            return
        line = self.text()
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width, self._drawn_at = len(line), time.monotonic()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.enabled:
            self._draw()
            self.stream.write("\n")  # keep the final count on screen: how far a failed download got
            self.stream.flush()
