"""The MIDI output base class: public `send()` validates and locks; each backend overrides `_send()`."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from types import TracebackType
from typing import Final, Self

import mido

_ALLOWED_TYPES: Final[frozenset[str]] = frozenset({"note_on", "note_off", "control_change"})


class MidiOut(ABC):
    """An output port that remembers which notes are sounding, so it can always silence them.

    Backends override `_send` (and `_close` when they hold a resource); both are called with the
    port's lock held, so a backend never sees two messages at once.
    """

    def __init__(self, name: str, description: str | None = None) -> None:
        self.name = name
        self.description = description or name
        """What the port is, for the startup line (e.g. "virtual port 'MidiDrumiGen' (UNIX_JACK)")."""
        self._lock = threading.Lock()
        self._sounding: set[tuple[int, int]] = set()  # (channel, note)
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def sounding(self) -> frozenset[tuple[int, int]]:
        with self._lock:
            return frozenset(self._sounding)

    def send(self, message: mido.Message) -> None:
        """Send one note_on, note_off or control_change.

        Raises:
            TypeError: for anything but a mido.Message of those types.
            ValueError: if the port is closed.
        """
        if not isinstance(message, mido.Message) or message.type not in _ALLOWED_TYPES:
            raise TypeError(f"message must be a note_on, note_off or control_change mido.Message, got {message!r}")
        with self._lock:
            if self._closed:
                raise ValueError(f"MIDI port {self.name!r} is closed")
            self._send(message)
            if message.type == "note_on" and message.velocity > 0:
                self._sounding.add((message.channel, message.note))
            elif message.type in ("note_on", "note_off"):
                self._sounding.discard((message.channel, message.note))

    def silence(self) -> int:
        """Send a note_off for every sounding note; returns how many were sounding."""
        with self._lock:
            return self._silence()

    def _silence(self) -> int:
        count = len(self._sounding)
        if not self._closed:
            for channel, note in sorted(self._sounding):
                self._send(mido.Message("note_off", channel=channel, note=note, velocity=0))
        self._sounding.clear()
        return count

    def close(self) -> None:
        """Silence every sounding note and release the port; closing twice is harmless."""
        with self._lock:
            if self._closed:
                return
            self._silence()
            self._closed = True
            self._close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @abstractmethod
    def _send(self, message: mido.Message) -> None:
        """Deliver one message (the lock is held)."""

    def _close(self) -> None:  # noqa: B027 (an optional hook: MemoryOut holds nothing to release)
        """Release the backend's resource (the lock is held); nothing by default."""
