"""`mididrumigen continue | groove | vary` in-process on real .mid files, read back with mido; bad input is
one line, exit status 2, and no file written or changed."""

from __future__ import annotations

from pathlib import Path

import mido
import pytest

from mididrumigen.engine.cli import main
from mididrumigen.engine.constants import TICKS_PER_BEAT
from tests.engine.support import BACKBEAT, note_ons, write_drum_file

pytestmark = pytest.mark.usefixtures("cli_env")
KITS = Path(__file__).resolve().parents[2] / "kits"


def _length_ticks(path: Path) -> int:
    return sum(message.time for message in mido.MidiFile(path).tracks[0])


def _step(tick: int) -> int:
    return round(tick * 4 / TICKS_PER_BEAT)


def test_continue_writes_the_next_bars_and_with_the_input_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    beat = write_drum_file(tmp_path / "beat.mid", bars=2, tempo_bpm=92.0)
    out = tmp_path / "next.mid"
    assert main(["continue", "--in", str(beat), "--bars", "4", "--style", "J Dilla", "--out", str(out), "--seed", "3"]) == 0
    assert _length_ticks(out) == 4 * 4 * TICKS_PER_BEAT
    assert "continue of 2 bars" in capsys.readouterr().out
    both = tmp_path / "both.mid"
    assert main(["continue", "--in", str(beat), "--bars", "1", "--style", "J Dilla", "--out", str(both),
                 "--seed", "3", "--include-input"]) == 0
    assert _length_ticks(both) == 3 * 4 * TICKS_PER_BEAT
    assert sorted(n for n in note_ons(both) if n[0] < 8 * TICKS_PER_BEAT) == sorted(note_ons(beat))
    tempo = next(m.tempo for m in mido.MidiFile(both).tracks[0] if m.type == "set_tempo")
    assert round(mido.tempo2bpm(tempo)) == 92  # the clip's own tempo when --tempo is left out


def test_groove_keeps_pitch_and_step_of_every_note_and_passes_other_notes_through(tmp_path: Path) -> None:
    stiff = [(beat, pitch, 100) for beat, pitch, _ in BACKBEAT] + [(1.5, 72, 90)]  # 72: a melodic note
    clip = write_drum_file(tmp_path / "stiff.mid", notes=stiff, bars=2)
    out = tmp_path / "grooved.mid"
    assert main(["groove", "--in", str(clip), "--style", "questlove", "--out", str(out), "--seed", "1"]) == 0
    before, after = note_ons(clip), note_ons(out)
    assert sorted((_step(t), p) for t, p, _ in after) == sorted((_step(t), p) for t, p, _ in before)
    assert (TICKS_PER_BEAT * 3 // 2 + 4 * TICKS_PER_BEAT, 72, 90) in after  # untouched
    assert {v for _, p, v in after if p != 72} != {100}


def test_vary_keeps_kick_and_snare_byte_for_byte(tmp_path: Path) -> None:
    clip = write_drum_file(tmp_path / "beat.mid", bars=2)
    out = tmp_path / "new.mid"
    assert main(["vary", "--in", str(clip), "--keep", "kick,snare", "--style", "questlove", "--out", str(out),
                 "--temperature", "1.5", "--seed", "2"]) == 0
    kept = [n for n in note_ons(out) if n[1] in (36, 38)]
    assert sorted(kept) == sorted(n for n in note_ons(clip) if n[1] in (36, 38))


def test_a_kit_file_reads_and_writes_on_its_pads(tmp_path: Path) -> None:
    pads = [(0.0, 36, 110), (1.0, 37, 100), (0.5, 38, 80)]  # kick, snare, closed hat in pads_in_order
    clip = write_drum_file(tmp_path / "pads.mid", notes=pads, bars=1)
    out = tmp_path / "out.mid"
    assert main(["vary", "--in", str(clip), "--keep", "snare", "--style", "questlove", "--kit",
                 str(KITS / "pads_in_order.yaml"), "--out", str(out), "--seed", "4"]) == 0
    assert (TICKS_PER_BEAT, 37, 100) in note_ons(out)
    assert all(36 <= p <= 44 for _, p, _ in note_ons(out))


def _empty_file(path: Path) -> Path:
    midi = mido.MidiFile(type=0, ticks_per_beat=TICKS_PER_BEAT)
    midi.tracks.append(mido.MidiTrack([mido.MetaMessage("end_of_track", time=1920)]))
    midi.save(path)
    return path


@pytest.mark.parametrize(("make", "extra", "words"), [
    (lambda p: p.write_bytes(b"not a midi file at all") and p, (), "is not a MIDI file"),
    (_empty_file, (), "the clip is empty"),
    (lambda p: write_drum_file(p, bars=33), (), "is 33 bars long, over the limit of 32 bars"),
    (lambda p: write_drum_file(p, bars=2), ("--keep", "kick,cowbell"), "unknown voice 'cowbell' in keep"),
    (lambda p: write_drum_file(p, bars=2), ("--keep-bars", "3"), "keep_bars must lie inside the clip's 2 bars"),
    (lambda p: write_drum_file(p, bars=2), ("--style", "nobody"), "unknown style 'nobody'"),
])
def test_bad_input_is_one_line_exit_2_and_the_output_is_left_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, extra: tuple[str, ...], words: str) -> None:
    clip = tmp_path / "in.mid"
    make(clip)  # type: ignore[operator]
    out = tmp_path / "out.mid"
    out.write_bytes(b"the producer's earlier take")
    args = ["vary", "--in", str(clip), "--style", "questlove", "--out", str(out), *extra]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and "\n" not in err
    assert out.read_bytes() == b"the producer's earlier take"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.mid", "out.mid"]
