"""What the sampler's grammar is asked to keep: a style's anchors and a producer's clip.

A GridAnchor forces or forbids a voice at a step of the bar (a preset's anchor, or a locked hit of the
user's clip with its velocity and micro-timing bins); a ClipGuide carries one row's prompt bars and
locks. engine.sampling enforces them; they live here so that callers build them without the sampler.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np

from mididrumigen.engine.pattern import GridHit
from mididrumigen.engine.tokenizer import bin_to_offset, bin_to_velocity, velocity_to_bin


@dataclass(frozen=True)
class GridAnchor:
    """A preset's anchor on the model's grid: a voice index at a step of the bar, forced or forbidden."""

    step: int
    voice: int
    force: bool
    probability: float = 1.0
    velocity: tuple[int, int] | None = None  # MIDI velocities; the grammar keeps the bins that hold them
    offset_bin: int | None = None  # a lock's micro-timing bin, kept exactly (None: the model's choice)
    bar: int | None = None  # the one bar (from 0) a style anchor holds in; None: every groove bar

    def velocity_bins(self) -> tuple[int, int] | None:
        if self.velocity is None:
            return None
        return velocity_to_bin(self.velocity[0]), velocity_to_bin(self.velocity[1])


@dataclass(frozen=True)
class ClipGuide:
    """What a user's clip asks of one row: prompt bars to continue, and hits locked in place.

    `locks[bar]`: forced hits of that bar (GridAnchor with force=True). `locked_voices` play only their
    locks in every bar; every voice of a bar in `locked_bars` does."""

    prompt: tuple[GridHit, ...] = ()
    prompt_bars: int = 0
    locks: dict[int, tuple[GridAnchor, ...]] = field(default_factory=dict)
    locked_voices: frozenset[int] = frozenset()
    locked_bars: frozenset[int] = frozenset()
    expected_detail: bool = False
    """Play each hit at the model's expected velocity and micro-timing instead of a draw (groove: the
    mean of what the drummers it learned from would play, measured closer to the real performance)."""


NO_GUIDE: Final = ClipGuide()


def expected_detail(logits: np.ndarray, n_offsets: int) -> tuple[int, float]:
    """(velocity 1..127, offset in steps): the means of the model's detail distribution (temperature 1)."""
    probabilities = np.exp(logits - logits.max())
    probabilities /= probabilities.sum()
    by_bins = probabilities.reshape(-1, n_offsets)  # (velocity bins, offset bins)
    velocities = np.array([bin_to_velocity(b) for b in range(by_bins.shape[0])])
    offsets = np.array([bin_to_offset(b) for b in range(n_offsets)])
    velocity = float(by_bins.sum(axis=1) @ velocities)
    offset = float(by_bins.sum(axis=0) @ offsets)
    return max(1, min(127, round(velocity))), offset
