"""Every ordinary mistake gets one line on stderr and exit status 2: no traceback, no file touched.
Plus the options that used to surprise: --out with --out-dir, variation seeds, "1 bar", flag aliases."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mididrumigen.engine import data_location
from mididrumigen.engine.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.usefixtures("cli_env")


def _one_error_line(capsys: pytest.CaptureFixture[str], *fragments: str) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.replace("\r", "\n").splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got {err!r}"
    assert lines[0].startswith("error: ") and "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def _generate(*args: str) -> int:
    return main(["generate", "--style", "j_dilla", "--bars", "1", "--seed", "3", *args])


def test_out_naming_a_folder_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "clips"
    folder.mkdir()
    assert _generate("--out", str(folder)) == 2
    _one_error_line(capsys, "--out names a folder", str(folder), "--out-dir")
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs a character device")
def test_out_naming_a_special_file_is_refused_and_left_alone(capsys: pytest.CaptureFixture[str]) -> None:
    assert _generate("--out", "/dev/null") == 2
    _one_error_line(capsys, "not a regular file", "/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def _read_only_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "read_only"
    folder.mkdir()
    folder.chmod(0o555)
    if not os.access(folder, os.W_OK):
        return folder
    if Path("/sys").is_dir():  # root ignores the mode bits; sysfs refuses new files even to root
        return Path("/sys")
    pytest.skip("no folder here that this user cannot write")


def test_out_in_a_read_only_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _read_only_folder(tmp_path)
    target = folder / "groove.mid"
    assert _generate("--out", str(target)) == 2
    _one_error_line(capsys, f"cannot write {target}")
    assert not target.exists()


def test_out_below_a_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine")
    assert _generate("--out", str(blocker / "groove.mid")) == 2
    _one_error_line(capsys, "groove.mid", "Not a directory")
    assert blocker.read_text() == "mine"


def test_missing_preset_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["styles", "--presets", str(tmp_path / "typo")]) == 2
    _one_error_line(capsys, "preset folder not found", "typo")


def test_broken_checkpoint_is_one_line_and_left_as_it_was(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.pt"
    broken.write_bytes(b"\x80\x02 not a checkpoint")
    out = tmp_path / "never.mid"
    assert _generate("--checkpoint", str(broken), "--out", str(out)) == 2
    _one_error_line(capsys, "broken.pt")
    assert broken.read_bytes() == b"\x80\x02 not a checkpoint" and not out.exists()


@pytest.mark.parametrize("command", ["train", "eval"])
def test_missing_data_is_one_line_naming_data_fetch(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(data_location.DATA_DIR_ENV, str(tmp_path / "user_data"))
    monkeypatch.setattr(data_location, "CHECKOUT_GROOVE", tmp_path / "no_checkout" / "groove")
    assert main([command, "--out", str(tmp_path / "out")]) == 2
    _one_error_line(capsys, "Groove MIDI Dataset not found", "mididrumigen data fetch")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["train", "eval"])
def test_data_flag_naming_an_empty_folder_is_one_line(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main([command, "--data", str(empty), "--out", str(tmp_path / "out")]) == 2
    _one_error_line(capsys, "no info.csv and no .mid files", str(empty))


def test_a_broken_preset_is_reported_once(tmp_path: Path) -> None:
    presets = tmp_path / "presets"
    presets.mkdir()
    (presets / "bad.yaml").write_text("id: bad\nname: Bad\ntempo_min: 300\n")
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from mididrumigen.bridge.cli import main; sys.exit(main())",
         "styles", "--presets", str(presets)],
        capture_output=True, text=True, timeout=60, check=False, env={**os.environ, "MIDIDRUMIGEN_PRESETS_DIR": str(tmp_path)},
    )
    assert done.returncode == 0 and "j_dilla" in done.stdout
    assert [line for line in done.stderr.splitlines() if "bad.yaml" in line] == [
        next(line for line in done.stderr.splitlines() if line.startswith("warning: preset not loaded: "))
    ]


def test_out_and_out_dir_together_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        _generate("--out", str(tmp_path / "f.mid"), "--out-dir", str(tmp_path / "v"))
    assert caught.value.code == 2
    assert "not allowed with argument --out" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_variations_without_a_seed_use_a_drawn_seed_then_the_next_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "--style", "j_dilla", "--bars", "1", "--variations", "3", "--out-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    seeds = [int(seed) for seed in re.findall(r", seed (\d+),", out)]
    assert len(seeds) == 3 and seeds == [seeds[0], seeds[0] + 1, seeds[0] + 2]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"j_dilla_verse_1bars_95bpm_seed{seed}.mid" for seed in seeds)
    assert "1 bar of 4/4" in out and "1 bars" not in out


def test_old_and_new_flag_names_mean_the_same() -> None:
    from mididrumigen.bridge.cli import _add_daemon_bench, add_serve_command

    parser = build_parser([add_serve_command, _add_daemon_bench])
    for command in (["generate", "--style", "x"], ["styles"], ["eval"], ["serve"]):
        for presets_flag in ("--presets", "--presets-dir"):
            args = parser.parse_args([*command, presets_flag, "d"])
            assert (args.preset_dirs if command == ["serve"] else args.presets) == [Path("d")]
    for command in (["generate", "--style", "x"], ["bench"], ["eval"], ["serve"]):
        for checkpoint_flag in ("--checkpoint", "--model"):
            assert parser.parse_args([*command, checkpoint_flag, "m.pt"]).checkpoint == Path("m.pt")


def test_eval_default_per_style_matches_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    per_style = build_parser().parse_args(["eval"]).per_style
    assert f"Headlines ({per_style} patterns per style" in readme


@pytest.mark.parametrize("argv", [["--help"], ["styles"], ["generate", "--style", "j_dilla", "--bars", "99"],
                                  ["generate", "--help"], ["data", "fetch", "--help"]])
def test_help_styles_and_refused_values_do_not_import_torch(argv: list[str]) -> None:
    code = ("import sys\nfrom mididrumigen.bridge.cli import main\ntry:\n    main(sys.argv[1:])\n"
            "except SystemExit:\n    pass\nprint('torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr
