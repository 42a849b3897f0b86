"""`generate --kit` and `song --kit` in-process: every note of the written .mid (read back with mido) lands
on the kit's pads; a bad kit file is one line, exit status 2, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from mididrumigen.engine.cli import main
from tests.engine.support import note_ons

pytestmark = pytest.mark.usefixtures("cli_env")

PADS = {"kick": 60, "snare": 61, "closed_hat": 62, "open_hat": 63, "low_tom": 64, "mid_tom": 65,
        "high_tom": 66, "crash": 67, "ride": 68}


def _kit_file(folder: Path, text: str) -> Path:
    path = folder / "kit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [["generate", "--bars", "2"], ["song", "--form", "verse:2 chorus:2"]])
def test_generate_and_song_write_every_note_on_the_kits_pads(tmp_path: Path, command: list[str]) -> None:
    kit = _kit_file(tmp_path, "".join(f"{voice}: {note}\n" for voice, note in PADS.items()))
    out = tmp_path / "out.mid"
    assert main([*command, "--style", "questlove", "--seed", "4", "--kit", str(kit), "--out", str(out)]) == 0
    pitches = {pitch for _, pitch, _ in note_ons(out)}
    assert pitches and pitches <= set(PADS.values())


def test_a_bad_kit_file_is_one_line_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kit = _kit_file(tmp_path, "kick: 60\ncowbell: 56\n")
    out = tmp_path / "out.mid"
    assert main(["generate", "--style", "questlove", "--kit", str(kit), "--out", str(out)]) == 2
    assert "unknown voice 'cowbell' in kit" in capsys.readouterr().err and not out.exists()
