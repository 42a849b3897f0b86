"""Per-bar groove features of drum notes (in beats), the same functions for real and generated bars.

Every note is read on the 16th-note grid: its step is the nearest 16th (`floor(4 * beats + 0.5)`,
as engine.data snaps recordings) and its micro-timing is what is left over. A bar is the 16 steps
of one 4/4 bar; a note belongs to the bar its step falls in, so a snare played just before the bar
line counts in the bar it leads into. Empty bars get no feature row (they still count as the
previous bar for `repetition`). Only 4/4 is measured: the metrical weights below are those of 4/4.

Each feature, per bar (units in the name where they could be misread):

    hits              number of notes in the bar
    kick .. cymbal    notes of that family: hihat = closed + open hat, tom = low + mid + high tom,
                      cymbal = crash + ride
    syncopation       Longuet-Higgins & Lee (1984), summed over the five families above, each scored
                      on its own onset steps (so steady hats do not mask a syncopated kick): 16th
                      steps weigh 0 (beat 1), -1 (beat 3), -2 (beats 2, 4), -3 (other 8ths),
                      -4 (other 16ths); for each onset at step n, with the family's next onset at
                      step m (or the bar's end), the score adds max(weight of silent steps
                      n < r < m) - weight(n) when that is positive, i.e. when a rest falls on a
                      stronger position than the note before it
    velocity_mean     mean MIDI velocity of the bar's notes
    velocity_spread   population standard deviation of those velocities (bars of 2+ notes)
    timing_spread_ms  population standard deviation of each note's distance from its 16th step, in
                      milliseconds at the clip's tempo (bars of 2+ notes)
    swing_percent     where the off-beat of each pair falls, in percent of the pair (50 straight,
                      66.7 triplet), measured against the on-beat of the same voice: for each voice
                      with notes on both odd and even 16ths, d_v = mean offset (steps) of its odd
                      minus mean offset of its even notes; d = mean of d_v weighted by the voice's
                      odd notes; swing = 50 * (1 + d). A bar where no voice has both falls back to
                      8ths (steps 2 mod 4 against 0 mod 4): 50 * (1 + d / 2); else it has none
    ghost_rate        fraction of the bar's snare notes below velocity 40 (bars with a snare)
    repetition        Jaccard similarity |A & B| / |A | B| of the (step, voice) sets of this bar and
                      the previous bar of the same clip (every bar but a clip's first)

A feature a bar does not have is NaN and that bar is left out of that feature's distribution.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Protocol

import numpy as np

from mididrumigen.engine.constants import GHOST_VELOCITY_BELOW, STEPS_PER_BEAT, VOICE_INDEX, VOICES
from mididrumigen.engine.swing import pair_lateness
from mididrumigen.engine.units import beats_to_ms

STEPS_PER_BAR: Final = 16
"""4/4 only: the metrical weights below are those of a 4/4 bar of 16ths."""

"""A snare note softer than this is a ghost note (issue 5's definition)."""

LHL_WEIGHTS: Final[tuple[int, ...]] = (0, -4, -3, -4, -2, -4, -3, -4, -1, -4, -3, -4, -2, -4, -3, -4)
"""Longuet-Higgins & Lee metrical weights of the 16 steps of a 4/4 bar."""

FAMILIES: Final[dict[str, tuple[str, ...]]] = {
    "kick": ("kick",),
    "snare": ("snare",),
    "hihat": ("closed_hat", "open_hat"),
    "tom": ("low_tom", "mid_tom", "high_tom"),
    "cymbal": ("crash", "ride"),
}

FEATURES: Final[tuple[str, ...]] = (
    "hits", "kick", "snare", "hihat", "tom", "cymbal", "syncopation", "velocity_mean", "velocity_spread",
    "timing_spread_ms", "swing_percent", "ghost_rate", "repetition",
)
FEATURE_INDEX: Final[dict[str, int]] = {name: i for i, name in enumerate(FEATURES)}

ONSET_CELLS: Final = len(VOICES) * STEPS_PER_BAR
"""Size of a bar's onset grid: one cell per (voice, step)."""


class NoteLike(Protocol):
    """What the features read from a note: engine.pattern.Note has it."""

    @property
    def start_beats(self) -> float: ...

    @property
    def voice(self) -> str: ...

    @property
    def velocity(self) -> int: ...


@dataclass(frozen=True)
class GridNote:
    """A note read on the grid: bar, step in the bar, micro-timing in steps, voice, velocity."""

    bar: int
    step: int
    offset_steps: float
    voice: str
    velocity: int


@dataclass(frozen=True)
class FeatureTable:
    """Feature rows of many bars: values (N, F) with NaN for 'not defined', onset grids (N, 9 * 16), labels."""

    values: np.ndarray
    onsets: np.ndarray
    labels: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.labels)

    def column(self, feature: str) -> np.ndarray:
        """One feature's defined values (NaNs dropped)."""
        column = self.values[:, FEATURE_INDEX[feature]]
        return column[~np.isnan(column)]

    def where(self, keep: np.ndarray) -> FeatureTable:
        return FeatureTable(self.values[keep], self.onsets[keep], tuple(np.asarray(self.labels, dtype=object)[keep]))

    def with_labels(self, labels: Sequence[str]) -> np.ndarray:
        """Boolean mask of rows whose label is in `labels`."""
        wanted = set(labels)
        return np.array([label in wanted for label in self.labels], dtype=bool)

    @staticmethod
    def empty() -> FeatureTable:
        return FeatureTable(np.zeros((0, len(FEATURES))), np.zeros((0, ONSET_CELLS), dtype=np.uint8), ())

    @staticmethod
    def concat(tables: Sequence[FeatureTable]) -> FeatureTable:
        tables = [t for t in tables if len(t)]
        if not tables:
            return FeatureTable.empty()
        return FeatureTable(
            np.concatenate([t.values for t in tables]),
            np.concatenate([t.onsets for t in tables]),
            tuple(label for t in tables for label in t.labels),
        )


