"""Overlapping area (OA) of two 1-D samples, from Gaussian kernel density estimates (numpy only).

As in Yang & Lerch, "On the evaluation of generative models in music" (Neural Computing and
Applications, 2020): smooth each sample with a Gaussian KDE and integrate the smaller of the two
densities, OA = integral of min(p, q) dx, which is 1 for identical distributions and 0 for
disjoint ones. (Yang & Lerch apply it to distributions of pairwise distances; issue 5 applies the
same OA to the per-bar feature values themselves.)

The KDE matches scipy.stats.gaussian_kde with its default bandwidth: Scott's rule, kernel
std = sample std (weighted, unbiased) * n_eff ** (-1/5), n_eff = (sum w)^2 / sum w^2. A sample with
no spread (a count that is always 0, a loop that repeats one bar), whose KDE would be undefined, is
smoothed with the other sample's kernel, i.e. at the resolution of what it is compared with; when
neither has spread, with 1% of their pooled range (1 if they are the same constant). Both densities are
evaluated on one shared grid of GRID_POINTS points covering both samples +- 4 kernel widths, and
integrated with the trapezoid rule.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Final

import numpy as np

GRID_POINTS: Final = 2048
_CHUNK: Final = 4096


def scott_bandwidth(sample: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Kernel standard deviation by Scott's rule (0.0 for a sample without spread)."""
    w = np.ones(len(sample)) if weights is None else np.asarray(weights, dtype=float)
    w = w / w.sum()
    n_eff = 1.0 / float(np.sum(w**2))
    mean = float(np.sum(w * sample))
    # Unbiased weighted variance, as numpy.cov(aweights=...) computes it.
    variance = float(np.sum(w * (sample - mean) ** 2)) / max(1e-12, 1.0 - float(np.sum(w**2)))
    return math.sqrt(max(variance, 0.0)) * n_eff ** (-1.0 / 5.0)


def kde(sample: np.ndarray, grid: np.ndarray, bandwidth: float, weights: np.ndarray | None = None) -> np.ndarray:
    """Gaussian KDE of `sample` evaluated on `grid`; integrates to 1 (up to the grid's reach)."""
    w = np.ones(len(sample)) if weights is None else np.asarray(weights, dtype=float)
    w = w / w.sum()
    density = np.zeros_like(grid)
    norm = 1.0 / (bandwidth * math.sqrt(2.0 * math.pi))
    for start in range(0, len(sample), _CHUNK):
        part = sample[start:start + _CHUNK]
        z = (grid[None, :] - part[:, None]) / bandwidth  # (n, G)
        density += (w[start:start + _CHUNK, None] * np.exp(-0.5 * z * z)).sum(axis=0)
    return density * norm


def overlap_area(a: np.ndarray, b: np.ndarray, weights_a: np.ndarray | None = None,
                 weights_b: np.ndarray | None = None) -> float:
    """OA of two samples in [0, 1]; NaN when either has fewer than 2 values.

    Args:
        a, b: the two samples (NaNs must be dropped by the caller).
        weights_a, weights_b: optional non-negative weights (e.g. to give each genre equal mass).
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if len(a) < 2 or len(b) < 2:
        return math.nan
    both = np.concatenate([a, b])
    pooled_range = float(both.max() - both.min())
    floor = 0.01 * pooled_range if pooled_range > 0 else 1.0
    bw_a, bw_b = scott_bandwidth(a, weights_a), scott_bandwidth(b, weights_b)
    bw_a = bw_a if bw_a > 0 else (bw_b if bw_b > 0 else floor)
    bw_b = bw_b if bw_b > 0 else (bw_a if bw_a > 0 else floor)
    reach = 4.0 * max(bw_a, bw_b)
    grid = np.linspace(float(both.min()) - reach, float(both.max()) + reach, GRID_POINTS)
    shared = np.minimum(kde(a, grid, bw_a, weights_a), kde(b, grid, bw_b, weights_b))
    return float(min(1.0, np.trapezoid(shared, grid)))


def label_weights(labels: Sequence[str]) -> np.ndarray:
    """Weights that give each label the same total: a style picks its genres with equal chance."""
    counts = Counter(labels)
    return np.array([1.0 / counts[label] for label in labels])
