"""The daemon's engine when --broker is given: each generate runs on a Celery worker.

It keeps the PatternEngine contract, so the daemon's own Worker threads (one per job in flight)
run jobs exactly as they do locally: progress, cancel (the progress callback raises), file output,
OSC and HTTP replies, error codes. Only where the model runs changes. State and progress are read
back from the result backend every few milliseconds.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from typing import Any, Final

from celery import Celery

from mididrumigen.bridge.broker.app import CANCEL_KEY, KEY_TTL_S, QUEUE, TASK_NAME, make_app
from mididrumigen.bridge.broker.wire import result_from_json
from mididrumigen.bridge.engine_api import ProgressCallback, StyleCatalog
from mididrumigen.engine.errors import EngineError, GenerationError, RequestError, UnknownStyleError
from mididrumigen.engine.messages import one_line
from mididrumigen.engine.pattern import GenerationResult
from mididrumigen.engine.schema import GenerationRequest

log = logging.getLogger(__name__)

POLL_S: Final = 0.005


def broker_host(url: str) -> str:
    """host:port/db of a broker URL, without any password, for messages and /health."""
    return url.rsplit("@", 1)[-1].split("://", 1)[-1]


class RemoteEngine:
    """Runs generation on the workers of `app`; `model_name` and `device` are the last worker's."""

    def __init__(self, app: Celery, presets: StyleCatalog, where: str) -> None:
        self.app = app
        self.presets = presets
        self.model_name = f"celery:{QUEUE}"
        self.device = f"workers via {where}"

    @classmethod
    def connect(cls, broker_url: str, presets: StyleCatalog) -> RemoteEngine:
        """Raises EngineError when the broker does not answer."""
        app = make_app(broker_url)
        try:
            app.backend.client.ping()
        except Exception as error:  # redis raises its own ConnectionError family
            raise EngineError(f"cannot reach the broker at {broker_host(broker_url)}: {one_line(error)}") from error
        log.info("jobs go to Celery workers on queue %s via %s", QUEUE, broker_host(broker_url))
        return cls(app, presets, broker_host(broker_url))

    def generate(self, request: GenerationRequest, progress: ProgressCallback | None = None) -> GenerationResult:
        report = progress or (lambda percent, stage: None)
        job_id = uuid.uuid4().hex
        self.app.send_task(TASK_NAME, args=[job_id, request.model_dump(mode="json")], task_id=job_id, queue=QUEUE)
        try:
            return self._follow(job_id, report)
        except BaseException:
            self._cancel(job_id)  # cancelled, shut down or failed here: the worker must not go on
            raise

    def generate_batch(self, requests: Sequence[GenerationRequest],
                       progress: ProgressCallback | None = None) -> list[GenerationResult]:
        """A variations job's takes, one task after another: a task holds one pattern, so the workers do
        not batch them (each take is still the pattern its seed gives alone)."""
        report = progress or (lambda percent, stage: None)
        results = []
        for index, request in enumerate(requests):
            def take_progress(percent: int, stage: str, index: int = index) -> None:
                report((100 * index + percent) // len(requests), f"take {index + 1}/{len(requests)}: {stage}")

            results.append(self.generate(request, take_progress))
        return results

    def transform(self, request: GenerationRequest, notes: Sequence[Any],
                  progress: ProgressCallback | None = None) -> GenerationResult:
        """Clip jobs (continue, groove, vary) are not sent to the workers yet: refused in one sentence."""
        raise GenerationError("clip requests (continue, groove, vary) do not run through --broker yet; "
                              "run this daemon without --broker for them")

    def _follow(self, job_id: str, report: ProgressCallback) -> GenerationResult:
        backend = self.app.backend
        while True:
            meta = backend.get_task_meta(job_id)
            status, info = meta["status"], meta.get("result")
            if status == "SUCCESS":
                return self._finished(info)
            if status == "FAILURE":
                raise GenerationError(f"the Celery worker running it failed: {_failure_text(info)}")
            if status == "REVOKED":
                raise GenerationError("the job was revoked on the broker")
            if status == "PROGRESS" and isinstance(info, dict):
                report(int(info.get("percent", 0)), str(info.get("stage", "running")))
            else:
                report(0, "waiting for a Celery worker")  # also where a cancel is noticed
            time.sleep(POLL_S)

    def _finished(self, payload: Any) -> GenerationResult:
        if not isinstance(payload, dict):
            raise GenerationError(f"a Celery worker answered {type(payload).__name__}, not a result")
        if payload.get("cancelled"):
            raise GenerationError("the Celery worker stopped the job")
        refusal = payload.get("error")
        if refusal:
            message = str(refusal.get("message", "refused"))
            if refusal.get("kind") == "style":
                raise UnknownStyleError("style", message)
            if refusal.get("kind") == "request":
                raise RequestError(str(refusal.get("field") or "request"), message)
            raise GenerationError(message)
        try:
            result = result_from_json(payload["result"])
        except (KeyError, TypeError, ValueError) as error:
            raise GenerationError(f"a Celery worker sent a result this daemon cannot read ({error}); "
                                  "are both the same version?") from error
        self.model_name = str(payload.get("model", self.model_name))
        self.device = f"{payload.get('device', '?')} on Celery worker {payload.get('worker', '?')}"
        return result

    def _cancel(self, job_id: str) -> None:
        try:
            self.app.backend.client.set(CANCEL_KEY.format(job_id=job_id), 1, ex=KEY_TTL_S)
            self.app.control.revoke(job_id)  # a job still waiting in Redis never starts
        except Exception as error:
            log.warning("could not tell the workers to drop job %s: %s", job_id, one_line(error))


def _failure_text(info: Any) -> str:
    if isinstance(info, BaseException):
        return f"{type(info).__name__}: {one_line(info)}"
    if isinstance(info, dict):
        return f"{info.get('exc_type', 'error')}: {info.get('exc_message', '')}"
    return str(info)
