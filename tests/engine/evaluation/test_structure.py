"""Groove structure measures on hand-built clips whose answers are known, real takes and generated patterns."""

from __future__ import annotations

import math
from pathlib import Path

from mididrumigen.engine.data import Performance
from mididrumigen.engine.evaluation.corpus import GeneratedPattern, hits_to_notes
from mididrumigen.engine.evaluation.structure import (
    compare,
    generated_structure,
    real_structure,
    structure_metrics,
)
from mididrumigen.engine.pattern import GridHit, Pattern
from mididrumigen.engine.presets import PresetRegistry

BACKBEAT = [(0, "kick", 100), (4, "snare", 100), (8, "kick", 90), (12, "snare", 100)]
HALF_TIME = [(0, "kick", 100), (8, "snare", 110)]
NO_SNARE = [(0, "kick", 100), (6, "kick", 100), (10, "closed_hat", 60)]
GHOSTED = BACKBEAT + [(7, "snare", 25)]  # the same backbone plus a ghost note


def _hits(bars: list[list[tuple[int, str, int]]]) -> tuple[GridHit, ...]:
    return tuple(GridHit(b, step, voice, velocity, 0.0) for b, bar in enumerate(bars) for step, voice, velocity in bar)


def _take(bars: list[list[tuple[int, str, int]]], genre: str = "hiphop", feel: str = "beat") -> Performance:
    return Performance(Path("take.mid"), genre, feel, 95.0, 4, 4, "drummer1", _hits(bars), len(bars))


def _generated(bars: list[list[tuple[int, str, int]]]) -> GeneratedPattern:
    hits = _hits(bars)
    pattern = Pattern(notes=hits_to_notes(hits), bars=len(bars), numerator=4, denominator=4, tempo_bpm=95.0,
                      style_id="x", pattern_type="verse", seed=0, humanized=True)
    return GeneratedPattern(pattern, hits, "hiphop")


def test_a_steady_backbeat_take_scores_full_backbeat_kick_and_repetition() -> None:
    [row] = real_structure([_take([BACKBEAT, GHOSTED, BACKBEAT])], ["hiphop"])
    assert row["backbeat"] == 1.0 and row["half_time"] == 0.0 and row["kick_downbeat"] == 1.0
    assert row["repetition"] == 1.0  # ghost notes are left out of the overlap
    assert row["no_snare"] == 0.0 and row["soft_main"] == 0.0
    assert math.isnan(row["seam"])  # a take does not loop


def test_half_time_counts_as_a_backbeat_and_is_reported_apart() -> None:
    [row] = real_structure([_take([HALF_TIME, HALF_TIME])], ["hiphop"])
    assert row["backbeat"] == 1.0 and row["half_time"] == 1.0


def test_a_wandering_clip_scores_low() -> None:
    [row] = real_structure([_take([BACKBEAT, NO_SNARE, HALF_TIME, NO_SNARE])], ["hiphop"])
    assert row["backbeat"] == 0.5 and row["no_snare"] == 0.5
    assert row["repetition"] < 0.5


def test_a_snare_one_sixteenth_off_the_backbeat_still_counts_two_do_not() -> None:
    near = [(0, "kick", 100), (5, "snare", 100), (11, "snare", 100)]
    far = [(0, "kick", 100), (6, "snare", 100), (14, "snare", 100)]
    [row] = real_structure([_take([near, far])], ["hiphop"])
    assert row["backbeat"] == 0.5


def test_soft_main_voices_are_counted_and_ghost_snares_are_not_main() -> None:
    soft = [(0, "kick", 10), (4, "snare", 100), (6, "snare", 10), (12, "snare", 100), (2, "closed_hat", 15)]
    [row] = real_structure([_take([soft, soft])], ["hiphop"])
    assert row["soft_main"] == 0.5  # kick and hat of 4 main hits (the off-beat snare is not main)


def test_only_beat_takes_of_the_genres_with_two_bars_count() -> None:
    takes = [_take([BACKBEAT, BACKBEAT], feel="fill"), _take([BACKBEAT, BACKBEAT], genre="rock"),
             _take([BACKBEAT]), _take([BACKBEAT, BACKBEAT])]
    assert len(real_structure(takes, ["hiphop"])) == 1


def test_a_generated_fill_bar_is_not_a_groove_bar_and_the_seam_reads_last_into_first() -> None:
    fill = [(s, "low_tom", 90) for s in range(0, 16, 2)]
    [row] = generated_structure([_generated([BACKBEAT, BACKBEAT, BACKBEAT, fill])])
    assert row["backbeat"] == 1.0 and row["no_snare"] == 0.0
    [loop] = generated_structure([_generated([BACKBEAT, BACKBEAT, BACKBEAT, NO_SNARE])], loops=True)
    assert loop["backbeat"] == 0.75
    assert loop["seam"] < 0.5


def test_compare_holds_inside_the_iqr_and_says_by_how_much() -> None:
    real = {"mean": 0.8, "q1": 0.7, "q3": 0.9, "n": 10}
    holds, margin = compare({"mean": 0.85, "q1": 0, "q3": 0, "n": 4}, real)
    assert holds is True and math.isclose(margin, 0.05)
    holds, margin = compare({"mean": 0.5, "q1": 0, "q3": 0, "n": 4}, real)
    assert holds is False and math.isclose(margin, -0.2)
    # one-sided: fewer soft main hits than real drummers is no fault
    assert compare({"mean": 0.0, "q1": 0, "q3": 0, "n": 4}, {"mean": 0.05, "q1": 0.02, "q3": 0.08, "n": 9},
                   at_most=True)[0]
    # a zero-width IQR falls back to a tolerance around the mean
    assert compare({"mean": 0.95, "q1": 0, "q3": 0, "n": 4}, {"mean": 1.0, "q1": 1.0, "q3": 1.0, "n": 3})[0]


def test_structure_metrics_compares_the_seam_with_real_repetition() -> None:
    metrics = structure_metrics([_generated([BACKBEAT] * 4)], [_generated([BACKBEAT] * 4)],
                                [_take([BACKBEAT, BACKBEAT, BACKBEAT])], [], ["hiphop"])
    assert metrics["seam"]["generated"]["mean"] == 1.0
    assert metrics["seam"]["real"]["mean"] == 1.0 and metrics["seam"]["holds"]
    assert metrics["real_takes"] == 1 and metrics["loop_patterns"] == 1


def test_too_few_validation_takes_borrow_the_train_split_and_say_so() -> None:
    validation = [_take([BACKBEAT, BACKBEAT])]
    train = [_take([HALF_TIME, HALF_TIME])] * 6
    metrics = structure_metrics([_generated([BACKBEAT] * 4)], [], validation, train, ["hiphop"])
    assert metrics["reference_split"] == "validation+train" and metrics["real_takes"] == 7
    enough = structure_metrics([_generated([BACKBEAT] * 4)], [], validation * 5, train, ["hiphop"])
    assert enough["reference_split"] == "validation" and enough["real_takes"] == 5


def test_a_half_time_style_is_recognised_by_its_anchors(registry: PresetRegistry) -> None:
    from mididrumigen.engine.evaluation.run import declares_half_time

    assert declares_half_time(registry.resolve("metro_boomin"))
    assert not declares_half_time(registry.resolve("questlove"))
