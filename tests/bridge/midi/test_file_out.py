"""bridge.midi.file_out: what was sent, at the times it was sent, read back with mido."""

from __future__ import annotations

from pathlib import Path

import mido

from mididrumigen.bridge.midi.file_out import FileOut


def test_messages_are_written_with_their_timing(tmp_path: Path) -> None:
    clock = iter([10.0, 10.5, 11.0, 11.0])
    path = tmp_path / "take.mid"
    out = FileOut(path, tempo_bpm=120.0, clock=lambda: next(clock))
    out.send(mido.Message("note_on", channel=9, note=36, velocity=100))
    out.send(mido.Message("note_off", channel=9, note=36))
    out.send(mido.Message("note_on", channel=9, note=38, velocity=90))
    out.close()  # also sends the note-off for 38, at the last clock reading
    messages = [m for m in mido.MidiFile(path).tracks[0] if not m.is_meta]
    # 0.5 s at 120 bpm is one beat, 480 ticks.
    assert [(m.type, m.note, m.time) for m in messages] == [
        ("note_on", 36, 0), ("note_off", 36, 480), ("note_on", 38, 480), ("note_off", 38, 0),
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["take.mid"]