def to_grid(notes: Sequence[NoteLike], bars: int | None = None) -> list[GridNote]:
    """Snap notes to the 16th grid of 4/4 bars.

    Args:
        bars: the clip's length for a looping clip: a note that snaps onto the step after the end
            (the humanizer keeps late notes inside the clip) wraps to the first bar. None: no wrap.
    """
    grid = []
    for note in notes:
        position = note.start_beats * STEPS_PER_BEAT
        global_step = math.floor(position + 0.5)
        offset = position - global_step
        if bars is not None:
            global_step %= bars * STEPS_PER_BAR
        bar, step = divmod(global_step, STEPS_PER_BAR)
        grid.append(GridNote(bar, step, offset, note.voice, note.velocity))
    return grid


def syncopation(steps: set[int]) -> float:
    """Longuet-Higgins & Lee syncopation of one bar's onset steps (see the module docstring)."""
    onsets = sorted(steps)
    score = 0
    for index, step in enumerate(onsets):
        following = onsets[index + 1] if index + 1 < len(onsets) else STEPS_PER_BAR
        rests = range(step + 1, following)
        if rests:
            strongest = max(LHL_WEIGHTS[r] for r in rests)
            score += max(0, strongest - LHL_WEIGHTS[step])
    return float(score)


def swing_percent(notes: Sequence[GridNote]) -> float:
    """Swing of off-beat 16ths (else 8ths) in percent of the pair; NaN when no voice plays a pair.

    Compared voice by voice (a voice's odd-16th offsets against its own even-16th offsets, then
    averaged weighted by its odd-16th notes), so a constant push or drag of one voice, such as a
    late snare, is not mistaken for swing.
    """
    total, weight = pair_lateness(notes, 1, 0, 2)
    if weight:
        return 50.0 * (1.0 + total / weight)
    total, weight = pair_lateness(notes, 2, 0, 4)
    if weight:
        return 50.0 * (1.0 + total / weight / 2.0)
    return math.nan


def _spread(values: Sequence[float]) -> float:
    return float(np.std(values)) if len(values) >= 2 else math.nan


def _bar_row(bar: Sequence[GridNote], previous: set[tuple[int, str]] | None, tempo_bpm: float) -> list[float]:
    voices = [n.voice for n in bar]
    velocities = [n.velocity for n in bar]
    snares = [n.velocity for n in bar if n.voice == "snare"]
    cells = {(n.step, n.voice) for n in bar}
    repetition = math.nan if previous is None else len(cells & previous) / len(cells | previous)
    return [
        float(len(bar)),
        *(float(sum(v in members for v in voices)) for members in FAMILIES.values()),
        sum(syncopation({n.step for n in bar if n.voice in members}) for members in FAMILIES.values()),
        float(np.mean(velocities)),
        _spread(velocities),
        _spread([beats_to_ms(n.offset_steps / STEPS_PER_BEAT, tempo_bpm) for n in bar]),
        swing_percent(bar),
        sum(v < GHOST_VELOCITY_BELOW for v in snares) / len(snares) if snares else math.nan,
        repetition,
    ]


def clip_features(notes: Sequence[NoteLike], tempo_bpm: float, bars: int, label: str,
                  loops: bool = False) -> FeatureTable:
    """Feature rows of every non-empty bar of one clip (a generated pattern or a recorded take).

    Args:
        notes: the clip's notes, times in beats from the clip start (4/4).
        tempo_bpm: the clip's tempo, for the timing spread in milliseconds.
        bars: how many bars the clip has; notes past them are dropped unless the clip loops.
        label: stored with every row (a genre or a style id).
        loops: a generated clip: notes that snap past its end wrap to the start.
    """
    by_bar: list[list[GridNote]] = [[] for _ in range(bars)]
    for note in to_grid(notes, bars if loops else None):
        if 0 <= note.bar < bars:
            by_bar[note.bar].append(note)
    rows, grids = [], []
    previous: set[tuple[int, str]] | None = None
    for bar in by_bar:
        cells = {(n.step, n.voice) for n in bar}
        if bar:
            rows.append(_bar_row(bar, previous, tempo_bpm))
            grid = np.zeros(ONSET_CELLS, dtype=np.uint8)
            for step, voice in cells:
                grid[VOICE_INDEX[voice] * STEPS_PER_BAR + step] = 1
            grids.append(grid)
        previous = cells
    if not rows:
        return FeatureTable.empty()
    return FeatureTable(np.array(rows, dtype=float), np.stack(grids), (label,) * len(rows))
