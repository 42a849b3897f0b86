"""quantize and humanize: exact grid placement, each feel on its own, and the loop-clean invariants."""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mididrumigen.engine.constants import (
    ALLOWED_DENOMINATORS,
    NOTE_DURATION_BEATS,
    VOICES,
    bar_length_beats,
    steps_per_bar,
)
from mididrumigen.engine.humanize import humanize, quantize, swing_delay_beats
from mididrumigen.engine.pattern import GridHit, Note
from mididrumigen.engine.presets import PresetRegistry, StylePreset
from mididrumigen.engine.units import ms_to_beats

from .conftest import PresetFactory

EXTREME = StylePreset.model_validate(
    {
        "id": "extreme",
        "name": "Extreme",
        "description": "Every feel at its limit.",
        "tempo_min": 60,
        "tempo_max": 200,
        "genres": ["funk"],
        "kit": {"closed_hat": 46, "open_hat": 46},  # two voices on one note must still never overlap
        "humanize": {
            "swing_percent": 75,
            "micro_timing_ms": 30,
            "velocity_variation": 40,
            "voice_timing_ms": {"kick": -50, "snare": 50, "closed_hat": 50},
            "ghost_note_probability": 1.0,
            "ghost_velocity": [1, 127],
        },
        "ornaments": [{"type": "hat_roll", "probability": 1.0, "divisions": [16, 12], "span_steps": 4}],
    }
)


def _humanize(
    hits: Sequence[GridHit], preset: StylePreset, seed: int = 7, bars: int = 1, tempo_bpm: float = 120.0
) -> tuple[Note, ...]:
    return humanize(hits, preset, numerator=4, denominator=4, tempo_bpm=tempo_bpm, bars=bars, seed=seed)


def _assert_loops_cleanly(notes: Sequence[Note], length_beats: float) -> None:
    assert list(notes) == sorted(notes, key=lambda n: (n.start_beats, n.pitch))
    last_end: dict[int, float] = {}
    for note in notes:
        assert note.start_beats >= 0
        assert note.start_beats + note.duration_beats <= length_beats + 1e-9
        assert note.duration_beats > 0
        assert 1 <= note.velocity <= 127
        assert note.start_beats >= last_end.get(note.pitch, 0.0) - 1e-9, f"pitch {note.pitch} overlaps"
        last_end[note.pitch] = note.start_beats + note.duration_beats


def test_quantize_puts_hits_on_the_grid_and_drops_offsets(make_preset: PresetFactory) -> None:
    preset = make_preset(kit={"snare": 40})
    hits = [GridHit(1, 4, "snare", 90, 0.4), GridHit(0, 3, "kick", 64, -0.3)]
    notes = quantize(hits, preset, numerator=7, denominator=8, bars=2)
    assert notes == (
        Note(pitch=36, start_beats=0.75, duration_beats=NOTE_DURATION_BEATS, velocity=64, voice="kick"),
        Note(pitch=40, start_beats=3.5 + 1.0, duration_beats=NOTE_DURATION_BEATS, velocity=90, voice="snare"),
    )


def test_quantize_merges_duplicate_hits_into_the_louder(make_preset: PresetFactory) -> None:
    notes = quantize(
        [GridHit(0, 0, "kick", 50, 0.0), GridHit(0, 0, "kick", 99, 0.0)],
        make_preset(),
        numerator=4,
        denominator=4,
        bars=1,
    )
    assert [(n.start_beats, n.velocity) for n in notes] == [(0.0, 99)]


def test_dry_humanize_keeps_the_models_micro_timing(
    make_preset: PresetFactory, backbeat: tuple[GridHit, ...]
) -> None:
    dry = make_preset()
    assert _humanize(backbeat, dry) == quantize(backbeat, dry, numerator=4, denominator=4, bars=1)
    (note,) = _humanize([GridHit(0, 8, "snare", 100, 0.2)], dry)
    assert note.start_beats == pytest.approx(2.0 + 0.2 / 4)


