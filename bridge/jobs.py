"""Job records and the table the network thread and the worker share.

Every job is an immutable `Job` snapshot; a state change replaces the snapshot under the table's
lock, through one named transition per state (submit, start, finish, fail, cancel), so any thread
may hold a snapshot without locking. The worker takes job ids from one queue.Queue.
"""

from __future__ import annotations

import dataclasses
import queue
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

from mididrumigen.bridge.constants import DEFAULT_HISTORY_SIZE, DEFAULT_QUEUE_SIZE
from mididrumigen.bridge.dispatcher import ReplyTarget
from mididrumigen.bridge.errors import BridgeError
from mididrumigen.bridge.protocol import ErrorCode, OutputKind
from mididrumigen.bridge.take_jobs import TakesResult
from mididrumigen.engine.pattern import GenerationResult
from mididrumigen.engine.schema import GenerationRequest
from mididrumigen.engine.song import SongResult
from mididrumigen.engine.song_form import SongRequest


class JobState(StrEnum):
    """Where a job is; the values are what /mdg/status reports."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED_STATES: Final[frozenset[JobState]] = frozenset({JobState.DONE, JobState.FAILED, JobState.CANCELLED})


@dataclass(frozen=True)
class JobSpec:
    """What the network thread hands the worker: a validated request and where to answer."""

    job_id: str
    request: GenerationRequest | SongRequest
    outputs: frozenset[OutputKind]
    request_id: str
    reply_to: ReplyTarget
    clip_notes: tuple[object, ...] | None = None
    """For /mdg/continue, /groove, /vary: the uploaded clip as engine.clip.ClipNote values (the
    request is then an engine.clip.ClipRequest); None for /mdg/generate."""


@dataclass(frozen=True)
class JobFailure:
    """Why a job failed: the protocol code, a producer-readable message, and for bugs the traceback."""

    code: ErrorCode
    message: str
    traceback: str | None = None
    attempt: int = 1


@dataclass(frozen=True)
class Job:
    """One job's state at one moment. Times are wall-clock seconds since the epoch."""

    spec: JobSpec
    state: JobState
    created_at: float
    started_at: float | None = None
    finished_at: float | None = None
    percent: int = 0
    stage: str = "queued"
    result: GenerationResult | SongResult | TakesResult | None = None
    file_path: Path | None = None
    failure: JobFailure | None = None

    @property
    def job_id(self) -> str:
        return self.spec.job_id


class QueueFullError(BridgeError):
    """The queue holds as many waiting jobs as it may; the client should retry later."""


class UnknownJobError(BridgeError):
    """No job with this id is queued, running, or still in the finished history."""


class JobFinishedError(BridgeError):
    """The job already finished, so it can no longer be cancelled."""


_STOP: Final = None


