"""How late off-beat notes sit against the on-beat notes of the same voice: the one swing measure
that the humanizer steers by and that `mididrumigen eval` reports (engine.evaluation.features)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol


class OnGrid(Protocol):
    """Anything read on the 16th grid: a model hit (GridHit) or a note measured by eval (GridNote)."""

    @property
    def step(self) -> int: ...

    @property
    def voice(self) -> str: ...

    @property
    def offset_steps(self) -> float: ...


def pair_lateness(notes: Sequence[OnGrid], late: int, early: int, modulus: int) -> tuple[float, int]:
    """Per voice with notes on both kinds of step (step % modulus == late, == early): the mean offset
    of its late-step notes minus that of its early-step notes, summed weighted by its late-step notes.

    Returns (weighted sum, weight); their ratio is the lateness in steps, 0 / 0 when no voice has both.
    Voices are visited in sorted order, so the float sum is the same in every process.
    """
    total, weight = 0.0, 0
    for voice in sorted({n.voice for n in notes}):
        late_offsets = [n.offset_steps for n in notes if n.voice == voice and n.step % modulus == late]
        early_offsets = [n.offset_steps for n in notes if n.voice == voice and n.step % modulus == early]
        if late_offsets and early_offsets:
            mean_late = math.fsum(late_offsets) / len(late_offsets)
            mean_early = math.fsum(early_offsets) / len(early_offsets)
            total += len(late_offsets) * (mean_late - mean_early)
            weight += len(late_offsets)
    return total, weight


def off_beat_lateness_steps(notes: Sequence[OnGrid]) -> float:
    """How late the off-beat 16ths sit against the on-beat ones, in steps (0 when no voice has both)."""
    total, weight = pair_lateness(notes, 1, 0, 2)
    return total / weight if weight else 0.0
