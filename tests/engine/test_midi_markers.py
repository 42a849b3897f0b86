"""Marker meta events in written .mid files: where a song's sections start, read back with mido."""

from __future__ import annotations

from pathlib import Path

import mido
import pytest

from mididrumigen.engine.midi_export import write_midi
from mididrumigen.engine.pattern import Note, Pattern


def _pattern(bars: int = 4) -> Pattern:
    notes = tuple(Note(36, float(beat), 0.125, 100, "kick") for beat in range(bars * 4))
    return Pattern(notes, bars, 4, 4, 100.0, "dry", "song", 1, False)


def test_markers_sit_at_their_beats_before_the_notes_there(tmp_path: Path) -> None:
    path = write_midi(_pattern(), tmp_path / "s.mid", "t", markers=[(0.0, "Intro"), (8.0, "Chorus é")])
    tick, seen = 0, []
    for message in mido.MidiFile(path).tracks[0]:
        tick += message.time
        if message.type in ("marker", "note_on") and tick in (0, 8 * 480):
            seen.append((tick, message.type, getattr(message, "text", "")))
    assert seen == [(0, "marker", "Intro"), (0, "note_on", ""), (3840, "marker", "Chorus é"), (3840, "note_on", "")]


def test_no_markers_writes_the_same_bytes_as_before(tmp_path: Path) -> None:
    plain = write_midi(_pattern(), tmp_path / "a.mid", "t").read_bytes()
    assert b"\xff\x06" not in plain  # no marker meta event
    assert plain == write_midi(_pattern(), tmp_path / "b.mid", "t", markers=()).read_bytes()


def test_a_marker_outside_the_clip_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="marker 'Outro' at beat 16 must lie inside the clip"):
        write_midi(_pattern(), tmp_path / "x.mid", "t", markers=[(16.0, "Outro")])
    assert not (tmp_path / "x.mid").exists()
