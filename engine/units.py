"""Pure time-unit conversions, with the units in every name (beats are quarter notes)."""

from __future__ import annotations


def _check_tempo(tempo_bpm: float) -> None:
    if not tempo_bpm > 0:
        raise ValueError(f"tempo_bpm must be greater than 0, got {tempo_bpm!r}")


def ms_to_beats(ms: float, tempo_bpm: float) -> float:
    """Milliseconds to beats at `tempo_bpm` beats (quarter notes) per minute."""
    _check_tempo(tempo_bpm)
    return ms / 1000.0 * tempo_bpm / 60.0


def beats_to_ms(beats: float, tempo_bpm: float) -> float:
    """Beats to milliseconds at `tempo_bpm`; the inverse of `ms_to_beats`."""
    _check_tempo(tempo_bpm)
    return beats * 60.0 / tempo_bpm * 1000.0


def beats_to_seconds(beats: float, tempo_bpm: float) -> float:
    """Beats to seconds at `tempo_bpm`."""
    _check_tempo(tempo_bpm)
    return beats * 60.0 / tempo_bpm


def beats_to_ticks(beats: float, ticks_per_beat: int) -> int:
    """Beats to the nearest whole MIDI tick at `ticks_per_beat` ticks per quarter note."""
    if ticks_per_beat <= 0:
        raise ValueError(f"ticks_per_beat must be greater than 0, got {ticks_per_beat!r}")
    return round(beats * ticks_per_beat)