def test_swing_moves_only_the_second_16th_of_each_8th(make_preset: PresetFactory) -> None:
    hits = [GridHit(0, step, "closed_hat", 80, 0.0) for step in range(4)]
    starts = [n.start_beats for n in _humanize(hits, make_preset(swing_percent=66))]
    assert starts == pytest.approx([0.0, 0.33, 0.5, 0.83])
    assert swing_delay_beats(3, 75) == pytest.approx(0.125)
    assert swing_delay_beats(2, 75) == 0.0


def test_swing_counts_pairs_from_the_bar_start_in_odd_meters(make_preset: PresetFactory) -> None:
    # 5/16 has five steps per bar: bar 1 starts on step 0 of its own pairs, not on an off-beat.
    hits = [GridHit(1, 0, "closed_hat", 80, 0.0), GridHit(1, 1, "closed_hat", 80, 0.0)]
    notes = humanize(
        hits, make_preset(swing_percent=60), numerator=5, denominator=16, tempo_bpm=100, bars=2, seed=1
    )
    assert [n.start_beats for n in notes] == pytest.approx([1.25, 1.5 + 0.05])


def test_voice_timing_is_milliseconds_at_the_tempo(make_preset: PresetFactory) -> None:
    preset = make_preset(voice_timing_ms={"snare": 18, "kick": -10})
    notes = _humanize(
        [GridHit(0, 4, "snare", 100, 0.0), GridHit(0, 8, "kick", 100, 0.0)], preset, tempo_bpm=90
    )
    by_voice = {n.voice: n.start_beats for n in notes}
    assert by_voice["snare"] == pytest.approx(1.0 + ms_to_beats(18, 90))
    assert by_voice["kick"] == pytest.approx(2.0 - ms_to_beats(10, 90))


def test_jitter_has_the_preset_spread_and_a_bounded_tail(make_preset: PresetFactory) -> None:
    hits = [GridHit(bar, 0, "kick", 100, 0.0) for bar in range(32)]
    notes = _humanize(hits, make_preset(micro_timing_ms=10), bars=32, tempo_bpm=120)
    errors_ms = [(n.start_beats - round(n.start_beats)) * 500 for n in notes[1:]]  # bar 0 may be clamped
    assert 6 < statistics.pstdev(errors_ms) < 14
    assert max(abs(e) for e in errors_ms) <= 30 + 1e-6


def test_velocity_variation_stays_in_midi_range(make_preset: PresetFactory) -> None:
    hits = [
        GridHit(bar, step, "closed_hat", 120 if step % 2 else 3, 0.0)
        for bar in range(8)
        for step in range(16)
    ]
    notes = _humanize(hits, make_preset(velocity_variation=20), bars=8)
    velocities = [n.velocity for n in notes]
    assert min(velocities) >= 1 and max(velocities) <= 127
    assert len(set(velocities)) > 20


def test_ghost_notes_fill_empty_16ths_next_to_kick_and_snare(make_preset: PresetFactory) -> None:
    hits = [
        GridHit(0, 0, "kick", 110, 0.0),
        GridHit(0, 4, "snare", 100, 0.0),
        GridHit(0, 5, "kick", 100, 0.0),
        GridHit(0, 10, "closed_hat", 80, 0.0),
    ]
    notes = _humanize(hits, make_preset(ghost_note_probability=1.0, ghost_velocity=[20, 30]))
    ghosts = [n for n in notes if n.voice == "snare" and n.velocity <= 30]
    # Neighbours of steps 0, 4, 5 that hold no kick or snare: 1, 3, 6 (step -1 is outside the clip).
    assert [g.start_beats * 4 for g in ghosts] == pytest.approx([1, 3, 6])
    assert all(20 <= g.velocity <= 30 for g in ghosts)
    assert len(_humanize(hits, make_preset(ghost_note_probability=0.0))) == len(hits)


