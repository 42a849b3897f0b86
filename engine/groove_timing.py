"""How far groove trusts the model's micro-timing: its expected offset, scaled toward the grid.

WHY: a stiff clip tells the model the genre, the tempo band and the pattern, never the drummer's own
push and drag, so its expected offset for a hit follows the real drummer's only loosely (per-note r
about 0.2-0.3 on validation takes). For a guess that loose the least absolute error comes from
scaling it down toward the grid (the least-squares slope is r x the real offsets' spread / the
guesses' spread), so groove plays each hit at GROOVE_TIMING_SHRINK times the model's expected offset.
The scaling comes before the preset's feel steers the hits, so a voice the preset places still has
its median where the preset says; only the note-to-note timing is scaled.

The factor is fitted on validation takes that eval section 7 never measures:
`python -m mididrumigen.engine.evaluation.groove_calibration --data ../shared/data/groove`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from mididrumigen.engine.pattern import GridHit

GROOVE_TIMING_SHRINK: Final = 0.9
"""Fitted by engine.evaluation.groove_calibration for the shipped model (mididrumigen@1410, stage 4) on
11 validation beat takes outside section 7's, 117 four-bar windows, 8,272 hits: timing MAE 18.79 ms at
0.90 against 18.81 unscaled and 21.63 on the grid (r 0.30). A flat optimum (0.80 to 1.00 all within
0.06 ms of it): the factor matters little on these takes; refit it whenever the model changes."""


def scaled_timing(hits: Sequence[GridHit], shrink: float = GROOVE_TIMING_SHRINK) -> list[GridHit]:
    """The hits with each micro-timing offset scaled by `shrink` (1 keeps them as they are).

    Raises:
        ValueError: `shrink` is outside 0..1 (past 1 would push hits further than the model expects).
    """
    if not 0.0 <= shrink <= 1.0:
        raise ValueError(f"shrink must be in range 0..1, got {shrink!r}")
    return [GridHit(h.bar, h.step, h.voice, h.velocity, h.offset_steps * shrink) for h in hits]
