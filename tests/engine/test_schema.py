"""The request model: every out-of-range field names itself and its allowed range; edges are accepted."""

from __future__ import annotations

from typing import Any

import pytest

from mididrumigen.engine.errors import RequestError
from mididrumigen.engine.schema import (
    GenerationRequest, PatternType, parse_request, parse_time_signature, take_requests,
)


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("bars", 0, "between 1 and 32"),
        ("bars", 33, "between 1 and 32"),
        ("bars", 99, "between 1 and 32"),
        ("tempo", 59, "between 60 and 200"),
        ("tempo", 201, "between 60 and 200"),
        ("tempo", float("nan"), "between 60 and 200"),
        ("numerator", 0, "between 1 and 16"),
        ("numerator", 17, "between 1 and 16"),
        ("denominator", 3, "one of 2, 4, 8, 16"),
        ("denominator", 32, "one of 2, 4, 8, 16"),
        ("temperature", 0.05, "between 0.1 and 2.0"),
        ("temperature", 2.5, "between 0.1 and 2.0"),
        ("top_k", -1, "between 0 and 100"),
        ("top_k", 101, "between 0 and 100"),
        ("top_p", 0, "greater than 0 and at most 1"),
        ("top_p", 1.5, "greater than 0 and at most 1"),
        ("pattern_type", "drop", "one of intro, verse, chorus, bridge, outro"),
        ("seed", -1, "a whole number between 0 and 2**32 - 1"),
        ("seed", 2**32, "a whole number between 0 and 2**32 - 1"),
        ("humanize", "maybe", "true or false"),
        ("fill", "sometimes", "true or false"),
    ],
)
def test_out_of_range_field_names_the_field_and_its_range(field: str, value: Any, rule: str) -> None:
    with pytest.raises(RequestError) as caught:
        parse_request({"style": "j_dilla", field: value})
    assert caught.value.field == field
    message = str(caught.value)
    assert message.startswith(f"{field} must be {rule}")
    assert f"got {value!r}" in message


def test_unknown_field_is_named_with_the_allowed_fields() -> None:
    with pytest.raises(RequestError) as caught:
        parse_request({"style": "j_dilla", "swing": 60})
    assert caught.value.field == "swing"
    assert "unknown field 'swing'" in str(caught.value)
    assert "bars" in str(caught.value) and "seed" in str(caught.value)


def test_missing_style_is_required() -> None:
    with pytest.raises(RequestError) as caught:
        parse_request({"bars": 4})
    assert caught.value.field == "style"
    assert str(caught.value).startswith("style is required")


def test_request_error_is_a_value_error() -> None:
    # Callers that only know ValueError still catch a bad request.
    with pytest.raises(ValueError):
        parse_request({"style": "j_dilla", "bars": 0})


@pytest.mark.parametrize(
    "values",
    [
        {"bars": 1, "tempo": 60, "numerator": 1, "denominator": 2, "temperature": 0.1, "top_k": 0,
         "top_p": 1e-6, "seed": 0},
        {"bars": 32, "tempo": 200, "numerator": 16, "denominator": 16, "temperature": 2.0, "top_k": 100,
         "top_p": 1.0, "seed": 2**32 - 1},
        {"denominator": 8, "pattern_type": "outro", "humanize": False},
    ],
)
def test_edge_values_are_accepted(values: dict[str, Any]) -> None:
    request = parse_request({"style": "j_dilla", **values})
    for field, value in values.items():
        assert getattr(request, field) == value


def test_defaults_and_time_signature() -> None:
    request = parse_request({"style": "J Dilla"})
    assert (request.bars, request.tempo, request.time_signature) == (4, 95.0, "4/4")
    assert request.pattern_type is PatternType.VERSE
    assert request.seed is None and request.humanize is True and request.fill is True
    assert (request.temperature, request.top_k, request.top_p) == (0.9, 0, 0.95)


def test_request_is_frozen() -> None:
    request = parse_request({"style": "j_dilla"})
    with pytest.raises(Exception):
        request.bars = 8  # type: ignore[misc]
    assert isinstance(request, GenerationRequest)


