"""bridge.worker: run_once drives one job through the engine; every failure is stored and answered."""

from __future__ import annotations

import threading
from pathlib import Path

import mido
import pytest

from mididrumigen.bridge.dispatcher import ReplyTarget
from mididrumigen.bridge.jobs import JobSpec, JobState, JobTable
from mididrumigen.bridge.midi.memory import MemoryOut
from mididrumigen.bridge.midi.player import Player
from mididrumigen.bridge.playback import LivePlayback
from mididrumigen.bridge.protocol import OutputKind
from mididrumigen.bridge.worker import Worker
from mididrumigen.engine.errors import GenerationError
from mididrumigen.engine.schema import parse_request
from tests.bridge.support import FakeEngine, ListOutbox

TARGET = ReplyTarget("127.0.0.1", 7711)


def setup(engine: FakeEngine, tmp_path: Path, player: Player | None = None) -> tuple[Worker, JobTable, ListOutbox]:
    jobs = JobTable()
    outbox = ListOutbox()
    worker = Worker(engine, jobs, outbox, tmp_path, LivePlayback(player, "no port in this test"))
    return worker, jobs, outbox


def submit(jobs: JobTable, outputs: set[OutputKind] | None = None, **fields: object) -> str:
    job_id = jobs.new_job_id()
    request = parse_request({"style": "j_dilla", "seed": 3, **fields})
    jobs.submit(JobSpec(job_id, request, frozenset(outputs or {OutputKind.CLIP}), "req", TARGET))
    return job_id


def test_run_once_without_work_returns_false(tmp_path: Path) -> None:
    worker, _, _ = setup(FakeEngine(), tmp_path)
    assert worker.run_once(timeout_s=0) is False


def test_clip_job_sends_progress_notes_done(tmp_path: Path) -> None:
    worker, jobs, outbox = setup(FakeEngine(), tmp_path)
    job_id = submit(jobs, bars=2)
    assert worker.run_once()
    addresses = outbox.addresses()
    assert addresses[0] == "/mdg/progress"
    assert addresses[-2:] == ["/mdg/notes", "/mdg/done"]
    assert all(target == TARGET for target, _ in outbox.sent)
    done = outbox.sent[-1][1]
    assert done.args[:3] == (job_id, 16, "")
    assert jobs.get(job_id).state is JobState.DONE


def test_progress_is_sent_once_per_percent(tmp_path: Path) -> None:
    worker, jobs, outbox = setup(FakeEngine(), tmp_path)
    submit(jobs)
    worker.run_once()
    percents = [int(str(m.args[1])) for _, m in outbox.sent if m.address == "/mdg/progress"]
    assert percents == sorted(set(percents))


def test_file_output_writes_inside_output_dir(tmp_path: Path) -> None:
    worker, jobs, outbox = setup(FakeEngine(), tmp_path)
    job_id = submit(jobs, {OutputKind.FILE}, bars=1, tempo=97.5)
    worker.run_once()
    assert outbox.addresses()[-1] == "/mdg/done"  # no notes: clip was not asked for
    path = Path(str(outbox.sent[-1][1].args[2]))
    assert path.parent == tmp_path.resolve() and path.suffix == ".mid" and job_id in path.name
    assert len([m for m in mido.MidiFile(path).tracks[0] if m.type == "note_on"]) == 8


def test_midi_output_plays_on_the_port(tmp_path: Path) -> None:
    out = MemoryOut()
    player = Player(out)
    worker, jobs, _ = setup(FakeEngine(), tmp_path, player)
    submit(jobs, {OutputKind.MIDI}, bars=1)
    worker.run_once()
    assert player.pending == 16  # 8 notes, on and off, scheduled from now
    player.run_once(now=float("inf"))
    assert len(out.sent) == 16


@pytest.mark.parametrize(
    "error, code",
    [
        (GenerationError("the model cannot serve this style"), "generation_failed"),
        (RuntimeError("bug"), "internal"),
    ],
)
def test_failure_is_stored_and_answered(tmp_path: Path, error: Exception, code: str) -> None:
    engine = FakeEngine(error=error)
    worker, jobs, outbox = setup(engine, tmp_path)
    job_id = submit(jobs)
    assert worker.run_once()
    _, message = outbox.sent[-1]
    assert message.address == "/mdg/error" and message.args[:2] == (job_id, code)
    job = jobs.get(job_id)
    assert job.state is JobState.FAILED and job.failure is not None and job.failure.code == code
    assert (job.failure.traceback is not None) == (code == "internal")
    engine.error = None  # and the worker goes on with the next job
    submit(jobs)
    assert worker.run_once()
    assert outbox.sent[-1][1].address == "/mdg/done"


def test_cancel_while_running_aborts_through_progress(tmp_path: Path) -> None:
    gate = threading.Event()
    engine = FakeEngine(gate=gate)
    worker, jobs, outbox = setup(engine, tmp_path)
    job_id = submit(jobs)
    thread = threading.Thread(target=worker.run_once)
    thread.start()
    assert engine.started.wait(5)
    jobs.cancel(job_id)
    thread.join(5)
    assert not thread.is_alive()
    assert jobs.get(job_id).state is JobState.CANCELLED
    assert "/mdg/done" not in outbox.addresses() and "/mdg/error" not in outbox.addresses()


def test_job_cancelled_while_queued_is_skipped(tmp_path: Path) -> None:
    engine = FakeEngine()
    worker, jobs, outbox = setup(engine, tmp_path)
    jobs.cancel(submit(jobs))
    assert worker.run_once()
    assert engine.calls == 0 and outbox.sent == []


def test_thread_start_and_stop(tmp_path: Path) -> None:
    worker, jobs, outbox = setup(FakeEngine(), tmp_path)
    worker.start()
    try:
        submit(jobs)
        assert outbox.wait_for("/mdg/done", timeout_s=5)
    finally:
        assert worker.stop(timeout_s=5)


def test_unwritable_output_dir_fails_the_job_with_internal(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    worker, jobs, outbox = setup(FakeEngine(), blocker / "clips")
    job_id = submit(jobs, {OutputKind.FILE})
    worker.run_once()
    _, message = outbox.sent[-1]
    assert message.args[:2] == (job_id, "internal") and "could not write the .mid file" in str(message.args[2])
