"""What the engine hands back: notes in beats, plus how they were made. Frozen, so threads can share them."""

from __future__ import annotations

from dataclasses import dataclass, field

from mididrumigen.engine.constants import bar_length_beats


@dataclass(frozen=True)
class Note:
    """One drum hit. Times are in beats (quarter notes) from the start of the clip."""

    pitch: int
    start_beats: float
    duration_beats: float
    velocity: int
    voice: str


@dataclass(frozen=True)
class Pattern:
    """A drum clip exactly `bars` long, so it loops cleanly."""

    notes: tuple[Note, ...]
    bars: int
    numerator: int
    denominator: int
    tempo_bpm: float
    style_id: str
    pattern_type: str
    seed: int
    humanized: bool

    @property
    def length_beats(self) -> float:
        return self.bars * bar_length_beats(self.numerator, self.denominator)


@dataclass(frozen=True)
class GenerationResult:
    """A pattern and the facts a caller reports: tokens generated, seconds taken, warnings."""

    pattern: Pattern
    tokens_generated: int
    seconds: float
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class GridHit:
    """One hit as the model produced it, before humanization.

    `step` is the 16th-note step inside the bar; `offset_steps` is the player's micro-timing in
    [-0.5, 0.5) steps that the model predicted (a real drummer's push or drag); `velocity` is 1..127.
    """

    bar: int
    step: int
    voice: str
    velocity: int
    offset_steps: float
