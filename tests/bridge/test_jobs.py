"""bridge.jobs: named transitions, the queued bound, cancel semantics and the bounded history."""

from __future__ import annotations

from itertools import count

import pytest

from mididrumigen.bridge.dispatcher import ReplyTarget
from mididrumigen.bridge.jobs import (
    Job,
    JobFailure,
    JobFinishedError,
    JobSpec,
    JobState,
    JobTable,
    QueueFullError,
    UnknownJobError,
)
from mididrumigen.bridge.protocol import DEFAULT_OUTPUTS, ErrorCode
from mididrumigen.engine.pattern import GenerationResult, Pattern
from mididrumigen.engine.schema import parse_request

RESULT = GenerationResult(Pattern((), 1, 4, 4, 120.0, "funk", "verse", 1, False), 0, 0.01)


def table(queue_size: int = 4, history_size: int = 8) -> JobTable:
    ticks = count()
    return JobTable(queue_size, history_size, clock=lambda: float(next(ticks)))


def submit(jobs: JobTable) -> Job:
    spec = JobSpec(jobs.new_job_id(), parse_request({"style": "j_dilla"}), DEFAULT_OUTPUTS, "r",
                   ReplyTarget("127.0.0.1", 7711))
    return jobs.submit(spec)


def test_lifecycle_records_times_and_states() -> None:
    jobs = table()
    job = submit(jobs)
    assert job.state is JobState.QUEUED and job.created_at == 0.0
    assert jobs.take(0) == job.job_id
    running = jobs.start(job.job_id)
    assert running is not None and running.state is JobState.RUNNING and running.started_at == 1.0
    assert jobs.report_progress(job.job_id, 40, "bar 2/4")
    assert jobs.get(job.job_id).percent == 40
    done = jobs.finish(job.job_id, RESULT, None)
    assert done is not None and done.state is JobState.DONE and done.finished_at == 2.0 and done.percent == 100


def test_announce_runs_before_the_worker_can_take_the_job() -> None:
    jobs = table()
    taken_during_announce: list[str | None] = []
    spec = JobSpec("ab", parse_request({"style": "x"}), DEFAULT_OUTPUTS, "", ReplyTarget("h", 1))
    jobs.submit(spec, announce=lambda job: taken_during_announce.append(jobs.take(0)))
    assert taken_during_announce == [None]
    assert jobs.take(0) == "ab"


def test_queue_bound_counts_waiting_jobs_only() -> None:
    jobs = table(queue_size=2)
    first, second = submit(jobs), submit(jobs)
    with pytest.raises(QueueFullError, match="limit is 2"):
        submit(jobs)
    jobs.cancel(second.job_id)  # a cancelled job frees its slot at once
    submit(jobs)
    jobs.start(jobs.take(0) or "")  # running jobs do not count either
    assert jobs.queued_count == 1
    submit(jobs)
    assert first.job_id


def test_cancelled_queued_job_is_skipped_by_start() -> None:
    jobs = table()
    job = submit(jobs)
    assert jobs.cancel(job.job_id).state is JobState.CANCELLED
    assert jobs.start(job.job_id) is None
    assert jobs.cancel(job.job_id).state is JobState.CANCELLED  # idempotent


def test_cancelled_running_job_drops_its_result() -> None:
    jobs = table()
    job = submit(jobs)
    jobs.start(job.job_id)
    jobs.cancel(job.job_id)
    assert not jobs.report_progress(job.job_id, 50, "x")
    assert jobs.finish(job.job_id, RESULT, None) is None
    assert jobs.fail(job.job_id, JobFailure(ErrorCode.INTERNAL, "x")) is None
    assert jobs.get(job.job_id).state is JobState.CANCELLED


def test_finished_job_cannot_be_cancelled() -> None:
    jobs = table()
    job = submit(jobs)
    jobs.start(job.job_id)
    jobs.fail(job.job_id, JobFailure(ErrorCode.GENERATION_FAILED, "boom"))
    with pytest.raises(JobFinishedError, match="failed"):
        jobs.cancel(job.job_id)


def test_history_keeps_the_last_finished_jobs() -> None:
    jobs = table(queue_size=100, history_size=3)
    ids = []
    for _ in range(5):
        job = submit(jobs)
        jobs.start(job.job_id)
        jobs.finish(job.job_id, RESULT, None)
        ids.append(job.job_id)
    with pytest.raises(UnknownJobError):
        jobs.get(ids[1])
    assert all(jobs.get(i).state is JobState.DONE for i in ids[2:])


def test_cancel_unfinished_closes_the_table() -> None:
    jobs = table()
    waiting, running = submit(jobs), submit(jobs)
    jobs.start(running.job_id)
    cancelled = jobs.cancel_unfinished()
    assert {job.job_id for job in cancelled} == {waiting.job_id, running.job_id}
    with pytest.raises(QueueFullError, match="shutting down"):
        submit(jobs)


def test_a_job_whose_announcement_fails_holds_no_slot() -> None:
    jobs = table(queue_size=1)
    spec = JobSpec(jobs.new_job_id(), parse_request({"style": "j_dilla"}), DEFAULT_OUTPUTS, "\ud800",
                   ReplyTarget("127.0.0.1", 7711))

    def announce(job: Job) -> None:
        job.spec.request_id.encode("utf-8")  # what building /mdg/queued did with a surrogate

    with pytest.raises(UnicodeEncodeError):
        jobs.submit(spec, announce)
    assert jobs.queued_count == 0 and jobs.take(0) is None
    assert submit(jobs).state is JobState.QUEUED  # the one slot is free
