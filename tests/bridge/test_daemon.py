"""bridge.daemon end to end over real UDP on 127.0.0.1, with a fake engine: the protocol, every error
code, garbage, a flood, playback and shutdown. (test_daemon_engine.py runs the real model.)"""

from __future__ import annotations

import random
import struct
import threading
from pathlib import Path

import mido
import pytest

from mididrumigen.bridge import __version__
from mididrumigen.bridge.config import BridgeConfig
from mididrumigen.bridge.constants import MAX_REPLY_BYTES
from mididrumigen.bridge.daemon import Daemon, serve
from mididrumigen.bridge.midi.memory import MemoryOut
from mididrumigen.engine.errors import GenerationError
from tests.bridge.conftest import DaemonFactory
from tests.bridge.support import FakeEngine, OscTestClient, Received, build, is_at, reassemble


def job_replies(client: OscTestClient, since: int, job_id: str, timeout_s: float = 10.0) -> list[Received]:
    """Every reply about `job_id` up to and including its /mdg/done."""
    client.wait(since, is_at("/mdg/done", job_id), timeout_s=timeout_s)
    return [r for r in client.received[since:] if r.args and r.args[0] == job_id]


def generate(client: OscTestClient, *args: object) -> tuple[str, int]:
    since = client.mark()
    [queued] = client.query("/mdg/generate", *args, reply="/mdg/queued")
    return str(queued.args[0]), since


