"""Variations over real UDP: one /mdg/generate with `variations N` runs one job whose N takes come back
take by take (/mdg/take, /mdg/take/notes under 4 KB), each equal to the request made alone with its
row's seed (take k: seed + k), written as _v1.._vN files; cancel, resend, MIDI out and refusals."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import mido
import pytest

from mididrumigen.bridge.constants import MAX_REPLY_BYTES
from mididrumigen.bridge.protocol import ErrorCode
from tests.bridge.conftest import DaemonFactory
from tests.bridge.support import FakeEngine, Received, headed_notes, is_at, reassemble
from tests.bridge.test_daemon_engine import run_job

Notes = list[tuple[Any, ...]]


def takes_of(replies: list[Received]) -> dict[int, tuple[tuple[Any, ...], Notes]]:
    """Each take's header and its notes rebuilt from its /mdg/take/notes chunks, as a device does."""
    return headed_notes(replies, "/mdg/take", "/mdg/take/notes")


def test_three_variations_are_three_takes_each_equal_to_its_seed_alone(start_daemon: DaemonFactory,
                                                                        real_engine: Any) -> None:
    _, client = start_daemon(real_engine)
    job_id, replies = run_job(client, "style", "questlove", "bars", 4, "seed", 11, "tempo", 96, "variations", 3)
    assert all(r.size_bytes <= MAX_REPLY_BYTES for r in replies)
    assert not [r for r in replies if r.address == "/mdg/notes"]
    takes = takes_of(replies)
    assert sorted(takes) == [0, 1, 2]
    assert len({tuple(notes) for _, notes in takes.values()}) == 3  # three different patterns
    for index, (header, notes) in takes.items():
        assert header[2:] == (3, str(11 + index), len(notes), "")
        alone_id, alone = run_job(client, "style", "questlove", "bars", 4, "seed", 11 + index, "tempo", 96)
        assert notes == reassemble(alone, alone_id)  # over the wire: in the batch == alone
    assert replies[-1].address == "/mdg/done"
    assert replies[-1].args[1] == sum(len(notes) for _, notes in takes.values())


def test_takes_are_written_as_v1_to_vn_files_and_resent(start_daemon: DaemonFactory, real_engine: Any,
                                                        tmp_path: Path) -> None:
    _, client = start_daemon(real_engine)
    job_id, replies = run_job(client, "style", "j_dilla", "bars", 2, "seed", 5, "variations", 3,
                              "output", "clip,file")
    takes = takes_of(replies)
    files = [Path(takes[index][0][5]) for index in range(3)]
    assert [f.name.removesuffix(".mid").rsplit("_", 2)[-2:] for f in files] == [[job_id, f"v{k}"] for k in (1, 2, 3)]
    for path, (header, notes) in zip(files, (takes[i] for i in range(3)), strict=True):
        assert path.parent == (tmp_path / "clips").resolve() and f"seed{header[3]}" in path.name
        ons = [m for m in mido.MidiFile(path).tracks[0] if m.type == "note_on" and m.velocity > 0]
        assert len(ons) == header[4] == len(notes)
    assert replies[-1].args[2] == str(files[0])  # /mdg/done names the first take's file
    since = client.mark()
    client.send("/mdg/resend", job_id)
    client.wait(since, is_at("/mdg/done", job_id))
    assert takes_of(client.since(since)) == takes


def test_a_request_without_variations_is_answered_as_before(start_daemon: DaemonFactory,
                                                            fake_engine: FakeEngine) -> None:
    _, client = start_daemon(fake_engine)
    for extra in ((), ("variations", 1)):
        job_id, replies = run_job(client, "style", "questlove", "bars", 1, "seed", 3, *extra)
        assert {r.address for r in replies} == {"/mdg/queued", "/mdg/progress", "/mdg/notes", "/mdg/done"}
        assert replies[-1].args[1] == len(reassemble(replies, job_id))
    assert fake_engine.batches == []  # one take goes through generate, as it always did


def test_variations_run_one_batched_engine_call(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    _, client = start_daemon(fake_engine)
    run_job(client, "style", "questlove", "bars", 1, "variations", 8)
    assert fake_engine.batches == [8]


@pytest.mark.parametrize(("value", "shown"), [(0, "0"), (9, "9"), (2.5, "2.5"), (True, "T"), ("three", "'three'")])
def test_wrong_variations_are_one_line_errors(start_daemon: DaemonFactory, fake_engine: FakeEngine,
                                              value: Any, shown: str) -> None:
    _, client = start_daemon(fake_engine)
    [error] = client.query("/mdg/generate", "style", "questlove", "variations", value, "request_id", "v",
                           reply="/mdg/error")
    assert error.args[:2] == ("v", ErrorCode.BAD_REQUEST.value)
    assert error.args[2].startswith(f"variations must be a whole number between 1 and 8, got {shown}")
    assert fake_engine.calls == 0


def test_cancel_stops_a_variations_job_with_no_takes_after(start_daemon: DaemonFactory) -> None:
    gate = threading.Event()
    engine = FakeEngine(gate=gate)
    _, client = start_daemon(engine)
    since = client.mark()
    [queued] = client.query("/mdg/generate", "style", "questlove", "variations", 4, reply="/mdg/queued")
    job_id = str(queued.args[0])
    assert engine.started.wait(5)
    client.wait(since, is_at("/mdg/progress", job_id))
    assert client.query("/mdg/cancel", job_id, reply="/mdg/cancelled")[0].args == (job_id,)
    gate.set()
    client.query("/mdg/ping", reply="/mdg/pong")
    [status] = client.query("/mdg/status", job_id, reply="/mdg/status")
    assert status.args[1] == "cancelled"
    assert not [r for r in client.since(since) if r.address in ("/mdg/take", "/mdg/take/notes", "/mdg/done")]


def test_midi_out_plays_the_first_take(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    daemon, client = start_daemon(fake_engine)
    job_id, replies = run_job(client, "style", "questlove", "bars", 1, "seed", 2, "variations", 2,
                              "output", "clip,midi", "tempo", 200)
    first = takes_of(replies)[0][1]
    out = daemon.midi_out
    assert out is not None and out.wait_for(2 * len(first), 10)
    pitches = [m.message.note for m in out.sent if m.message.type == "note_on" and m.message.velocity > 0]
    assert pitches == [note[0] for note in first]


def test_a_song_or_clip_request_refuses_variations(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    _, client = start_daemon(fake_engine)
    [error] = client.query("/mdg/song", "style", "questlove", "form", "verse:2", "variations", 2,
                           reply="/mdg/error")
    assert error.args[1:] == (ErrorCode.BAD_REQUEST.value, "a song is one take; leave variations out")


def test_every_take_datagram_stays_under_4_kb_with_dense_takes(start_daemon: DaemonFactory) -> None:
    _, client = start_daemon(FakeEngine(notes_per_beat=8))
    job_id, replies = run_job(client, "style", "questlove", "bars", 32, "variations", 8, "seed", 1)
    assert all(r.size_bytes <= MAX_REPLY_BYTES for r in replies)
    takes = takes_of(replies)
    assert len(takes) == 8 and all(len(notes) == 32 * 4 * 8 and header[4] == len(notes)
                                   for header, notes in takes.values())
    assert min(r.args[3] for r in replies if r.address == "/mdg/take/notes") > 1  # really chunked
