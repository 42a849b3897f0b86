"""Job change notices for the HTTP side, carried by the outbox every job reply already passes through.

The worker, the OSC handlers and shutdown all tell a job's client what happened through one
`Outbox` (progress, done, error, cancelled), right after they change the job table. Wrapping that
outbox is therefore the one place that sees every change of every job, whichever side started it,
without the job table or the worker knowing that HTTP exists. Server-sent events wait on these
notices instead of polling. Jobs submitted over HTTP have no UDP client: their replies stop here.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import Final

from mididrumigen.bridge import constants as c
from mididrumigen.bridge.dispatcher import Outbox, ReplyTarget
from mididrumigen.bridge.osc.message import OscMessage

NO_REPLY: Final = ReplyTarget("http", 0)
"""The reply target of a job submitted over HTTP: its client reads the job table, not datagrams."""

_PASSING: Final = frozenset({c.PROGRESS, c.QUEUED, c.NOTES})
"""Replies that do not end a job; every other job reply (done, error, cancelled) does."""


@dataclass(eq=False)
class JobWaiter:
    """What one event stream waits on: any change of its job, or only the one that ends it.

    Progress comes up to a hundred times a job; a stream that woke for each would take the
    interpreter from the worker that is generating. So a stream is woken by progress only while
    `wants_progress` says it waits for some; between progress events it waits on `ended` alone.
    """

    job_id: str
    loop: asyncio.AbstractEventLoop
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    ended: asyncio.Event = field(default_factory=asyncio.Event)
    wants_progress: bool = False


class JobEvents:
    """An Outbox in front of the UDP one: wakes the streams that follow a job, then sends (unless NO_REPLY).

    Args:
        udp: the daemon's UDP outbox.
    """

    def __init__(self, udp: Outbox) -> None:
        self._udp = udp
        self._lock = threading.Lock()
        self._waiters: set[JobWaiter] = set()

    def send(self, target: ReplyTarget, message: OscMessage) -> None:
        job_id = message.args[0] if message.args and isinstance(message.args[0], str) else None
        self.notify(job_id, ended=message.address not in _PASSING)
        if target != NO_REPLY:
            self._udp.send(target, message)

    def notify(self, job_id: str | None = None, ended: bool = True) -> None:
        """Wake the streams following `job_id` (every stream when None); call from any thread."""
        with self._lock:
            waiters = [w for w in self._waiters
                       if (job_id is None or w.job_id == job_id) and (ended or w.wants_progress)]
        for waiter in waiters:
            try:
                waiter.loop.call_soon_threadsafe(waiter.changed.set)
                if ended:
                    waiter.loop.call_soon_threadsafe(waiter.ended.set)
            except RuntimeError:  # that loop has closed; its waiter is about to leave
                pass

    def subscribe(self, job_id: str) -> JobWaiter:
        """A waiter for changes of `job_id` from now on; call on the event loop that will wait on it."""
        waiter = JobWaiter(job_id, asyncio.get_running_loop())
        with self._lock:
            self._waiters.add(waiter)
        return waiter

    def unsubscribe(self, waiter: JobWaiter) -> None:
        with self._lock:
            self._waiters.discard(waiter)
