"""The device against a real daemon over real UDP on 127.0.0.1, so the patcher and the daemon cannot drift apart.

What the device sends comes from the device itself: the OSC message boxes are read from the
.maxpat (their `$1` is the reply port, as the patch fills it), and everything [js] builds comes from
max_for_live/mdg_core.js running in Node (device_core_cli.js). The daemon's replies are fed back to
that same JavaScript session, and the test checks what it would write into Live: the clip's
notes, name and loop length, which must equal the engine's own pattern for the same request.
The daemon runs the real engine on the tiny checkpoint tests/conftest.py trains; a second daemon
runs a dense stand-in engine where a pattern must span several /mdg/notes datagrams.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.max_for_live.support import (
    MAIN_PATCHER,
    TOOL_PATCHER,
    DenseEngine,
    DeviceCore,
    Patcher,
    Received,
    UdpClient,
    at,
    max_atoms,
    node_executable,
)

pytestmark = pytest.mark.skipif(node_executable() is None,
                                reason="node is not installed: the device's JavaScript cannot run")

LIVE = {"tempo": 92, "numerator": 4, "denominator": 4}
"""What the device reads from live_set: Live's tempo and time signature."""


@pytest.fixture(scope="module")
def engine(tiny_checkpoint: Path) -> Any:
    from mididrumigen.engine.generate import Engine
    from mididrumigen.engine.presets import load_presets

    return Engine(checkpoint=tiny_checkpoint, presets=load_presets([]), device="cpu")


@pytest.fixture(scope="module")
def client() -> Iterator[UdpClient]:
    udp = UdpClient()
    yield udp
    udp.close()


def _start_daemon(engine: Any, client: UdpClient, output_dir: Path) -> Any:
    """The daemon as `mididrumigen serve` wires it, on a free port, playing into an in-memory MIDI port."""
    from mididrumigen.bridge.config import BridgeConfig
    from mididrumigen.bridge.daemon import Daemon
    from mididrumigen.bridge.midi.memory import MemoryOut

    config = BridgeConfig(host="127.0.0.1", port=0, reply_port=client.port, output_dir=output_dir, midi=False)
    running = Daemon(config, engine, MemoryOut())
    client.server = running.address
    running.start()
    return running


