"""The playback scheduler: one thread sends a pattern's notes on a MidiOut against a monotonic clock.

Notes are queued as timed events in a heap, a whole loop pass at a time; the thread sleeps on a
condition until just before the next event, then yields in a tight loop until its time, so a note
is sent within a fraction of a millisecond of when it is due and nothing the worker does (a slow
generation) can hold it back. Times are monotonic seconds; pattern times are beats.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

import mido

from mididrumigen.bridge.constants import PLAYBACK_SPIN_S
from mididrumigen.bridge.midi.base import MidiOut
from mididrumigen.bridge.rate_limited_log import RateLimitedLog
from mididrumigen.engine.constants import DRUM_CHANNEL
from mididrumigen.engine.pattern import Pattern
from mididrumigen.engine.units import beats_to_seconds

log = logging.getLogger(__name__)

_NOTE_OFF: Final = 0  # at equal times a note-off goes first, so a repeated hit is not cut short
_NOTE_ON: Final = 1
_REFILL: Final = 2
_MIN_NOTE_S: Final = 0.001


@dataclass(eq=False)
class _Playback:
    """One /mdg/play: a pattern from `start_s`, once or looping until `stop_s`. Player-internal."""

    pattern: Pattern
    start_s: float
    tempo_bpm: float
    loop: bool
    stop_s: float = math.inf

    @property
    def pass_s(self) -> float:
        return beats_to_seconds(self.pattern.length_beats, self.tempo_bpm)


@dataclass(order=True)
class _Event:
    time_s: float
    order: int
    seq: int
    playback: _Playback = field(compare=False)
    message: mido.Message | None = field(compare=False, default=None)
    note_on_s: float = field(compare=False, default=0.0)  # for a note-off: when its note began
    loop_pass: int = field(compare=False, default=0)  # for a refill: the pass to queue


class Player:
    """Plays patterns on `out`; `play` and `stop` may be called from any thread.

    Args:
        out: the port to send on (the caller opens and closes it).
        clock: monotonic seconds; tests step `run_once(now=...)` with their own.
        spin_s: how long before an event the thread stops sleeping and starts yielding.
        timing_history: how many (actual - scheduled) send errors to keep for the bench.
    """

    def __init__(
        self,
        out: MidiOut,
        clock: Callable[[], float] = time.monotonic,
        spin_s: float = PLAYBACK_SPIN_S,
        channel: int = DRUM_CHANNEL,
        timing_history: int = 4096,
    ) -> None:
        self.out = out
        self._clock = clock
        self._spin_s = spin_s
        self._channel = channel
        self._events: list[_Event] = []
        self._seq = itertools.count()
        self._changed = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._timing_errors_s: deque[float] = deque(maxlen=timing_history)
        self._send_failures = RateLimitedLog(log)

    def play(self, pattern: Pattern, start_s: float, tempo_bpm: float, loop: bool = False) -> None:
        """Play `pattern` from monotonic time `start_s` at `tempo_bpm`; whatever plays now ends there.

        Raises:
            ValueError: for a tempo that is not a positive number.
        """
        if not tempo_bpm > 0 or not math.isfinite(tempo_bpm):
            raise ValueError(f"tempo_bpm must be a positive number, got {tempo_bpm}")
        with self._changed:
            self._end_all(start_s)
            playback = _Playback(pattern, start_s, tempo_bpm, loop)
            self._queue_pass(playback, 0)
            self._changed.notify_all()

    def stop(self) -> int:
        """Drop everything scheduled and send a note-off for every sounding note; returns how many."""
        with self._changed:
            self._events.clear()
            self._changed.notify_all()
            return self.out.silence()

    @property
    def pending(self) -> int:
        """How many events are scheduled."""
        with self._changed:
            return len(self._events)

    def timing_errors_s(self) -> tuple[float, ...]:
        """Actual minus scheduled send time of recent notes, in seconds."""
        with self._changed:
            return tuple(self._timing_errors_s)

    def run_once(self, now: float | None = None) -> float | None:
        """Send every event due at `now`; returns when the next one is due, or None when idle."""
        with self._changed:
            return self._send_due(self._clock() if now is None else now)

    def start(self) -> None:
        """Run the scheduler on its own thread, `midi-playback`."""
        if self._thread is not None:
            raise RuntimeError("the player is already started")
        self._thread = threading.Thread(target=self._loop, name="midi-playback", daemon=True)
        self._thread.start()
        log.info("playback thread started on %s", self.out.name)

    def close(self) -> None:
        """Stop playback, silence sounding notes and join the thread (the port stays open)."""
        with self._changed:
            self._stopping = True
        self.stop()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            log.info("playback thread stopped")

    def _loop(self) -> None:
        while True:
            with self._changed:
                if self._stopping:
                    return
                next_s = self._send_due(self._clock())
                if next_s is None:
                    self._changed.wait()
                    continue
                sleep_s = next_s - self._clock() - self._spin_s
                if sleep_s > 0:
                    self._changed.wait(sleep_s)
                    continue
            # Within the spin window: yield (releasing the GIL) until the event is due.
            while self._clock() < next_s:
                time.sleep(0)

    def _send_due(self, now: float) -> float | None:
        while self._events and self._events[0].time_s <= now:
            event = heapq.heappop(self._events)
            if event.order == _REFILL:
                self._queue_pass(event.playback, event.loop_pass)
                continue
            assert event.message is not None
            try:
                self.out.send(event.message)
            except (OSError, ValueError) as error:
                self._send_failures.warning("MIDI send failed on %s: %s", self.out.name, error)
                continue
            self._timing_errors_s.append(self._clock() - event.time_s)
        return self._events[0].time_s if self._events else None

    def _push(self, event: _Event) -> None:
        heapq.heappush(self._events, event)

    def _queue_pass(self, playback: _Playback, loop_pass: int) -> None:
        pass_start_s = playback.start_s + loop_pass * playback.pass_s
        if pass_start_s >= playback.stop_s:
            return
        for note in playback.pattern.notes:
            on_s = pass_start_s + beats_to_seconds(note.start_beats, playback.tempo_bpm)
            if on_s >= playback.stop_s:
                continue
            duration_s = max(_MIN_NOTE_S, beats_to_seconds(note.duration_beats, playback.tempo_bpm))
            off_s = min(on_s + duration_s, playback.stop_s)
            velocity = max(1, min(127, note.velocity))
            on = mido.Message("note_on", channel=self._channel, note=note.pitch, velocity=velocity)
            off = mido.Message("note_off", channel=self._channel, note=note.pitch, velocity=0)
            self._push(_Event(on_s, _NOTE_ON, next(self._seq), playback, on))
            self._push(_Event(off_s, _NOTE_OFF, next(self._seq), playback, off, note_on_s=on_s))
        if playback.loop and playback.pass_s > 0:
            # Queue the next pass a little before this one ends, never a whole pattern ahead.
            lead_s = min(0.5, playback.pass_s / 2)
            refill_s = pass_start_s + playback.pass_s - lead_s
            self._push(_Event(refill_s, _REFILL, next(self._seq), playback, loop_pass=loop_pass + 1))

    def _end_all(self, at_s: float) -> None:
        """End every playback at `at_s`: later hits are dropped, notes still sounding then are cut."""
        kept: list[_Event] = []
        for event in self._events:
            event.playback.stop_s = min(event.playback.stop_s, at_s)
            if event.order == _NOTE_ON and event.time_s >= at_s:
                continue
            if event.order == _NOTE_OFF and event.note_on_s >= at_s:
                continue
            if event.order == _NOTE_OFF and event.time_s > at_s:
                event.time_s = at_s
            kept.append(event)
        heapq.heapify(kept)
        self._events = kept
