"""Groove structure: does a pattern hold together bar after bar, as a drummer's take does?

The per-bar measures (features.py, OA) look at each bar alone; they miss a backbeat that comes and
goes, a groove that wanders, or kicks too soft to hear. These measures read a whole clip, on the
16th grid of 4/4 bars (a note snaps to its nearest 16th, so a pushed downbeat still counts), and
only its groove bars: a real beat take's bars, or a generated pattern's bars less its fill bar.

Per clip:
- backbeat: share of groove bars with a snare of at least GHOST_VELOCITY_BELOW within one 16th of
  both beat 2 and beat 4, or (half time) of beat 3.
- half_time: share of groove bars with such a snare near beat 3 and none near beats 2 and 4.
- kick_downbeat: share of groove bars with a kick within one 16th of beat 1.
- repetition: mean Jaccard overlap of the onsets (voice, 16th) of consecutive groove bars, ghost
  notes (snares under GHOST_VELOCITY_BELOW) left out: a groove stated and varied scores high, a
  bar drawn afresh each time scores low.
- seam: the same overlap from a looping clip's last bar into its first (patterns made without a
  fill); its real counterpart is `repetition`, since a seamless loop seam is just one more bar change.
- soft_main: share of main-voice hits (kick, hats, snares on a beat) under SOFT_VELOCITY_BELOW.
- no_snare: share of groove bars without any snare.

Each figure is compared with real beat takes of the style's reference genres (the same validation
takes as the rest of the report), as the real takes' mean and interquartile range over takes. Where
the validation split holds fewer than MIN_REAL_TAKES such takes (hip-hop has one), the train split's
takes join them, and the report says so: a range read from one take is no range. The
target: the generated mean inside the real interquartile range (`margin` says by how much it is in,
negative: out), or, where no IQR exists (too few takes), within 0.1 of the real mean.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from mididrumigen.engine.constants import GHOST_VELOCITY_BELOW
from mididrumigen.engine.data import Performance
from mididrumigen.engine.evaluation.corpus import GeneratedPattern, hits_to_notes, is_four_four
from mididrumigen.engine.evaluation.features import STEPS_PER_BAR, GridNote, NoteLike, to_grid

SOFT_VELOCITY_BELOW: Final = 20
"""A kick, hat or on-beat snare softer than this is one a producer does not hear in a mix."""
MIN_TAKE_BARS: Final = 2
"""A real take needs this many bars for bar-to-bar figures."""
MIN_REAL_TAKES: Final = 5
FALLBACK_TOLERANCE: Final = 0.1
AT_MOST: Final = ("soft_main", "no_snare")
MEASURES: Final = ("backbeat", "half_time", "kick_downbeat", "repetition", "seam", "soft_main", "no_snare")
_HATS: Final = ("closed_hat", "open_hat")


@dataclass(frozen=True)
class _Clip:
    """One clip on the grid: its notes by bar, which bars are groove bars, and whether it loops."""

    bars: list[list[GridNote]]
    groove: list[int]
    loops: bool


def _clip(notes: Sequence[NoteLike], bars: int, groove: Sequence[int], loops: bool) -> _Clip:
    by_bar: list[list[GridNote]] = [[] for _ in range(bars)]
    for note in to_grid(notes, bars if loops else None):
        if 0 <= note.bar < bars:
            by_bar[note.bar].append(note)
    return _Clip(by_bar, list(groove), loops)


def _near(bar: Sequence[GridNote], voice_ok: Any, step: int) -> bool:
    """A note of an accepted voice within one 16th of `step` (this bar only; the grid is per bar)."""
    return any(voice_ok(n) and abs(n.step - step) <= 1 for n in bar)


def _strong_snare(note: GridNote) -> bool:
    return note.voice == "snare" and note.velocity >= GHOST_VELOCITY_BELOW


def _backbone(bar: Sequence[GridNote]) -> set[tuple[str, int]]:
    return {(n.voice, n.step) for n in bar if not (n.voice == "snare" and n.velocity < GHOST_VELOCITY_BELOW)}


def _jaccard(a: set[tuple[str, int]], b: set[tuple[str, int]]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else math.nan


def _is_main(note: GridNote) -> bool:
    return note.voice == "kick" or note.voice in _HATS or (note.voice == "snare" and note.step % 4 == 0)


def _mean(values: Sequence[float]) -> float:
    kept = [v for v in values if math.isfinite(v)]
    return float(np.mean(kept)) if kept else math.nan


def clip_structure(clip: _Clip) -> dict[str, float]:
    """Every measure of one clip (NaN where the clip has no bars for it)."""
    bars = [clip.bars[b] for b in clip.groove]
    two_four = [_near(b, _strong_snare, 4) and _near(b, _strong_snare, 12) for b in bars]
    three = [_near(b, _strong_snare, 8) for b in bars]
    consecutive = [(a, b) for a, b in zip(clip.groove, clip.groove[1:]) if b == a + 1]
    main = [n for b in bars for n in b if _is_main(n)]
    seam = math.nan
    if clip.loops and len(clip.bars) >= 2:
        seam = _jaccard(_backbone(clip.bars[-1]), _backbone(clip.bars[0]))
    return {
        "backbeat": _mean([float(x or y) for x, y in zip(two_four, three)]),
        "half_time": _mean([float(y and not x) for x, y in zip(two_four, three)]),
        "kick_downbeat": _mean([float(_near(b, lambda n: n.voice == "kick", 0)) for b in bars]),
        "repetition": _mean([_jaccard(_backbone(clip.bars[a]), _backbone(clip.bars[b])) for a, b in consecutive]),
        "seam": seam,
        "soft_main": (sum(n.velocity < SOFT_VELOCITY_BELOW for n in main) / len(main)) if main else math.nan,
        "no_snare": _mean([float(not any(n.voice == "snare" for n in b)) for b in bars]),
    }


def real_structure(performances: Sequence[Performance], genres: Sequence[str]) -> list[dict[str, float]]:
    """The measures of each real 4/4 beat take of `genres` with at least MIN_TAKE_BARS bars."""
    rows = []
    for take in performances:
        if take.feel != "beat" or take.genre not in genres or not is_four_four(take) or take.bars < MIN_TAKE_BARS:
            continue
        rows.append(clip_structure(_clip(hits_to_notes(take.hits), take.bars, range(take.bars), loops=False)))
    return rows


def generated_structure(patterns: Sequence[GeneratedPattern], loops: bool = False) -> list[dict[str, float]]:
    """The measures of each generated pattern as a producer gets it (humanized notes); the last bar of
    a pattern made with a fill is not a groove bar. `loops`: the patterns were made without a fill."""
    rows = []
    for g in patterns:
        bars = g.pattern.bars
        groove = range(bars) if loops or bars < 4 else range(bars - 1)
        rows.append(clip_structure(_clip(g.pattern.notes, bars, groove, loops=True)))
    return rows


def _summary(rows: Sequence[dict[str, float]], measure: str) -> dict[str, float]:
    values = np.array([r[measure] for r in rows if math.isfinite(r[measure])], dtype=float)
    if not len(values):
        return {"mean": math.nan, "q1": math.nan, "q3": math.nan, "n": 0}
    q1, q3 = np.percentile(values, [25, 75])
    return {"mean": float(values.mean()), "q1": float(q1), "q3": float(q3), "n": int(len(values))}


def compare(generated: dict[str, float], real: dict[str, float], at_most: bool = False) -> tuple[bool | None, float]:
    """(holds, margin): inside the real IQR, margin = distance to its nearer edge (negative: outside);
    `at_most`: only the upper edge counts. An IQR of zero width (most takes alike) or missing takes
    falls back to FALLBACK_TOLERANCE of the mean."""
    value = generated["mean"]
    if not math.isfinite(value) or not math.isfinite(real["mean"]):
        return None, math.nan
    low, high = real["q1"], real["q3"]
    if not (math.isfinite(low) and math.isfinite(high)) or high - low < 1e-9:
        low, high = real["mean"] - FALLBACK_TOLERANCE, real["mean"] + FALLBACK_TOLERANCE
    margin = high - value if at_most else min(value - low, high - value)
    return margin >= 0, margin


def structure_metrics(patterns: Sequence[GeneratedPattern], loop_patterns: Sequence[GeneratedPattern],
                      validation: Sequence[Performance], train: Sequence[Performance],
                      genres: Sequence[str]) -> dict[str, Any]:
    """Per measure: the generated and real summaries and the comparison. The seam is read from
    `loop_patterns` (made without a fill) and compared with the real takes' bar-to-bar repetition."""
    generated_rows = generated_structure(patterns)
    loop_rows = generated_structure(loop_patterns, loops=True)
    real_rows = real_structure(validation, genres)
    reference = "validation"
    if len(real_rows) < MIN_REAL_TAKES:
        real_rows += real_structure(train, genres)
        reference = "validation+train"
    metrics: dict[str, Any] = {"real_takes": len(real_rows), "reference_split": reference,
                               "generated_patterns": len(generated_rows), "loop_patterns": len(loop_rows)}
    for measure in MEASURES:
        generated = _summary(loop_rows if measure == "seam" else generated_rows, measure)
        real = _summary(real_rows, "repetition" if measure == "seam" else measure)
        holds, margin = compare(generated, real, at_most=measure in AT_MOST)
        metrics[measure] = {"generated": generated, "real": real, "holds": holds, "margin": margin}
    return metrics
