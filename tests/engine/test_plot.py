"""Piano-roll export: real image files, written atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

from mididrumigen.engine.pattern import Note, Pattern
from mididrumigen.engine.plot import save_piano_roll


def _pattern(notes: tuple[Note, ...]) -> Pattern:
    return Pattern(
        notes=notes,
        bars=2,
        numerator=7,
        denominator=8,
        tempo_bpm=95.0,
        style_id="questlove",
        pattern_type="chorus",
        seed=4,
        humanized=True,
    )


NOTES = (
    Note(pitch=36, start_beats=0.0, duration_beats=0.125, velocity=120, voice="kick"),
    Note(pitch=38, start_beats=1.02, duration_beats=0.125, velocity=25, voice="snare"),
    Note(pitch=42, start_beats=6.5, duration_beats=0.125, velocity=80, voice="closed_hat"),
)


def test_png_and_svg(tmp_path: Path) -> None:
    png = save_piano_roll(_pattern(NOTES), tmp_path / "rolls" / "roll.png")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    svg = save_piano_roll(_pattern(()), tmp_path / "roll.svg")
    assert b"<svg" in svg.read_bytes()[:1000]


def test_bad_input_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "roll.png"
    old = save_piano_roll(_pattern(NOTES), path).read_bytes()
    bad = Note(pitch=56, start_beats=0.0, duration_beats=0.125, velocity=90, voice="cowbell")
    with pytest.raises(ValueError, match="voice"):
        save_piano_roll(_pattern((bad,)), path)
    assert path.read_bytes() == old
    assert list(tmp_path.iterdir()) == [path]
    with pytest.raises(ValueError, match="suffix"):
        save_piano_roll(_pattern(NOTES), tmp_path / "roll.gif")
