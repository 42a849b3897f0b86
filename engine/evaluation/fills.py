"""Fills: does the last bar of a phrase play as densely as a real drummer's fill?

Issue 5 asks that a pattern of 4 or more bars end its phrase with a fill whose density matches real
fills. Generated fill bars: the last bar of each generated pattern, from the model's own hits (the
eval's patterns are 4 bars, so each ends with a fill); generated groove bars: the other bars. Real
fill bars: from each 4/4 fill take of the reference genres (the Groove MIDI Dataset labels every take
beat or fill), its last bar with at least MIN_FILL_HITS hits: that is the fill, as many fill takes
end on a lone crash in a bar of its own, which is the landing, not the fill.

Two densities per bar: hits, and tom hits (fills move to the toms). Each is compared by OA
(overlap.py) with the real validation fill bars, against the ceiling: real train fill bars against
the same validation fill bars; real bars are weighted so each genre has the same total weight. Our
target (the issue names no number): hits-per-bar OA at least 75% of its ceiling, the bar every
groove feature must clear.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

import numpy as np

from mididrumigen.engine.data import Performance
from mididrumigen.engine.dataset import bar_tables
from mididrumigen.engine.evaluation.corpus import GeneratedPattern, is_four_four
from mididrumigen.engine.evaluation.features import FAMILIES
from mididrumigen.engine.evaluation.overlap import label_weights, overlap_area

MIN_FILL_HITS: Final = 4


def _density(hits: Sequence[Any]) -> tuple[int, int]:
    return len(hits), sum(h.voice in FAMILIES["tom"] for h in hits)


def real_fill_bars(performances: Sequence[Performance], genres: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """(hits, toms) of each fill take's fill bar, and the take's genre."""
    rows, labels = [], []
    takes = [p for p in performances if p.feel == "fill" and p.genre in genres and is_four_four(p)]
    for table in bar_tables(takes):
        fills = [bar for bar in table.bars if len(bar) >= MIN_FILL_HITS]
        if fills:
            rows.append(_density(fills[-1]))
            labels.append(table.performance.genre)
    return np.array(rows, dtype=float).reshape(-1, 2), labels


def generated_bars(patterns: Sequence[GeneratedPattern]) -> tuple[np.ndarray, np.ndarray]:
    """(hits, toms) of each pattern's last bar, and of every other bar."""
    fills: list[tuple[int, int]] = []
    grooves: list[tuple[int, int]] = []
    for g in patterns:
        last = g.pattern.bars - 1
        for bar in range(g.pattern.bars):
            row = _density([h for h in g.model_hits if h.bar == bar])
            (fills if bar == last else grooves).append(row)
    return np.array(fills, dtype=float).reshape(-1, 2), np.array(grooves, dtype=float).reshape(-1, 2)


def fill_metrics(patterns: Sequence[GeneratedPattern], train: Sequence[Performance],
                 validation: Sequence[Performance], genres: Sequence[str]) -> dict[str, Any]:
    """Mean densities and OA against real fills, per density; NaN where a side has no bars."""
    fills, grooves = generated_bars(patterns)
    real_val, val_labels = real_fill_bars(validation, genres)
    real_train, train_labels = real_fill_bars(train, genres)
    metrics: dict[str, Any] = {"generated_fill_bars": len(fills), "real_validation_fill_bars": len(real_val),
                               "real_train_fill_bars": len(real_train)}
    for column, name in enumerate(("hits", "toms")):
        row = {"generated_fill_mean": float(fills[:, column].mean()) if len(fills) else math.nan,
               "generated_groove_mean": float(grooves[:, column].mean()) if len(grooves) else math.nan,
               "real_fill_mean": math.nan, "oa": math.nan, "ceiling": math.nan, "ratio": math.nan}
        if len(real_val) and len(fills):
            weights = label_weights(val_labels)
            row["real_fill_mean"] = float(np.sum(real_val[:, column] * weights) / np.sum(weights))
            row["oa"] = overlap_area(fills[:, column], real_val[:, column], None, weights)
            if len(real_train):
                row["ceiling"] = overlap_area(real_train[:, column], real_val[:, column],
                                              label_weights(train_labels), weights)
                row["ratio"] = row["oa"] / row["ceiling"] if row["ceiling"] > 0 else math.nan
        metrics[name] = row
    return metrics
