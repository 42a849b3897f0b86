"""Tokenizer: encode then decode is lossless up to the grid bins, bins round-trip, the vocabulary persists."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mididrumigen.engine.meter import meter_id_of
from hypothesis import given, settings
from hypothesis import strategies as st

from mididrumigen.engine.constants import GENRES, MAX_STEPS_PER_BAR, OFFSET_BINS, VELOCITY_BINS, VOICES
from mididrumigen.engine.errors import CheckpointError
from mididrumigen.engine.pattern import GridHit
from mididrumigen.engine.tokenizer import (
    ENERGIES,
    FEELS,
    METERS,
    TEMPO_BANDS,
    TOKENIZER_VERSION,
    Conditioning,
    Tokenizer,
    bin_to_offset,
    bin_to_velocity,
    canonical_hits,
    meter_of,
    meter_token,
    offset_to_bin,
    tempo_band_of,
    velocity_to_bin,
)

TOKENIZER = Tokenizer()
COND = Conditioning(genre="hiphop", feel="beat", energy="mid", meter="4/4", tempo_band="80-100")

_SETTINGS = settings(max_examples=120, deadline=None, derandomize=True, database=None)

conditionings = st.builds(
    Conditioning,
    genre=st.sampled_from(GENRES),
    feel=st.sampled_from(FEELS),
    energy=st.sampled_from(ENERGIES),
    meter=st.sampled_from(METERS),
    tempo_band=st.sampled_from(TEMPO_BANDS),
)


@st.composite
def _performances(draw: st.DrawFn) -> tuple[int, list[GridHit]]:
    bars = draw(st.integers(1, 4))
    hit = st.builds(
        GridHit,
        bar=st.integers(0, bars - 1),
        step=st.integers(0, MAX_STEPS_PER_BAR - 1),
        voice=st.sampled_from(VOICES),
        velocity=st.integers(1, 127),
        offset_steps=st.floats(-0.5, 0.5, exclude_max=True),
    )
    return bars, draw(st.lists(hit, max_size=40))


def _on_bin_centres(hit: GridHit) -> GridHit:
    return replace(
        hit,
        velocity=bin_to_velocity(velocity_to_bin(hit.velocity)),
        offset_steps=bin_to_offset(offset_to_bin(hit.offset_steps)),
    )


@_SETTINGS
@given(performance=_performances(), cond=conditionings)
def test_round_trip_is_lossless_up_to_the_grid(performance: tuple[int, list[GridHit]], cond: Conditioning) -> None:
    bars, hits = performance
    events = TOKENIZER.encode(cond, hits, bars)
    decoded, decoded_bars = TOKENIZER.decode_hits(events)
    assert decoded_bars == bars
    assert decoded == [_on_bin_centres(h) for h in canonical_hits(hits)]
    assert TOKENIZER.encode(cond, decoded, bars) == events
    assert TOKENIZER.decode_conditioning(events) == cond


@_SETTINGS
@given(performance=_performances())
def test_sequence_shape(performance: tuple[int, list[GridHit]]) -> None:
    bars, hits = performance
    events = TOKENIZER.encode(COND, hits, bars)
    assert events[:5] == TOKENIZER.prefix(COND)
    assert sum(e.special == TOKENIZER.bar_id for e in events) == bars + 1
    assert events[5] == events[-1] == TOKENIZER.bar_event(meter_id_of(COND.meter))
    assert len(events) == 5 + bars + 1 + len(canonical_hits(hits))
    for event in events[5:]:
        if event.special == TOKENIZER.hit_id:
            assert 1 <= event.step <= TOKENIZER.n_steps and 1 <= event.voice <= TOKENIZER.n_voices
            assert 1 <= event.velocity <= VELOCITY_BINS and 1 <= event.offset <= OFFSET_BINS


@pytest.mark.parametrize("velocity_bin", range(VELOCITY_BINS))
def test_velocity_bins_round_trip(velocity_bin: int) -> None:
    velocity = bin_to_velocity(velocity_bin)
    assert 1 <= velocity <= 127
    assert velocity_to_bin(velocity) == velocity_bin


@pytest.mark.parametrize("offset_bin", range(OFFSET_BINS))
def test_offset_bins_round_trip(offset_bin: int) -> None:
    offset = bin_to_offset(offset_bin)
    assert -0.5 <= offset < 0.5
    assert offset_to_bin(offset) == offset_bin


@_SETTINGS
@given(velocity=st.integers(1, 127), offset=st.floats(-0.5, 0.5, exclude_max=True))
def test_every_value_lands_in_a_bin_whose_centre_is_near(velocity: int, offset: float) -> None:
    assert 0 <= velocity_to_bin(velocity) < VELOCITY_BINS
    assert abs(bin_to_velocity(velocity_to_bin(velocity)) - velocity) <= 127 / VELOCITY_BINS / 2 + 1
    assert 0 <= offset_to_bin(offset) < OFFSET_BINS
    assert abs(bin_to_offset(offset_to_bin(offset)) - offset) <= 1 / OFFSET_BINS / 2 + 1e-9


def test_velocity_bins_are_monotonic_and_cover_the_range() -> None:
    bins = [velocity_to_bin(v) for v in range(1, 128)]
    assert bins == sorted(bins)
    assert bins[0] == 0 and bins[-1] == VELOCITY_BINS - 1


def test_canonical_hits_keeps_the_loudest_and_sorts() -> None:
    hits = [
        GridHit(1, 0, "kick", 90, 0.0),
        GridHit(0, 4, "snare", 40, 0.1),
        GridHit(0, 4, "snare", 110, -0.2),
        GridHit(0, 4, "snare", 70, 0.3),
        GridHit(0, 4, "kick", 100, 0.0),
        GridHit(0, 0, "closed_hat", 60, 0.0),
    ]
    assert canonical_hits(hits) == [
        GridHit(0, 0, "closed_hat", 60, 0.0),
        GridHit(0, 4, "kick", 100, 0.0),
        GridHit(0, 4, "snare", 110, -0.2),
        GridHit(1, 0, "kick", 90, 0.0),
    ]


def test_encode_rejects_a_hit_outside_the_bars() -> None:
    with pytest.raises(ValueError, match="bar 2"):
        TOKENIZER.encode(COND, [GridHit(2, 0, "kick", 100, 0.0)], bars=2)


@pytest.mark.parametrize(
    "cond",
    [
        replace(COND, genre="polka"),
        replace(COND, feel="groove"),
        replace(COND, energy="extreme"),
        replace(COND, meter="waltz"),
        replace(COND, meter="5/3"),
        replace(COND, tempo_band="fast"),
    ],
)
def test_prefix_rejects_unknown_conditioning(cond: Conditioning) -> None:
    with pytest.raises(ValueError, match="not in this tokenizer's vocabulary"):
        TOKENIZER.prefix(cond)


def test_prefix_only_knows_the_tokenizers_genres() -> None:
    small = Tokenizer(genres=("funk",))
    assert len(small.prefix(replace(COND, genre="funk"))) == 5
    with pytest.raises(ValueError, match="genre:hiphop"):
        small.prefix(COND)


@pytest.mark.parametrize(
    ("numerator", "denominator", "meter"), [(4, 4, "4/4"), (3, 4, "3/4"), (6, 8, "6/8"), (7, 8, "other"),
                                            (12, 8, "other"), (4, 2, "other")]
)
def test_meter_of_keeps_the_signature_and_the_prefix_names_its_family(numerator: int, denominator: int,
                                                                      meter: str) -> None:
    signature = meter_of(numerator, denominator)
    assert signature == f"{numerator}/{denominator}"
    assert meter_token(signature) == meter
    assert TOKENIZER.prefix(replace(COND, meter=signature))[3] == TOKENIZER.prefix(replace(COND, meter=meter))[3]


def test_every_event_of_a_bar_carries_its_signature() -> None:
    events = TOKENIZER.encode(replace(COND, meter="12/8"), [GridHit(0, 20, "snare", 90, 0.0)], 1)
    assert [e.meter for e in events[:5]] == [0] * 5  # the prefix has no bar
    assert {e.meter for e in events[5:]} == {meter_id_of("12/8")} != {0}


@pytest.mark.parametrize(
    ("tempo", "band"), [(60, "<80"), (79.9, "<80"), (80, "80-100"), (119.99, "100-120"), (120, "120-140"),
                        (140, ">=140"), (200, ">=140")]
)
def test_tempo_band_of(tempo: float, band: str) -> None:
    assert tempo_band_of(tempo) == band


def test_energy_uses_the_tokenizers_thresholds() -> None:
    tokenizer = Tokenizer(energy_thresholds=(5, 10))
    assert [tokenizer.energy_of(x) for x in (4.9, 5, 9.9, 10)] == ["low", "mid", "mid", "high"]


def test_to_dict_from_dict_round_trip() -> None:
    original = Tokenizer(genres=("funk", "rock"), energy_thresholds=(6.0, 12.5))
    data = original.to_dict()
    assert data["version"] == TOKENIZER_VERSION
    restored = Tokenizer.from_dict(data)
    assert restored.special_names == original.special_names
    assert restored.energy_thresholds == (6.0, 12.5)
    assert restored.n_special == original.n_special


@pytest.mark.parametrize("version", [TOKENIZER_VERSION + 1, 0, None])
def test_from_dict_refuses_another_version(version: int | None) -> None:
    data = {**TOKENIZER.to_dict(), "version": version}
    with pytest.raises(CheckpointError, match=f"tokenizer version {version}"):
        Tokenizer.from_dict(data)
