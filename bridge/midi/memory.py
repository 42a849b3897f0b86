"""An in-memory MIDI output for tests: records every message with the time it was sent."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import mido

from mididrumigen.bridge.midi.base import MidiOut


@dataclass(frozen=True)
class SentMessage:
    """One message and the clock reading (seconds) when the port received it."""

    time_s: float
    message: mido.Message


class MemoryOut(MidiOut):
    """Keeps what was sent in `sent`; `wait_for(count)` blocks until that many arrived."""

    def __init__(self, name: str = "memory", clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(name)
        self._clock = clock
        self._arrived = threading.Condition()
        self._sent: list[SentMessage] = []

    @property
    def sent(self) -> tuple[SentMessage, ...]:
        with self._arrived:
            return tuple(self._sent)

    def wait_for(self, count: int, timeout_s: float) -> bool:
        """True once at least `count` messages were sent; False when `timeout_s` passed first."""
        with self._arrived:
            return self._arrived.wait_for(lambda: len(self._sent) >= count, timeout_s)

    def _send(self, message: mido.Message) -> None:
        with self._arrived:
            self._sent.append(SentMessage(self._clock(), message))
            self._arrived.notify_all()
