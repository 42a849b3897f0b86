"""Bars of other meters built from real 4/4 takes, so the model hears every bar length it may be asked for.

The Groove MIDI Dataset is 98% 4/4 (887 of 897 training takes). Nothing here is synthesised: every
hit, with its velocity and micro-timing, is a hit the drummer played; only where bars begin and end
changes, and always at a pulse boundary of the take.

- Simple meters (n/2, n/4, n/8, n/16): a bar of n units (the denominator's note value) is its first
  ceil(n/2) units played from a real downbeat, then its last floor(n/2) units taken from the end of a
  real bar, so every bar opens on a downbeat and closes on a real bar ending into the next downbeat.
  The next bar starts on that downbeat, so the seam between bars is the take's own.
  3/4 = beats 1, 2 and 4 of a bar (the waltz's boom-chick-chick); 5/4 = beats 1-3, then beats 3-4 of
  the next bar; 6/4 = beats 1-3, then 2-4 of the next; 7/4 = a bar, then beats 2-4 of the next;
  7/8 = two beats, then the last three eighths of the bar; 15/16 = two beats, then the bar's last 7 16ths.
- Compound meters (6/8, 9/8, 12/8, 15/8): only from takes felt in triplets (most off-beat notes near
  a third of a beat, see `is_triplet_felt`), whose quarter-note beat is the dotted quarter of 12/8:
  a triplet eighth lands exactly on an eighth of 12/8, the micro-timing is kept in the new steps, and
  the take's tempo becomes 1.5 times its quarter tempo (the dotted quarter keeps the drummer's tempo).
  6/8 and 9/8 are then joined from those 12/8 bars by the rule above, in dotted quarters.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from mididrumigen.engine.constants import ALLOWED_DENOMINATORS, MAX_NUMERATOR, STEPS_PER_BEAT, steps_per_bar
from mididrumigen.engine.dataset import BarTable, crop_weights
from mididrumigen.engine.meter import is_compound, pulse_steps
from mididrumigen.engine.pattern import GridHit
from mididrumigen.engine.tokenizer import canonical_hits

SOURCE_METER: Final = (4, 4)
SOURCE_BAR_STEPS: Final = 16
COMPOUND_BAR_STEPS: Final = 24  # a 4/4 triplet take read as 12/8

EVAL_METERS: Final[tuple[tuple[int, int], ...]] = (
    (3, 4), (5, 4), (6, 8), (7, 8), (9, 8), (12, 8), (6, 4), (7, 4), (15, 16),
)
"""The meters issue #11 measures; also the meters of the held-out meter validation loss."""

COMMON_METERS: Final[tuple[tuple[int, int], ...]] = (
    *EVAL_METERS, (2, 4), (5, 8), (11, 8), (3, 2), (7, 16), (13, 16), (15, 8),
)
COMMON_SHARE: Final = 0.7
"""Of the augmented crops, this share is drawn from COMMON_METERS, the rest from every allowed meter."""

TRIPLET_TOLERANCE: Final = 0.06  # of a beat
MIN_TRIPLET_RATIO: Final = 2.0
MIN_TRIPLET_NOTES_PER_BAR: Final = 2.0


def _absolute(hits: Sequence[GridHit], bar_steps: int) -> list[tuple[int, GridHit]]:
    return sorted(((h.bar * bar_steps + h.step, h) for h in hits), key=lambda item: item[0])


def is_triplet_felt(table: BarTable) -> bool:
    """A take played in triplets: off-beat notes near 1/3 and 2/3 of a beat outnumber those near 16ths."""
    if (table.performance.numerator, table.performance.denominator) != SOURCE_METER:
        return False
    triplet = sixteenth = 0
    for bar in table.bars:
        for hit in bar:
            fraction = ((hit.step + hit.offset_steps) / STEPS_PER_BEAT) % 1.0
            if min(abs(fraction - 1 / 3), abs(fraction - 2 / 3)) < TRIPLET_TOLERANCE:
                triplet += 1
            elif min(abs(fraction - f) for f in (0.25, 0.5, 0.75)) < TRIPLET_TOLERANCE:
                sixteenth += 1
    bars = max(1, len(table.bars))
    return triplet >= MIN_TRIPLET_RATIO * max(sixteenth, 1) and triplet >= MIN_TRIPLET_NOTES_PER_BAR * bars


def as_compound(table: BarTable) -> list[tuple[GridHit, ...]]:
    """A triplet-felt 4/4 take as 12/8 bars: each quarter becomes a dotted quarter of six 16th steps."""
    bars: list[list[GridHit]] = [[] for _ in table.bars]
    for index, bar in enumerate(table.bars):
        for hit in bar:
            position = (index * SOURCE_BAR_STEPS + hit.step + hit.offset_steps) * 6 / STEPS_PER_BEAT
            step = math.floor(position + 0.5)
            new_bar, new_step = divmod(step, COMPOUND_BAR_STEPS)
            if new_bar < len(bars):
                bars[new_bar].append(GridHit(new_bar, new_step, hit.voice, hit.velocity, position - step))
    return [tuple(canonical_hits(b)) for b in bars]


