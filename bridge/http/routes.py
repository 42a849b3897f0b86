"""The /api/v1 endpoints: the same job table, queue and worker as OSC, so either side sees the other's jobs.

Handlers never block on work: they validate, queue and answer; the worker (or the broker) does the
rest and the job table holds what a client later asks for. Refusals are `ApiError`s, answered by
app.py as one sentence with the protocol's error code.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final

from fastapi import APIRouter, Body, Response
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from mididrumigen.bridge import PROTOCOL_VERSION, __version__
from mididrumigen.bridge.clip_files import clip_bytes
from mididrumigen.bridge.http.models import (
    API_PREFIX, REQUEST_EXAMPLES, ErrorBody, Health, StyleOut, TaskAccepted, TaskStatus, events_url, status_url,
)
from mididrumigen.bridge.http.sse import job_event_stream
from mididrumigen.bridge.job_events import NO_REPLY
from mididrumigen.bridge.jobs import Job, JobFinishedError, JobSpec, JobState, QueueFullError, UnknownJobError
from mididrumigen.bridge.protocol import ErrorCode, OutputKind
from mididrumigen.bridge.take_jobs import TakesResult
from mididrumigen.bridge.worker import EngineState
from mididrumigen.engine.errors import UnknownStyleError
from mididrumigen.engine.naming import clip_file_stem
from mididrumigen.engine.schema import GenerationRequest

if TYPE_CHECKING:
    from mididrumigen.bridge.daemon import Daemon
    from mididrumigen.bridge.file_cleanup import FileLeases

log = logging.getLogger(__name__)

RETRY_AFTER_S: Final = 2
_TASK_ID: Final = re.compile(r"^[0-9a-f]{1,32}$")
_HTTP_OUTPUTS: Final[frozenset[OutputKind]] = frozenset()
"""HTTP jobs write no file: their notes stay in the job table and a download renders the .mid from
them (1 ms), where writing it durably on the way to the result cost 7-18 ms (two fsyncs) here."""


class ApiError(Exception):
    """A refusal: the HTTP status, the error body and any headers (Retry-After)."""

    def __init__(self, status: int, body: ErrorBody, headers: dict[str, str] | None = None) -> None:
        super().__init__(body.detail)
        self.status = status
        self.body = body
        self.headers = headers or {}


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody} for status in statuses}


def build_router(daemon: Daemon, leases: FileLeases) -> APIRouter:
    """Every /api/v1 endpoint, bound to one running daemon."""
    router = APIRouter(prefix=API_PREFIX, tags=["patterns"])
    jobs = daemon.jobs

    def find(task_id: str) -> Job:
        if not _TASK_ID.match(task_id):
            raise ApiError(404, ErrorBody(detail=f"no task {task_id[:40]!r}: task ids are lowercase hex",
                                          code=ErrorCode.UNKNOWN_JOB))
        try:
            return jobs.get(task_id)
        except UnknownJobError as error:
            raise ApiError(404, ErrorBody(detail=str(error), code=ErrorCode.UNKNOWN_JOB)) from error

    @router.post(
        "/generate", status_code=202, response_model=TaskAccepted, responses=_errors(404, 422, 503),
        summary="Queue a pattern",
        description="Validates the request like the CLI and OSC do, queues it and answers at once; follow "
                    "the job at `Location` (or its `events_url`).",
    )
    async def generate(
        request: Annotated[GenerationRequest, Body(openapi_examples=REQUEST_EXAMPLES)], response: Response,
    ) -> TaskAccepted:
        try:
            daemon.slot.presets.resolve(request.style)
        except UnknownStyleError as error:
            styles = [style.id for style in daemon.slot.presets.styles]
            raise ApiError(404, ErrorBody(detail=str(error), code=ErrorCode.UNKNOWN_STYLE, field="style",
                                          styles=styles)) from error
        spec = JobSpec(jobs.new_job_id(), request, _HTTP_OUTPUTS, "", NO_REPLY)
        try:
            job = jobs.submit(spec)
        except QueueFullError as error:
            raise ApiError(503, ErrorBody(detail=f"busy: {error}; try again shortly", code=ErrorCode.BUSY),
                           {"Retry-After": str(RETRY_AFTER_S)}) from error
        log.info("job %s queued over HTTP: %s, %d bars", job.job_id, request.style, request.bars)
        response.headers["Location"] = status_url(job.job_id)
        return TaskAccepted(task_id=job.job_id, state=job.state, status_url=status_url(job.job_id),
                            events_url=events_url(job.job_id))

    @router.get("/status/{task_id}", response_model=TaskStatus, responses=_errors(404),
                summary="A job's state, progress and, when done, its notes and download URL")
    async def status(task_id: str) -> TaskStatus:
        return TaskStatus.of(find(task_id))

    @router.delete("/tasks/{task_id}", response_model=TaskStatus, responses=_errors(404, 409),
                   summary="Cancel a queued or running job")
    async def cancel(task_id: str) -> TaskStatus:
        job = find(task_id)
        try:
            cancelled = jobs.cancel(job.job_id)
        except UnknownJobError as error:
            raise ApiError(404, ErrorBody(detail=str(error), code=ErrorCode.UNKNOWN_JOB)) from error
        except JobFinishedError as error:
            raise ApiError(409, ErrorBody(detail=str(error), code=ErrorCode.BAD_REQUEST)) from error
        daemon.events.notify(job.job_id)
        log.info("job %s cancelled over HTTP", job.job_id)
        return TaskStatus.of(cancelled)

    @router.get(
        "/patterns/{task_id}.mid", response_class=Response, responses={
            200: {"content": {"audio/midi": {}}, "description": "the Standard MIDI File"}, **_errors(404, 409, 410)},
        summary="Download a finished job's .mid (`?take=K`: take K of a variations job; the first by default)",
    )
    async def download(task_id: str, take: int | None = None) -> Response:
        job = find(task_id)
        if job.state is not JobState.DONE or job.result is None:
            raise ApiError(409, ErrorBody(detail=f"task {job.job_id} is {job.state.value}; only a done task has a "
                                                 f"file", code=ErrorCode.BAD_REQUEST))
        headers = {"Cache-Control": "no-store"}
        pattern, file_path, suffix = job.result.pattern, job.file_path, job.job_id
        if take is not None:
            count = len(job.result.takes) if isinstance(job.result, TakesResult) else 1
            if not 1 <= take <= count:
                raise ApiError(404, ErrorBody(detail=f"task {job.job_id} has {count} take{'s' * (count != 1)}; "
                                                     f"take must be between 1 and {count}, got {take}",
                                              code=ErrorCode.BAD_REQUEST, field="take"))
            if isinstance(job.result, TakesResult):
                pattern, suffix = job.result.takes[take - 1].pattern, f"{job.job_id}_v{take}"
                file_path = job.result.files[take - 1] if job.result.files else None
        if file_path is None:  # no file was written (HTTP, or OSC notes only): the same clip, in memory
            name = f"{clip_file_stem(pattern, suffix=suffix)}.mid"  # validated values only
            headers["Content-Disposition"] = f'attachment; filename="{name}"'
            return Response(clip_bytes(pattern), media_type="audio/midi", headers=headers)
        path: Path = file_path  # the worker chose it; nothing from the request is in it
        if not leases.acquire(path):
            raise ApiError(410, ErrorBody(detail=f"the file of task {job.job_id} was cleaned up (files are kept "
                                                 f"{daemon_keep_hours(daemon)})", code=ErrorCode.UNKNOWN_JOB))
        return FileResponse(path, media_type="audio/midi", filename=path.name, headers=headers,
                            background=BackgroundTask(leases.release, path))

    @router.get("/styles", response_model=list[StyleOut], summary="The style catalog with tempo ranges")
    async def styles() -> list[StyleOut]:
        return [StyleOut.of(style) for style in daemon.slot.presets.styles]

    @router.get("/health", response_model=Health, tags=["daemon"], summary="Model, device, queue, MIDI port")
    async def health() -> Health:
        model, device = daemon.slot.describe()
        state = daemon.slot.state
        return Health(
            status={EngineState.READY: "ok"}.get(state, str(state)), model=model,
            model_loaded=state is EngineState.READY, device=device, queue_depth=jobs.queued_count,
            queue_size=jobs.queue_size,
            midi_port=daemon.midi_out.description if daemon.midi_out is not None else None,
            midi_unavailable=daemon.playback.unavailable_reason, jobs_run_by=_runner(daemon),
            version=__version__, protocol_version=PROTOCOL_VERSION,
        )

    @router.get(
        "/tasks/{task_id}/events", response_class=StreamingResponse, responses={
            200: {"content": {"text/event-stream": {}}, "description": "`progress` events, then one of `done`, "
                  "`failed` or `cancelled`; each event's data is the task's status as JSON"}, **_errors(404)},
        summary="Follow a job as server-sent events",
    )
    async def events(task_id: str) -> StreamingResponse:
        job = find(task_id)
        stream: AsyncIterator[str] = job_event_stream(jobs, daemon.events, job.job_id)
        return StreamingResponse(stream, media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    return router


def _runner(daemon: Daemon) -> str:
    """Who runs the jobs: this process, or Celery workers behind the broker (its host only, no password)."""
    broker = daemon.config.broker
    return f"celery workers via {broker.rsplit('@', 1)[-1].split('://', 1)[-1]}" if broker else "this process"


def daemon_keep_hours(daemon: Daemon) -> str:
    hours = daemon.config.keep_hours
    return f"{hours:g} hours" if hours else "for ever"
