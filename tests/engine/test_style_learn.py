"""`mididrumigen style learn`: a folder of real .mid clips becomes a preset that declares their feel."""

from __future__ import annotations

from pathlib import Path

import pytest

from mididrumigen.engine.cli import main
from pydantic import ValidationError

from mididrumigen.engine.presets import StylePreset, load_preset_file
from tests.engine.support import write_drum_file

pytestmark = pytest.mark.usefixtures("cli_env")

SWUNG_LATE_SNARE = (
    [(b / 4 + (0.04 if b % 2 else 0.0), 42, 70) for b in range(16)]  # 16th hats, off-beats late: swing
    + [(0.0, 36, 110), (2.5, 36, 100), (1.03, 38, 105), (3.03, 38, 100)]  # snare ~19 ms late at 95 BPM
    + [(1.25, 38, 25), (3.25, 38, 30)]  # ghost notes right after the backbeats
)


def test_style_learn_writes_a_preset_of_the_clips_feel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    beats = tmp_path / "my_beats"
    for index in range(3):
        write_drum_file(beats / f"beat_{index}.mid", notes=SWUNG_LATE_SNARE, bars=4, tempo_bpm=95.0)
    (beats / "notes.txt").write_text("not a clip")
    out = tmp_path / "presets"
    assert main(["style", "learn", str(beats), "--name", "Late Night", "--genre", "soul", "--out-dir", str(out),
                 "--check", "4"]) == 0
    printed = capsys.readouterr().out
    assert f"wrote {out / 'late_night.yaml'}: Late Night (late_night) from 3 clips" in printed
    assert "feel check:" in printed
    preset = load_preset_file(out / "late_night.yaml")
    assert preset.genres == ("soul",) and (preset.tempo_min, preset.tempo_max) == (90, 100)
    # swing, voice against itself: hats' odd 16ths 0.16 steps late (8 a bar), the snare's two odd ghosts
    # a bar 0.12 steps earlier than its late backbeats: 50 * (1 + (8 * 0.16 - 2 * 0.12) / 10)
    assert preset.humanize.swing_percent == pytest.approx(50 * (1 + (8 * 0.16 - 2 * 0.12) / 10), abs=0.1)
    assert preset.humanize.voice_timing_ms["snare"] == pytest.approx(0.03 * 60000 / 95, abs=1.0)
    assert preset.humanize.voice_timing_ms["kick"] == 0.0
    assert preset.humanize.ghost_note_probability > 0
    assert preset.humanize.velocity_floor["kick"] >= 100
    assert [(p.bars, len(p.hits)) for p in preset.prompts] == [(2, 2 * len(SWUNG_LATE_SNARE))] * 3
    assert (0, 4, "snare", 105, pytest.approx(0.12, abs=0.01)) in preset.prompts[0].hits  # ticks round it


@pytest.mark.parametrize(("hit", "words"), [
    ([0, 0, "cowbell", 90, 0.0], "unknown voice 'cowbell'"),
    ([2, 0, "kick", 90, 0.0], "must lie in its 2 bars"),
    ([0, 16, "kick", 90, 0.0], "must lie in its 2 bars"),
    ([0, 0, "kick", 0, 0.0], "greater than or equal to 1"),
])
def test_bad_prompt_hits_are_refused_when_the_preset_loads(hit: list[object], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        StylePreset.model_validate({"id": "x", "name": "X", "description": "d", "tempo_min": 60, "tempo_max": 200,
                                    "genres": ["soul"], "prompts": [{"bars": 2, "hits": [hit]}]})


def test_style_learn_keeps_an_existing_preset_and_refuses_an_empty_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "presets"
    out.mkdir()
    (out / "late_night.yaml").write_text("# mine\n")
    beats = tmp_path / "beats"
    write_drum_file(beats / "a.mid", bars=2)
    assert main(["style", "learn", str(beats), "--name", "Late Night", "--out-dir", str(out)]) == 2
    assert "exists; give --force" in capsys.readouterr().err
    assert (out / "late_night.yaml").read_text() == "# mine\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["style", "learn", str(empty), "--name", "X", "--out-dir", str(out)]) == 2
    assert "holds no .mid files" in capsys.readouterr().err
