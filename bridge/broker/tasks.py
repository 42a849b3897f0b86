"""What a worker process runs: one model per process, loaded once, and the generate task.

The task reports progress into the result backend (state PROGRESS: percent, stage, pid), stops at
its next progress step when the daemon sets the job's cancel key, and returns either the result or
the engine's own refusal (kind, field, sentence), so the daemon answers it exactly as a local
worker would. It counts its runs per job in Redis, so a job run twice would show.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from celery import Celery, Task
from celery.signals import worker_process_init

from mididrumigen.bridge.broker.app import CANCEL_KEY, KEY_TTL_S, RUNS_KEY, TASK_NAME
from mididrumigen.bridge.broker.wire import result_to_json
from mididrumigen.bridge.engine_api import PatternEngine, load_engine
from mididrumigen.engine.errors import EngineError, RequestError, UnknownStyleError
from mididrumigen.engine.schema import parse_request

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineSettings:
    """Which model a worker loads: the same flags as `serve`."""

    checkpoint: Path | None
    preset_dirs: Sequence[Path]
    device: str | None


class _Cancelled(Exception):
    """The daemon cancelled the job: stop generating, return nothing."""


class _ProcessEngine:
    """The one engine of this worker process, loaded on first use (or when the process starts)."""

    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings
        self._engine: PatternEngine | None = None
        self._lock = threading.Lock()

    def get(self) -> PatternEngine:
        with self._lock:
            if self._engine is None:
                self._engine = load_engine(self.settings.checkpoint, self.settings.preset_dirs, self.settings.device)
                log.info("worker process %d loaded model %s on %s", os.getpid(), self._engine.model_name,
                         self._engine.device)
            return self._engine


def _refusal(error: EngineError) -> dict[str, Any]:
    kind = "style" if isinstance(error, UnknownStyleError) else "request" if isinstance(error, RequestError) else "generation"
    return {"error": {"kind": kind, "field": getattr(error, "field", None), "message": str(error)}}


def register_tasks(app: Celery, settings: EngineSettings) -> None:
    """Add the generate task to `app`, and load the model as each worker process starts."""
    holder = _ProcessEngine(settings)

    @worker_process_init.connect(weak=False)  # type: ignore[untyped-decorator]  # Celery ships no types
    def load_model(**_: Any) -> None:
        holder.get()

    @app.task(name=TASK_NAME, bind=True)  # type: ignore[untyped-decorator]
    def generate(self: Task, job_id: str, request_json: dict[str, Any]) -> dict[str, Any]:
        client = self.app.backend.client
        runs_key = RUNS_KEY.format(job_id=job_id)
        run = int(client.incr(runs_key))
        client.expire(runs_key, KEY_TTL_S)
        cancel_key = CANCEL_KEY.format(job_id=job_id)
        worker = f"{self.request.hostname} pid {os.getpid()}"

        def progress(percent: int, stage: str) -> None:
            if client.exists(cancel_key):
                raise _Cancelled(job_id)
            self.update_state(state="PROGRESS", meta={"percent": percent, "stage": stage, "pid": os.getpid(),
                                                      "worker": worker, "run": run})

        try:
            progress(0, f"started on {worker}")
            engine = holder.get()
            result = engine.generate(parse_request(request_json), progress=_once_per_percent(progress))
        except _Cancelled:
            log.info("job %s cancelled by the daemon", job_id)
            return {"cancelled": True, "run": run}
        except EngineError as error:
            return {**_refusal(error), "run": run}
        return {"result": result_to_json(result), "model": engine.model_name, "device": engine.device,
                "worker": worker, "run": run}


def _once_per_percent(progress: Any) -> Any:
    """Report only when the percent moves: each report is a write to Redis."""
    last = [-1]

    def report(percent: int, stage: str) -> None:
        if percent != last[0]:
            last[0] = percent
            progress(percent, stage)

    return report
