"""Likelihood on the validation split: the model, the model without its conditioning, and n-grams.

All three score the same events: the validation crops `engine.dataset.validation_batches` makes
(every bar of every validation take once, in consecutive whole-bar crops that fit the model's
context, each crop opening with its conditioning prefix). Each predicts every BAR and every hit
after the prefix; NLL per hit = total negative log2-likelihood of those events / number of hits.

"Conditioning removed": every crop's five prefix tokens (genre, feel, energy, meter, tempo band)
are replaced by one fixed prefix, the most frequent value of each field over the training bars
(genre, feel, meter and tempo band of the take a bar is in; energy from the bar's own hit count), so
the model plays as if told nothing specific about the take.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from mididrumigen.engine.dataset import BarTable, crop_events, validation_batches, validation_sequences
from mididrumigen.engine.evaluation.ngram import NgramModel
from mididrumigen.engine.model import DrumTransformer
from mididrumigen.engine.tokenizer import Conditioning, Event, Tokenizer, meter_of, tempo_band_of
from mididrumigen.engine.train import evaluate

BATCH_SIZE = 32


@dataclass(frozen=True)
class Likelihood:
    model_bits_per_hit: float
    unconditioned_bits_per_hit: float
    ngram_bits_per_hit: dict[str, dict[int, float]]  # kind -> order -> bits per hit
    best_ngram: tuple[str, int, float]  # kind, order, bits per hit
    hits: int
    fixed_prefix: dict[str, str]

    @property
    def improvement_over_ngram(self) -> float:
        """1 - model / best n-gram: 0.15 means the model needs 15% fewer bits per hit."""
        return 1.0 - self.model_bits_per_hit / self.best_ngram[2]


def training_sequences(tables: Sequence[BarTable], tokenizer: Tokenizer) -> list[list[Event]]:
    """Each training take as one sequence (n-gram histories are short, so no cropping is needed)."""
    longest = max((sum(len(b) + 1 for b in t.bars) for t in tables), default=0) + 16
    return [crop_events(table, tokenizer, 0, longest)[0] for table in tables]


def most_frequent_conditioning(tables: Sequence[BarTable], tokenizer: Tokenizer) -> Conditioning:
    """The fixed prefix of the 'conditioning removed' baseline (see the module docstring)."""
    fields: dict[str, Counter[str]] = {name: Counter() for name in ("genre", "feel", "energy", "meter", "tempo")}
    for table in tables:
        perf = table.performance
        bars = len(table.bars)
        fields["genre"][perf.genre] += bars
        fields["feel"][perf.feel] += bars
        fields["meter"][meter_of(perf.numerator, perf.denominator)] += bars
        fields["tempo"][tempo_band_of(perf.tempo_bpm)] += bars
        for bar in table.bars:
            fields["energy"][tokenizer.energy_of(len(bar))] += 1
    top = {name: counter.most_common(1)[0][0] for name, counter in fields.items()}
    return Conditioning(top["genre"], top["feel"], top["energy"], top["meter"], top["tempo"])


def _bits_per_hit(model: DrumTransformer, batches: list[tuple[torch.Tensor, torch.Tensor]]) -> tuple[float, int]:
    result = evaluate(model, {"all": batches}, next(model.parameters()).device)
    return result.bits_per_hit, result.hits


def measure_likelihood(model: DrumTransformer, tokenizer: Tokenizer, train_tables: Sequence[BarTable],
                       val_tables: Sequence[BarTable], max_order: int = 4) -> Likelihood:
    """Bits per hit of the model, the unconditioned model and every n-gram kind and order."""
    context = model.config.context
    n_offsets = model.config.n_offsets
    batches = validation_batches(val_tables, tokenizer, context, BATCH_SIZE, n_offsets)
    model_bits, hits = _bits_per_hit(model, batches)

    cond = most_frequent_conditioning(train_tables, tokenizer)
    prefix = torch.tensor(tokenizer.prefix(cond), dtype=torch.long)  # (5, 5)
    blind = []
    for inputs, targets in batches:
        inputs = inputs.clone()
        inputs[:, : len(prefix)] = prefix  # (B, 5, 5): every row opens with the fixed prefix
        blind.append((inputs, targets))
    blind_bits, _ = _bits_per_hit(model, blind)

    train_sequences = training_sequences(train_tables, tokenizer)
    val_sequences = validation_sequences(val_tables, tokenizer, context)
    ngram: dict[str, dict[int, float]] = {}
    for kind in ("compound", "factored"):
        totals, ngram_hits = NgramModel(tokenizer, kind, max_order).fit(train_sequences).bits(val_sequences)
        assert ngram_hits == hits, "the n-gram and the model must score the same hits"
        ngram[kind] = {order: bits / max(hits, 1) for order, bits in totals.items()}
    kind, order = min(((k, o) for k in ngram for o in ngram[k]), key=lambda ko: ngram[ko[0]][ko[1]])
    return Likelihood(
        model_bits_per_hit=model_bits,
        unconditioned_bits_per_hit=blind_bits,
        ngram_bits_per_hit=ngram,
        best_ngram=(kind, order, ngram[kind][order]),
        hits=hits,
        fixed_prefix={"genre": cond.genre, "feel": cond.feel, "energy": cond.energy, "meter": cond.meter,
                      "tempo": cond.tempo_band},
    )

