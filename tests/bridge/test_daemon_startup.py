"""The daemon answers as soon as its socket is bound: /mdg/pong says `loading` while the worker loads
the model, styles and validation work meanwhile, jobs wait and then run; a model that cannot load
fails the waiting jobs with one sentence. Real UDP on 127.0.0.1; the loader is held by a real gate."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mididrumigen.bridge.config import BridgeConfig
from mididrumigen.bridge.daemon import Daemon
from mididrumigen.bridge.engine_api import PatternEngine
from mididrumigen.bridge.worker import EngineSlot, EngineState
from mididrumigen.engine.errors import CheckpointError
from mididrumigen.engine.presets import load_presets
from tests.bridge.support import FakeEngine, OscTestClient, is_at


@pytest.fixture
def gated_daemon(tmp_path: Path) -> Iterator[tuple[Daemon, OscTestClient, threading.Event, list[Exception]]]:
    """A daemon whose engine loads only when the gate opens (or raises what `failures` holds)."""
    gate = threading.Event()
    failures: list[Exception] = []
    presets = load_presets([])

    def load() -> PatternEngine:
        assert gate.wait(10)
        if failures:
            raise failures[0]
        return FakeEngine(presets=presets)

    client = OscTestClient(("127.0.0.1", 0))
    config = BridgeConfig(host="127.0.0.1", port=0, reply_port=client.port, output_dir=tmp_path, midi=False)
    daemon = Daemon(config, EngineSlot(presets, loader=load, device_hint="auto"))
    client.server = daemon.address
    daemon.start()
    try:
        yield daemon, client, gate, failures
    finally:
        gate.set()
        daemon.stop()
        client.close()


def test_pong_says_loading_until_the_model_is_ready(
    gated_daemon: tuple[Daemon, OscTestClient, threading.Event, list[Exception]],
) -> None:
    daemon, client, gate, _ = gated_daemon
    [pong] = client.query("/mdg/ping", client.port, reply="/mdg/pong")
    assert pong.args[1:3] == ("loading", "auto")
    assert "model loading" in daemon.startup_line()
    # Styles and validation need no model: answered at once.
    [end] = client.query("/mdg/styles", client.port, reply="/mdg/styles/end")
    assert end.args[0] == len(load_presets([]).styles)
    [error] = client.query("/mdg/generate", "style", "j_dilla", "bars", 99, reply="/mdg/error")
    assert "bars must be between 1 and 32, got 99" in error.args[2]
    since = client.mark()
    [queued] = client.query("/mdg/generate", "style", "j_dilla", "bars", 1, reply="/mdg/queued")
    gate.set()
    client.wait(since, is_at("/mdg/done", queued.args[0]), timeout_s=10)
    [pong] = client.query("/mdg/ping", client.port, reply="/mdg/pong")
    assert pong.args[1:3] == ("fake-model", "cpu")
    assert daemon.slot.state is EngineState.READY


def test_a_model_that_cannot_load_fails_each_waiting_job_with_one_sentence(
    gated_daemon: tuple[Daemon, OscTestClient, threading.Event, list[Exception]],
) -> None:
    daemon, client, gate, failures = gated_daemon
    failures.append(CheckpointError("model checkpoint not found: /nowhere.pt"))
    [queued] = client.query("/mdg/generate", "style", "j_dilla", reply="/mdg/queued")
    since = client.mark()
    gate.set()
    [error] = client.wait(since, is_at("/mdg/error", queued.args[0]), timeout_s=10)
    assert error.args[1:] == ("generation_failed", "the model could not be loaded: model checkpoint not found: /nowhere.pt")
    assert daemon.slot.state is EngineState.FAILED
    [pong] = client.query("/mdg/ping", client.port, reply="/mdg/pong")
    assert pong.args[1] == "failed"
