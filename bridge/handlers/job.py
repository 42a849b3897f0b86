"""Handlers about jobs: /mdg/generate, /mdg/status, /mdg/cancel, /mdg/resend.

They never block: /mdg/generate validates through engine.schema.parse_request (so the CLI and the
daemon accept and refuse the same things), checks the style, queues, and answers /mdg/queued; the
worker does the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from mididrumigen.bridge import constants as c
from mididrumigen.bridge import protocol
from mididrumigen.bridge.dispatcher import Handler, Outbox, Request, RequestRejected
from mididrumigen.bridge.engine_api import StyleCatalog
from mididrumigen.bridge.handlers import args as a
from mididrumigen.bridge.jobs import Job, JobFinishedError, JobSpec, JobState, JobTable, QueueFullError, UnknownJobError
from mididrumigen.bridge.osc.message import OscArg, TimeTag
from mididrumigen.bridge.protocol import DEFAULT_OUTPUTS, ErrorCode, OutputKind
from mididrumigen.bridge.song_jobs import JobRequest, result_replies
from mididrumigen.engine.errors import RequestError, UnknownStyleError
from mididrumigen.engine.schema import GenerationRequest, field_rule, parse_request

log = logging.getLogger(__name__)

_OUTPUT_RULE = "clip, midi, file, or a comma list of them (e.g. clip,file)"
_FLAG_KEYS = frozenset({"humanize", "fill", "include_input"})
"""The only keys a true/false (OSC T/F) may answer; every other key wants a number or text."""


@dataclass(frozen=True)
class GenerateArgs:
    fields: dict[str, Any]
    outputs: frozenset[OutputKind]
    request_id: str
    reply_port: int | None


def parse_outputs(value: OscArg) -> frozenset[OutputKind]:
    """Parse the `output` value ("clip", "midi,file", ...).

    Raises:
        RequestRejected: for anything but a comma list of known outputs.
    """
    if not isinstance(value, str):
        raise RequestRejected(ErrorCode.BAD_REQUEST, f"output must be {_OUTPUT_RULE}, got {a.describe(value)}")
    names = [part.strip().lower() for part in value.split(",")]
    known = {kind.value for kind in OutputKind}
    if not names or any(name not in known for name in names):
        raise RequestRejected(ErrorCode.BAD_REQUEST, f"output must be {_OUTPUT_RULE}, got {a.describe(value)}")
    return frozenset(OutputKind(name) for name in names)


def _allowed_keys(extra_keys: frozenset[str]) -> tuple[str, ...]:
    return (*GenerationRequest.model_fields, *sorted(extra_keys), *sorted(c.DAEMON_KEYS))


def _reply_context(args: tuple[OscArg, ...]) -> tuple[str, int | None]:
    """request_id and reply_port, found before anything else is checked so every error reaches the sender."""
    request_id, port = "", None
    for key, value in zip(args[0::2], args[1::2], strict=False):
        if key == "request_id" and isinstance(value, str | int) and not isinstance(value, bool):
            request_id = str(value)[: c.MAX_REQUEST_ID_CHARS]
        elif key == "reply_port":
            try:
                port = a.reply_port(value)
            except RequestRejected as refusal:
                raise RequestRejected(refusal.code, refusal.message, request_id) from None
    return request_id, port


def parse_generate_args(
    args: tuple[OscArg, ...], address: str = c.GENERATE, extra_keys: frozenset[str] = frozenset()
) -> GenerateArgs:
    """Split /mdg/generate's key value pairs into engine fields and the daemon's own keys.

    The clip requests (/mdg/continue, ...) take the same keys plus `extra_keys`, parsed the same way.

    Raises:
        RequestRejected: naming the first wrong key or value.
    """
    request_id, port = _reply_context(args)

    def refuse(message: str) -> RequestRejected:
        return RequestRejected(ErrorCode.BAD_REQUEST, message, request_id, port)

    if len(args) % 2:
        raise refuse(f"{address} takes key value pairs; {a.describe(args[-1])} has no value")
    fields: dict[str, Any] = {}
    outputs = DEFAULT_OUTPUTS
    seen: set[str] = set()
    for key, value in zip(args[0::2], args[1::2], strict=True):
        if not isinstance(key, str):
            raise refuse(f"{address} takes key value pairs; expected a key, got {a.describe(key)}")
        if key in seen:
            raise refuse(f"{key[:40]} is given twice")
        seen.add(key)
        if key not in GenerationRequest.model_fields and key not in c.DAEMON_KEYS and key not in extra_keys:
            raise refuse(f"unknown key {key[:40]!r}; {address} takes {', '.join(_allowed_keys(extra_keys))}")
        if isinstance(value, bytes | TimeTag) or value is None:
            raise refuse(f"{key} needs a number or text, got {a.describe(value)}")
        if isinstance(value, bool) and key not in _FLAG_KEYS:
            # OSC's T would otherwise pass as 1 (bars 1) through the schema's lax int check.
            rule = field_rule(key) or "a number or text"
            raise refuse(f"{key} must be {rule}, got {'T' if value else 'F'} (a true/false flag)")
        if key == "output":
            try:
                outputs = parse_outputs(value)
            except RequestRejected as refusal:
                raise refuse(refusal.message) from None
        elif key == "request_id":
            too_long = len(str(value)) > c.MAX_REQUEST_ID_CHARS
            if isinstance(value, bool) or not isinstance(value, str | int) or too_long:
                raise refuse(
                    f"request_id must be text of at most {c.MAX_REQUEST_ID_CHARS} characters, got {a.describe(value)}"
                )
        elif key != "reply_port":
            fields[key] = value
    return GenerateArgs(fields, outputs, request_id, port)


@contextmanager
def refusing_request_errors(parsed: GenerateArgs) -> Iterator[None]:
    """Turn the engine's validation errors into the matching /mdg/error codes, sent where asked."""
    try:
        yield
    except UnknownStyleError as error:
        raise RequestRejected(ErrorCode.UNKNOWN_STYLE, str(error), parsed.request_id, parsed.reply_port) from error
    except RequestError as error:
        raise RequestRejected(ErrorCode.BAD_REQUEST, str(error), parsed.request_id, parsed.reply_port) from error


