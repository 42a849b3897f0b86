"""The MIDI Effect's Variations against a real daemon over real UDP on 127.0.0.1: the /mdg/generate that
mdg_core.js builds with Variations 3 (as Max's [udpsend] encodes it) is one job whose /mdg/take replies
the device's own session assembles into three takes, each the clip the device writes for a one-take
request with that take's seed (in a batch == alone, through the device and the wire).

The daemon runs the real engine on the tiny checkpoint."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bridge.conftest import real_engine  # noqa: F401  (the fixtures: a real daemon and the device's session)
from tests.max_for_live.support import DeviceCore, Received, UdpClient, node_executable
from tests.max_for_live.test_device_song import LIVE, client, device  # noqa: F401

pytestmark = pytest.mark.skipif(node_executable() is None,
                                reason="node is not installed: the device's JavaScript cannot run")


def press_generate(device: DeviceCore, client: UdpClient) -> tuple[dict[str, Any], list[Received]]:
    """The device's Generate: its /mdg/generate to the daemon, every reply up to the job's /mdg/done."""
    prepared = device.call("generate", live=LIVE, options={"purpose": "new"})
    request_id = prepared["request"]["requestId"]
    mark = client.mark()
    client.send(prepared["message"])
    queued = client.wait(mark, lambda r: r.address == "/mdg/queued" and r.args[1] == request_id)
    client.wait(mark, lambda r: r.address == "/mdg/done" and r.args[0] == queued.args[0], timeout_s=60)
    return prepared, [r for r in client.since(mark) if r.args and r.args[0] == queued.args[0]]


def test_variations_3_are_three_clips_each_equal_to_its_seed_alone(device: DeviceCore, client: UdpClient) -> None:
    assert device.call("set", name="variations", value=3) == ""
    assert device.call("set", name="seedlock", value=1) == ""
    assert device.call("set", name="seed", value=321) == ""
    prepared, replies = press_generate(device, client)
    message = prepared["message"]
    assert message[message.index("variations") + 1] == 3
    assert [r.address for r in replies].count("/mdg/take") == 3
    [takes] = [a for a in device.receive_all(replies) if a["type"] == "takes"]
    assert [(t["index"], t["seed"]) for t in takes["takes"]] == [(0, 321), (1, 322), (2, 323)]
    assert len({str(t["clip"]["notesDict"]) for t in takes["takes"]}) == 3
    assert [t["slot"] for t in takes["targets"]] == [0, 2, 3]  # the filled slot 1 is left alone
    assert device.call("set", name="variations", value=1) == ""
    for take in takes["takes"]:
        assert take["noteCount"] > 0 and take["clip"]["name"].endswith(f"seed {take['seed']}")
        assert device.call("set", name="seed", value=take["seed"]) == ""
        alone_prepared, alone = press_generate(device, client)
        assert "variations" not in alone_prepared["message"]
        [write] = [a for a in device.receive_all(alone) if a["type"] == "write"]
        assert write["clip"]["notesDict"] == take["clip"]["notesDict"]
        assert write["clip"]["name"] == take["clip"]["name"]


def test_a_variations_value_the_daemon_refuses_comes_back_as_one_line(device: DeviceCore, client: UdpClient) -> None:
    prepared = device.call("generate", live=LIVE, options={"purpose": "new"})
    message = prepared["message"] + ["variations", 9]  # past the device's own 1-8 box, as another client might
    mark = client.mark()
    client.send(message)
    error = client.wait(mark, lambda r: r.address == "/mdg/error")
    actions = device.call("receive", address=error.address, args=list(error.args))
    assert actions[0] == {"type": "status", "text": "variations must be a whole number between 1 and 8, got 9"}
