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
PROGRESS_EVERY_S: Final = 0.1
"""At most ten progress events a second: plenty for a progress bar, and the worker keeps the CPU."""


def sse_event(name: str, data: str) -> str:
    """One event in the text/event-stream format (data is one line of JSON)."""
    return f"event: {name}\ndata: {data}\n\n"


async def job_event_stream(jobs: JobTable, events: JobEvents, job_id: str,
                           keep_alive_s: float = KEEP_ALIVE_S) -> AsyncIterator[str]:
    """Yield the job's events until it finishes (or leaves the history)."""
    waiter = events.subscribe(job_id)
    try:
        last = ""
        while True:
            waiter.wants_progress = True  # before reading: a change after the read wakes the waits below
            waiter.changed.clear()
            waiter.ended.clear()
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
                waiter.wants_progress = False
                await _wait(waiter.ended, PROGRESS_EVERY_S)  # the end is never held back
                continue
            if not await _wait(waiter.changed, keep_alive_s):
                yield ": keep-alive\n\n"
    finally:
        events.unsubscribe(waiter)


async def _wait(event: asyncio.Event, timeout_s: float) -> bool:
    """True when `event` was set within `timeout_s`."""
    try:
        await asyncio.wait_for(event.wait(), timeout_s)
    except TimeoutError:
        return False
    return True
