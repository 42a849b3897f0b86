"""A small genre classifier of single bars, trained on real train-split bars, that labels generated bars.

Multinomial logistic regression (one linear layer and a softmax, in torch) on each bar's 13 groove
features plus its 9 x 16 onset grid (1 where a voice plays a step). Undefined features are set to
the training mean and flagged by an indicator column; features are standardised with the training
mean and std. The loss weighs each genre by 1 / its number of training bars ("balanced"), so rock's
many bars do not swamp the rest; genres with fewer than MIN_TRAIN_BARS training bars are left out.
Full-batch L-BFGS with a small L2 penalty; seeded, so the same data gives the same classifier.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import torch
import torch.nn.functional as F

from mididrumigen.engine.evaluation.features import FeatureTable

MIN_TRAIN_BARS: Final = 40
L2_PENALTY: Final = 1e-3
LBFGS_STEPS: Final = 60


@dataclass(frozen=True)
class _Scaler:
    mean: np.ndarray
    std: np.ndarray
    flagged: np.ndarray  # feature columns that can be undefined: each gets an indicator column

    def matrix(self, table: FeatureTable) -> torch.Tensor:
        values = table.values
        missing = np.isnan(values)
        filled = np.where(missing, self.mean, values)
        scaled = (filled - self.mean) / self.std
        parts = [scaled, missing[:, self.flagged].astype(float), table.onsets.astype(float)]
        return torch.tensor(np.concatenate(parts, axis=1), dtype=torch.float32)  # (N, D)


@dataclass(frozen=True)
class GenreClassifier:
    genres: tuple[str, ...]
    scaler: _Scaler
    weight: torch.Tensor  # (C, D)
    bias: torch.Tensor  # (C,)

    def predict(self, table: FeatureTable) -> list[str]:
        if not len(table):
            return []
        logits = self.scaler.matrix(table) @ self.weight.T + self.bias  # (N, C)
        return [self.genres[i] for i in logits.argmax(dim=1).tolist()]


@dataclass(frozen=True)
class ClassifierScore:
    accuracy: float  # share of validation bars (of the classifier's genres) labelled with their genre
    balanced_accuracy: float  # mean over genres of that share per genre
    bars: int
    genres: tuple[str, ...]
    per_genre: dict[str, float]


def train_classifier(train: FeatureTable, seed: int = 0) -> GenreClassifier:
    """Fit on real bars labelled with their genre (see the module docstring).

    Raises:
        ValueError: fewer than two genres have MIN_TRAIN_BARS bars.
    """
    counts = Counter(train.labels)
    genres = tuple(sorted(g for g, n in counts.items() if n >= MIN_TRAIN_BARS))
    if len(genres) < 2:
        raise ValueError(f"the genre classifier needs two genres with at least {MIN_TRAIN_BARS} bars, "
                         f"got {dict(counts)}")
    table = train.where(train.with_labels(genres))
    mean = np.nanmean(table.values, axis=0)
    mean = np.where(np.isnan(mean), 0.0, mean)
    std = np.nanstd(table.values, axis=0)
    std = np.where(np.isnan(std) | (std == 0), 1.0, std)
    flagged = np.isnan(table.values).any(axis=0)
    scaler = _Scaler(mean, std, flagged)
    x = scaler.matrix(table)  # (N, D)
    index = {g: i for i, g in enumerate(genres)}
    y = torch.tensor([index[label] for label in table.labels])
    class_weight = torch.tensor([len(table) / (len(genres) * counts[g]) for g in genres], dtype=torch.float32)
    generator = torch.Generator().manual_seed(seed)
    weight = (0.01 * torch.randn(len(genres), x.shape[1], generator=generator)).requires_grad_()
    bias = torch.zeros(len(genres), requires_grad=True)
    optimizer = torch.optim.LBFGS([weight, bias], max_iter=LBFGS_STEPS, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = F.cross_entropy(x @ weight.T + bias, y, weight=class_weight) + L2_PENALTY * weight.pow(2).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    return GenreClassifier(genres, scaler, weight.detach(), bias.detach())


def score(classifier: GenreClassifier, validation: FeatureTable) -> ClassifierScore:
    """Accuracy on real validation bars of the classifier's genres."""
    table = validation.where(validation.with_labels(classifier.genres))
    predicted = classifier.predict(table)
    right = [p == t for p, t in zip(predicted, table.labels)]
    per_genre = {}
    for genre in classifier.genres:
        mine = [r for r, t in zip(right, table.labels) if t == genre]
        if mine:
            per_genre[genre] = float(np.mean(mine))
    return ClassifierScore(
        accuracy=float(np.mean(right)) if right else float("nan"),
        balanced_accuracy=float(np.mean(list(per_genre.values()))) if per_genre else float("nan"),
        bars=len(table),
        genres=classifier.genres,
        per_genre=per_genre,
    )


def in_genre_rate(classifier: GenreClassifier, table: FeatureTable, genres: Sequence[str],
                  by_label: bool = False) -> float:
    """Share of `table`'s bars labelled as one of `genres`.

    Args:
        by_label: average the share over the table's own labels (one genre each) instead of over
            bars, so each genre of a style weighs the same whatever its number of bars.
    """
    if not len(table):
        return float("nan")
    hits = np.array([p in set(genres) for p in classifier.predict(table)])
    if not by_label:
        return float(hits.mean())
    labels = np.asarray(table.labels, dtype=object)
    return float(np.mean([hits[labels == label].mean() for label in sorted(set(table.labels))]))
