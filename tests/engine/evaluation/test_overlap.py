"""Overlapping area of two samples: 1 for the same sample, 0 for disjoint ones, in between otherwise."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mididrumigen.engine.evaluation.overlap import overlap_area, scott_bandwidth


def test_identical_samples_overlap_fully_and_disjoint_ones_not_at_all() -> None:
    rng = np.random.default_rng(0)
    sample = rng.normal(0.0, 1.0, 500)
    assert overlap_area(sample, sample) == pytest.approx(1.0, abs=1e-3)
    assert overlap_area(sample, sample + 100.0) < 1e-3


def test_two_unit_gaussians_one_sigma_apart_overlap_as_theory_says() -> None:
    # OA of N(0,1) and N(1,1) is 2 * Phi(-1/2) = 0.617; a KDE of 4000 draws each comes close.
    rng = np.random.default_rng(1)
    expected = 1.0 + math.erf(-0.5 / math.sqrt(2.0))
    assert overlap_area(rng.normal(0, 1, 4000), rng.normal(1, 1, 4000)) == pytest.approx(expected, abs=0.03)


def test_constant_samples_are_defined() -> None:
    zeros = np.zeros(50)
    assert overlap_area(zeros, zeros) == pytest.approx(1.0, abs=1e-3)
    assert overlap_area(zeros, zeros + 3.0) < 1e-3
    assert math.isnan(overlap_area(np.array([1.0]), zeros))


def test_scott_bandwidth_matches_scipys_rule_and_weights_count_effective_size() -> None:
    sample = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    assert scott_bandwidth(sample) == pytest.approx(np.std(sample, ddof=1) * 5 ** (-0.2))
    # Weights that double every point describe the same sample.
    assert scott_bandwidth(sample, np.full(5, 2.0)) == pytest.approx(scott_bandwidth(sample))


def test_weights_shift_the_density() -> None:
    a = np.array([0.0, 0.1, 10.0, 10.1])
    only_low = np.array([1.0, 1.0, 1e-9, 1e-9])
    assert overlap_area(a, np.array([0.0, 0.1]), weights_a=only_low) > overlap_area(a, np.array([0.0, 0.1]))


def test_a_sample_without_spread_is_smoothed_like_the_sample_it_is_compared_with() -> None:
    rng = np.random.default_rng(2)
    real = rng.normal(0.0, 1.0, 2000)
    # A point mass at the mode of N(0, 1), smoothed with the real sample's kernel, overlaps it in part; one far in
    # the tail hardly at all; and OA is symmetric.
    at_mode = overlap_area(np.zeros(100), real)
    far_out = overlap_area(np.full(100, 4.0), real)
    assert 0.2 < at_mode < 0.6 and far_out < 0.05 and at_mode == pytest.approx(overlap_area(real, np.zeros(100)))
