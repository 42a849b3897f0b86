"""Song forms and song requests: what the CLI, the daemon and the device accept and refuse, in one line."""

from __future__ import annotations

from typing import Any

import pytest

from mididrumigen.engine.errors import RequestError
from mididrumigen.engine.schema import PatternType
from mididrumigen.engine.song_form import (
    DEFAULT_FORM,
    MAX_SONG_BARS,
    FormSection,
    form_text,
    parse_form,
    parse_song_request,
)


def test_the_default_form_parses_and_writes_back() -> None:
    form = parse_form(DEFAULT_FORM)
    assert [s.kind for s in form][:3] == [PatternType.INTRO, PatternType.VERSE, PatternType.CHORUS]
    assert sum(s.bars for s in form) == 44
    assert form_text(form) == DEFAULT_FORM


def test_case_commas_and_spaces_around_colons_are_accepted() -> None:
    assert parse_form("Intro : 2, VERSE:4,chorus=8") == (
        FormSection(PatternType.INTRO, 2), FormSection(PatternType.VERSE, 4), FormSection(PatternType.CHORUS, 8))


@pytest.mark.parametrize(("form", "message"), [
    ("verse:0", "verse must be between 1 and 256 bars, got 0"),
    ("chorus:x", "chorus needs a whole number of bars, got 'x'"),
    ("verse:300", "verse must be between 1 and 256 bars, got 300"),
    ("verse:200 chorus:100", "form is 300 bars long; a song holds at most 256 bars"),
    ("hook:8", "unknown section 'hook'; sections are intro, verse, chorus, bridge, outro"),
    ("verse", "form section must look like verse:8, got 'verse'"),
    ("verse:-4", "verse needs a whole number of bars, got '-4'"),
    ("", "form is empty"),
    (12, "form must be text like"),
    (" ".join(["verse:1"] * 65), "form has 65 sections; at most 64"),
])
def test_a_bad_form_is_one_clear_line(form: Any, message: str) -> None:
    with pytest.raises(RequestError) as caught:
        parse_form(form)
    assert caught.value.field == "form"
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_longest_song_is_accepted() -> None:
    assert sum(s.bars for s in parse_form(f"verse:{MAX_SONG_BARS}")) == MAX_SONG_BARS


def test_a_song_request_takes_the_pattern_fields_and_refuses_what_the_form_decides() -> None:
    song = parse_song_request({"style": "J Dilla", "tempo": 92, "form": "verse:4 chorus:4", "seed": 3,
                               "numerator": 7, "denominator": 8})
    assert (song.bars, song.pattern.tempo, song.pattern.numerator, song.pattern.seed) == (8, 92, 7, 3)
    with pytest.raises(RequestError, match="a song takes bars from its form"):
        parse_song_request({"style": "J Dilla", "form": "verse:4", "bars": 4})
    with pytest.raises(RequestError, match="a song needs a form"):
        parse_song_request({"style": "J Dilla"})
    with pytest.raises(RequestError, match="tempo must be between 60 and 200"):
        parse_song_request({"style": "J Dilla", "form": "verse:4", "tempo": 20})