class JobTable:
    """Jobs by id, the worker's queue, and a bounded history of finished jobs.

    Args:
        queue_size: how many jobs may wait at once; one more is refused with QueueFullError.
        history_size: how many finished jobs are kept for /mdg/status and /mdg/resend.
        clock: wall clock in seconds; tests pass their own.
    """

    def __init__(
        self,
        queue_size: int = DEFAULT_QUEUE_SIZE,
        history_size: int = DEFAULT_HISTORY_SIZE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if queue_size < 1 or history_size < 1:
            raise ValueError(f"queue_size and history_size must be at least 1, got {queue_size}, {history_size}")
        self.queue_size = queue_size
        self.history_size = history_size
        self._clock = clock
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._finished: deque[str] = deque()
        self._queued_count = 0
        self._closed = False
        # Unbounded on purpose: the bound is the count of QUEUED jobs, so a cancelled job frees its
        # slot at once; ids of cancelled jobs are skipped when the worker reaches them.
        self._queue: queue.Queue[str | None] = queue.Queue()

    def new_job_id(self) -> str:
        """A short id that is unique in this table (hex only, so it is safe inside a file name)."""
        with self._lock:
            while True:
                job_id = secrets.token_hex(5)
                if job_id not in self._jobs:
                    return job_id

    @property
    def queued_count(self) -> int:
        with self._lock:
            return self._queued_count

    def get(self, job_id: str) -> Job:
        """Raises UnknownJobError."""
        with self._lock:
            return self._get(job_id)

    def _get(self, job_id: str) -> Job:
        job = self._jobs.get(job_id)
        if job is None:
            raise UnknownJobError(f"no job {job_id[:40]!r}: it never existed or has left the history")
        return job

    def submit(self, spec: JobSpec, announce: Callable[[Job], None] | None = None) -> Job:
        """Queue a job.

        Args:
            spec: the validated job.
            announce: called with the queued job before the worker can take it (sends /mdg/queued);
                if it raises, the job is withdrawn (it holds no queue slot) and the error propagates.

        Raises:
            QueueFullError: when queue_size jobs are already waiting, or the table is closed.
        """
        with self._lock:
            if self._closed:
                raise QueueFullError("the daemon is shutting down and takes no new jobs")
            if self._queued_count >= self.queue_size:
                raise QueueFullError(f"{self._queued_count} jobs are already waiting (the limit is {self.queue_size})")
            if spec.job_id in self._jobs:
                raise ValueError(f"job id {spec.job_id} is already in use")
            job = Job(spec, JobState.QUEUED, created_at=self._clock())
            self._jobs[spec.job_id] = job
            self._queued_count += 1
        if announce is not None:
            try:
                announce(job)
            except BaseException:
                self._withdraw(spec.job_id)
                raise
        self._queue.put(spec.job_id)
        return job

    def _withdraw(self, job_id: str) -> None:
        """Forget a job whose announcement failed: it was never really queued, so it holds no slot."""
        with self._lock:
            if self._jobs.pop(job_id, None) is not None:
                self._queued_count -= 1

    def take(self, timeout_s: float | None = None) -> str | None:
        """The next queued job id for the worker; None on timeout or once the table is closed."""
        try:
            return self._queue.get(timeout=timeout_s) if timeout_s != 0 else self._queue.get_nowait()
        except queue.Empty:
            return None

    def start(self, job_id: str) -> Job | None:
        """QUEUED -> RUNNING; None when the job was cancelled (or evicted) while it waited."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state is not JobState.QUEUED:
                return None
            self._queued_count -= 1
            return self._replace(job, state=JobState.RUNNING, started_at=self._clock(), stage="running")

    def report_progress(self, job_id: str, percent: int, stage: str) -> bool:
        """Record progress of a RUNNING job; False when it is no longer running (cancelled)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state is not JobState.RUNNING:
                return False
            self._replace(job, percent=max(0, min(100, percent)), stage=stage)
            return True

    def is_running(self, job_id: str) -> bool:
        with self._lock:
            job = self._jobs.get(job_id)
            return job is not None and job.state is JobState.RUNNING

    def finish(self, job_id: str, result: GenerationResult | SongResult | TakesResult,
               file_path: Path | None) -> Job | None:
        """RUNNING -> DONE; None when the job was cancelled meanwhile (its result is dropped)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state is not JobState.RUNNING:
                return None
            done = self._replace(
                job, state=JobState.DONE, finished_at=self._clock(), percent=100, stage="done",
                result=result, file_path=file_path,
            )
            self._remember_finished(job_id)
            return done

    def fail(self, job_id: str, failure: JobFailure) -> Job | None:
        """RUNNING -> FAILED; None when the job was cancelled meanwhile."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state is not JobState.RUNNING:
                return None
            failed = self._replace(
                job, state=JobState.FAILED, finished_at=self._clock(), stage="failed", failure=failure
            )
            self._remember_finished(job_id)
            return failed

    def cancel(self, job_id: str) -> Job:
        """QUEUED or RUNNING -> CANCELLED; cancelling a cancelled job again returns it unchanged.

        A running job is marked at once; the worker notices at the engine's next progress call and
        drops whatever it produced, so no notes follow a /mdg/cancelled.

        Raises:
            UnknownJobError: no such job.
            JobFinishedError: the job is done or failed.
        """
        with self._lock:
            job = self._get(job_id)
            if job.state is JobState.CANCELLED:
                return job
            if job.state in FINISHED_STATES:
                raise JobFinishedError(f"job {job_id} already finished ({job.state}); there is nothing to cancel")
            return self._cancel(job)

    def cancel_unfinished(self) -> tuple[Job, ...]:
        """Cancel every queued and running job and close the table to new work (shutdown)."""
        with self._lock:
            self._closed = True
            pending = [job for job in self._jobs.values() if job.state not in FINISHED_STATES]
            cancelled = tuple(self._cancel(job) for job in pending)
        self._queue.put(_STOP)
        return cancelled

    def wake(self) -> None:
        """Unblock a worker waiting in take()."""
        self._queue.put(_STOP)

    def _cancel(self, job: Job) -> Job:
        if job.state is JobState.QUEUED:
            self._queued_count -= 1
        cancelled = self._replace(job, state=JobState.CANCELLED, finished_at=self._clock(), stage="cancelled")
        self._remember_finished(job.job_id)
        return cancelled

    def _replace(self, job: Job, **changes: object) -> Job:
        updated = dataclasses.replace(job, **changes)  # type: ignore[arg-type]
        self._jobs[job.job_id] = updated
        return updated

    def _remember_finished(self, job_id: str) -> None:
        self._finished.append(job_id)
        while len(self._finished) > self.history_size:
            evicted = self._finished.popleft()
            self._jobs.pop(evicted, None)
