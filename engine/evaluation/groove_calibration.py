"""Fit groove's timing shrink (engine.groove_timing.GROOVE_TIMING_SHRINK) reproducibly.

Calibration takes: the validation split's 4/4 beat takes of at least CLIP_BARS bars, at a tempo the
engine accepts, that eval section 7 never measures (not among `clip_takes(..., CLIP_TAKES_PER_GENRE_MAX)`),
so the factor is fitted and judged on different drummers' takes. Every whole 4-bar window of each take
is stripped to the grid at velocity 100 and grooved by the model alone (its own genre, no humanization);
the model's expected micro-timing of each hit (GenerationResult.model_hits, before any shrink) is paired
with the drummer's offset, both in ms. The factor is the one on a 0.05 grid in 0..1 with the least mean
absolute error.

Run: `python -m mididrumigen.engine.evaluation.groove_calibration --data ../shared/data/groove`
(prints the error at every factor and the fitted one; about a minute on a 2-core CPU).
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np

from mididrumigen.engine.constants import STEPS_PER_BEAT
from mididrumigen.engine.data import Performance
from mididrumigen.engine.evaluation.clip_eval import (
    CLIP_BARS,
    CLIP_TAKES_PER_GENRE_MAX,
    clip_registry,
    clip_takes,
    model_groove,
    take_bars,
)
from mididrumigen.engine.evaluation.corpus import is_four_four, load_split
from mididrumigen.engine.generate import Engine
from mididrumigen.engine.tokenizer import canonical_hits
from mididrumigen.engine.units import beats_to_ms

FACTORS: Final = tuple(round(0.05 * i, 2) for i in range(21))
_TEMPO_RANGE_BPM: Final = (60.0, 200.0)


@dataclass(frozen=True)
class TimingPairs:
    """The model's expected offset and the drummer's, per hit, in ms."""

    model_ms: np.ndarray
    real_ms: np.ndarray
    takes: int
    windows: int


def calibration_takes(performances: Sequence[Performance]) -> list[Performance]:
    """Validation beat takes section 7 never measures (see the module docstring)."""
    measured = {take.path for group in clip_takes(performances, CLIP_TAKES_PER_GENRE_MAX).values() for take in group}
    low, high = _TEMPO_RANGE_BPM
    return [t for t in performances if is_four_four(t) and t.feel == "beat" and t.bars >= CLIP_BARS
            and t.path not in measured and low <= t.tempo_bpm <= high]


def timing_pairs(engine: Engine, takes: Sequence[Performance], seed: int = 0) -> TimingPairs:
    """Groove every whole 4-bar window of `takes` with the model alone; `engine` must hold clip_registry's
    dry presets for the takes' genres."""
    model_ms: list[float] = []
    real_ms: list[float] = []
    windows = 0
    for take in takes:
        for first in range(0, take.bars - CLIP_BARS + 1, CLIP_BARS):
            real = {(h.bar, h.step, h.voice): h for h in canonical_hits(take_bars(take.hits, first, CLIP_BARS))}
            if not real:
                continue
            result = model_groove(engine, take.genre, list(real.values()), take.tempo_bpm, seed + windows)
            windows += 1
            for hit in result.model_hits:
                drummer = real.get((hit.bar, hit.step, hit.voice))
                if drummer is not None:
                    model_ms.append(beats_to_ms(hit.offset_steps / STEPS_PER_BEAT, take.tempo_bpm))
                    real_ms.append(beats_to_ms(drummer.offset_steps / STEPS_PER_BEAT, take.tempo_bpm))
    return TimingPairs(np.array(model_ms), np.array(real_ms), len(takes), windows)


def shrink_errors(pairs: TimingPairs, factors: Sequence[float] = FACTORS) -> dict[float, float]:
    """Mean absolute timing error (ms) of the model's offsets scaled by each factor."""
    return {factor: float(np.mean(np.abs(factor * pairs.model_ms - pairs.real_ms))) for factor in factors}


def fitted_shrink(pairs: TimingPairs, factors: Sequence[float] = FACTORS) -> float:
    """The factor with the least mean absolute error (the smaller one on a tie).

    Raises:
        ValueError: there are no pairs to fit on.
    """
    if not len(pairs.model_ms):
        raise ValueError("no calibration hits: the split has no beat takes outside section 7's")
    errors = shrink_errors(pairs, factors)
    return min(errors, key=lambda factor: (errors[factor], factor))


def main(argv: Sequence[str] | None = None) -> int:
    """Print the calibration error at every factor and the fitted factor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the Groove MIDI Dataset folder")
    parser.add_argument("--split", default="validation")
    parser.add_argument("--model", type=Path, default=None, help="checkpoint (default: the shipped model)")
    args = parser.parse_args(argv)
    performances = load_split(args.data, args.split)
    takes = calibration_takes(performances)
    base = Engine(args.model)
    engine = Engine(args.model, clip_registry(base.presets, takes))
    pairs = timing_pairs(engine, takes)
    errors = shrink_errors(pairs)
    print(f"{pairs.takes} takes, {pairs.windows} four-bar windows, {len(pairs.model_ms)} hits; "  # noqa: T201
          f"grid {float(np.mean(np.abs(pairs.real_ms))):.2f} ms, "
          f"r {float(np.corrcoef(pairs.model_ms, pairs.real_ms)[0, 1]):.3f}, "
          f"median drummer offset {statistics.median(pairs.real_ms.tolist()):.1f} ms")
    for factor, error in errors.items():
        print(f"shrink {factor:.2f}: timing MAE {error:.2f} ms")  # noqa: T201
    print(f"fitted shrink: {fitted_shrink(pairs):.2f}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
