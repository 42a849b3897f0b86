"""Fixtures for the bridge tests: a fake or real engine, a running daemon on a free port, a UDP client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mididrumigen.bridge.config import BridgeConfig
from mididrumigen.bridge.daemon import Daemon
from mididrumigen.bridge.midi.memory import MemoryOut
from tests.bridge.support import FakeEngine, OscTestClient

DaemonFactory = Callable[..., tuple[Daemon, OscTestClient]]


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture(scope="session")
def real_engine(tiny_checkpoint: Path) -> Any:
    """The real engine on the tiny checkpoint, built-in presets only (tests/conftest.py trains it)."""
    from mididrumigen.engine.generate import Engine
    from mididrumigen.engine.presets import load_presets

    return Engine(checkpoint=tiny_checkpoint, presets=load_presets([]), device="cpu")


@pytest.fixture
def start_daemon(tmp_path: Path) -> Iterator[DaemonFactory]:
    """Start a daemon on 127.0.0.1 with a free port and a client whose port is the default reply port."""
    started: list[tuple[Daemon, OscTestClient]] = []

    def start(engine: Any, midi_out: Any = "memory", **settings: Any) -> tuple[Daemon, OscTestClient]:
        client = OscTestClient(("127.0.0.1", 0))
        config = BridgeConfig(host="127.0.0.1", port=0, reply_port=client.port, output_dir=tmp_path / "clips",
                              midi=False, **settings)
        out = MemoryOut() if midi_out == "memory" else midi_out
        daemon = Daemon(config, engine, out)
        client.server = daemon.address
        daemon.start()
        started.append((daemon, client))
        return daemon, client

    yield start
    for daemon, client in started:
        daemon.stop()
        client.close()