def joined_bars(bars: Sequence[Sequence[GridHit]], source_bar_steps: int, units: int, unit_steps: int
                ) -> list[tuple[GridHit, ...]]:
    """Bars of `units` units of `unit_steps` steps each, joined from real bars (see the module docstring)."""
    head = -(-units // 2) * unit_steps
    tail = (units // 2) * unit_steps
    timeline = _absolute([h for bar in bars for h in bar], source_bar_steps)
    end_of_take = len(bars) * source_bar_steps
    made: list[tuple[GridHit, ...]] = []
    start = 0
    while True:
        barline = -(-(start + head + tail) // source_bar_steps) * source_bar_steps
        if barline > end_of_take:
            return made
        segments = [(start, start + head, 0), (barline - tail, barline, head)]
        index = len(made)
        new_bar = [replace(hit, bar=index, step=position - begin + shift)
                   for begin, end, shift in segments if end > begin
                   for position, hit in timeline if begin <= position < end]
        made.append(tuple(canonical_hits(new_bar)))
        start = barline


def augmented_table(table: BarTable, numerator: int, denominator: int) -> BarTable | None:
    """`table` (a 4/4 take) re-barred in `numerator`/`denominator`; None when it cannot give one bar."""
    perf = table.performance
    if (perf.numerator, perf.denominator) != SOURCE_METER or not table.bars:
        return None
    bar_steps = steps_per_bar(numerator, denominator)
    if is_compound(numerator, denominator):
        if not is_triplet_felt(table):
            return None
        pulse = pulse_steps(numerator, denominator)
        source, source_steps, tempo = as_compound(table), COMPOUND_BAR_STEPS, perf.tempo_bpm * 1.5
        bars = source if bar_steps == source_steps else joined_bars(source, source_steps, bar_steps // pulse, pulse)
    else:
        tempo = perf.tempo_bpm
        bars = joined_bars(table.bars, SOURCE_BAR_STEPS, numerator, 16 // denominator)
    if not bars:
        return None
    performance = replace(perf, numerator=numerator, denominator=denominator, tempo_bpm=tempo, hits=(),
                          bars=len(bars))
    return BarTable(performance, tuple(bars))


def all_meters() -> list[tuple[int, int]]:
    """Every signature a request allows except the source 4/4."""
    return [(n, d) for n in range(1, MAX_NUMERATOR + 1) for d in ALLOWED_DENOMINATORS if (n, d) != SOURCE_METER]


class MeterAugmenter:
    """Draws augmented bars for training crops: a meter, then a source take that can give it."""

    def __init__(self, tables: Sequence[BarTable], rng: random.Random, genre_balance: float = 0.0) -> None:
        """`genre_balance`: source takes are drawn like the real crops (see dataset.crop_weights)."""
        self.sources = [t for t in tables if (t.performance.numerator, t.performance.denominator) == SOURCE_METER]
        self.triplet_sources = [t for t in self.sources if is_triplet_felt(t)]
        self._weights = {id(pool): crop_weights(pool, genre_balance) for pool in (self.sources, self.triplet_sources)}
        self.rng = rng
        self._cache: dict[tuple[int, int, int], BarTable | None] = {}
        self._meters = all_meters()

    def draw_meter(self) -> tuple[int, int]:
        return self.rng.choice(COMMON_METERS if self.rng.random() < COMMON_SHARE else self._meters)

    def draw(self) -> BarTable:
        """One augmented take, its source drawn like the real crops."""
        while True:
            numerator, denominator = self.draw_meter()
            pool = self.triplet_sources if is_compound(numerator, denominator) else self.sources
            if not pool:
                continue
            source = self.rng.choices(range(len(pool)), weights=self._weights[id(pool)])[0]
            key = (id(pool[source]), numerator, denominator)
            if key not in self._cache:
                self._cache[key] = augmented_table(pool[source], numerator, denominator)
            table = self._cache[key]
            if table is not None:
                return table


def evaluation_tables(tables: Sequence[BarTable], meters: Sequence[tuple[int, int]] = EVAL_METERS,
                      max_bars: int = 8) -> dict[str, list[BarTable]]:
    """The validation takes re-barred in each meter (at most `max_bars` bars each, to keep it quick)."""
    result: dict[str, list[BarTable]] = {}
    for numerator, denominator in meters:
        made = [augmented_table(t, numerator, denominator) for t in tables]
        result[f"{numerator}/{denominator}"] = [replace(t, bars=t.bars[:max_bars]) for t in made if t is not None]
    return result
