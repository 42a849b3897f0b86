"""Training examples: random crops of whole bars from performances, as (events, targets) tensors."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from mididrumigen.engine.constants import steps_per_bar
from mididrumigen.engine.data import Performance
from mididrumigen.engine.model import EVENT_FIELDS, IGNORE_INDEX
from mididrumigen.engine.pattern import GridHit
from mididrumigen.engine.tokenizer import Conditioning, Event, Tokenizer, meter_of, tempo_band_of

PREFIX_LENGTH = 5


@dataclass(frozen=True)
class BarTable:
    """A performance split into bars, ready to be cropped."""

    performance: Performance
    bars: tuple[tuple[GridHit, ...], ...]


def bar_tables(performances: Sequence[Performance]) -> list[BarTable]:
    tables = []
    for perf in performances:
        if perf.bars == 0 or steps_per_bar(perf.numerator, perf.denominator) > 128:
            continue
        by_bar: list[list[GridHit]] = [[] for _ in range(perf.bars)]
        for hit in perf.hits:
            by_bar[hit.bar].append(hit)
        tables.append(BarTable(perf, tuple(tuple(b) for b in by_bar)))
    return tables


def energy_thresholds(tables: Sequence[BarTable]) -> tuple[float, float]:
    """Tertiles of hits per bar over the grooves (not fills) of the training data."""
    counts = sorted(len(bar) for t in tables if t.performance.feel == "beat" for bar in t.bars)
    if not counts:
        return (8.0, 14.0)
    return (float(counts[len(counts) // 3]), float(counts[2 * len(counts) // 3]))


def crop_events(
    table: BarTable,
    tokenizer: Tokenizer,
    start_bar: int,
    max_events: int,
    velocity_scale: float = 1.0,
) -> tuple[list[Event], int]:
    """Prefix + whole bars from `start_bar` while they fit in `max_events`. Returns events, next bar."""
    perf = table.performance
    chosen: list[tuple[GridHit, ...]] = []
    used = PREFIX_LENGTH + 1  # prefix and the closing BAR
    bar = start_bar
    while bar < len(table.bars) and used + 1 + len(table.bars[bar]) <= max_events:
        chosen.append(table.bars[bar])
        used += 1 + len(table.bars[bar])
        bar += 1
    if not chosen:  # a single bar longer than the context: keep what fits
        chosen.append(table.bars[start_bar][: max_events - PREFIX_LENGTH - 2])
        bar = start_bar + 1
    hits_per_bar = sum(len(b) for b in chosen) / len(chosen)
    cond = Conditioning(
        genre=perf.genre,
        feel=perf.feel,
        energy=tokenizer.energy_of(hits_per_bar),
        meter=meter_of(perf.numerator, perf.denominator),
        tempo_band=tempo_band_of(perf.tempo_bpm),
    )
    hits = [
        GridHit(i, h.step, h.voice, max(1, min(127, round(h.velocity * velocity_scale))), h.offset_steps)
        for i, bar_hits in enumerate(chosen)
        for h in bar_hits
    ]
    return tokenizer.encode(cond, hits, len(chosen)), bar


def targets_for(events: Sequence[Event], tokenizer: Tokenizer, n_offsets: int) -> list[tuple[int, int, int]]:
    """For each event but the last, what the model should predict next (see DrumTransformer.loss)."""
    targets = []
    for event in events[1:]:
        if event.special == tokenizer.bar_id:
            targets.append((tokenizer.n_steps, IGNORE_INDEX, IGNORE_INDEX))
        elif event.special == tokenizer.hit_id:
            detail = (event.velocity - 1) * n_offsets + (event.offset - 1)
            targets.append((event.step - 1, event.voice - 1, detail))
        else:
            targets.append((IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX))
    return targets


def collate(sequences: Sequence[list[Event]], tokenizer: Tokenizer, n_offsets: int) -> tuple[Tensor, Tensor]:
    """Pad to the longest sequence: events (B, T, 6) and targets (B, T, 3)."""
    length = max(len(s) for s in sequences) - 1
    events = torch.zeros((len(sequences), length, EVENT_FIELDS), dtype=torch.long)
    targets = torch.full((len(sequences), length, 3), IGNORE_INDEX, dtype=torch.long)
    for row, sequence in enumerate(sequences):
        n = len(sequence) - 1
        events[row, :n] = torch.tensor(sequence[:-1], dtype=torch.long)
        targets[row, :n] = torch.tensor(targets_for(sequence, tokenizer, n_offsets), dtype=torch.long)
    return events, targets


def crop_weights(tables: Sequence[BarTable], genre_balance: float = 0.0) -> list[float]:
    """How often to start a crop in each table: its bars, times its genre's bars ** -genre_balance.

    0 draws every bar alike, so a genre's share is its share of the bars (rock: a third of the
    Groove MIDI Dataset's); 1 gives every genre the same share; 0.5, a share growing with the square
    root of its bars, lets the small genres the styles play (hip-hop, soul) be heard more often.
    """
    genre_bars: dict[str, int] = {}
    for table in tables:
        genre_bars[table.performance.genre] = genre_bars.get(table.performance.genre, 0) + len(table.bars)
    return [len(t.bars) * genre_bars[t.performance.genre] ** -genre_balance if t.bars else 0.0 for t in tables]


class CropSampler:
    """Random training crops, weighted by `crop_weights`."""

    def __init__(self, tables: Sequence[BarTable], tokenizer: Tokenizer, context: int, seed: int,
                 velocity_jitter: float = 0.1, genre_balance: float = 0.0,
                 reshaped: Callable[[random.Random], Callable[[], BarTable]] | None = None,
                 reshaped_share: float = 0.0) -> None:
        """`reshaped`, given this sampler's random stream, makes the source of `reshaped_share` of the crops
        (takes re-barred into other meters, engine.meter_augment)."""
        self.tables = list(tables)
        self.tokenizer = tokenizer
        self.context = context
        self.rng = random.Random(seed)
        self.weights = crop_weights(self.tables, genre_balance)
        self.velocity_jitter = velocity_jitter
        self.reshaped = reshaped(self.rng) if reshaped is not None else None
        self.reshaped_share = reshaped_share if reshaped is not None else 0.0

    def batch(self, size: int, n_offsets: int) -> tuple[Tensor, Tensor]:
        sequences = []
        for table in self.rng.choices(self.tables, weights=self.weights, k=size):
            if self.reshaped is not None and self.rng.random() < self.reshaped_share:
                table = self.reshaped()
            start = self.rng.randrange(len(table.bars))
            scale = 1.0 + self.rng.uniform(-self.velocity_jitter, self.velocity_jitter)
            events, _ = crop_events(table, self.tokenizer, start, self.context + 1, scale)
            sequences.append(events)
        return collate(sequences, self.tokenizer, n_offsets)


def validation_sequences(tables: Sequence[BarTable], tokenizer: Tokenizer, context: int) -> list[list[Event]]:
    """Every bar of every table exactly once, in consecutive whole-bar crops; deterministic."""
    sequences = []
    for table in tables:
        bar = 0
        while bar < len(table.bars):
            events, bar = crop_events(table, tokenizer, bar, context + 1)
            sequences.append(events)
    return sequences


def validation_batches(tables: Sequence[BarTable], tokenizer: Tokenizer, context: int, batch_size: int,
                       n_offsets: int) -> list[tuple[Tensor, Tensor]]:
    """The validation crops (see `validation_sequences`), collated into batches."""
    sequences = validation_sequences(tables, tokenizer, context)
    return [collate(sequences[i:i + batch_size], tokenizer, n_offsets) for i in range(0, len(sequences), batch_size)]
