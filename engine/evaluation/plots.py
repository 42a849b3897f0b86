"""Plots of the eval report: feature distributions real vs generated per style, and a piano roll per style."""

from __future__ import annotations

import io
import math
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless, as in engine.plot

import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from mididrumigen.engine.evaluation.features import FEATURES, FeatureTable  # noqa: E402
from mididrumigen.engine.files import atomic_write_bytes  # noqa: E402
from mididrumigen.engine.pattern import Pattern  # noqa: E402
from mididrumigen.engine.plot import save_piano_roll  # noqa: E402

_COLUMNS = 4


def _defined(table: FeatureTable, feature: str) -> tuple[np.ndarray, list[str]]:
    column = table.values[:, FEATURES.index(feature)]
    keep = ~np.isnan(column)
    return column[keep], [label for label, k in zip(table.labels, keep) if k]


def save_feature_plot(path: Path, title: str, generated: FeatureTable, real: FeatureTable) -> Path:
    """One histogram per feature: real bars (each genre weighted equally) against generated bars."""
    rows = math.ceil(len(FEATURES) / _COLUMNS)
    figure = Figure(figsize=(4.0 * _COLUMNS, 2.8 * rows), dpi=90)
    FigureCanvasAgg(figure)
    for index, feature in enumerate(FEATURES):
        axes = figure.add_subplot(rows, _COLUMNS, index + 1)
        real_values, real_labels = _defined(real, feature)
        generated_values, _ = _defined(generated, feature)
        both = np.concatenate([real_values, generated_values])
        if len(both) == 0:
            axes.set_title(f"{feature} (no data)", fontsize=9)
            continue
        low, high = float(both.min()), float(both.max())
        bins = np.linspace(low, high if high > low else low + 1.0, 25)
        if len(real_values):
            counts = Counter(real_labels)
            weights = np.array([1.0 / counts[label] for label in real_labels])
            axes.hist(real_values, bins=bins, weights=weights, density=True, alpha=0.5, color="tab:blue",
                      label="real (validation)")
        if len(generated_values):
            axes.hist(generated_values, bins=bins, density=True, histtype="step", linewidth=1.5, color="tab:red",
                      label="generated")
        axes.set_title(feature, fontsize=9)
        axes.tick_params(labelsize=7)
        if index == 0:
            axes.legend(fontsize=7)
    figure.suptitle(title, fontsize=11)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return atomic_write_bytes(path, buffer.getvalue())


def save_pattern_roll(path: Path, pattern: Pattern) -> Path:
    return save_piano_roll(pattern, path)
