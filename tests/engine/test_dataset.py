"""Training examples: crops of whole bars inside the context, next-event targets, padding."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import torch

from mididrumigen.engine.meter import meter_id
from mididrumigen.engine.model import EVENT_FIELDS

from mididrumigen.engine.constants import OFFSET_BINS, VELOCITY_BINS
from mididrumigen.engine.data import Performance
from mididrumigen.engine.dataset import (
    PREFIX_LENGTH,
    BarTable,
    CropSampler,
    bar_tables,
    collate,
    crop_events,
    crop_weights,
    energy_thresholds,
    targets_for,
    validation_batches,
)
from mididrumigen.engine.model import IGNORE_INDEX
from mididrumigen.engine.pattern import GridHit
from mididrumigen.engine.tokenizer import Conditioning, Tokenizer, bin_to_velocity

TOKENIZER = Tokenizer()
BAR_SIZES = (3, 0, 10, 5, 7, 1)
"""Hits per bar of the test performance: includes an empty bar and a dense one."""


def _performance(bar_sizes: tuple[int, ...] = BAR_SIZES, feel: str = "beat", numerator: int = 4,
                 denominator: int = 4) -> Performance:
    voices = ("kick", "snare", "closed_hat")
    hits = tuple(
        GridHit(bar, i // 3, voices[i % 3], 20 + 10 * i, -0.5 + (i % 8) / 8)
        for bar, size in enumerate(bar_sizes)
        for i in range(size)
    )
    return Performance(Path("take.mid"), "funk", feel, 104.0, numerator, denominator, "drummer1", hits,
                       len(bar_sizes))


def _table() -> BarTable:
    return bar_tables([_performance()])[0]


def test_bar_tables_split_hits_by_bar_and_skip_unusable_takes() -> None:
    empty = _performance(bar_sizes=())
    too_long = _performance(numerator=16, denominator=1)  # 256 steps: more than the model's 128
    tables = bar_tables([_performance(), empty, too_long])
    assert len(tables) == 1
    assert tuple(len(bar) for bar in tables[0].bars) == BAR_SIZES
    assert all(h.bar == i for i, bar in enumerate(tables[0].bars) for h in bar)


@pytest.mark.parametrize("max_events", [9, 12, 16, 20, 25, 40, 200])
@pytest.mark.parametrize("start_bar", [0, 2, 5])
def test_crop_respects_max_events_and_keeps_whole_bars(max_events: int, start_bar: int) -> None:
    table = _table()
    events, next_bar = crop_events(table, TOKENIZER, start_bar, max_events)
    assert len(events) <= max_events
    assert [TOKENIZER.special_names[e.special].split(":")[0] for e in events[:PREFIX_LENGTH]] == [
        "genre", "feel", "energy", "meter", "tempo"]
    assert events[PREFIX_LENGTH] == TOKENIZER.bar_event(meter_id(4, 4)) == events[-1]
    hits, bars = TOKENIZER.decode_hits(events)
    assert bars == next_bar - start_bar >= 1
    whole = [len(table.bars[b]) for b in range(start_bar, next_bar)]
    if sum(whole) + bars + PREFIX_LENGTH + 1 <= max_events:  # the crop holds whole bars
        assert [sum(h.bar == i for h in hits) for i in range(bars)] == whole
        following = next_bar < len(table.bars) and len(events) + 1 + len(table.bars[next_bar]) <= max_events
        assert not following, "a bar that fits was left out"
    else:  # only a single over-long bar is ever cut
        assert bars == 1 and len(events) == max_events


def test_crop_labels_its_conditioning() -> None:
    events, _ = crop_events(_table(), TOKENIZER, 2, 200)
    cond = TOKENIZER.decode_conditioning(events)
    hits_per_bar = sum(BAR_SIZES[2:]) / len(BAR_SIZES[2:])
    assert cond == Conditioning("funk", "beat", TOKENIZER.energy_of(hits_per_bar), "4/4", "100-120")


def test_crop_velocity_scale_stays_in_midi_range() -> None:
    loud, _ = crop_events(_table(), TOKENIZER, 0, 200, velocity_scale=10.0)
    soft, _ = crop_events(_table(), TOKENIZER, 0, 200, velocity_scale=0.0)
    loud_hits, _ = TOKENIZER.decode_hits(loud)
    soft_hits, _ = TOKENIZER.decode_hits(soft)
    assert {h.velocity for h in loud_hits} == {bin_to_velocity(VELOCITY_BINS - 1)}
    assert {h.velocity for h in soft_hits} == {bin_to_velocity(0)}


def test_targets_are_the_next_event() -> None:
    prefix = TOKENIZER.prefix(Conditioning("funk", "beat", "mid", "4/4", "100-120"))
    hit_a = TOKENIZER.hit_event(step=0, voice_index=0, velocity_bin=6, offset_bin=3)
    hit_b = TOKENIZER.hit_event(step=4, voice_index=1, velocity_bin=2, offset_bin=7)
    bar = TOKENIZER.bar_event()
    events = [*prefix, bar, hit_a, hit_b, bar]
    targets = targets_for(events, TOKENIZER, OFFSET_BINS)
    assert len(targets) == len(events) - 1
    ignored = (IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX)
    bar_target = (TOKENIZER.n_steps, IGNORE_INDEX, IGNORE_INDEX)
    assert targets == [
        ignored, ignored, ignored, ignored,  # prefix events 2..5 are given, not predicted
        bar_target,  # the first BAR, predicted from the last prefix event
        (0, 0, 6 * OFFSET_BINS + 3),
        (4, 1, 2 * OFFSET_BINS + 7),
        bar_target,
    ]


def test_collate_pads_events_with_zero_and_targets_with_ignore() -> None:
    table = _table()
    short, _ = crop_events(table, TOKENIZER, 5, 200)
    long, _ = crop_events(table, TOKENIZER, 0, 200)
    events, targets = collate([short, long], TOKENIZER, OFFSET_BINS)
    length = len(long) - 1
    assert events.shape == (2, length, EVENT_FIELDS) and events.dtype == torch.long
    assert targets.shape == (2, length, 3) and targets.dtype == torch.long
    n = len(short) - 1
    assert events[0, :n].tolist() == [list(e) for e in short[:-1]]
    assert targets[0, :n].tolist() == [list(t) for t in targets_for(short, TOKENIZER, OFFSET_BINS)]
    assert (events[0, n:] == TOKENIZER.pad_id).all()
    assert (targets[0, n:] == IGNORE_INDEX).all()
    assert events[1].tolist() == [list(e) for e in long[:-1]]


def test_energy_thresholds_are_tertiles_of_grooves_only() -> None:
    grooves = bar_tables([_performance(bar_sizes=(1, 2, 3, 4, 5, 6, 7, 8, 9))])
    fills = bar_tables([_performance(bar_sizes=(50, 50, 50), feel="fill")])
    assert energy_thresholds(grooves + fills) == (4.0, 7.0)
    assert energy_thresholds(fills) == (8.0, 14.0)  # no grooves: the defaults


def test_crop_sampler_is_seeded_and_fits_the_context() -> None:
    tables = bar_tables([_performance(), _performance(bar_sizes=(4, 4))])
    first = CropSampler(tables, TOKENIZER, context=16, seed=3).batch(6, OFFSET_BINS)
    again = CropSampler(tables, TOKENIZER, context=16, seed=3).batch(6, OFFSET_BINS)
    assert all(torch.equal(a, b) for a, b in zip(first, again))
    events, targets = first
    assert events.shape[0] == 6 and events.shape[1] <= 16
    assert (targets[..., 0] == TOKENIZER.n_steps).any()


def test_genre_balance_moves_crops_from_big_genres_to_small_ones() -> None:
    big = [replace(_performance(bar_sizes=(4,) * 8), genre="rock") for _ in range(4)]  # 32 bars of rock
    small = [replace(_performance(bar_sizes=(4,) * 2), genre="soul")]  # 2 bars of soul
    tables = bar_tables(big + small)

    def soul_share(balance: float) -> float:
        weights = crop_weights(tables, balance)
        return weights[-1] / sum(weights)

    assert soul_share(0.0) == pytest.approx(2 / 34)  # per bar
    assert soul_share(0.5) == pytest.approx(2**0.5 / (2**0.5 + 32**0.5))  # square root of its bars
    assert soul_share(1.0) == pytest.approx(0.5)  # every genre alike
    assert crop_weights(tables)[:4] == [8.0] * 4  # within a genre, still per bar


def test_validation_batches_cover_every_bar_once() -> None:
    tables = bar_tables([_performance(), _performance(bar_sizes=(2, 9, 2))])
    # context 16 holds the densest bar (prefix + BAR + 10 hits + BAR = 17 events, inputs are 16).
    batches = validation_batches(tables, TOKENIZER, context=16, batch_size=2, n_offsets=OFFSET_BINS)
    bar_targets = sum(int((t[..., 0] == TOKENIZER.n_steps).sum()) for _, t in batches)
    crops = sum(e.shape[0] for e, _ in batches)
    # Each crop predicts its opening BAR and the BAR closing each of its bars.
    assert bar_targets == crops + len(BAR_SIZES) + 3
    assert all(e.shape[1] <= 16 for e, _ in batches)
    hits = sum(int((t[..., 1] != IGNORE_INDEX).sum()) for _, t in batches)
    assert hits == sum(BAR_SIZES) + 13
