"""A MIDI output that records what it is sent and writes it as a .mid file when closed.

For machines without any MIDI port (a headless render, a CI box): the messages keep the real time
they were sent, converted to ticks at a fixed tempo.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import mido

from mididrumigen.bridge.midi.base import MidiOut
from mididrumigen.engine.constants import TICKS_PER_BEAT


class FileOut(MidiOut):
    """Records timed messages and writes them to `path` atomically on close.

    Args:
        path: the .mid file to write.
        tempo_bpm: the tempo the file declares; send times in seconds become ticks at this tempo.
        clock: monotonic seconds; tests pass their own.
    """

    def __init__(
        self, path: Path, tempo_bpm: float = 120.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(str(path))
        self.path = path
        self.tempo_bpm = tempo_bpm
        self._clock = clock
        self._events: list[tuple[float, mido.Message]] = []

    def _send(self, message: mido.Message) -> None:
        self._events.append((self._clock(), message))

    def _close(self) -> None:
        tempo_us = mido.bpm2tempo(self.tempo_bpm)
        track = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=tempo_us, time=0)])
        first_s = self._events[0][0] if self._events else 0.0
        previous_tick = 0
        for time_s, message in self._events:
            tick = round(mido.second2tick(time_s - first_s, TICKS_PER_BEAT, tempo_us))
            track.append(message.copy(time=tick - previous_tick))
            previous_tick = tick
        midi_file = mido.MidiFile(ticks_per_beat=TICKS_PER_BEAT, tracks=[track])
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=self.path.parent, prefix=".", suffix=".mid.tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                midi_file.save(file=handle)
            os.replace(temp_name, self.path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
