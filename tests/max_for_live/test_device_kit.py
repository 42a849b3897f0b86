"""The MIDI Effect's Generate and Song on the producer's kit, against a real daemon with the real engine
(tiny checkpoint) over real UDP on 127.0.0.1: the /mdg/generate and /mdg/song mdg_core.js builds with the
Drum Rack's map come back with every note on the rack's pads, ready to be written into Live, and the
.mid the daemon writes holds the same pads (read back with mido)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mido
import pytest

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

LIVE = {"tempo": 96, "numerator": 4, "denominator": 4}
PADS = {"kick": 60, "snare": 61, "closed_hat": 62, "open_hat": 63, "low_tom": 64, "mid_tom": 65,
        "high_tom": 66, "crash": 67, "ride": 68}
KIT = ",".join(f"{voice}:{note}" for voice, note in PADS.items())


@pytest.fixture(scope="module")
def daemon(client: UdpClient, tiny_checkpoint: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with running_daemon(tiny_engine(tiny_checkpoint), client, tmp_path_factory.mktemp("clips")) as running:
        yield running


@pytest.fixture
def device(client: UdpClient, daemon: Any) -> Iterator[DeviceCore]:
    with device_core(client, seed=5) as core:
        core.call("set", name="bars", value=2)
        yield core


def test_generate_with_the_racks_kit_writes_every_note_on_its_pads(device: DeviceCore, client: UdpClient) -> None:
    device.call("set", name="output", value=1)  # Clip + File
    prepared = device.call("generate", live=LIVE, options={"purpose": "new", "kit": KIT})
    mark = client.mark()
    client.send(prepared["message"])
    done = client.wait(mark, at("/mdg/done"), timeout_s=60)
    actions = device.receive_all(client.since(mark))
    [write] = [a for a in actions if a["type"] == "write"]
    pitches = {n["pitch"] for n in write["clip"]["notesDict"]["notes"]}
    assert pitches and pitches <= set(PADS.values())
    on_file = {m.note for track in mido.MidiFile(done.args[2]).tracks for m in track if m.type == "note_on"}
    assert on_file == pitches


def test_song_with_the_racks_kit_comes_back_on_its_pads(device: DeviceCore, client: UdpClient) -> None:
    prepared = device.call("song", live=LIVE, form="verse:2 chorus:2", kit=KIT)
    mark = client.mark()
    client.send(prepared["message"])
    done = client.wait(mark, at("/mdg/done"), timeout_s=60)
    result = None
    for reply in client.since(mark):
        if reply.args and reply.args[0] == done.args[0]:
            result = device.call("songreceive", address=reply.address, args=list(reply.args)) or result
    assert result is not None and result["type"] == "done"
    pitches = {note["pitch"] for section in result["sections"] for note in section["notes"]}
    assert pitches and pitches <= set(PADS.values())
