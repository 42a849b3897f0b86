"""The worker: one thread that owns the model, runs queued jobs in order and sends their results.

The worker loads the model itself, first thing on its thread, so the daemon answers /mdg/ping (with
`loading`) as soon as its socket is bound instead of after torch and the checkpoint have loaded;
jobs sent meanwhile wait in the queue. Every failure is caught per job, stored on it (code,
message, traceback) and answered with /mdg/error; the loop goes on with the next job.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import traceback
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from mididrumigen.bridge import protocol
from mididrumigen.bridge.dispatcher import Outbox
from mididrumigen.bridge.engine_api import PatternEngine, StyleCatalog
from mididrumigen.bridge.errors import JobCancelled
from mididrumigen.bridge.heap import freeze_loaded_heap
from mididrumigen.bridge.jobs import Job, JobFailure, JobTable
from mididrumigen.bridge.playback import LivePlayback, PlaybackUnavailableError
from mididrumigen.bridge.protocol import ErrorCode, OutputKind
from mididrumigen.bridge.song_jobs import JobResult, result_replies, run_request, write_result_files
from mididrumigen.engine.errors import GenerationError, RequestError, UnknownStyleError
from mididrumigen.engine.messages import one_line
from mididrumigen.engine.pattern import GenerationResult

log = logging.getLogger(__name__)

EngineLoader = Callable[[], PatternEngine]
"""Builds the engine (imports torch, reads the checkpoint); run once, on the worker thread."""


class EngineState(StrEnum):
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


class EngineSlot:
    """The engine the worker owns: handed over ready-made, or loaded later on the worker thread.

    Until it is ready /mdg/pong reports `loading` as the model; the style catalog is known from
    the start (presets load without the model), so /mdg/styles and validation work meanwhile.
    """

    def __init__(self, catalog: StyleCatalog, engine: PatternEngine | None = None,
                 loader: EngineLoader | None = None, device_hint: str = "auto") -> None:
        if (engine is None) == (loader is None):
            raise ValueError("give an engine or a loader, not both")
        self.presets = catalog
        self._engine = engine
        self._loader = loader
        self._device_hint = device_hint
        self.error: BaseException | None = None
        self._lock = threading.Lock()

    @classmethod
    def ready(cls, engine: PatternEngine) -> EngineSlot:
        return cls(engine.presets, engine=engine)

    @property
    def state(self) -> EngineState:
        if self._engine is not None:
            return EngineState.READY
        return EngineState.FAILED if self.error is not None else EngineState.LOADING

    @property
    def engine(self) -> PatternEngine | None:
        return self._engine

    def describe(self) -> tuple[str, str]:
        """(model, device) as /mdg/pong reports them: `loading` (or `failed`) until the model is ready."""
        if self._engine is not None:
            return self._engine.model_name, self._engine.device
        return str(self.state), self._device_hint

    def load(self) -> PatternEngine | None:
        """Load the engine once (later calls return the same one); None if loading failed."""
        with self._lock:
            if self._engine is None and self.error is None and self._loader is not None:
                try:
                    self._engine = self._loader()
                    log.info("model %s loaded on %s", self._engine.model_name, self._engine.device)
                    freeze_loaded_heap()  # the model lives as long as the daemon: keep it out of GC passes
                except Exception as error:  # reported by serve (exit 2) and to each job
                    self.error = error
                    log.error("the model could not be loaded: %s", one_line(error))
            return self._engine


def with_passthrough(result: GenerationResult) -> GenerationResult:
    """The result with the clip's passed-through notes (not drums of the kit) folded into its pattern.

    Folded once, here, so the /mdg/notes chunks, /mdg/resend, the .mid file and live playback all
    carry them: a producer's non-drum notes are returned untouched, never dropped.
    """
    if not result.passthrough:
        return result
    notes = tuple(sorted((*result.pattern.notes, *result.passthrough), key=lambda note: (note.start_beats, note.pitch)))
    return dataclasses.replace(result, pattern=dataclasses.replace(result.pattern, notes=notes), passthrough=())


class Worker:
    """Runs jobs from `jobs` on `engine`.

    Args:
        engine: the loaded model, or the slot it will be loaded into; only this worker calls `generate`.
        jobs: the shared table and queue.
        outbox: where progress, notes, done and errors go.
        output_dir: where `file` output writes .mid files.
        playback: where `midi` output plays.
    """

    def __init__(
        self, engine: PatternEngine | EngineSlot, jobs: JobTable, outbox: Outbox, output_dir: Path,
        playback: LivePlayback,
    ) -> None:
        self.slot = engine if isinstance(engine, EngineSlot) else EngineSlot.ready(engine)
        self._jobs = jobs
        self._outbox = outbox
        self._output_dir = output_dir
        self._playback = playback
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self, timeout_s: float | None = 0) -> bool:
        """Take one job from the queue and run it to the end.

        Args:
            timeout_s: how long to wait for a job; 0 returns at once, None waits for ever.

        Returns:
            True when a job id was taken (even one cancelled while it waited), else False.
        """
        job_id = self._jobs.take(timeout_s)
        if job_id is None:
            return False
        job = self._jobs.start(job_id)
        if job is None:
            log.debug("job %s skipped: cancelled while queued", job_id)
            return True
        self._run(job)
        return True

    def start(self, name: str = "worker-1") -> None:
        """Run jobs on a thread called `name` until `stop`."""
        if self._thread is not None:
            raise RuntimeError("the worker is already started")
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()
        log.info("worker started")

    def request_stop(self) -> None:
        """Ask the thread to stop after its current job, without waiting for it."""
        self._stopping.set()
        self._jobs.wake()

    def stop(self, timeout_s: float = 10.0) -> bool:
        """Stop after the current job (the caller cancels it first to make that quick); True if joined."""
        self.request_stop()
        if self._thread is None:
            return True
        self._thread.join(timeout_s)
        stopped = not self._thread.is_alive()
        if stopped:
            log.info("worker stopped")
        else:
            log.warning("worker still busy after %.0fs; leaving it", timeout_s)
        return stopped

    def _loop(self) -> None:
        self.slot.load()
        while not self._stopping.is_set():
            try:
                self.run_once(timeout_s=None)
            except Exception:
                # run_once catches per job; this guards the loop against a bug in that handling.
                log.exception("worker loop error; continuing")

    def _run(self, job: Job) -> None:
        spec = job.spec
        target = spec.reply_to
        last_percent = -1

        def progress(percent: int, stage: str) -> None:
            nonlocal last_percent
            # Raising here is how a cancel reaches a generation in progress.
            if self._stopping.is_set() or not self._jobs.report_progress(spec.job_id, percent, stage):
                raise JobCancelled(spec.job_id)
            if percent != last_percent:  # one message per percent step, not per engine call
                last_percent = percent
                self._outbox.send(target, protocol.progress(spec.job_id, percent, stage))

        engine = self.slot.load()
        if engine is None:
            self._fail(job, ErrorCode.GENERATION_FAILED, f"the model could not be loaded: {one_line(self.slot.error)}")
            return
        try:
            if OutputKind.MIDI in spec.outputs:
                self._playback.require_port("output midi")  # refuse before generating, not after
            progress(0, "started")
            if spec.clip_notes is not None:
                result = with_passthrough(engine.transform(spec.request, spec.clip_notes, progress=progress))
            else:
                result = run_request(engine, spec.request, progress)
        except JobCancelled:
            log.info("job %s cancelled while running", spec.job_id)
            return
        except PlaybackUnavailableError as error:
            self._fail(job, ErrorCode.NO_MIDI_PORT, str(error))
            return
        except UnknownStyleError as error:
            self._fail(job, ErrorCode.UNKNOWN_STYLE, str(error))
            return
        except RequestError as error:
            self._fail(job, ErrorCode.BAD_REQUEST, str(error))
            return
        except GenerationError as error:
            self._fail(job, ErrorCode.GENERATION_FAILED, f"generation failed: {error}")
            return
        except Exception as error:
            self._fail(job, ErrorCode.INTERNAL, f"unexpected error ({type(error).__name__}); see the daemon log",
                       traceback.format_exc())
            return
        file_path = None
        if OutputKind.FILE in spec.outputs:
            try:
                result, file_path = self._write_files(job, result)
            except (OSError, ValueError) as error:
                self._fail(job, ErrorCode.INTERNAL, f"could not write the .mid file into {self._output_dir}: {error}",
                           traceback.format_exc())
                return
        done = self._jobs.finish(spec.job_id, result, file_path)
        if done is None:
            log.info("job %s finished after it was cancelled; result dropped", spec.job_id)
            return
        pattern = result.pattern
        if OutputKind.MIDI in spec.outputs:
            try:
                self._playback.play(pattern)
            except PlaybackUnavailableError as error:
                log.warning("job %s: %s", spec.job_id, error)
        for warning in result.warnings:  # voices the kit has no pad for, a tempo off the style's range, ...
            self._outbox.send(target, protocol.warning(spec.job_id, warning))
        messages = result_replies(spec.job_id, result, str(file_path) if file_path else "",
                                  include_notes=OutputKind.CLIP in spec.outputs)
        for message in messages:
            self._outbox.send(target, message)
        log.info(
            "job %s done: %d notes in %.3fs%s", spec.job_id, len(pattern.notes), result.seconds,
            f", wrote {file_path}" if file_path else "",
        )

    def _write_files(self, job: Job, result: JobResult) -> tuple[JobResult, Path]:
        self._jobs.report_progress(job.job_id, 100, "writing file")
        return write_result_files(self._output_dir, result, job.job_id)

    def _fail(self, job: Job, code: ErrorCode, message: str, trace: str | None = None) -> None:
        failure = JobFailure(code, message, trace)
        if self._jobs.fail(job.job_id, failure) is None:
            return  # cancelled meanwhile: the client was told already
        if trace:
            log.error("job %s failed (%s): %s\n%s", job.job_id, code, message, trace)
        else:
            log.warning("job %s failed (%s): %s", job.job_id, code, message)
        self._outbox.send(job.spec.reply_to, protocol.error(job.job_id, code, message))
