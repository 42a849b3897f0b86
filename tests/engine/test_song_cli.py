"""`mididrumigen song` in-process with the tiny trained model: markers and clips read back with mido."""

from __future__ import annotations

from pathlib import Path

import mido
import pytest

from mididrumigen.engine.cli import main
from mididrumigen.engine.constants import TICKS_PER_BEAT

pytestmark = pytest.mark.usefixtures("cli_env")

FORM = "intro:2 verse:4 chorus:4 verse:4 outro:2"


def _song(out: Path, *extra: str) -> int:
    return main(["song", "--style", "questlove", "--tempo", "92", "--temperature", "1.5", "--form", FORM,
                 "--out", str(out), *extra])


def _markers_and_end(path: Path) -> tuple[list[tuple[int, str]], int]:
    midi = mido.MidiFile(path)
    (track,) = midi.tracks
    tick, markers = 0, []
    for message in track:
        tick += message.time
        if message.type == "marker":
            markers.append((tick, message.text))
    assert track[-1].type == "end_of_track"
    return markers, tick


def test_song_writes_markers_at_section_starts_and_one_loopable_clip_per_section(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, clips = tmp_path / "song.mid", tmp_path / "clips"
    assert _song(out, "--seed", "3", "--clips-dir", str(clips)) == 0
    bar = 4 * TICKS_PER_BEAT
    markers, end = _markers_and_end(out)
    assert markers == [(0, "Intro"), (2 * bar, "Verse"), (6 * bar, "Chorus"), (10 * bar, "Verse 2"),
                       (14 * bar, "Outro")]
    assert end == 16 * bar
    names = sorted(p.name for p in clips.iterdir())
    assert names == ["01_intro.mid", "02_verse.mid", "03_chorus.mid", "04_verse.mid", "05_outro.mid"]
    lengths = [_markers_and_end(clips / name)[1] // bar for name in names]
    assert lengths == [2, 4, 4, 4, 2]
    song_notes = sum(m.type == "note_on" for m in mido.MidiFile(out).tracks[0])
    assert song_notes == sum(m.type == "note_on" for name in names for m in mido.MidiFile(clips / name).tracks[0])
    assert "16 bars of 4/4 at 92 BPM" in capsys.readouterr().out


def test_a_seed_reproduces_the_song_byte_for_byte(tmp_path: Path) -> None:
    assert _song(tmp_path / "a.mid", "--seed", "11") == 0
    assert _song(tmp_path / "b.mid", "--seed", "11") == 0
    assert (tmp_path / "a.mid").read_bytes() == (tmp_path / "b.mid").read_bytes()
    assert _song(tmp_path / "c.mid", "--seed", "12") == 0
    assert (tmp_path / "a.mid").read_bytes() != (tmp_path / "c.mid").read_bytes()


@pytest.mark.parametrize(("form", "message"), [
    ("verse:0", "error: verse must be between 1 and 256 bars, got 0"),
    ("chorus:x", "error: chorus needs a whole number of bars, got 'x'"),
    ("verse:128 chorus:128 outro:44", "error: form is 300 bars long; a song holds at most 256 bars"),
    ("verse:8 solo:8", "error: unknown section 'solo'; sections are intro, verse, chorus, bridge, outro"),
])
def test_a_bad_form_is_one_line_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   form: str, message: str) -> None:
    out = tmp_path / "song.mid"
    out.write_bytes(b"kept")
    assert main(["song", "--style", "questlove", "--form", form, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == message
    assert out.read_bytes() == b"kept"