def job_style(request: JobRequest) -> str:
    """The style a job plays: a pattern's own, or a song's (its sections share one)."""
    return request.style if isinstance(request, GenerationRequest) else request.pattern.style


def submit_job(
    outbox: Outbox, jobs: JobTable, request: Request, parsed: GenerateArgs, generation: JobRequest,
    clip_notes: tuple[object, ...] | None = None,
) -> None:
    """Queue a validated job and answer /mdg/queued before the worker can see it (busy when full)."""
    target = request.reply_to(parsed.reply_port)
    spec = JobSpec(jobs.new_job_id(), generation, parsed.outputs, parsed.request_id, target, clip_notes)

    def announce(job: Job) -> None:
        # /mdg/queued goes out before the worker can see the job, so it always comes first.
        outbox.send(target, protocol.queued(job.job_id, spec.request_id))

    try:
        jobs.submit(spec, announce)
    except QueueFullError as error:
        raise RequestRejected(
            ErrorCode.BUSY, f"busy: {error}; try again shortly", spec.request_id, parsed.reply_port
        ) from error
    log.info("job %s queued (%s): %s, %d bars, for %s", spec.job_id, request.address, job_style(generation),
             generation.bars, request.sender_host)


class JobHandlers:
    """Queues generation jobs and answers questions about them."""

    def __init__(self, outbox: Outbox, jobs: JobTable, catalog: StyleCatalog) -> None:
        self._outbox = outbox
        self._jobs = jobs
        self._catalog = catalog

    def routes(self) -> Mapping[str, Handler]:
        return {c.GENERATE: self.generate, c.STATUS: self.status, c.CANCEL: self.cancel, c.RESEND: self.resend}

    def generate(self, request: Request) -> None:
        """/mdg/generate key value ... -> /mdg/queued job_id request_id (the worker sends the rest)."""
        parsed = parse_generate_args(request.message.args)
        self.submit(request, parsed, parse_request)

    def submit(self, request: Request, parsed: GenerateArgs, validate: Callable[[dict[str, Any]], JobRequest]) -> None:
        """Validate the fields into a job request (a pattern or a song), check its style, queue it and
        answer /mdg/queued; a refusal names the first wrong field."""
        with refusing_request_errors(parsed):
            generation = validate(parsed.fields)
            self._catalog.resolve(job_style(generation))
        submit_job(self._outbox, self._jobs, request, parsed, generation)

    def _job(self, args: tuple[OscArg, ...], address: str) -> tuple[Job, int | None]:
        a.check_count(address, args, "job_id and an optional reply_port", 1, 2)
        port = a.trailing_reply_port(args, 1)
        job_id = a.job_id(args[0], port)
        try:
            return self._jobs.get(job_id), port
        except UnknownJobError as error:
            raise RequestRejected(ErrorCode.UNKNOWN_JOB, str(error), job_id, port) from error

    def status(self, request: Request) -> None:
        """/mdg/status job_id [reply_port] -> /mdg/status job_id state percent"""
        job, port = self._job(request.message.args, c.STATUS)
        self._outbox.send(request.reply_to(port), protocol.status(job.job_id, job.state.value, job.percent))

    def cancel(self, request: Request) -> None:
        """/mdg/cancel job_id [reply_port] -> /mdg/cancelled job_id"""
        job, port = self._job(request.message.args, c.CANCEL)
        try:
            self._jobs.cancel(job.job_id)
        except UnknownJobError as error:  # evicted between the two calls
            raise RequestRejected(ErrorCode.UNKNOWN_JOB, str(error), job.job_id, port) from error
        except JobFinishedError as error:
            raise RequestRejected(ErrorCode.BAD_REQUEST, str(error), job.job_id, port) from error
        log.info("job %s cancelled by %s", job.job_id, request.sender_host)
        self._outbox.send(request.reply_to(port), protocol.cancelled(job.job_id))

    def resend(self, request: Request) -> None:
        """/mdg/resend job_id [reply_port] -> the job's /mdg/notes chunks and /mdg/done again."""
        job, port = self._job(request.message.args, c.RESEND)
        if job.state is not JobState.DONE or job.result is None:
            reason = f": {job.failure.message}" if job.failure else ""
            raise RequestRejected(
                ErrorCode.BAD_REQUEST, f"job {job.job_id} is {job.state.value}{reason}; only a done job has notes",
                job.job_id, port,
            )
        file = str(job.file_path) if job.file_path else ""
        target = request.reply_to(port)
        for message in result_replies(job.job_id, job.result, file):
            self._outbox.send(target, message)