@pytest.mark.parametrize(("text", "expected"), [("4/4", (4, 4)), ("7/8", (7, 8)), (" 12 / 8 ", (12, 8)),
                                                 ("16/2", (16, 2)), ("5/32", (5, 32))])
def test_parse_time_signature_accepts_n_over_d(text: str, expected: tuple[int, int]) -> None:
    # Range checks are the request's job, so 5/32 parses here and is refused by parse_request.
    assert parse_time_signature(text) == expected


@pytest.mark.parametrize("text", ["", "4", "4/4/4", "four/4", "4/", "/4", "-3/4", "3.5/4", "4:4"])
def test_parse_time_signature_rejects_malformed_text(text: str) -> None:
    with pytest.raises(RequestError) as caught:
        parse_time_signature(text)
    assert caught.value.field == "time_signature"
    assert "time signature must look like 4/4 or 7/8" in str(caught.value)


@pytest.mark.parametrize("field", ["bars", "tempo", "numerator", "denominator", "temperature", "top_k", "top_p",
                                   "seed"])
def test_a_true_false_flag_is_never_a_number(field: str) -> None:
    # JSON `"bars": true` over HTTP (or OSC's T) must not become 1 bar through pydantic's lax mode.
    with pytest.raises(RequestError) as info:
        parse_request({"style": "questlove", field: True})
    assert info.value.field == field and str(info.value).endswith("got True")


def test_flags_stay_flags() -> None:
    request = parse_request({"style": "questlove", "humanize": False, "fill": True})
    assert (request.humanize, request.fill) == (False, True)


@pytest.mark.parametrize("value", [0, 9, 2.5, True, False, "three", None])
def test_variations_outside_1_to_8_is_one_line_naming_the_field(value: Any) -> None:
    with pytest.raises(RequestError) as caught:
        parse_request({"style": "questlove", "variations": value})
    assert caught.value.field == "variations"
    assert str(caught.value) == f"variations must be a whole number between 1 and 8, got {value!r}"


def test_variations_defaults_to_one_take_and_takes_1_to_8() -> None:
    assert parse_request({"style": "questlove"}).variations == 1
    assert [parse_request({"style": "questlove", "variations": n}).variations for n in (1, 8)] == [1, 8]


def test_take_k_has_seed_plus_k_as_a_one_take_request() -> None:
    request = parse_request({"style": "questlove", "bars": 2, "seed": 40, "variations": 3})
    takes = take_requests(request)
    assert [(take.seed, take.variations) for take in takes] == [(40, 1), (41, 1), (42, 1)]
    assert takes[2] == parse_request({"style": "questlove", "bars": 2, "seed": 42})  # the same request made alone


def test_takes_without_a_seed_draw_the_first_and_count_up() -> None:
    seeds = [take.seed for take in take_requests(parse_request({"style": "questlove", "variations": 8}))]
    assert seeds[0] is not None and seeds == list(range(seeds[0], seeds[0] + 8)) and seeds[-1] <= 2**32 - 1


def test_takes_that_would_run_past_the_seed_range_are_refused() -> None:
    assert parse_request({"style": "questlove", "seed": 2**32 - 3, "variations": 3}).variations == 3
    with pytest.raises(RequestError) as caught:
        parse_request({"style": "questlove", "seed": 2**32 - 2, "variations": 3})
    assert caught.value.field == "variations"
    assert str(caught.value) == ("variations 3 from seed 4294967294 would run past 2**32 - 1; "
                                 "give a seed of at most 4294967293")


def test_clip_and_song_requests_are_one_take() -> None:
    from mididrumigen.engine.clip import parse_clip_request
    from mididrumigen.engine.song_form import parse_song_request

    with pytest.raises(RequestError) as clip:
        parse_clip_request({"style": "questlove", "mode": "groove", "clip_bars": 2, "variations": 2})
    assert (clip.value.field, str(clip.value)) == ("variations",
                                                   "variations applies to generate only, not groove; leave it out")
    with pytest.raises(RequestError) as song:
        parse_song_request({"style": "questlove", "form": "verse:2", "variations": 2})
    assert (song.value.field, str(song.value)) == ("variations", "a song is one take; leave variations out")
