"""Per-bar features of hand-made bars whose every figure is known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mididrumigen.engine.evaluation.features import FEATURE_INDEX, FEATURES, clip_features, swing_percent, syncopation, to_grid
from mididrumigen.engine.pattern import Note


def _note(beat: float, voice: str, velocity: int) -> Note:
    return Note(pitch=0, start_beats=beat, duration_beats=0.125, velocity=velocity, voice=voice)


def _backbeat(bar: int = 0) -> list[Note]:
    """8th hats at 80, kick on 1 and the "and" of 3, snare on 2 and 4."""
    base = 4.0 * bar
    notes = [_note(base + i / 2, "closed_hat", 80) for i in range(8)]
    notes += [_note(base, "kick", 110), _note(base + 2.5, "kick", 100)]
    notes += [_note(base + 1, "snare", 105), _note(base + 3, "snare", 105)]
    return notes


def _row(table, feature: str) -> list[float]:  # type: ignore[no-untyped-def]
    return list(table.values[:, FEATURE_INDEX[feature]])


def test_a_backbeat_bar_has_the_figures_counted_by_hand() -> None:
    table = clip_features(_backbeat(0) + _backbeat(1), tempo_bpm=120.0, bars=2, label="rock")
    assert len(table) == 2 and table.labels == ("rock", "rock")
    first = dict(zip(FEATURES, table.values[0]))
    assert (first["hits"], first["kick"], first["snare"], first["hihat"], first["tom"], first["cymbal"]) == (
        12, 2, 2, 8, 0, 0)
    # Kick on step 10 (weight -3) before a silent step 12 (-2): 1; snare on step 4 (-2) before a silent 8 (-1): 1.
    assert first["syncopation"] == 2
    assert first["velocity_mean"] == pytest.approx((8 * 80 + 110 + 100 + 105 + 105) / 12)
    assert first["velocity_spread"] == pytest.approx(np.std([80] * 8 + [110, 100, 105, 105]))
    assert first["timing_spread_ms"] == 0.0
    assert first["swing_percent"] == pytest.approx(50.0)  # only 8ths played: the 8th-note fallback, straight
    assert first["ghost_rate"] == 0.0
    assert math.isnan(first["repetition"])  # a clip's first bar has no previous bar
    assert _row(table, "repetition")[1] == 1.0
    assert table.onsets.shape == (2, 9 * 16) and table.onsets[0].sum() == 12


def test_syncopation_scores_rests_on_stronger_steps() -> None:
    assert syncopation({0, 4, 8, 12}) == 0  # four on the floor
    assert syncopation({3}) == 3  # a 16th (-4) held over the silent beats 2 and 3 (-1 is the strongest)
    assert syncopation({2, 4, 8, 12}) == 0  # every rest is weaker than the note before it
    assert syncopation({14}) == 0  # nothing stronger follows before the bar ends


def test_swing_compares_each_voice_with_itself() -> None:
    straight = [_note(i / 4, "closed_hat", 80) for i in range(16)]
    assert swing_percent(to_grid(straight)) == pytest.approx(50.0)
    # Every off-beat 16th a sixth of a step late: 50 * (1 + 1/6) = 58.3%.
    swung = [_note(i / 4 + (1 / 24 if i % 2 else 0.0), "closed_hat", 80) for i in range(16)]
    assert swing_percent(to_grid(swung)) == pytest.approx(50 * (1 + 1 / 6))
    # A snare 20 ms late on every hit is push/drag, not swing.
    late_snare = straight + [_note(1 + 0.04, "snare", 100), _note(3 + 0.04, "snare", 100)]
    assert swing_percent(to_grid(late_snare)) == pytest.approx(50.0)
    assert math.isnan(swing_percent(to_grid([_note(0.0, "kick", 100)])))


def test_timing_spread_is_in_milliseconds_at_the_clip_tempo() -> None:
    # At 120 BPM a beat is 500 ms: notes 10 ms early and late give a spread of 10 ms.
    notes = [_note(0.0 - 0.02, "kick", 100), _note(1.0 + 0.02, "snare", 100)]
    (row,) = clip_features(notes, tempo_bpm=120.0, bars=1, label="x").values
    assert row[FEATURE_INDEX["timing_spread_ms"]] == pytest.approx(10.0)


def test_ghost_rate_is_the_share_of_soft_snares() -> None:
    notes = [_note(1.0, "snare", 100), _note(1.75, "snare", 30), _note(3.0, "snare", 39), _note(3.5, "snare", 40)]
    (row,) = clip_features(notes, tempo_bpm=100.0, bars=1, label="x").values
    assert row[FEATURE_INDEX["ghost_rate"]] == pytest.approx(0.5)


def test_a_looping_clip_wraps_a_late_last_note_to_its_start_and_empty_bars_get_no_row() -> None:
    notes = [_note(7.95, "kick", 100)]  # snaps to step 32 of a 2-bar clip
    assert len(clip_features(notes, 100.0, bars=2, label="x")) == 0  # a recording: past the end, dropped
    looped = clip_features(notes, 100.0, bars=2, label="x", loops=True)
    assert len(looped) == 1 and looped.onsets[0][0] == 1  # kick, step 0 of bar 0
