"""The n-gram baselines: proper distributions over the model's events, finite NLL, learning from data."""

from __future__ import annotations

import math

import pytest

from mididrumigen.engine.evaluation.ngram import NgramModel, _Chain
from mididrumigen.engine.pattern import GridHit
from mididrumigen.engine.tokenizer import Conditioning, Tokenizer

COND = Conditioning("rock", "beat", "mid", "4/4", "100-120")


def _sequence(tokenizer: Tokenizer, bars: int, snare_step: int = 4) -> list:  # type: ignore[type-arg]
    hits = []
    for bar in range(bars):
        hits += [GridHit(bar, 0, "kick", 100, 0.0), GridHit(bar, snare_step, "snare", 100, 0.05)]
        hits += [GridHit(bar, step, "closed_hat", 70, 0.0) for step in range(0, 16, 2)]
    return tokenizer.encode(COND, hits, bars)


def test_every_level_of_a_chain_is_a_distribution() -> None:
    chain = _Chain(vocabulary=5, levels=3)
    for symbol, context in [(0, ("a",)), (0, ("a",)), (1, ("a",)), (3, ("b",))]:
        chain.add([(), ("g",), ("g", *context)], symbol)
    for context in (("a",), ("b",), ("never seen",)):
        ladders = [chain.probabilities([(), ("g",), ("g", *context)], s) for s in range(5)]
        for level in range(3):
            assert sum(ladder[level] for ladder in ladders) == pytest.approx(1.0)


@pytest.mark.parametrize("kind", ["compound", "factored"])
def test_ngram_nll_is_finite_and_lower_on_what_it_has_seen(kind: str) -> None:
    tokenizer = Tokenizer()
    model = NgramModel(tokenizer, kind, max_order=3).fit([_sequence(tokenizer, 8)])
    seen, hits = model.bits([_sequence(tokenizer, 2)])
    unseen, _ = model.bits([_sequence(tokenizer, 2, snare_step=5)])
    assert hits == 2 * 10
    for order in (1, 2, 3):
        assert math.isfinite(seen[order]) and seen[order] > 0
        assert seen[order] < unseen[order]
    assert seen[3] < seen[1]  # a repeated groove is predictable from its history


def test_a_genre_the_ngram_never_saw_falls_back_to_all_genres() -> None:
    tokenizer = Tokenizer()
    model = NgramModel(tokenizer, "factored", max_order=2).fit([_sequence(tokenizer, 4)])
    funk = Conditioning("funk", "beat", "mid", "4/4", "100-120")
    hits = [GridHit(0, 0, "kick", 100, 0.0)]
    totals, count = model.bits([tokenizer.encode(funk, hits, 1)])
    assert count == 1 and all(math.isfinite(v) for v in totals.values())