def test_ping_and_styles(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    _, client = start_daemon(fake_engine)
    [pong] = client.query("/mdg/ping", client.port, reply="/mdg/pong")
    assert pong.args == (__version__, "fake-model", "cpu", 0)
    styles = fake_engine.presets.styles
    since = client.mark()
    client.send("/mdg/styles")
    [end] = client.wait(since, is_at("/mdg/styles/end"))
    listed = [r for r in client.received[since:] if r.address == "/mdg/style"]
    assert end.args == (len(styles), 0) and [r.args[0] for r in listed] == [s.id for s in styles]


def test_job_from_queued_through_progress_to_done(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    _, client = start_daemon(fake_engine)
    job_id, since = generate(client, "style", "Questlove", "bars", 4, "seed", 5, "request_id", "r-1")
    replies = job_replies(client, since, job_id)
    addresses = [r.address for r in replies]
    assert addresses[0] == "/mdg/queued" and replies[0].args == (job_id, "r-1")
    assert "/mdg/progress" in addresses and addresses[-1] == "/mdg/done"
    assert addresses.index("/mdg/progress") < addresses.index("/mdg/notes") < addresses.index("/mdg/done")
    notes = reassemble(replies, job_id)
    assert replies[-1].args[:3] == (job_id, len(notes), "")
    assert len(notes) == 32
    [status] = client.query("/mdg/status", job_id, reply="/mdg/status")
    assert status.args == (job_id, "done", 100)
    since = client.mark()
    client.send("/mdg/resend", job_id)
    again = job_replies(client, since, job_id)
    assert reassemble(again, job_id) == notes


def test_32_bars_arrive_in_chunks_under_4_kb(start_daemon: DaemonFactory) -> None:
    _, client = start_daemon(FakeEngine(notes_per_beat=4))
    job_id, since = generate(client, "style", "j_dilla", "bars", 32)
    replies = job_replies(client, since, job_id)
    chunks = [r for r in replies if r.address == "/mdg/notes"]
    assert len(chunks) > 1 and all(r.size_bytes <= MAX_REPLY_BYTES < 4096 for r in chunks)
    assert len(reassemble(replies, job_id)) == 32 * 4 * 4
    assert all(r.size_bytes < 4096 for r in client.received)


def test_file_output_is_read_back_with_mido(start_daemon: DaemonFactory, fake_engine: FakeEngine,
                                            tmp_path: Path) -> None:
    _, client = start_daemon(fake_engine)
    job_id, since = generate(client, "style", "metro_boomin", "bars", 2, "tempo", 140, "output", "file")
    done = job_replies(client, since, job_id)[-1]
    assert "/mdg/notes" not in [r.address for r in client.received[since:]]
    path = Path(done.args[2])
    assert path.is_absolute() and path.parent == (tmp_path / "clips").resolve()
    midi = mido.MidiFile(path)
    assert len([m for m in midi.tracks[0] if m.type == "note_on"]) == done.args[1] == 16


def test_cancel_and_status(start_daemon: DaemonFactory) -> None:
    gate = threading.Event()
    engine = FakeEngine(gate=gate)
    _, client = start_daemon(engine)
    running, _ = generate(client, "style", "j_dilla")
    waiting, _ = generate(client, "style", "j_dilla")
    assert engine.started.wait(5)
    assert client.query("/mdg/status", running, reply="/mdg/status")[0].args[1] == "running"
    assert client.query("/mdg/status", waiting, reply="/mdg/status")[0].args == (waiting, "queued", 0)
    for job_id in (waiting, running):
        assert client.query("/mdg/cancel", job_id, reply="/mdg/cancelled")[0].args == (job_id,)
        assert client.query("/mdg/status", job_id, reply="/mdg/status")[0].args[1] == "cancelled"
    after, since = generate(client, "style", "j_dilla")  # the worker got free without the gate opening
    gate.set()
    job_replies(client, since, after)
    assert not [r for r in client.received if r.address == "/mdg/done" and r.args[0] in (running, waiting)]


def test_every_error_code(start_daemon: DaemonFactory) -> None:
    gate = threading.Event()
    engine = FakeEngine(gate=gate)
    _, client = start_daemon(engine, queue_size=1)

    def error(*args: object, address: str = "/mdg/generate") -> tuple[object, ...]:
        return client.query(address, *args, reply="/mdg/error")[0].args

    assert error("style", "j_dilla", "bars", 99, "request_id", "a")[:2] == ("a", "bad_request")
    assert error("style", "Nobody", "request_id", "b")[:2] == ("b", "unknown_style")
    assert error("nope", address="/mdg/status")[:2] == ("nope", "unknown_job")
    held, since = generate(client, "style", "j_dilla")  # runs, held by the gate
    assert engine.started.wait(5)
    waiting, _ = generate(client, "style", "j_dilla")  # waits: the queue (size 1) is full now
    assert error("style", "j_dilla", "request_id", "c")[:2] == ("c", "busy")
    gate.set()
    job_replies(client, since, held)
    job_replies(client, since, waiting)
    engine.error = GenerationError("the model was not trained on this style")
    engine.gate = None
    failing, since = generate(client, "style", "j_dilla")
    [failed] = client.wait(since, is_at("/mdg/error", failing), timeout_s=10)
    assert failed.args[1] == "generation_failed" and "not trained" in failed.args[2]
    engine.error = RuntimeError("a bug")
    crashing, since = generate(client, "style", "j_dilla")
    [crashed] = client.wait(since, is_at("/mdg/error", crashing), timeout_s=10)
    assert crashed.args[1] == "internal"


def garbage(rng: random.Random) -> bytes:
    """Random bytes, or a valid request cut, flipped or wrapped in a lying bundle."""
    valid = build("/mdg/generate", "style", "j_dilla", "bars", 4)
    kind = rng.randrange(5)
    if kind == 0:
        return rng.randbytes(rng.randrange(1, 600))
    if kind == 1:
        return valid[: rng.randrange(1, len(valid))]
    if kind == 2:
        data = bytearray(valid)
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if kind == 3:
        size = rng.choice([-16, -4, 0, 3, 1 << 30, len(valid) + 4])
        return b"#bundle\x00" + rng.randbytes(8) + struct.pack(">i", size) + valid
    return build("/mdg/" + rng.choice(["ping", "status", "cancel", "play", "transport", "x"]),
                 *[rng.choice([1, -5, 2.5, "x", b"blob", True, None]) for _ in range(rng.randrange(6))])


def test_200_garbage_datagrams_then_a_ping_is_answered(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    daemon, client = start_daemon(fake_engine)
    rng = random.Random(1234)
    for _ in range(200):
        client.send_raw(garbage(rng))
    # The garbage includes valid pings, so the last ping comes from a second client, on its port.
    with OscTestClient(daemon.address) as other:
        [pong] = other.query("/mdg/ping", other.port, reply="/mdg/pong", timeout_s=10)
    assert pong.args[0] == __version__
    assert daemon.server.received_count == 201 and daemon.dispatcher.internal_error_count == 0


def test_flood_of_300_generates_is_answered_every_time(start_daemon: DaemonFactory) -> None:
    gate = threading.Event()
    _, client = start_daemon(FakeEngine(gate=gate))
    since = client.mark()
    for i in range(300):
        client.send("/mdg/generate", "style", "j_dilla", "request_id", f"f{i}")

    def answer(r: Received) -> bool:
        return (r.address == "/mdg/queued" and str(r.args[1]).startswith("f")) or (
            r.address == "/mdg/error" and r.args[1] == "busy"
        )

    answers = client.wait(since, answer, count=300, timeout_s=20)
    ids = {r.args[1] if r.address == "/mdg/queued" else r.args[0] for r in answers}
    assert ids == {f"f{i}" for i in range(300)}
    queued = sum(r.address == "/mdg/queued" for r in answers)
    assert 32 <= queued <= 33  # the queue, plus the one the worker took
    gate.set()
    assert client.query("/mdg/ping", reply="/mdg/pong")[0].args[3] <= 32


def test_transport_play_stop_over_udp(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    out = MemoryOut()
    daemon, client = start_daemon(fake_engine, midi_out=out)
    job_id, since = generate(client, "style", "j_dilla", "bars", 1, "tempo", 200)
    job_replies(client, since, job_id)
    client.send("/mdg/transport", 0.0, 200.0, 0)  # Live stopped: play at once
    client.send("/mdg/play", job_id, 1)
    assert out.wait_for(3, timeout_s=5)
    client.send("/mdg/stop")
    client.query("/mdg/ping", reply="/mdg/pong")  # handled in order, so stop has run
    assert out.sounding == frozenset() and daemon.player is not None and daemon.player.pending == 0


def test_stop_cancels_queued_jobs_and_closes_midi(tmp_path: Path) -> None:
    gate = threading.Event()
    engine = FakeEngine(gate=gate)
    out = MemoryOut()
    with OscTestClient(("127.0.0.1", 0)) as client:
        config = BridgeConfig(port=0, reply_port=client.port, output_dir=tmp_path, midi=False)
        daemon = Daemon(config, engine, out)
        client.server = daemon.address
        daemon.start()
        running, _ = generate(client, "style", "j_dilla")
        waiting, since = generate(client, "style", "j_dilla")
        assert engine.started.wait(5)
        daemon.stop()
        cancelled = client.wait(since, is_at("/mdg/cancelled"), count=2)
        assert {r.args[0] for r in cancelled} == {running, waiting}
        assert out.closed and not daemon.worker._thread.is_alive()  # type: ignore[union-attr]  # noqa: SLF001


def test_serve_returns_0_when_told_to_stop(tmp_path: Path, fake_engine: FakeEngine) -> None:
    stop = threading.Event()
    lines: list[str] = []
    result: list[int] = []
    config = BridgeConfig(port=0, output_dir=tmp_path, midi=False)
    thread = threading.Thread(target=lambda: result.append(serve(config, fake_engine, lines.append, stop)))
    thread.start()
    try:
        # serve announces once it listens; the line is the proof it started.
        for _ in range(100):
            if lines:
                break
            stop.wait(0.05)
        assert lines and "listening on udp://127.0.0.1:" in lines[0] and "fake-model on cpu" in lines[0]
        assert "no MIDI (MIDI output is turned off (--no-midi))" in lines[0]
    finally:
        stop.set()
        thread.join(10)
    assert result == [0]


def test_port_in_use_is_an_os_error(fake_engine: FakeEngine, tmp_path: Path) -> None:
    first = Daemon(BridgeConfig(port=0, output_dir=tmp_path, midi=False), fake_engine)
    try:
        with pytest.raises(OSError):
            Daemon(BridgeConfig(port=first.address[1], output_dir=tmp_path, midi=False), fake_engine)
    finally:
        first.stop()
