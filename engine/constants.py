"""Every constant of the drum vocabulary and the time grid, defined once.

Units: beats are quarter notes (as Live's clip API counts them); a *step* is one 16th note,
so there are STEPS_PER_BEAT steps per beat; micro-timing offsets are in fractions of a step.
"""

from __future__ import annotations

from typing import Final

from mididrumigen.engine.messages import out_of_range

STEPS_PER_BEAT: Final = 4
"""The grid: 16th notes. Finer timing lives in the micro-timing offset, as in GrooVAE."""

MAX_STEPS_PER_BAR: Final = 128
"""16/2 is the longest bar a request can ask for: 32 beats of 4 steps."""

DRUM_CHANNEL: Final = 9
"""MIDI channel 10, counted from zero as mido does."""

VOICES: Final[tuple[str, ...]] = (
    "kick",
    "snare",
    "closed_hat",
    "open_hat",
    "low_tom",
    "mid_tom",
    "high_tom",
    "crash",
    "ride",
)
"""The nine drum voices of the Groove MIDI Dataset paper (Gillick et al., 2019), in canonical order."""

VOICE_INDEX: Final[dict[str, int]] = {name: i for i, name in enumerate(VOICES)}

DEFAULT_KIT: Final[dict[str, int]] = {
    "kick": 36,
    "snare": 38,
    "closed_hat": 42,
    "open_hat": 46,
    "low_tom": 43,
    "mid_tom": 47,
    "high_tom": 50,
    "crash": 49,
    "ride": 51,
}
"""General MIDI note for each voice; presets may override it."""

PITCH_TO_VOICE: Final[dict[int, str]] = {
    # Roland TD-11 notes as recorded in the Groove MIDI Dataset, reduced to nine voices
    # the way Magenta's drums encoder does (22/26 are hi-hat rim/edge, 58 a tom rim).
    36: "kick", 35: "kick",
    38: "snare", 37: "snare", 40: "snare",
    42: "closed_hat", 22: "closed_hat", 44: "closed_hat",
    46: "open_hat", 26: "open_hat",
    43: "low_tom", 58: "low_tom", 41: "low_tom",
    47: "mid_tom", 45: "mid_tom",
    50: "high_tom", 48: "high_tom",
    49: "crash", 52: "crash", 55: "crash", 57: "crash",
    51: "ride", 53: "ride", 59: "ride",
}

VELOCITY_BINS: Final = 8
"""MIDI velocity 1..127 is cut into this many equal bins."""

OFFSET_BINS: Final = 8
"""Micro-timing offset in [-0.5, 0.5) steps is cut into this many equal bins."""

GHOST_VELOCITY_BELOW: Final = 40
"""A snare stroke softer than this is a ghost note (the evaluation's definition too)."""

NOTE_DURATION_BEATS: Final = 0.125
"""Drum hits are one-shots; a 32nd note is long enough for any sampler and never overlaps the next 16th."""

TICKS_PER_BEAT: Final = 480
"""Resolution of the .mid files we write (Live and most DAWs use 480 or 960)."""

ALLOWED_DENOMINATORS: Final[tuple[int, ...]] = (2, 4, 8, 16)
MAX_NUMERATOR: Final = 16


def check_clip_shape(bars: int, numerator: int, denominator: int) -> None:
    """The one check of a clip's shape, for code handed a pattern that did not come through a request.

    Raises:
        ValueError: naming the first value out of range.
    """
    if bars < 1:
        raise ValueError(f"bars must be at least 1, got {bars}")
    problem = out_of_range("numerator", numerator, 1, MAX_NUMERATOR)
    if problem:
        raise ValueError(problem)
    if denominator not in ALLOWED_DENOMINATORS:
        raise ValueError(f"denominator must be one of {', '.join(map(str, ALLOWED_DENOMINATORS))}, got {denominator}")


def bar_length_beats(numerator: int, denominator: int) -> float:
    """Length of one bar in beats (quarter notes): 7/8 is 3.5 beats, 12/8 is 6."""
    return numerator * 4 / denominator


def steps_per_bar(numerator: int, denominator: int) -> int:
    """Length of one bar in 16th-note steps; every allowed signature gives a whole number."""
    return numerator * 16 // denominator

GENRES: Final[tuple[str, ...]] = (
    "afrobeat", "afrocuban", "blues", "country", "dance", "funk", "gospel", "highlife", "hiphop",
    "jazz", "latin", "middleeastern", "neworleans", "pop", "punk", "reggae", "rock", "soul",
)
"""The Groove MIDI Dataset's top-level style tags: what a preset may condition on."""
