"""bridge.clip_files: names only from validated values, always inside the output dir, never overwriting."""

from __future__ import annotations

from pathlib import Path

import mido
import pytest

from mididrumigen.bridge.clip_files import clip_file_path, write_clip_file
from mididrumigen.engine.pattern import Note, Pattern


def pattern(style_id: str = "j_dilla", notes: tuple[Note, ...] = ()) -> Pattern:
    return Pattern(notes, 2, 4, 4, 92.5, style_id, "verse", 1234, True)


def test_name_carries_style_bars_tempo_seed_and_job(tmp_path: Path) -> None:
    path = clip_file_path(tmp_path, pattern(), "abc123")
    assert path.parent == tmp_path.resolve()
    assert path.name == "j_dilla_verse_2bars_92.5bpm_seed1234_abc123.mid"


@pytest.mark.parametrize("style_id", ["../../etc/passwd", "/abs/path", "..", "a\\b:c", "\x00"])
def test_hostile_style_ids_cannot_leave_the_directory(tmp_path: Path, style_id: str) -> None:
    path = clip_file_path(tmp_path, pattern(style_id), "abc")
    assert path.parent == tmp_path.resolve()
    assert "/" not in path.name and "\\" not in path.name and ".." not in path.name.removesuffix(".mid")


def test_job_id_must_be_a_daemon_id(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="hex"):
        clip_file_path(tmp_path, pattern(), "../x")


def test_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    first = clip_file_path(tmp_path, pattern(), "abc")
    first.write_bytes(b"keep")
    second = clip_file_path(tmp_path, pattern(), "abc")
    assert second != first and second.name.endswith("_abc-2.mid")
    assert first.read_bytes() == b"keep"


def test_written_file_reads_back_with_mido(tmp_path: Path) -> None:
    notes = (Note(36, 0.0, 0.125, 100, "kick"), Note(38, 1.0, 0.125, 90, "snare"))
    path = write_clip_file(tmp_path / "new" / "dir", pattern(notes=notes), "abc")
    assert path.is_absolute() and path.exists()
    on = [(m.note, m.velocity) for m in mido.MidiFile(path).tracks[0] if m.type == "note_on"]
    assert on == [(36, 100), (38, 90)]
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left behind
