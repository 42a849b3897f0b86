"""Learn style from the MIDI Effect against a real daemon (real engine on the tiny checkpoint) over real UDP
on 127.0.0.1: what mdg_core.js builds (the /mdg/clip upload and /mdg/style/learn) is learned and saved by
the daemon, the device shows it, refreshes its style menu onto the new style, and the next Generate in
that style is answered; a refusal reaches the status line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mididrumigen.engine.presets import load_preset_file
from tests.max_for_live.support import (
    DeviceCore,
    UdpClient,
    at,
    device_core,
    node_executable,
    running_daemon,
    tiny_engine,
)

pytestmark = pytest.mark.skipif(node_executable() is None,
                                reason="node is not installed: the device's JavaScript cannot run")

LIVE = {"tempo": 92, "numerator": 4, "denominator": 4}


def beat(bars: int) -> list[dict[str, Any]]:
    """mdg_clip.notesFromLive's shape: a kick and late snare on an 808 kit (48, 50), swung eighth hats (52)."""
    notes = []
    for bar in range(bars):
        start = bar * 4.0
        notes += [{"pitch": 48, "start": start + b, "duration": 0.25, "velocity": 110} for b in (0.0, 2.5)]
        notes += [{"pitch": 50, "start": start + b, "duration": 0.25, "velocity": 100} for b in (1.03, 3.03)]
        notes += [{"pitch": 52, "start": start + e / 2 + (0.06 if e % 2 else 0.0), "duration": 0.1,
                   "velocity": 70.4} for e in range(8)]
    return notes


@pytest.fixture(scope="module")
def presets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("user_presets")


@pytest.fixture(scope="module")
def daemon(client: UdpClient, presets: Path, tiny_checkpoint: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    engine = tiny_engine(tiny_checkpoint)  # its own registry: the learned style joins this daemon's only
    with running_daemon(engine, client, tmp_path_factory.mktemp("clips"), preset_dirs=(presets,)) as running:
        yield running


@pytest.fixture
def device(client: UdpClient, daemon: Any) -> Iterator[DeviceCore]:
    with device_core(client, seed=7) as core:
        yield core


def learn(device: DeviceCore, client: UdpClient, name: str) -> list[dict[str, Any]]:
    """Send the device's upload and request; feed the answer back; the actions it caused."""
    prepared = device.call("learn", live=LIVE, learn={"name": name, "notes": beat(2), "clipBars": 2,
                                                      "kit": "kick:48,snare:50,closed_hat:52"})
    request_id = prepared["request"]["requestId"]
    mark = client.mark()
    for message in prepared["messages"]:
        client.send(message)
    client.wait(mark, lambda r: r.address in ("/mdg/style/learned", "/mdg/error") and r.args[0] == request_id)
    return device.receive_all(client.since(mark))


def test_a_learned_style_is_selected_and_generated_by_the_next_press(device: DeviceCore, client: UdpClient,
                                                                      presets: Path) -> None:
    actions = learn(device, client, "Late Night")
    [status] = [a["text"] for a in actions if a["type"] == "status"]
    assert status.startswith("Learned style Late Night: saved late_night.yaml")
    preset = load_preset_file(presets / "late_night.yaml")
    assert preset.kit["kick"] == 48 and preset.prompts

    [refresh] = [a["message"] for a in actions if a["type"] == "send"]
    mark = client.mark()
    client.send(refresh)
    client.wait(mark, at("/mdg/styles/end"))
    [styles] = [a for a in device.receive_all(client.since(mark)) if a["type"] == "styles"]
    assert styles["names"][styles["selected"]] == "Late Night"

    prepared = device.call("generate", live=LIVE, options={"purpose": "new"})
    assert prepared["request"]["style"] == "late_night"
    mark = client.mark()
    client.send(prepared["message"])
    done = client.wait(mark, lambda r: r.address in ("/mdg/done", "/mdg/error"), timeout_s=60)
    assert done.address == "/mdg/done", done.args


def test_a_refused_learn_reaches_the_status_line(device: DeviceCore, client: UdpClient, presets: Path) -> None:
    actions = learn(device, client, "Questlove")
    assert [a["type"] for a in actions] == ["status"]
    assert actions[0]["text"].startswith("Learn style: name 'Questlove' makes the id questlove of a built-in style")
    assert not (presets / "questlove.yaml").exists()