@pytest.fixture(scope="module")
def daemon(engine: Any, client: UdpClient, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    running = _start_daemon(engine, client, tmp_path_factory.mktemp("clips"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def dense_client() -> Iterator[UdpClient]:
    udp = UdpClient()
    yield udp
    udp.close()


@pytest.fixture(scope="module")
def dense_daemon(dense_client: UdpClient, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    running = _start_daemon(DenseEngine(), dense_client, tmp_path_factory.mktemp("dense"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def node_session() -> Iterator[DeviceCore]:
    core = DeviceCore()
    yield core
    core.close()


@pytest.fixture
def device(node_session: DeviceCore, client: UdpClient, daemon: Any) -> DeviceCore:
    """A fresh device session whose Reply Port is the test client's port."""
    node_session.call("reset", seed=7, replyPort=client.port)
    return node_session


@pytest.fixture
def dense_device(node_session: DeviceCore, dense_client: UdpClient, dense_daemon: Any) -> DeviceCore:
    """A fresh device session talking to the dense daemon."""
    node_session.call("reset", seed=7, replyPort=dense_client.port)
    return node_session


@pytest.fixture(params=[MAIN_PATCHER, TOOL_PATCHER], ids=lambda p: p.stem)
def patcher(request: pytest.FixtureRequest) -> Patcher:
    return Patcher(request.param)


def _message_box(patcher: Patcher, address: str, reply_port: int) -> list[Any]:
    """The message the patcher's box for `address` sends, with $1 = the reply port it is fed."""
    (box,) = [b for b in patcher.osc_message_boxes() if b["text"].split()[0] == address]
    return max_atoms(box["text"], reply_port)


def _run_job(device: DeviceCore, client: UdpClient, live: dict[str, Any] = LIVE,
             options: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[Received]]:
    """Generate as the device does; every reply up to the job's /mdg/done (or /mdg/error)."""
    prepared = device.call("generate", live=live, options=options or {"purpose": "new"})
    request = prepared["request"]
    mark = client.mark()
    client.send(prepared["message"])
    queued = client.wait(mark, lambda r: (r.address == "/mdg/queued" and r.args[1] == request["requestId"])
                         or (r.address == "/mdg/error" and r.args[0] == request["requestId"]))
    if queued.address == "/mdg/error":
        return request, client.since(mark)
    job_id = queued.args[0]
    client.wait(mark, lambda r: r.address in ("/mdg/done", "/mdg/error") and r.args[0] == job_id, timeout_s=60)
    return request, [r for r in client.since(mark) if not r.args or r.args[0] in (job_id, request["requestId"])]


def _barrier(client: UdpClient, mark: int) -> list[Received]:
    """Replies up to a /mdg/pong: the daemon serves datagrams in order, so everything sent before
    the ping has been handled once the pong is back."""
    client.send(["/mdg/ping", client.port])
    client.wait(mark, at("/mdg/pong"))
    return client.since(mark)


def _engine_notes(engine: Any, request: dict[str, Any]) -> list[tuple[int, float, float, int]]:
    """The engine's own pattern for the request the device sent (call only while the daemon is idle)."""
    from mididrumigen.engine.schema import parse_request

    fields = {"style": request["style"], "bars": request["bars"], "tempo": request["tempo"],
              "numerator": request["numerator"], "denominator": request["denominator"],
              "humanize": request["humanize"], "fill": request["fill"], "pattern_type": request["patternType"],
              "temperature": request["temperature"], "top_k": request["topK"], "top_p": request["topP"],
              "seed": request["seed"]}
    result = engine.generate(parse_request(fields))
    return sorted((n.pitch, n.start_beats, n.duration_beats, n.velocity) for n in result.pattern.notes)


def _written(actions: list[dict[str, Any]]) -> dict[str, Any]:
    writes = [a for a in actions if a["type"] == "write"]
    assert len(writes) == 1, f"expected one clip write, got actions {actions}"
    return writes[0]


def test_ping_message_box_connects(patcher: Patcher, device: DeviceCore, client: UdpClient) -> None:
    mark = client.mark()
    client.send(_message_box(patcher, "/mdg/ping", client.port))
    pong = client.wait(mark, at("/mdg/pong"))
    version, model, device_name, queued = pong.args
    assert isinstance(version, str) and version and model.startswith("tiny") and device_name == "cpu"
    assert queued == 0
    actions = device.call("receive", address=pong.address, args=list(pong.args))
    assert actions[0] == {"type": "connected", "version": version, "model": model, "device": "cpu"}


def test_styles_message_box_fills_the_style_menu(patcher: Patcher, device: DeviceCore, client: UdpClient,
                                                 engine: Any) -> None:
    device.call("refresh")
    mark = client.mark()
    client.send(_message_box(patcher, "/mdg/styles", client.port))
    client.wait(mark, at("/mdg/styles/end"))
    actions = device.receive_all([r for r in client.since(mark) if r.address.startswith("/mdg/style")])
    (menu,) = [a for a in actions if a["type"] == "styles"]
    assert menu["names"] == [style.name for style in engine.presets.styles]
    menu_defaults = next(b for b in patcher.box_list if b.get("varname") == "style")
    assert set(patcher.parameter(menu_defaults)["parameter_enum"]) <= set(menu["names"])


@pytest.mark.parametrize("fill", [1, 0], ids=["fill", "no_fill"])
def test_a_generated_pattern_becomes_the_engines_clip(device: DeviceCore, client: UdpClient, engine: Any,
                                                      fill: int) -> None:
    assert device.call("set", name="style", value=0) == ""  # J Dilla, the menu's first entry
    assert device.call("set", name="seedlock", value=1) == ""
    assert device.call("set", name="seed", value=1234) == ""
    assert device.call("set", name="fill", value=fill) == ""
    request, replies = _run_job(device, client)
    assert request["fill"] == fill
    assert [r.address for r in replies][:2] == ["/mdg/queued", "/mdg/progress"]
    write = _written(device.receive_all(replies))
    clip = write["clip"]
    assert clip["name"] == "J Dilla \u00b7 verse \u00b7 4 bars \u00b7 seed 1234"
    assert clip["loopEndBeats"] == 16
    assert clip["signature"] == [4, 4]
    written = [(n["pitch"], n["start_time"], n["duration"], n["velocity"]) for n in clip["notesDict"]["notes"]]
    assert all(n["mute"] == 0 for n in clip["notesDict"]["notes"])
    expected = _engine_notes(engine, request)
    assert len(written) == len(expected) > 0
    for got, want in zip(sorted(written), expected, strict=True):
        # Times cross the wire as OSC float32; pitch and velocity exactly.
        assert got[0] == want[0] and got[3] == want[3]
        assert math.isclose(got[1], want[1], abs_tol=1e-5) and math.isclose(got[2], want[2], abs_tol=1e-5)


def _chunked_notes(replies: list[Received]) -> list[tuple[Any, ...]]:
    """The pattern as the daemon sent it, chunk by chunk: (pitch, start, duration, velocity) in time order."""
    chunks = sorted((r for r in replies if r.address == "/mdg/notes"), key=lambda r: r.args[1])
    values = [v for r in chunks for v in r.args[3:]]
    return sorted(tuple(values[i : i + 4]) for i in range(0, len(values), 4))


def test_a_long_pattern_rebuilds_from_chunks_in_any_order(dense_device: DeviceCore, dense_client: UdpClient) -> None:
    dense_device.call("set", name="bars", value=32)
    request, replies = _run_job(dense_device, dense_client)
    chunks = [r for r in replies if r.address == "/mdg/notes"]
    assert len(chunks) > 2 and chunks[0].args[2] == len(chunks)
    done = next(r for r in replies if r.address == "/mdg/done")
    others = [r for r in replies if r.address not in ("/mdg/notes", "/mdg/done")]
    shuffled = chunks[1::2] + [done] + chunks[0::2] + chunks[:2]  # out of order, done early, duplicates
    write = _written(dense_device.receive_all(others + shuffled))
    assert write["noteCount"] == done.args[1] == 32 * 4 * 16
    notes = write["clip"]["notesDict"]["notes"]
    written = sorted((n["pitch"], n["start_time"], n["duration"], n["velocity"]) for n in notes)
    assert written == _chunked_notes(replies)
    assert write["clip"]["loopEndBeats"] == 128
    assert write["clip"]["name"].endswith("32 bars \u00b7 seed " + str(request["seed"]))


def test_a_lost_chunk_is_asked_for_again(dense_device: DeviceCore, dense_client: UdpClient) -> None:
    dense_device.call("set", name="bars", value=8)
    _, replies = _run_job(dense_device, dense_client)
    chunks = [r for r in replies if r.address == "/mdg/notes"]
    assert len(chunks) > 1
    lost = chunks[1]
    actions = dense_device.receive_all([r for r in replies if r is not lost])
    (ask,) = [a for a in actions if a["type"] == "send"]
    assert ask["message"] == ["/mdg/resend", lost.args[0], dense_client.port]
    mark = dense_client.mark()
    dense_client.send(ask["message"])
    dense_client.wait(mark, at("/mdg/done", lost.args[0]))
    write = _written(dense_device.receive_all(dense_client.since(mark)))
    assert write["jobId"] == lost.args[0]
    assert write["noteCount"] == 8 * 4 * 16


def test_clip_and_file_output_names_the_saved_file(device: DeviceCore, client: UdpClient) -> None:
    device.call("set", name="output", value=1)  # "Clip + File"
    request, replies = _run_job(device, client)
    assert request["output"] == "clip,file"
    done = next(r for r in replies if r.address == "/mdg/done")
    path = Path(done.args[2])
    assert path.is_file() and path.suffix == ".mid"
    write = _written(device.receive_all(replies))
    assert write["status"].endswith(f"(saved {path.name})")


def test_an_out_of_range_live_tempo_shows_the_daemons_reason(device: DeviceCore, client: UdpClient) -> None:
    _, replies = _run_job(device, client, live={"tempo": 240, "numerator": 4, "denominator": 4})
    (error,) = [r for r in replies if r.address == "/mdg/error"]
    assert error.args[1] == "bad_request"
    status, failed = device.receive_all([error])
    assert status["type"] == "status" and "tempo must be between 60 and 200" in status["text"]
    assert failed["type"] == "failed"  # the MIDI Tool stops waiting for it


def test_a_style_the_daemon_lacks_says_press_refresh(device: DeviceCore, client: UdpClient) -> None:
    device.call("refresh")
    device.call("receive", address="/mdg/style", args=["gone", "Gone Style", 80, 120, "removed since"])
    device.call("receive", address="/mdg/styles/end", args=[1])
    _, replies = _run_job(device, client)
    (error,) = [r for r in replies if r.address == "/mdg/error"]
    status, _ = device.receive_all([error])
    assert error.args[1] == "unknown_style"
    assert status["text"].startswith("Style not found on the daemon: press Refresh")


def test_play_transport_and_stop_are_accepted(device: DeviceCore, client: UdpClient) -> None:
    _, replies = _run_job(device, client)
    device.receive_all(replies)
    mark = client.mark()
    client.send(device.call("transport", beat=7.5, tempo=92.0, playing=1))
    play = device.call("play")
    assert play["message"][0] == "/mdg/play" and play["message"][-1] == client.port
    client.send(play["message"])
    stop = device.call("stop")
    assert stop["message"] == ["/mdg/stop", client.port]
    client.send(stop["message"])
    answered = _barrier(client, mark)
    assert [r for r in answered if r.address == "/mdg/error"] == []


def test_a_refused_play_comes_back_to_the_device_and_says_why(device: DeviceCore, client: UdpClient) -> None:
    device.call("reset", seed=3, replyPort=client.port)
    _, replies = _run_job(device, client)
    device.receive_all(replies)
    message = device.call("play")["message"]
    message[1] = "a-job-the-daemon-never-had"
    mark = client.mark()
    client.send(message)
    error = client.wait(mark, lambda r: r.address == "/mdg/error")
    (status,) = device.receive_all([error])
    assert error.args[1] == "unknown_job" and status["text"].startswith("The daemon no longer has that pattern")
