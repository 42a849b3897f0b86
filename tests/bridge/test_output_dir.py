"""The daemon's output folder at start-up (issue 15): a file there is a config error, stale temp files go."""

from __future__ import annotations

from pathlib import Path

import pytest

from mididrumigen.bridge.config import BridgeConfig, ConfigError, build_config
from mididrumigen.bridge.daemon import Daemon
from tests.bridge.support import FakeEngine


def test_an_output_folder_that_is_a_file_is_refused_at_start_up(tmp_path: Path) -> None:
    blocker = tmp_path / "clips"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError, match=rf"output_dir must be a directory path of at most 2000 characters, got .*{blocker.name}"):
        build_config({"output_dir": str(blocker)})


def test_start_up_removes_stale_temp_files_of_killed_writes(tmp_path: Path, fake_engine: FakeEngine) -> None:
    clips = tmp_path / "clips"
    clips.mkdir()
    stale = clips / ".j_dilla_verse_4bars.mid.k3j_x9a2.tmp"
    stale.write_bytes(b"MThd half")
    kept = clips / "j_dilla_verse_4bars.mid"
    kept.write_bytes(b"MThd")
    daemon = Daemon(BridgeConfig(port=0, output_dir=clips, midi=False), fake_engine)
    try:
        assert not stale.exists() and kept.read_bytes() == b"MThd"
    finally:
        daemon.stop()
