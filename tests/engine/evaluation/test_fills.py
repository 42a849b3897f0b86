"""Fill density: which bars count as fills, real and generated, and how they are compared."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from mididrumigen.engine.data import Performance
from mididrumigen.engine.evaluation.corpus import GeneratedPattern
from mididrumigen.engine.evaluation.fills import MIN_FILL_HITS, fill_metrics, generated_bars, real_fill_bars
from mididrumigen.engine.pattern import GridHit, Pattern


def _take(genre: str, feel: str, bars: list[list[str]]) -> Performance:
    hits = tuple(GridHit(bar, step, voice, 90, 0.0) for bar, voices in enumerate(bars)
                 for step, voice in enumerate(voices))
    return Performance(Path(f"{genre}_{feel}.mid"), genre, feel, 95.0, 4, 4, "drummer1", hits, len(bars))


def _generated(bars: list[list[str]]) -> GeneratedPattern:
    hits = tuple(GridHit(bar, step, voice, 90, 0.0) for bar, voices in enumerate(bars)
                 for step, voice in enumerate(voices))
    pattern = Pattern(notes=(), bars=len(bars), numerator=4, denominator=4, tempo_bpm=95.0, style_id="x",
                      pattern_type="verse", seed=0, humanized=True)
    return GeneratedPattern(pattern, hits, "funk")


def test_a_real_fill_is_the_last_bar_with_enough_hits_not_the_landing_crash() -> None:
    fill = ["snare", "low_tom", "mid_tom", "high_tom", "low_tom", "snare"]
    takes = [
        _take("funk", "fill", [["kick"] * 8, fill, ["crash"]]),  # groove, fill, lone crash landing
        _take("funk", "beat", [fill]),  # a groove take: not a fill
        _take("rock", "fill", [fill]),  # another genre
        _take("funk", "fill", [["crash"] * (MIN_FILL_HITS - 1)]),  # nothing dense enough
    ]
    rows, labels = real_fill_bars(takes, ["funk"])
    assert rows.tolist() == [[6, 4]]
    assert labels == ["funk"]


def test_the_generated_fill_is_the_last_bar_and_the_rest_are_groove() -> None:
    fills, grooves = generated_bars([_generated([["kick", "snare"], ["kick"], ["low_tom", "mid_tom", "snare"]])])
    assert fills.tolist() == [[3, 2]]
    assert grooves.tolist() == [[2, 0], [1, 0]]


def test_fills_like_the_real_ones_overlap_and_unlike_ones_do_not() -> None:
    fill = ["snare", "low_tom", "mid_tom", "high_tom", "low_tom", "snare"]
    real = [_take("funk", "fill", [fill + ["kick"] * extra]) for extra in range(6)]
    alike = [_generated([["kick"] * 8, fill + ["kick"] * (extra % 6)]) for extra in range(12)]
    unlike = [_generated([["kick"] * 8, ["kick"] * (30 + extra % 6)]) for extra in range(12)]
    good = fill_metrics(alike, real, real, ["funk"])
    bad = fill_metrics(unlike, real, real, ["funk"])
    assert good["hits"]["ceiling"] == pytest.approx(1.0, abs=1e-3)
    assert good["hits"]["ratio"] > 0.9
    assert bad["hits"]["ratio"] < 0.1
    assert good["toms"]["generated_fill_mean"] == 4 and good["toms"]["generated_groove_mean"] == 0
    assert math.isnan(fill_metrics(alike, real, [], ["funk"])["hits"]["oa"])  # no real fills: not measured
