"""engine.yaml_files and its two users (presets, the daemon's --config), on real files: size caps,
alias bombs under a memory cap, the C safe loader, links out of the preset folder, no echoed text."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from mididrumigen.engine.presets import load_presets
from mididrumigen.engine.yaml_files import MAX_YAML_BYTES, SAFE_LOADER, YamlFileError, load_yaml_file

MEMORY_CAP_BYTES = 1 << 30
"""The address-space cap of the bomb subprocesses: the unbounded loader grew to 5.7 GB."""


def alias_bomb(key: str) -> str:
    """About 400 bytes that expand to 9**8 (43 million) values when walked: anchors nested 8 deep."""
    levels = ["&l0 [" + ",".join(["10.0.0.0/8"] * 9) + "]"]
    levels += [f"&l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 8)]
    return f"{key}: [" + ", ".join(levels) + "]\n"


def run_capped(code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter whose address space is capped at MEMORY_CAP_BYTES."""
    prologue = f"import resource\nresource.setrlimit(resource.RLIMIT_AS, ({MEMORY_CAP_BYTES}, {MEMORY_CAP_BYTES}))\n"
    return subprocess.run([sys.executable, "-c", prologue + textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONHASHSEED": "0"})


def test_config_alias_bomb_is_refused_within_a_memory_cap(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb("allow"))
    assert path.stat().st_size < 500
    result = run_capped(f"""
        from pathlib import Path
        from mididrumigen.bridge.config import ConfigError, build_config, load_yaml_settings
        try:
            build_config(load_yaml_settings(Path({str(path)!r})))
        except ConfigError as error:
            print(error)
        """)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == f"cannot read the config file: {path}: yaml: expands to more than 10000 values " \
                                    "(aliases included)"


def test_preset_alias_bomb_is_one_problem_within_a_memory_cap(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text("id: bomb\nname: Bomb\ndescription: x\ntempo_min: 90\ntempo_max: 100\n"
                                        + alias_bomb("genres"))
    result = run_capped(f"""
        from pathlib import Path
        from mididrumigen.engine.presets import load_presets
        print(load_presets([Path({str(tmp_path)!r})]).problems)
        """)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "bomb.yaml: yaml: expands to more than 10000 values" in result.stdout


def test_oversize_files_are_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("description: " + "x" * MAX_YAML_BYTES + "\n")
    with pytest.raises(YamlFileError, match=rf"big.yaml: file: is {big.stat().st_size} bytes, over the 65536-byte"):
        load_yaml_file(big)
    assert any("over the 65536-byte limit" in p for p in load_presets([tmp_path]).problems)


def test_the_c_safe_loader_is_used_where_pyyaml_has_it() -> None:
    assert SAFE_LOADER is (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "config.yaml"
    os.mkfifo(fifo)
    with pytest.raises(YamlFileError, match="is not a regular file"):
        load_yaml_file(fifo)  # would block for ever reading


def test_links_out_of_the_preset_folder_are_not_followed_and_nothing_is_echoed(tmp_path: Path,
                                                                               caplog: pytest.LogCaptureFixture) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:SECRET-HASH:0:0\nid: SECRET-TOKEN\n")
    folder = tmp_path / "presets"
    folder.mkdir()
    (folder / "leak.yaml").symlink_to(secret)
    (folder / "broken.yaml").write_text("id: ok\n\tfoo: SECRET-IN-A-PRESET\n")
    inside = folder / "real.yml"
    inside.write_text("id: house_cat\nname: House Cat\ndescription: d\ntempo_min: 90\ntempo_max: 100\n"
                      "genres: [dance]\n")
    (folder / "alias.yaml").symlink_to(inside)  # a link inside the folder is fine
    with caplog.at_level("DEBUG"):
        registry = load_presets([folder])
    assert "house_cat" in [s.id for s in registry.styles]
    problems = "\n".join(registry.problems)
    assert f"{folder / 'leak.yaml'}: file: is a link out of the preset folder; not followed" in problems
    assert "broken.yaml: yaml: " in problems and "at line 2, column 1" in problems
    shown = problems + "\n".join(r.getMessage() for r in caplog.records)
    assert "SECRET" not in shown
