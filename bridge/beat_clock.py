"""Pure transport arithmetic: Live's song position (beats, quarter notes) against monotonic seconds.

Unit conversions themselves live in engine.units. No state and no threads: `next_bar_start_s`
answers "when does the next bar begin?" from the last transport report, which /mdg/play starts on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from mididrumigen.engine.units import beats_to_seconds, ms_to_beats

_ON_BAR_EPSILON_BEATS: Final = 1e-3
"""A transport this close past a bar line counts as on it, so playback starts now, not a bar later."""


@dataclass(frozen=True)
class TransportState:
    """Live's transport as the device last reported it.

    `beat` is the song position in beats at `received_s` (monotonic seconds); `tempo_bpm` in
    quarter notes per minute.
    """

    beat: float
    tempo_bpm: float
    playing: bool
    received_s: float


def transport_beat_at(state: TransportState, now_s: float) -> float:
    """Where the transport is at `now_s`, extrapolated from the last report while playing."""
    if not state.playing:
        return state.beat
    return state.beat + ms_to_beats((now_s - state.received_s) * 1000.0, state.tempo_bpm)


def next_bar_start_s(
    state: TransportState | None, now_s: float, bar_beats: float, fallback_tempo_bpm: float
) -> tuple[float, float]:
    """When playback should start and at which tempo.

    Args:
        state: the last transport report, or None when the device never sent one.
        now_s: the monotonic time now, in seconds.
        bar_beats: length of one bar of the pattern, in beats.
        fallback_tempo_bpm: the pattern's own tempo, used when Live is not playing.

    Returns:
        (start time in monotonic seconds, tempo in bpm): the next bar line of a playing transport
        at Live's tempo, else (now_s, fallback_tempo_bpm).
    """
    if state is None or not state.playing:
        return now_s, fallback_tempo_bpm
    beat = transport_beat_at(state, now_s)
    bars = beat / bar_beats
    next_bar = math.floor(bars) if bars - math.floor(bars) < _ON_BAR_EPSILON_BEATS / bar_beats else math.ceil(bars)
    wait_beats = max(0.0, next_bar * bar_beats - beat)
    return now_s + beats_to_seconds(wait_beats, state.tempo_bpm), state.tempo_bpm
