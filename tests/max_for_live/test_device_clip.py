"""The devices' clip jobs against a real daemon over real UDP on 127.0.0.1: what mdg_core.js builds
(the /mdg/clip chunks and /mdg/continue, /groove, /vary, as Max's [udpsend] encodes them) is what
the daemon accepts, and what the daemon answers is what the device writes into Live.

The daemon runs tests/bridge/support.py's FakeEngine, whose `transform` answers predictably
(fake_transform), so every note the device would write can be checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.bridge.support import FakeEngine
from tests.max_for_live.support import DeviceCore, UdpClient, device_core, node_executable, running_daemon

pytestmark = pytest.mark.skipif(node_executable() is None,
                                reason="node is not installed: the device's JavaScript cannot run")

LIVE = {"tempo": 92, "numerator": 4, "denominator": 4}


def beat(bars: int) -> list[dict[str, Any]]:
    """What mdg_clip.notesFromLive gives for a producer's clip: kicks and snares on an 808 kit (48, 50),
    sixteenth hats (42, Live's fractional velocities) and a pad no voice uses (56)."""
    notes = []
    for b in range(bars * 4):
        notes.append({"pitch": 50 if b % 2 else 48, "start": b, "duration": 0.25, "velocity": 100})
        notes += [{"pitch": 42, "start": b + s / 4, "duration": 0.1, "velocity": 70.4} for s in range(4)]
    notes.append({"pitch": 56, "start": 0.5, "duration": 0.5, "velocity": 64})
    return notes


@pytest.fixture(scope="module")
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture(scope="module")
def daemon(engine: FakeEngine, client: UdpClient, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with running_daemon(engine, client, tmp_path_factory.mktemp("clips")) as running:
        yield running


@pytest.fixture
def device(client: UdpClient, daemon: Any) -> Iterator[DeviceCore]:
    with device_core(client, seed=3) as core:
        yield core


def run_clip_job(device: DeviceCore, client: UdpClient, clip: dict[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    """Send the device's upload and request; feed every reply back; the actions they caused."""
    prepared = device.call("clipjob", live=LIVE, clip=clip)
    request = prepared["request"]
    mark = client.mark()
    for message in prepared["messages"]:
        client.send(message)
    first = client.wait(mark, lambda r: (r.address == "/mdg/queued" and r.args[1] == request["requestId"])
                        or (r.address == "/mdg/error" and r.args[0] == request["requestId"]))
    if first.address == "/mdg/queued":
        client.wait(mark, lambda r: r.address == "/mdg/done" and r.args[0] == first.args[0])
    return prepared, device.receive_all(client.since(mark))


def test_groove_on_the_producers_kit_comes_back_to_be_written(device: DeviceCore, client: UdpClient,
                                                              engine: FakeEngine) -> None:
    notes = beat(4)  # 81 notes: two /mdg/clip chunks
    prepared, actions = run_clip_job(device, client, {"mode": "groove", "notes": notes, "clipBars": 4,
                                                      "kit": "kick:48,snare:50,closed_hat:42"})
    assert len([m for m in prepared["messages"] if m[0] == "/mdg/clip"]) == 2
    request, uploaded = engine.transformed[-1]
    assert request.mode == "groove" and request.kit == {"kick": 48, "snare": 50, "closed_hat": 42}
    assert len(uploaded) == len(notes) and uploaded[1].velocity == 70  # whole velocities on the wire
    statuses = [a["text"] for a in actions if a["type"] == "status"]
    assert any("pitches 56 are not drums of the kit; passed through untouched" in s for s in statuses)
    [write] = [a for a in actions if a["type"] == "write"]
    assert write["clip"]["name"].split(" \u00b7 ")[1:3] == ["groove", "4 bars"]
    assert write["clip"]["loopEndBeats"] == 16
    written = sorted((n["pitch"], round(n["start_time"], 4), n["velocity"])
                     for n in write["clip"]["notesDict"]["notes"])
    expected = sorted((n["pitch"], n["start"], 64 if n["pitch"] == 56 else round(n["velocity"]) + 1) for n in notes)
    assert written == expected


def test_vary_and_continue_carry_keep_and_bars(device: DeviceCore, client: UdpClient, engine: FakeEngine) -> None:
    device.call("set", name="keep", value=5)
    _, actions = run_clip_job(device, client, {"mode": "vary", "notes": beat(4), "clipBars": 4})
    request, _ = engine.transformed[-1]
    assert request.keep == () and request.keep_bars == (1, 2, 3) and request.kit is None
    assert any(a["type"] == "write" for a in actions)
    device.call("set", name="bars", value=2)
    _, actions = run_clip_job(device, client, {"mode": "continue", "notes": beat(2), "clipBars": 2})
    request, _ = engine.transformed[-1]
    assert (request.mode, request.bars, request.clip_bars) == ("continue", 2, 2)
    [write] = [a for a in actions if a["type"] == "write"]
    assert write["clip"]["loopEndBeats"] == 8


def test_a_clip_the_daemon_refuses_reaches_the_status_line(device: DeviceCore, client: UdpClient) -> None:
    # A clip_bars too short for its notes: the engine refuses it, the device says so and writes nothing.
    _, actions = run_clip_job(device, client, {"mode": "groove", "notes": beat(2), "clipBars": 1})
    assert [a["type"] for a in actions] == ["status", "failed"]
    assert "clip" in actions[0]["text"]
