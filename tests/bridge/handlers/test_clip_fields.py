"""bridge.handlers.clip_fields: keep, keep_bars and kit from the text a device sends, and their refusals."""

from __future__ import annotations

import pytest

from mididrumigen.bridge.handlers.clip_fields import clip_fields, parse_keep, parse_keep_bars, parse_kit
from mididrumigen.engine.errors import RequestError


def test_text_becomes_the_engines_values() -> None:
    assert parse_keep("Kick, closed hat,kick") == ("kick", "closed_hat")
    assert parse_keep("") == ()
    assert parse_keep_bars("1-3, 5") == (1, 2, 3, 5)
    assert parse_keep_bars(2) == (2,)
    assert parse_kit("kick:48, Open-Hat:46") == {"kick": 48, "open_hat": 46}
    assert clip_fields({"keep": "snare", "bars": 2}) == {"keep": ("snare",), "bars": 2}


@pytest.mark.parametrize(
    ("parse", "value", "words"),
    [
        (parse_keep, "kick,cowbell", "keep: unknown voice 'cowbell'; voices are kick, snare"),
        (parse_keep, 1.5, "keep must be text like 'kick,snare'"),
        (parse_keep_bars, "x-2", "keep_bars must be bar numbers like '1-3' or '1,4', got 'x-2'"),
        (parse_keep_bars, "4-2", "low to high, got '4-2'"),
        (parse_keep_bars, "33", "between 1 and 32"),
        (parse_kit, "kick=36", "voice:note like 'kick:36'"),
        (parse_kit, "kick:128", "the note of kick must be between 0 and 127, got '128'"),
        (parse_kit, "kick:36,kick:35", "kick is given twice"),
        (parse_kit, "tabla:40", "kit: unknown voice 'tabla'"),
        (parse_kit, "", "at least one voice"),
    ],
)
def test_wrong_text_names_the_key_and_the_piece(parse: object, value: object, words: str) -> None:
    with pytest.raises(RequestError, match=None) as caught:
        parse(value)  # type: ignore[operator]
    assert words in str(caught.value)
