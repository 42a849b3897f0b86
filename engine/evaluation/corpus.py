"""The two sides of every comparison: real takes (read by engine.data) and patterns the engine generates.

Real takes keep their recorded timing: a Groove hit (bar, 16th step, micro-timing offset) is put
back at (bar * 16 + step + offset) / 4 beats, so a real bar is measured exactly like a generated one.
Only 4/4 takes are measured (the features are defined for 4/4 bars).

Generated patterns go through the engine's front door (`Engine.generate`), so they are what a
producer gets: the model's hits humanized with the style's feel. Each result also carries the
model's own hits, for the feel checks (what the preset added on top).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from mididrumigen.engine.constants import DEFAULT_KIT, NOTE_DURATION_BEATS, STEPS_PER_BEAT
from mididrumigen.engine.data import Performance, load_performances
from mididrumigen.engine.evaluation.features import STEPS_PER_BAR, FeatureTable, clip_features
from mididrumigen.engine.generate import Engine
from mididrumigen.engine.pattern import GridHit, Note, Pattern
from mididrumigen.engine.presets import StylePreset
from mididrumigen.engine.schema import PatternType, parse_request

PATTERN_BARS: Final = 4
BATCH: Final = 16
"""Patterns generated together in lock-step (one style's plan differs only in tempo, type and seed)."""
PATTERN_TYPES: Final = (PatternType.INTRO, PatternType.VERSE, PatternType.CHORUS)
"""Cycled over a style's patterns, so its generated bars cover low, mid and high energy like real bars do."""


def load_split(root: Path, split: str, limit_files: int = 0) -> list[Performance]:
    """Every performance of a split (the first `limit_files` when that is > 0), as engine.train reads them."""
    found = load_performances(root, split)
    return list(itertools.islice(found, limit_files) if limit_files else found)


def is_four_four(performance: Performance) -> bool:
    return (performance.numerator, performance.denominator) == (4, 4)


def hits_to_notes(hits: Sequence[GridHit], steps_per_bar: int = STEPS_PER_BAR) -> tuple[Note, ...]:
    """Grid hits at their own micro-timing: (bar * steps + step + offset) / 4 beats."""
    return tuple(
        Note(pitch=DEFAULT_KIT[h.voice],
             start_beats=(h.bar * steps_per_bar + h.step + h.offset_steps) / STEPS_PER_BEAT,
             duration_beats=NOTE_DURATION_BEATS, velocity=h.velocity, voice=h.voice)
        for h in hits
    )


def real_features(performances: Sequence[Performance]) -> FeatureTable:
    """Feature rows of every non-empty bar of the 4/4 takes, labelled with the take's genre."""
    return FeatureTable.concat([
        clip_features(hits_to_notes(p.hits), p.tempo_bpm, p.bars, p.genre)
        for p in performances if is_four_four(p)
    ])


@dataclass(frozen=True)
class GeneratedPattern:
    """One generated pattern: what the engine returned, plus the model's own hits and conditioning."""

    pattern: Pattern
    model_hits: tuple[GridHit, ...]
    genre: str

    @property
    def model_notes(self) -> tuple[Note, ...]:
        """The model's hits with its own micro-timing and none of the preset's feel."""
        return hits_to_notes(self.model_hits)


def pattern_plan(style: StylePreset, count: int, first_seed: int, fill: bool = True) -> list[dict[str, object]]:
    """Request values for a style's patterns: seeds first_seed.., tempos spread evenly over the
    style's range, pattern types cycling intro, verse, chorus; 4 bars of 4/4, and the request's defaults
    for the rest (sampling, humanized, a fill in the last bar unless `fill` is False), as a producer gets them."""
    plan = []
    for index in range(count):
        fraction = index / (count - 1) if count > 1 else 0.5
        tempo = round(style.tempo_min + fraction * (style.tempo_max - style.tempo_min), 1)
        plan.append({"style": style.id, "bars": PATTERN_BARS, "tempo": tempo, "seed": first_seed + index,
                     "pattern_type": PATTERN_TYPES[index % len(PATTERN_TYPES)].value, "fill": fill})
    return plan


def generate_patterns(engine: Engine, style: StylePreset, count: int, first_seed: int,
                      on_pattern: Callable[[], None] | None = None, fill: bool = True) -> list[GeneratedPattern]:
    """Generate `count` patterns of one style through the engine (see `pattern_plan`), BATCH at a time:
    a batch gives each seed the pattern it gets alone, in a fraction of the time."""
    requests = [parse_request(values) for values in pattern_plan(style, count, first_seed, fill)]
    patterns = []
    for start in range(0, len(requests), BATCH):
        for result in engine.generate_batch(requests[start:start + BATCH]):
            patterns.append(GeneratedPattern(result.pattern, result.model_hits, result.genre))
            if on_pattern is not None:
                on_pattern()
    return patterns


def generated_features(patterns: Sequence[GeneratedPattern], label: str, model_only: bool = False) -> FeatureTable:
    """Feature rows of every bar of the patterns (looping clips); `model_only` reads the model's own hits."""
    return FeatureTable.concat([
        clip_features(g.model_notes if model_only else g.pattern.notes, g.pattern.tempo_bpm, g.pattern.bars,
                      label, loops=True)
        for g in patterns
    ])
