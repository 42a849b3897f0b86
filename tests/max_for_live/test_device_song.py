"""The Song button's request against a real daemon over real UDP on 127.0.0.1: the /mdg/song that
mdg_song.js builds from the device's settings (as Max's [udpsend] encodes it) is what the daemon
takes, its section replies assemble into the song the device writes, and a bad typed form comes
back as one line for the status display.

The daemon runs the real engine on the tiny checkpoint (FakeEngine composes no songs).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.bridge.conftest import real_engine  # noqa: F401  (the fixture, shared with the bridge tests)
from tests.max_for_live.support import DeviceCore, UdpClient, device_core, node_executable, running_daemon

pytestmark = pytest.mark.skipif(node_executable() is None,
                                reason="node is not installed: the device's JavaScript cannot run")

LIVE = {"tempo": 92, "numerator": 4, "denominator": 4}


@pytest.fixture
def client() -> Iterator[UdpClient]:
    udp = UdpClient()
    yield udp
    udp.close()


@pytest.fixture
def device(real_engine: Any, client: UdpClient, tmp_path: Any) -> Iterator[DeviceCore]:  # noqa: F811
    with running_daemon(real_engine, client, tmp_path / "clips"), device_core(client, seed=3) as core:
        yield core


def send_song(device: DeviceCore, client: UdpClient, form: str) -> tuple[dict[str, Any], list[Any]]:
    """Press Song (the typed form), send the device's /mdg/song; every reply up to its end."""
    prepared = device.call("song", live=LIVE, form=form)
    request_id = prepared["request"]["requestId"]
    mark = client.mark()
    client.send(prepared["message"])
    first = client.wait(mark, lambda r: (r.address == "/mdg/queued" and r.args[1] == request_id)
                        or (r.address == "/mdg/error" and r.args[0] == request_id))
    if first.address == "/mdg/queued":
        client.wait(mark, lambda r: r.address == "/mdg/done" and r.args[0] == first.args[0], timeout_s=60)
    return prepared, client.since(mark)


def test_the_devices_song_request_comes_back_as_its_sections(device: DeviceCore, client: UdpClient) -> None:
    prepared, replies = send_song(device, client, "intro:2 verse:4 chorus:4")
    message = prepared["message"]
    for key in ("top_k", "top_p", "temperature", "humanize", "fill", "seed"):
        assert key in message, key
    job_id = next(r.args[0] for r in replies if r.address == "/mdg/queued")
    result = None
    for reply in replies:
        if reply.args and reply.args[0] == job_id:
            result = device.call("songreceive", address=reply.address, args=list(reply.args)) or result
    assert result is not None and result["type"] == "done"
    sections = result["sections"]
    assert [(s["kind"], s["bars"], s["startBeats"]) for s in sections] == [("intro", 2, 0), ("verse", 4, 8),
                                                                           ("chorus", 4, 24)]
    for section in sections:
        assert len(section["notes"]) == section["noteCount"] > 0
        assert all(0 <= n["start_time"] < section["bars"] * 4 for n in section["notes"])


@pytest.mark.parametrize(("form", "line"), [
    ("verse:0", "verse must be between 1 and 256 bars, got 0"),
    ("chorus:x", "chorus needs a whole number of bars, got 'x'"),
    ("verse:300", "verse must be between 1 and 256 bars, got 300"),
    ("solo:4", "unknown section 'solo'; sections are intro, verse, chorus, bridge, outro"),
])
def test_a_bad_typed_form_comes_back_as_one_status_line(device: DeviceCore, client: UdpClient, form: str,
                                                        line: str) -> None:
    prepared, replies = send_song(device, client, form)
    [error] = [r for r in replies if r.address == "/mdg/error"]
    assert error.args[0] == prepared["request"]["requestId"] and error.args[1] == "bad_request"
    actions = device.call("receive", address=error.address, args=list(error.args))
    [status] = [a["text"] for a in actions if a["type"] == "status"]
    assert status == line
    assert not any(r.address == "/mdg/queued" for r in replies)
