"""A job's progress as server-sent events: woken by JobEvents at each change, no polling.

Events: `progress` (queued or running; data without notes) whenever percent, stage or state moves,
then exactly one of `done`, `failed`, `cancelled` (data: the full status, notes included), then the
stream ends. A comment line every few seconds keeps proxies from closing a quiet stream.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Final

from mididrumigen.bridge.http.models import TaskStatus
from mididrumigen.bridge.job_events import JobEvents
from mididrumigen.bridge.jobs import JobTable, UnknownJobError

KEEP_ALIVE_S: Final = 10.0


def sse_event(name: str, data: str) -> str:
    """One event in the text/event-stream format (data is one line of JSON)."""
    return f"event: {name}\ndata: {data}\n\n"


async def job_event_stream(jobs: JobTable, events: JobEvents, job_id: str,
                           keep_alive_s: float = KEEP_ALIVE_S) -> AsyncIterator[str]:
    """Yield the job's events until it finishes (or leaves the history)."""
    changed = events.subscribe()
    try:
        last = ""
        while True:
            changed.clear()  # before reading: a change after the read wakes the wait below
            try:
                job = jobs.get(job_id)
            except UnknownJobError as error:
                yield sse_event("gone", json.dumps({"detail": str(error)}))
                return
            status = TaskStatus.of(job, with_notes=False)
            if status.finished:
                yield sse_event(str(status.state), TaskStatus.of(job).model_dump_json())
                return
            text = status.model_dump_json()
            if text != last:
                last = text
                yield sse_event("progress", text)
            try:
                await asyncio.wait_for(changed.wait(), keep_alive_s)
            except TimeoutError:
                yield ": keep-alive\n\n"
    finally:
        events.unsubscribe(changed)
