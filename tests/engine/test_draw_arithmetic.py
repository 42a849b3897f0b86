"""The sampler's draws are the plain float64 formula, bit for bit, however the code is tuned for speed.

Fixed seeds must give the same patterns across releases and runtimes (issue #16), so a faster
filtered_probabilities or draw may change how many numpy calls it makes, never a probability's last
bit. The reference here is the formula written the straightforward way (what the sampler did before
it was tuned): temperature, softmax numerator, top-k, top-p, then one uniform per row.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from mididrumigen.engine.pattern import SamplingSettings
from mididrumigen.engine.sampling import draw, filtered_probabilities


def _reference_probabilities(logits: np.ndarray, settings: SamplingSettings) -> np.ndarray:
    scaled = logits.astype(np.float64) / settings.temperature
    probabilities = np.exp(scaled - scaled.max(axis=-1, keepdims=True))
    width = probabilities.shape[-1]
    if 0 < settings.top_k < width:
        kth = np.partition(probabilities, width - settings.top_k, axis=-1)[..., width - settings.top_k, None]
        probabilities = np.where(probabilities < kth, 0.0, probabilities)
    if settings.top_p < 1.0:
        probabilities = probabilities / probabilities.sum(axis=-1, keepdims=True)
        ordered = -np.sort(-probabilities, axis=-1)
        kept = np.maximum(((np.cumsum(ordered, axis=-1) - ordered) < settings.top_p).sum(axis=-1, keepdims=True), 1)
        smallest_kept = ordered[np.arange(len(ordered))[:, None], kept - 1]
        probabilities = np.where(probabilities < smallest_kept, 0.0, probabilities)
    return probabilities


def _reference_draw(logits: np.ndarray, settings: SamplingSettings,
                    streams: Sequence[np.random.Generator]) -> np.ndarray:
    cumulative = np.cumsum(_reference_probabilities(logits, settings), axis=-1)
    uniforms = np.array([stream.random() for stream in streams]) * cumulative[:, -1]
    return np.minimum((cumulative <= uniforms[:, None]).sum(axis=-1), logits.shape[-1] - 1)


def _random_case(rng: np.random.Generator, dtype: type) -> tuple[np.ndarray, SamplingSettings]:
    """Rows like the sampler's: 1-8 rows, a step/voice/detail width, ties, grammar masks at -inf."""
    rows, width = int(rng.integers(1, 9)), int(rng.choice([9, 17, 33, 64]))
    logits = rng.normal(0.0, float(rng.choice([0.5, 3.0, 10.0])), (rows, width))
    if rng.random() < 0.3:
        logits = np.round(logits)  # ties across the top-k and top-p cut-offs
    masked = rng.random((rows, width)) < float(rng.choice([0.0, 0.3, 0.8]))
    masked[:, 0] = False  # the grammar always leaves one class
    logits[masked] = -np.inf
    settings = SamplingSettings(temperature=float(rng.choice([0.5, 0.9, 1.0, 1.35, 2.0])),
                                top_k=int(rng.choice([0, 1, 3, 12, 100])),
                                top_p=float(rng.choice([1.0, 0.95, 0.9, 0.5, 0.1])))
    return logits.astype(dtype), settings


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_probabilities_and_draws_are_the_plain_formula_bit_for_bit(dtype: type) -> None:
    rng = np.random.default_rng(16)
    for _ in range(1500):
        logits, settings = _random_case(rng, dtype)
        untouched = logits.copy()
        got = filtered_probabilities(logits, settings)
        assert got.dtype == np.float64
        assert np.array_equal(got.view(np.uint64), _reference_probabilities(logits, settings).view(np.uint64))
        assert np.array_equal(logits, untouched)  # worked in place on its own copy, never on the caller's
        seeds = [int(seed) for seed in rng.integers(0, 2**31, len(logits))]
        picks = draw(logits, settings, [np.random.default_rng(seed) for seed in seeds])
        assert picks.tolist() == _reference_draw(logits, settings, [np.random.default_rng(s) for s in seeds]).tolist()