def test_bars_where_the_model_plays_its_own_ghosts_get_none_added(make_preset: PresetFactory) -> None:
    hits = [
        GridHit(0, 0, "kick", 110, 0.0),
        GridHit(0, 4, "snare", 100, 0.0),
        GridHit(0, 7, "snare", 30, 0.0),  # the model's own ghost note in bar 0
        GridHit(1, 0, "kick", 110, 0.0),
        GridHit(1, 4, "snare", 100, 0.0),
    ]
    notes = _humanize(hits, make_preset(ghost_note_probability=1.0, ghost_velocity=[20, 25]), bars=2)
    added = [n for n in notes if n.voice == "snare" and n.velocity <= 25]
    # Only bar 1 (beats 4-8) gets ghosts: next to its kick (step 1) and snare (steps 3 and 5).
    assert [g.start_beats * 4 - 16 for g in added] == pytest.approx([1, 3, 5])


def test_ghost_notes_do_not_reshuffle_the_other_notes(
    make_preset: PresetFactory, backbeat: tuple[GridHit, ...]
) -> None:
    base = {"micro_timing_ms": 8, "velocity_variation": 6}
    plain = _humanize(backbeat, make_preset(**base))
    ghosted = _humanize(backbeat, make_preset(**base, ghost_note_probability=0.5))
    assert set(plain) <= set(ghosted)
    assert len(ghosted) > len(plain)


@pytest.mark.parametrize(("divisions", "spacing"), [(8, 1 / 8), (6, 1 / 6)])
def test_hat_roll_replaces_the_hat_with_an_even_rising_run(
    make_preset: PresetFactory, divisions: int, spacing: float
) -> None:
    preset = make_preset(
        ornaments=({"type": "hat_roll", "probability": 1.0, "divisions": [divisions], "ramp_from": 0.5},)
    )
    hits = [
        GridHit(0, 0, "closed_hat", 100, 0.0),
        GridHit(0, 1, "closed_hat", 90, 0.0),
        GridHit(0, 0, "kick", 110, 0.0),
    ]
    notes = _humanize(hits, preset)
    hats = [n for n in notes if n.voice == "closed_hat"]
    count = divisions // 2  # one 8th note (span_steps 2) of the roll
    assert [h.start_beats for h in hats] == pytest.approx([i * spacing for i in range(count)])
    assert [h.velocity for h in hats] == sorted(h.velocity for h in hats)
    assert (hats[0].velocity, hats[-1].velocity) == (50, 100)
    assert [n.voice for n in notes].count("kick") == 1


def test_hat_rolls_never_overlap_and_respect_probability(make_preset: PresetFactory) -> None:
    hits = [GridHit(bar, step, "closed_hat", 90, 0.0) for bar in range(8) for step in range(16)]
    always = make_preset(ornaments=({"type": "hat_roll", "probability": 1.0, "divisions": [8]},))
    never = make_preset(ornaments=({"type": "hat_roll", "probability": 0.0, "divisions": [8]},))
    assert len(_humanize(hits, never, bars=8)) == len(hits)
    rolled = _humanize(hits, always, bars=8)
    # Every one of the 32 beats starts one roll: 4 32nds in place of 2 16th hats, none merged away.
    assert len(rolled) == 128 - 32 * 2 + 32 * 4
    off_grid = [n for n in rolled if (n.start_beats * 8) % 2 == 1]
    assert len(off_grid) == 32 * 2
    _assert_loops_cleanly(rolled, 32.0)


def test_hat_roll_at_the_clip_end_is_cut_to_fit(make_preset: PresetFactory) -> None:
    hit = [GridHit(0, 15, "closed_hat", 100, 0.0)]
    eighths = make_preset(ornaments=({"type": "hat_roll", "probability": 1.0, "divisions": [8]},))
    triplets = make_preset(ornaments=({"type": "hat_roll", "probability": 1.0, "divisions": [6]},))
    assert [n.start_beats for n in _humanize(hit, eighths)] == pytest.approx([3.75, 3.875])
    assert [n.start_beats for n in _humanize(hit, triplets)] == pytest.approx([3.75])  # no room: hat kept


