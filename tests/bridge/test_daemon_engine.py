"""The daemon with the real engine on the tiny checkpoint, over real UDP: the notes a device rebuilds
are the engine's own for the same seed, 32 bars come in chunks under 4 KB, file output reads back."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import mido

from mididrumigen.bridge.constants import MAX_REPLY_BYTES
from mididrumigen.bridge.protocol import notes_per_chunk
from mididrumigen.engine.schema import parse_request
from tests.bridge.conftest import DaemonFactory
from tests.bridge.support import OscTestClient, Received, is_at, reassemble


def f32(value: float) -> float:
    """What a float becomes on the wire (OSC floats are 32-bit)."""
    return float(struct.unpack(">f", struct.pack(">f", value))[0])


def run_job(client: OscTestClient, *args: object) -> tuple[str, list[Received]]:
    since = client.mark()
    [queued] = client.query("/mdg/generate", *args, reply="/mdg/queued")
    job_id = str(queued.args[0])
    client.wait(since, is_at("/mdg/done", job_id), timeout_s=60)
    return job_id, [r for r in client.received[since:] if r.args and r.args[0] == job_id]


def test_4_bars_queued_progress_done_equal_to_the_engine(start_daemon: DaemonFactory, real_engine: Any) -> None:
    _, client = start_daemon(real_engine)
    [pong] = client.query("/mdg/ping", reply="/mdg/pong")
    assert pong.args[1:3] == (real_engine.model_name, real_engine.device)
    job_id, replies = run_job(client, "style", "J Dilla", "bars", 4, "seed", 42, "tempo", 92, "request_id", "take-1")
    addresses = [r.address for r in replies]
    assert addresses[0] == "/mdg/queued" and addresses[-1] == "/mdg/done"
    assert "/mdg/progress" in addresses and addresses.index("/mdg/progress") < addresses.index("/mdg/notes")
    expected = real_engine.generate(parse_request({"style": "J Dilla", "bars": 4, "seed": 42, "tempo": 92}))
    notes = reassemble(replies, job_id)
    assert notes == [
        (n.pitch, f32(n.start_beats), f32(n.duration_beats), n.velocity) for n in expected.pattern.notes
    ]
    assert replies[-1].args[1] == len(notes)


def test_32_bars_in_chunks_each_under_4_kb(start_daemon: DaemonFactory, real_engine: Any) -> None:
    _, client = start_daemon(real_engine)
    job_id, replies = run_job(client, "style", "questlove", "bars", 32, "seed", 7)
    chunks = [r for r in replies if r.address == "/mdg/notes"]
    assert all(r.size_bytes <= MAX_REPLY_BYTES < 4096 for r in chunks)
    notes = reassemble(replies, job_id)
    assert replies[-1].args[1] == len(notes)
    assert len(chunks) == max(1, -(-len(notes) // notes_per_chunk(job_id)))


def test_file_output_reads_back_with_mido(start_daemon: DaemonFactory, real_engine: Any, tmp_path: Path) -> None:
    _, client = start_daemon(real_engine)
    job_id, replies = run_job(client, "style", "metro_boomin", "bars", 2, "seed", 3, "output", "clip,file")
    done = replies[-1]
    path = Path(done.args[2])
    assert path.parent == (tmp_path / "clips").resolve() and job_id in path.name
    midi = mido.MidiFile(path)
    ons = [m for m in midi.tracks[0] if m.type == "note_on" and m.velocity > 0]
    assert len(ons) == done.args[1] == len(reassemble(replies, job_id))
