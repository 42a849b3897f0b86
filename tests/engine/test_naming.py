"""Clip and file names: built only from safe characters, so no request can steer a path."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mididrumigen.engine.naming import clip_file_stem, clip_title, safe_token
from mididrumigen.engine.pattern import Pattern

SAFE = re.compile(r"^[A-Za-z0-9_-]+$")


def _pattern(bars: int = 4, style_id: str = "j_dilla", tempo_bpm: float = 92.5) -> Pattern:
    return Pattern(notes=(), bars=bars, numerator=4, denominator=4, tempo_bpm=tempo_bpm, style_id=style_id,
                   pattern_type="verse", seed=1234, humanized=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("../../etc", "etc"),
        ("..\\..\\Windows\\system32", "Windows_system32"),
        ("/abs/path", "abs_path"),
        ("J Dilla", "J_Dilla"),
        ("metro_boomin", "metro_boomin"),
        ("a.b.c", "a_b_c"),
        ("", "x"),
        ("...", "x"),
        ("ü", "x"),
    ],
)
def test_safe_token(text: str, expected: str) -> None:
    assert safe_token(text) == expected


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(text=st.text(max_size=80), max_length=st.integers(1, 60))
def test_safe_token_never_has_path_characters(text: str, max_length: int) -> None:
    token = safe_token(text, max_length)
    assert SAFE.match(token)
    assert len(token) <= max_length
    assert "/" not in token and "\\" not in token and "." not in token


def test_clip_title() -> None:
    assert clip_title("J Dilla", _pattern()) == "J Dilla · verse · 4 bars · seed 1234"
    assert clip_title("J Dilla", _pattern(bars=1)) == "J Dilla · verse · 1 bar · seed 1234"


def test_clip_file_stem() -> None:
    assert clip_file_stem(_pattern()) == "j_dilla_verse_4bars_92.5bpm_seed1234"
    assert clip_file_stem(_pattern(tempo_bpm=120.0), suffix="../v2") == "j_dilla_verse_4bars_120bpm_seed1234_v2"
    stem = clip_file_stem(_pattern(style_id="../../evil"))
    assert "/" not in stem and ".." not in stem
