"""The producer's clip over real UDP on 127.0.0.1: /mdg/clip chunks, then /mdg/continue, /mdg/groove and
/mdg/vary queued, run and answered like /mdg/generate, with the fake engine's transform; and every
refusal (missing chunk, too long, out of range, unknown clip, unknown voice, empty clip)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mido
import pytest

from mididrumigen.bridge.constants import MAX_CLIP_CHUNKS, MAX_CLIP_NOTES, MAX_REPLY_BYTES
from tests.bridge.conftest import DaemonFactory
from tests.bridge.support import FakeEngine, OscTestClient, Received, build, is_at, reassemble

NoteValues = tuple[int, float, float, int]

# Two bars of 4/4: kick on 1 and 3, snare on 2 and 4, closed hats on eighths, and one note (pitch 60)
# that is no drum of the kit.
BEAT: list[NoteValues] = (
    [(36, float(b), 0.25, 100) for b in (0, 2, 4, 6)]
    + [(38, float(b), 0.25, 90) for b in (1, 3, 5, 7)]
    + [(42, b / 2, 0.125, 70) for b in range(16)]
    + [(60, 0.0, 1.0, 64)]
)


def upload(client: OscTestClient, clip_id: str, notes: list[NoteValues], per_chunk: int = 60,
           skip: tuple[int, ...] = ()) -> int:
    """Send a clip as a device does, `per_chunk` notes a datagram; returns how many chunks it took."""
    groups = [notes[i : i + per_chunk] for i in range(0, len(notes), per_chunk)] or [[]]
    for index, group in enumerate(groups):
        if index in skip:
            continue
        values = [value for note in group for value in note]
        datagram = build("/mdg/clip", clip_id, index, len(groups), *values)
        assert len(datagram) < 4096
        client.send_raw(datagram)
    return len(groups)


def run_job(client: OscTestClient, address: str, *args: Any, timeout_s: float = 10) -> tuple[str, list[Received]]:
    """Send a job request; wait for its /mdg/done; the job id and every reply that names the job."""
    since = client.mark()
    [queued] = client.query(address, *args, reply=lambda r: r.address in ("/mdg/queued", "/mdg/error"))
    assert queued.address == "/mdg/queued", queued.args
    job_id = str(queued.args[0])
    client.wait(since, is_at("/mdg/done", job_id), timeout_s=timeout_s)
    return job_id, [r for r in client.received[since:] if r.args and r.args[0] == job_id]


def refusal(client: OscTestClient, address: str, *args: Any) -> Received:
    [error] = client.query(address, *args, reply=lambda r: r.address in ("/mdg/queued", "/mdg/error"))
    assert error.address == "/mdg/error", error.args
    return error


def as_values(notes: list[tuple[Any, ...]]) -> list[NoteValues]:
    return sorted((int(p), round(float(s), 4), round(float(d), 4), int(v)) for p, s, d, v in notes)


def test_groove_a_clip_from_upload_to_done(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    _, client = start_daemon(fake_engine)
    assert upload(client, "c1", BEAT, per_chunk=10) == 3
    job_id, replies = run_job(client, "/mdg/groove", "clip_id", "c1", "style", "Questlove", "clip_bars", 2,
                              "request_id", "g-1")
    addresses = [r.address for r in replies]
    assert addresses[0] == "/mdg/queued" and replies[0].args == (job_id, "g-1")
    assert addresses.index("/mdg/progress") < addresses.index("/mdg/notes") < addresses.index("/mdg/done")
    [warning] = [r for r in replies if r.address == "/mdg/warning"]
    assert "pitches 60" in warning.args[1] and addresses.index("/mdg/warning") < addresses.index("/mdg/done")
    expected = [(p, s, d, v if p == 60 else v + 1) for p, s, d, v in BEAT]
    assert as_values(reassemble(replies, job_id)) == as_values(expected)  # the non-drum note is kept, untouched
    [(request, notes)] = fake_engine.transformed
    assert request.mode == "groove" and request.bars == 2 and len(notes) == len(BEAT)
    assert all(r.size_bytes <= MAX_REPLY_BYTES for r in client.received)


def test_continue_with_input_writes_a_file_of_both(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    daemon, client = start_daemon(fake_engine)
    upload(client, "c2", BEAT)
    job_id, replies = run_job(client, "/mdg/continue", "clip_id", "c2", "style", "J Dilla", "clip_bars", 2,
                              "bars", 2, "include_input", 1, "output", "clip,file", "seed", 3)
    notes = reassemble(replies, job_id)
    drums = [n for n in BEAT if n[0] != 60]
    assert as_values(notes) == as_values(BEAT + [(p, s + 8, d, v) for p, s, d, v in drums])
    done = replies[-1]
    path = Path(done.args[2])
    assert path.parent == daemon.config.resolved_output_dir() and done.args[1] == len(notes)
    read_back = [m for m in mido.MidiFile(path).tracks[-1] if m.type == "note_on" and m.velocity > 0]
    assert sorted(m.note for m in read_back) == sorted(n[0] for n in notes)


def test_vary_keeps_the_locked_voices_on_the_producers_kit(start_daemon: DaemonFactory,
                                                           fake_engine: FakeEngine) -> None:
    _, client = start_daemon(fake_engine)
    kit_beat = [(48 if p == 36 else 50 if p == 38 else p, s, d, v) for p, s, d, v in BEAT]  # an 808 on C1/D1
    upload(client, "c3", kit_beat)
    job_id, replies = run_job(client, "/mdg/vary", "clip_id", "c3", "style", "Questlove", "clip_bars", 2,
                              "keep", "kick, snare", "keep_bars", "1-2", "kit", "kick:48,snare:50,closed_hat:42")
    [(request, _)] = fake_engine.transformed
    assert request.keep == ("kick", "snare") and request.keep_bars == (1, 2)
    assert request.kit == {"kick": 48, "snare": 50, "closed_hat": 42}
    notes = as_values(reassemble(replies, job_id))
    locked = as_values([n for n in kit_beat if n[0] in (48, 50)])
    assert set(locked) <= set(notes)
    assert not set(as_values([n for n in kit_beat if n[0] == 42])) & set(notes)  # the hats moved


def test_a_clip_upload_is_kept_for_more_requests_and_per_sender(start_daemon: DaemonFactory,
                                                               fake_engine: FakeEngine) -> None:
    daemon, client = start_daemon(fake_engine)
    upload(client, "c4", BEAT)
    run_job(client, "/mdg/groove", "clip_id", "c4", "style", "Questlove", "clip_bars", 2)
    run_job(client, "/mdg/vary", "clip_id", "c4", "style", "Questlove", "clip_bars", 2, "keep", "kick")
    with OscTestClient(daemon.address) as other:  # same host, so the same uploads: per host, not per port
        job_id, _ = run_job(other, "/mdg/groove", "clip_id", "c4", "style", "Questlove", "clip_bars", 2,
                            "reply_port", other.port)
    assert len(fake_engine.transformed) == 3


@pytest.mark.parametrize(
    ("request_args", "words"),
    [
        (("clip_id", "nope", "style", "Questlove", "clip_bars", 2), "unknown clip_id 'nope'"),
        (("clip_id", "ok", "style", "Questlove", "clip_bars", 2, "keep", "kick,cowbell"), "unknown voice 'cowbell'"),
        (("clip_id", "ok", "style", "Questlove", "clip_bars", 2, "kit", "kick:36,bongo:60"), "unknown voice 'bongo'"),
        (("clip_id", "ok", "style", "Questlove", "clip_bars", 2, "kit", "kick:300"), "between 0 and 127"),
        (("clip_id", "ok", "style", "Questlove", "clip_bars", 2, "keep_bars", "3-1"), "keep_bars"),
        (("clip_id", "ok", "style", "Questlove", "clip_bars", 2, "keep_bars", 3), "keep_bars"),
        (("clip_id", "ok", "style", "Questlove", "clip_bars", 40), "32"),
        (("clip_id", "ok", "style", "Nobody", "clip_bars", 2), "nobody"),
        (("style", "Questlove", "clip_bars", 2), "needs clip_id"),
        (("clip_id", "ok", "style", "Questlove", "clip_bars", 2, "colour", "red"), "unknown key 'colour'"),
        (("clip_id", "ok", "style", "Questlove", "clip_bars", 1), "clip's 1 bars"),
    ],
)
def test_a_wrong_clip_request_is_refused_in_one_line(start_daemon: DaemonFactory, fake_engine: FakeEngine,
                                                     request_args: tuple[Any, ...], words: str) -> None:
    _, client = start_daemon(fake_engine)
    upload(client, "ok", BEAT)
    error = refusal(client, "/mdg/vary", *request_args, "request_id", "r-9")
    assert error.args[0] == "r-9" and error.args[1] in ("bad_request", "unknown_style")
    assert words.lower() in error.args[2].lower() and "\n" not in error.args[2]
    assert fake_engine.transformed == []


def test_a_missing_chunk_is_named(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    _, client = start_daemon(fake_engine)
    upload(client, "gap", BEAT, per_chunk=5, skip=(2, 4))
    error = refusal(client, "/mdg/continue", "clip_id", "gap", "style", "Questlove", "clip_bars", 2)
    assert "missing chunks 2, 4 of 0..4" in error.args[2]
    upload(client, "gap", BEAT, per_chunk=5)  # sent again whole, it works
    run_job(client, "/mdg/continue", "clip_id", "gap", "style", "Questlove", "clip_bars", 2)


def test_a_note_out_of_range_is_refused_at_once_and_again_by_the_request(start_daemon: DaemonFactory,
                                                                        fake_engine: FakeEngine) -> None:
    _, client = start_daemon(fake_engine)
    since = client.mark()
    upload(client, "bad", [*BEAT[:3], (130, 1.0, 0.25, 100)])
    [error] = client.wait(since, is_at("/mdg/error", "bad"))
    assert "note 3: pitch must be a whole number between 0 and 127, got 130" in error.args[2]
    again = refusal(client, "/mdg/groove", "clip_id", "bad", "style", "Questlove", "clip_bars", 2)
    assert "pitch must be a whole number between 0 and 127" in again.args[2]
    for note, words in [((36, -1.0, 0.25, 100), "start"), ((36, 0.0, 0.0, 100), "duration"),
                        ((36, 0.0, 0.25, 0), "velocity"), ((36, float("nan"), 0.25, 9), "start")]:
        error = refusal(client, "/mdg/clip", "bad2", 0, 1, *note)
        assert words in error.args[2]


def test_an_empty_clip_and_a_clip_too_long_are_refused(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    _, client = start_daemon(fake_engine)
    upload(client, "empty", [])
    error = refusal(client, "/mdg/groove", "clip_id", "empty", "style", "Questlove", "clip_bars", 2)
    assert "empty" in error.args[2]
    error = refusal(client, "/mdg/clip", "long", 0, MAX_CLIP_CHUNKS + 1)
    assert "too long" in error.args[2] and error.args[0] == "long"
    hits = [(42, (i % 512) / 4, 0.1, 80) for i in range(MAX_CLIP_NOTES + 1)]
    since = client.mark()
    upload(client, "long", hits, per_chunk=60)
    client.wait(since, is_at("/mdg/error", "long"))
    error = refusal(client, "/mdg/groove", "clip_id", "long", "style", "Questlove", "clip_bars", 32)
    assert f"more than {MAX_CLIP_NOTES:,} notes" in error.args[2]


def test_one_clip_job_per_datagram(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder
    from pythonosc.osc_message import OscMessage as PyOscMessage

    _, client = start_daemon(fake_engine)
    upload(client, "b", BEAT)
    bundle = OscBundleBuilder(IMMEDIATELY)
    for _ in range(5):
        bundle.add_content(PyOscMessage(build("/mdg/groove", "clip_id", "b", "style", "Questlove", "clip_bars", 2)))
    since = client.mark()
    client.send_raw(bundle.build().dgram)
    [error] = client.wait(since, lambda r: r.address == "/mdg/error" and "4 more were not run" in r.args[2])
    client.wait(since, is_at("/mdg/done"))
    assert len([r for r in client.since(since) if r.address == "/mdg/queued"]) == 1