def test_notes_are_clamped_inside_the_clip(make_preset: PresetFactory) -> None:
    preset = make_preset(voice_timing_ms={"kick": -50, "snare": 50})
    hits = [GridHit(0, 0, "kick", 100, -0.5), GridHit(1, 15, "snare", 100, 0.5)]
    notes = _humanize(hits, preset, bars=2)
    assert notes[0].start_beats == 0.0
    assert notes[-1].start_beats + notes[-1].duration_beats == pytest.approx(8.0)


def test_same_seed_same_notes_any_input_order(
    registry: PresetRegistry, backbeat: tuple[GridHit, ...]
) -> None:
    dilla = registry.resolve("j_dilla")
    shuffled = list(backbeat)
    random.Random(3).shuffle(shuffled)
    assert _humanize(backbeat, dilla, seed=11) == _humanize(shuffled, dilla, seed=11)
    assert _humanize(backbeat, dilla, seed=11) != _humanize(backbeat, dilla, seed=12)


@pytest.mark.parametrize(
    ("hit", "field"),
    [
        (GridHit(0, 0, "cowbell", 100, 0.0), "voice"),
        (GridHit(1, 0, "kick", 100, 0.0), "bar"),
        (GridHit(0, 16, "kick", 100, 0.0), "step"),
        (GridHit(0, 0, "kick", 0, 0.0), "velocity"),
        (GridHit(0, 0, "kick", 100, 0.7), "offset_steps"),
    ],
)
def test_out_of_range_hits_are_rejected(make_preset: PresetFactory, hit: GridHit, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        _humanize([hit], make_preset())
    with pytest.raises(ValueError, match=field):
        quantize([hit], make_preset(), numerator=4, denominator=4, bars=1)


def test_bad_clip_shape_is_rejected(make_preset: PresetFactory) -> None:
    with pytest.raises(ValueError, match="denominator"):
        quantize([], make_preset(), numerator=4, denominator=3, bars=1)
    with pytest.raises(ValueError, match="bars"):
        quantize([], make_preset(), numerator=4, denominator=4, bars=0)
    with pytest.raises(ValueError, match="tempo_bpm"):
        humanize([], make_preset(), numerator=4, denominator=4, tempo_bpm=0, bars=1, seed=0)


@st.composite
def _clips(draw: st.DrawFn) -> tuple[int, int, int, list[GridHit]]:
    denominator = draw(st.sampled_from(ALLOWED_DENOMINATORS))
    numerator = draw(st.integers(1, 16))
    bars = draw(st.integers(1, 3))
    steps = steps_per_bar(numerator, denominator)
    hit = st.builds(
        GridHit,
        bar=st.integers(0, bars - 1),
        step=st.integers(0, steps - 1),
        voice=st.sampled_from(VOICES),
        velocity=st.integers(1, 127),
        offset_steps=st.floats(-0.5, 0.5),
    )
    return numerator, denominator, bars, draw(st.lists(hit, max_size=60))


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    clip=_clips(), preset_index=st.integers(0, 3), tempo=st.floats(60, 200), seed=st.integers(0, 2**32 - 1)
)
def test_humanized_clips_always_loop_cleanly(
    registry: PresetRegistry,
    clip: tuple[int, int, int, list[GridHit]],
    preset_index: int,
    tempo: float,
    seed: int,
) -> None:
    numerator, denominator, bars, hits = clip
    preset = (*registry.styles, EXTREME)[preset_index]
    length = bars * bar_length_beats(numerator, denominator)
    notes = humanize(
        hits, preset, numerator=numerator, denominator=denominator, tempo_bpm=tempo, bars=bars, seed=seed
    )
    _assert_loops_cleanly(notes, length)
    assert notes == humanize(
        list(reversed(hits)),
        preset,
        numerator=numerator,
        denominator=denominator,
        tempo_bpm=tempo,
        bars=bars,
        seed=seed,
    )
    _assert_loops_cleanly(
        quantize(hits, preset, numerator=numerator, denominator=denominator, bars=bars), length
    )


