"""Reading drum MIDI: grid snapping with micro-timing offsets, the real Groove files, and plain folders."""

from __future__ import annotations

import csv
import itertools
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mididrumigen.engine.constants import ALLOWED_DENOMINATORS, PITCH_TO_VOICE, STEPS_PER_BEAT, steps_per_bar
from mididrumigen.engine.data import load_performances, notes_to_hits, read_drum_midi
from mididrumigen.engine.dataset import bar_tables
from mididrumigen.engine.pattern import GridHit

from .support import BACKBEAT, names_in_split, write_drum_file


def test_notes_snap_to_the_nearest_16th_and_keep_the_offset() -> None:
    notes = [
        (0.0, 36, 100),  # on the grid
        (0.3, 38, 90),  # 1.2 steps: step 1, 0.2 late
        (0.49, 42, 80),  # 1.96 steps: step 2, 0.04 early
        (0.125, 46, 70),  # exactly half way: rounds up, so the offset is -0.5, never +0.5
        (3.99, 36, 60),  # 15.96 steps: step 0 of the next bar
        (1.0, 99, 100),  # not a drum voice: dropped
    ]
    hits, bars = notes_to_hits(notes, 4, 4)
    assert bars == 2
    got = {(h.bar, h.step, h.voice): (h.velocity, h.offset_steps) for h in hits}
    assert set(got) == {(0, 0, "kick"), (0, 1, "snare"), (0, 2, "closed_hat"), (0, 1, "open_hat"), (1, 0, "kick")}
    assert got[(0, 0, "kick")] == (100, 0.0)
    assert got[(0, 1, "snare")][1] == pytest.approx(0.2)
    assert got[(0, 2, "closed_hat")][1] == pytest.approx(-0.04)
    assert got[(0, 1, "open_hat")][1] == -0.5
    assert got[(1, 0, "kick")] == (60, pytest.approx(-0.04))


def test_bars_follow_the_time_signature() -> None:
    # A 7/8 bar is 3.5 beats = 14 steps, so beat 3.5 opens bar 2.
    hits, bars = notes_to_hits([(0.0, 36, 100), (3.25, 38, 100), (3.5, 36, 100)], 7, 8)
    assert bars == 2
    assert [(h.bar, h.step) for h in hits] == [(0, 0), (0, 13), (1, 0)]


def test_a_repeated_voice_on_one_step_keeps_the_loudest() -> None:
    hits, _ = notes_to_hits([(1.0, 38, 40), (1.02, 38, 120), (0.98, 37, 80)], 4, 4)
    assert len(hits) == 1
    assert hits[0].voice == "snare" and hits[0].velocity == 120 and hits[0].step == 4


def test_no_known_notes_means_no_bars() -> None:
    assert notes_to_hits([(0.0, 99, 100)], 4, 4) == ([], 0)
    assert notes_to_hits([], 4, 4) == ([], 0)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(
    beats=st.lists(st.floats(0, 64, allow_nan=False), min_size=1, max_size=30),
    pitch=st.sampled_from(sorted(PITCH_TO_VOICE)),
    denominator=st.sampled_from(ALLOWED_DENOMINATORS),
    numerator=st.integers(1, 16),
)
def test_offsets_stay_in_half_a_step_and_positions_add_up(
    beats: list[float], pitch: int, denominator: int, numerator: int
) -> None:
    bar_steps = steps_per_bar(numerator, denominator)
    # Distinct steps, so no hit is merged away and each hit maps back to its note.
    notes = {math.floor(b * STEPS_PER_BEAT + 0.5): (b, pitch, 64) for b in beats}
    hits, bars = notes_to_hits(sorted(notes.values()), numerator, denominator)
    assert bars == max(h.bar for h in hits) + 1
    for hit in hits:
        assert -0.5 <= hit.offset_steps < 0.5
        assert 0 <= hit.step < bar_steps
        assert hit.voice == PITCH_TO_VOICE[pitch]
    positions = sorted(b * STEPS_PER_BEAT for b, _, _ in notes.values())
    rebuilt = sorted(h.bar * bar_steps + h.step + h.offset_steps for h in hits)
    assert rebuilt == pytest.approx(positions, abs=1e-9)


