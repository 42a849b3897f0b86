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
class SamplingSettings:
    """How the model's distributions are drawn from. No defaults here: the request schema holds them,
    so there is one place that says what a producer gets when they leave a knob alone."""

    temperature: float
    top_k: int
    top_p: float


@dataclass(frozen=True)
class GenerationResult:
    """A pattern and how it was made: the model's own hits (before humanization), the genre it was
    conditioned on, the sampling settings, tokens generated, seconds taken and warnings; for a clip job,
    the clip's notes that are not drums of the kit."""

    pattern: Pattern
    tokens_generated: int
    seconds: float
    warnings: tuple[str, ...] = field(default_factory=tuple)
    model_hits: tuple[GridHit, ...] = ()
    genre: str = ""
    settings: SamplingSettings | None = None
    runtime: str = ""
    passthrough: tuple[Note, ...] = ()
    """A clip's notes that are not drums of the kit, untouched: written and returned with the pattern's."""


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
