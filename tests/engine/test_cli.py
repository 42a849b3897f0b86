"""`mididrumigen` run in-process with the tiny trained model: files of the right length, seeds, errors."""

from __future__ import annotations

from pathlib import Path

import mido
import pytest

from mididrumigen.engine.cli import main
from mididrumigen.engine.constants import TICKS_PER_BEAT
from tests.engine.support import note_ons


pytestmark = pytest.mark.usefixtures("cli_env")


def _generate(out: Path, *extra: str) -> int:
    return main(["generate", "--style", "j_dilla", "--temperature", "2", "--out", str(out), *extra])


def _end_tick(path: Path) -> int:
    midi = mido.MidiFile(path)
    assert midi.ticks_per_beat == TICKS_PER_BEAT
    (track,) = midi.tracks
    tick = 0
    for message in track:
        tick += message.time
    assert track[-1].type == "end_of_track"
    return tick


def test_styles_lists_the_built_in_presets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["styles"]) == 0
    out, err = capsys.readouterr()
    for style_id, name in [("j_dilla", "J Dilla"), ("metro_boomin", "Metro Boomin"), ("questlove", "Questlove")]:
        assert style_id in out and name in out
    assert "82-98 BPM" in out
    assert err == ""


def test_generate_writes_a_clip_of_the_requested_length(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "groove.mid"
    assert _generate(out, "--bars", "8", "--seed", "7", "--tempo", "90") == 0
    assert _end_tick(out) == 8 * 4 * TICKS_PER_BEAT
    midi = mido.MidiFile(out)
    assert any(m.type == "note_on" and m.velocity > 0 for m in midi.tracks[0])
    assert all(m.channel == 9 for m in midi.tracks[0] if m.type in ("note_on", "note_off"))
    stdout = capsys.readouterr().out
    assert f"wrote {out}" in stdout and "8 bars of 4/4 at 90 BPM" in stdout and "seed 7" in stdout


@pytest.mark.parametrize(("signature", "bars", "beats_per_bar"),
                         [("7/8", 3, 3.5), ("3/4", 2, 3.0), ("6/8", 2, 3.0), ("12/8", 1, 6.0), ("5/16", 4, 1.25)])
def test_odd_meters_have_the_right_length(tmp_path: Path, signature: str, bars: int, beats_per_bar: float) -> None:
    out = tmp_path / "odd.mid"
    assert _generate(out, "--bars", str(bars), "--time-signature", signature, "--seed", "1") == 0
    assert _end_tick(out) == round(bars * beats_per_bar * TICKS_PER_BEAT)
    numerator, denominator = (int(x) for x in signature.split("/"))
    (meter,) = [m for m in mido.MidiFile(out).tracks[0] if m.type == "time_signature"]
    assert (meter.numerator, meter.denominator) == (numerator, denominator)


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    paths = [tmp_path / name for name in ("a.mid", "b.mid", "c.mid")]
    for path, seed in zip(paths, ("42", "42", "43")):
        assert _generate(path, "--bars", "8", "--seed", seed) == 0
    a, b, c = (path.read_bytes() for path in paths)
    assert a == b
    assert a != c
    # Not just the seed in the track name: the music differs too.
    assert note_ons(paths[0]) != note_ons(paths[2])


def test_no_humanize_flag(tmp_path: Path) -> None:
    out = tmp_path / "straight.mid"
    assert _generate(out, "--bars", "8", "--seed", "3", "--no-humanize") == 0
    notes = note_ons(out)
    assert notes
    assert all(tick % (TICKS_PER_BEAT // 4) == 0 for tick, _, _ in notes)


def test_no_fill_flag_keeps_the_groove_in_the_last_bar(tmp_path: Path) -> None:
    filled, looped = tmp_path / "fill.mid", tmp_path / "loop.mid"
    common = ["generate", "--style", "j_dilla", "--bars", "4", "--seed", "5", "--no-humanize"]
    assert main([*common, "--out", str(filled)]) == 0
    assert main([*common, "--no-fill", "--out", str(looped)]) == 0
    last_bar = 3 * 4 * TICKS_PER_BEAT
    assert [n for n in note_ons(filled) if n[0] < last_bar] == [n for n in note_ons(looped) if n[0] < last_bar]
    assert [n for n in note_ons(filled) if n[0] >= last_bar] != [n for n in note_ons(looped) if n[0] >= last_bar]


def test_variations_in_an_out_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "clips"
    code = main(["generate", "--style", "J Dilla", "--bars", "1", "--seed", "10", "--variations", "3",
                 "--out-dir", str(folder)])
    assert code == 0
    files = sorted(folder.glob("*.mid"))
    assert [f.name for f in files] == [f"j_dilla_verse_1bars_95bpm_seed{seed}.mid" for seed in (10, 11, 12)]
    assert len({f.read_bytes() for f in files}) == 3
    assert capsys.readouterr().out.count("wrote ") == 3


def test_variations_with_out_number_the_files(tmp_path: Path) -> None:
    assert _generate(tmp_path / "take.mid", "--bars", "1", "--seed", "1", "--variations", "2") == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["take_1.mid", "take_2.mid"]


def test_plot_writes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "roll.mid"
    assert _generate(out, "--bars", "1", "--seed", "2", "--plot") == 0
    assert out.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_tempo_warning_goes_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _generate(tmp_path / "fast.mid", "--bars", "1", "--seed", "2", "--tempo", "150") == 0
    assert "warning: tempo 150 is outside J Dilla's preferred range" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bars", "99"], "bars must be between 1 and 32, got 99"),
        (["--tempo", "20"], "tempo must be between 60 and 200, got 20"),
        (["--time-signature", "7/3"], "denominator must be one of 2, 4, 8, 16, got 3"),
        (["--time-signature", "seven/8"], "time signature must look like 4/4 or 7/8"),
        (["--top-p", "0"], "top_p must be greater than 0 and at most 1"),
        (["--seed", "-1"], "seed must be a whole number between 0 and 2**32 - 1"),
        (["--variations", "0"], "variations must be between 1 and 64, got 0"),
    ],
)
def test_bad_values_exit_2_with_the_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "never.mid"
    assert _generate(out, *args) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_unknown_style_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--style", "polka", "--out", str(tmp_path / "x.mid")]) == 2
    err = capsys.readouterr().err
    assert "unknown style 'polka'" in err and "J Dilla (j_dilla)" in err


def test_missing_checkpoint_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere = tmp_path / "nowhere.pt"
    monkeypatch.setenv("MIDIDRUMIGEN_MODEL", str(nowhere))
    assert _generate(tmp_path / "x.mid") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: model checkpoint not found:") and "nowhere.pt" in err
    assert "Traceback" not in err


def test_model_flag_overrides_the_environment(
    tmp_path: Path, tiny_checkpoint: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIDIDRUMIGEN_MODEL", str(tmp_path / "nowhere.pt"))
    assert _generate(tmp_path / "x.mid", "--bars", "1", "--model", str(tiny_checkpoint)) == 0


def test_missing_style_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["generate"])
    assert caught.value.code == 2
    assert "--style" in capsys.readouterr().err


def test_variations_whose_last_seed_is_out_of_range_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Regression: only the first seed was checked up front, so this wrote one file and then failed.
    folder = tmp_path / "clips"
    code = main(["generate", "--style", "j_dilla", "--bars", "1", "--seed", str(2**32 - 1), "--variations", "2",
                 "--out-dir", str(folder)])
    assert code == 2
    assert "seed must be a whole number between 0 and 2**32 - 1, got 4294967296" in capsys.readouterr().err
    assert not folder.exists() or not any(folder.iterdir())