def test_swing_counts_what_the_model_already_played(make_preset: PresetFactory) -> None:
    # The drummer already plays the off-beat hats 0.2 steps late (55% swing): a 58% preset adds only the rest.
    hits = [GridHit(0, step, "closed_hat", 80, 0.2 if step % 2 else 0.0) for step in range(8)]
    starts = [n.start_beats for n in _humanize(hits, make_preset(swing_percent=58))]
    off_beat_lateness = [starts[i] - starts[i - 1] - 0.25 for i in range(1, 8, 2)]
    assert off_beat_lateness == pytest.approx([swing_delay_beats(1, 58)] * 4)


def test_straight_preset_takes_the_models_swing_out(make_preset: PresetFactory) -> None:
    hits = [GridHit(0, step, "closed_hat", 80, 0.3 if step % 2 else 0.0) for step in range(8)]
    starts = [n.start_beats for n in _humanize(hits, make_preset(swing_percent=50))]
    assert starts == pytest.approx([step / 4 for step in range(8)])


def test_placed_voice_median_lands_on_the_declared_timing_and_keeps_its_variation(
    make_preset: PresetFactory,
) -> None:
    offsets = [-0.2, 0.1, 0.0, 0.3]  # the model's snare: median 0.05 steps late, spread kept
    hits = [GridHit(bar, 4, "snare", 100, offset) for bar, offset in enumerate(offsets)]
    hits += [GridHit(bar, 0, "kick", 100, -0.1) for bar in range(4)]  # kick not placed: as played
    notes = _humanize(hits, make_preset(voice_timing_ms={"snare": 20}), bars=4, tempo_bpm=90)
    snare_ms = [(n.start_beats - (4 * bar + 1)) * 60000 / 90 for bar, n in enumerate(x for x in notes if x.voice == "snare")]
    assert statistics.median(snare_ms) == pytest.approx(20)
    played_ms = [o / 4 * 60000 / 90 for o in offsets]
    assert [s - p for s, p in zip(snare_ms, played_ms)] == pytest.approx([20 - 0.05 / 4 * 60000 / 90] * 4)
    kicks = [n.start_beats - 4 * bar for bar, n in enumerate(x for x in notes if x.voice == "kick")]
    assert kicks[1:] == pytest.approx([-0.1 / 4] * 3)  # bar 0's early kick is clamped to the clip start


def test_velocity_floors_lift_main_hits_and_leave_ghost_notes(make_preset: PresetFactory) -> None:
    preset = make_preset(velocity_floor={"kick": 60, "snare": 70})
    hits = [
        GridHit(0, 0, "kick", 3, 0.0),  # a near-silent kick: lifted
        GridHit(0, 4, "snare", 12, 0.0),  # a backbeat played at 12: lifted, it is not a ghost note
        GridHit(0, 7, "snare", 25, 0.0),  # off the beat and soft: a ghost note, kept
        GridHit(0, 10, "snare", 90, 0.0),  # already above the floor: kept
        GridHit(0, 2, "closed_hat", 5, 0.0),  # no floor for hats: kept
    ]
    for notes in (quantize(hits, preset, numerator=4, denominator=4, bars=1), _humanize(hits, preset)):
        by_position = {(n.voice, round(n.start_beats * 4)): n.velocity for n in notes}
        assert by_position == {("kick", 0): 60, ("snare", 4): 70, ("snare", 7): 25, ("snare", 10): 90,
                               ("closed_hat", 2): 5}


def test_the_built_in_presets_keep_main_voices_audible(registry: PresetRegistry) -> None:
    hits = [GridHit(0, step, voice, 1, 0.0) for step, voice in ((0, "kick"), (4, "snare"), (2, "closed_hat"))]
    for style in registry.styles:
        notes = _humanize(hits, style, tempo_bpm=float(style.tempo_min))
        assert min(n.velocity for n in notes if n.voice in ("kick", "snare")) >= 30, style.id