def _first_train_row(groove_dir: Path) -> dict[str, str]:
    with (groove_dir / "info.csv").open(newline="") as handle:
        return next(row for row in csv.DictReader(handle) if row["split"] == "train")


def test_reading_one_real_groove_file(groove_dir: Path) -> None:
    row = _first_train_row(groove_dir)
    notes, tempo_bpm, signature = read_drum_midi(groove_dir / row["midi_filename"])
    assert notes and notes == sorted(notes)
    assert tempo_bpm is not None and tempo_bpm > 0
    assert signature == tuple(int(x) for x in row["time_signature"].split("-"))
    hits, bars = notes_to_hits(notes, *signature)
    assert hits and bars > 0


def test_load_performances_from_groove_labels_from_info_csv(groove_dir: Path) -> None:
    row = _first_train_row(groove_dir)
    performance = next(load_performances(groove_dir, "train"))
    assert performance.path == groove_dir / row["midi_filename"]
    assert performance.genre == row["style"].split("/")[0]
    assert performance.feel == row["beat_type"]
    assert performance.tempo_bpm == float(row["bpm"])
    assert performance.drummer == row["drummer"]
    assert performance.bars > 0 and performance.hits
    assert all(h.bar < performance.bars for h in performance.hits)
    validation = list(itertools.islice(load_performances(groove_dir, "validation"), 2))
    assert validation and all(p.path.exists() for p in validation)


def test_load_performances_rejects_an_unknown_split(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="split must be one of train, validation, test"):
        next(load_performances(tmp_path, "dev"))


def test_load_performances_from_a_plain_folder(tmp_path: Path) -> None:
    train_names = names_in_split("train", 2)
    validation_names = names_in_split("validation", 1)
    write_drum_file(tmp_path / train_names[0], bars=2, tempo_bpm=87.0)
    write_drum_file(tmp_path / "nested" / train_names[1], notes=[(0.0, 36, 100), (1.25, 38, 90)], bars=3,
                    bar_beats=3.0, tempo_bpm=None, signature=(3, 4))
    write_drum_file(tmp_path / validation_names[0], signature=None)

    train = {p.path.name: p for p in load_performances(tmp_path, "train", default_genre="funk")}
    validation = {p.path.name: p for p in load_performances(tmp_path, "validation", default_genre="funk")}

    assert set(train) == set(train_names) and set(validation) == set(validation_names)
    first = train[train_names[0]]
    assert (first.genre, first.feel, first.drummer) == ("funk", "beat", "unknown")
    assert first.tempo_bpm == pytest.approx(87.0)
    assert (first.numerator, first.denominator, first.bars) == (4, 4, 2)
    assert len(first.hits) == 2 * len(BACKBEAT)
    waltz = train[train_names[1]]
    assert (waltz.numerator, waltz.denominator, waltz.bars, waltz.tempo_bpm) == (3, 4, 3, 120.0)
    assert waltz.hits[1] == GridHit(0, 5, "snare", 90, 0.0)
    untagged = validation[validation_names[0]]
    assert (untagged.numerator, untagged.denominator) == (4, 4)


@pytest.mark.parametrize("signature", [(1, 32), (3, 32)])
def test_a_bar_off_the_16th_grid_is_skipped_not_fatal(tmp_path: Path, signature: tuple[int, int]) -> None:
    # Regression: steps_per_bar(1, 32) is 0, so one such file in a plain folder crashed training with
    # ZeroDivisionError; 3/32 gave 1-step "bars" and a wrong bar count. Such takes should be left out.
    (name,) = names_in_split("train", 1)
    write_drum_file(tmp_path / name, signature=signature)
    (performance,) = load_performances(tmp_path, "train")
    assert bar_tables([performance]) == []
