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
from typing import Final

from mididrumigen.bridge.dispatcher import Outbox, ReplyTarget
from mididrumigen.bridge.osc.message import OscMessage

NO_REPLY: Final = ReplyTarget("http", 0)
"""The reply target of a job submitted over HTTP: its client reads the job table, not datagrams."""


class JobEvents:
    """An Outbox in front of the UDP one: wakes every waiting event stream, then sends (unless NO_REPLY).

    Args:
        udp: the daemon's UDP outbox.
    """

    def __init__(self, udp: Outbox) -> None:
        self._udp = udp
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def send(self, target: ReplyTarget, message: OscMessage) -> None:
        self.notify()
        if target != NO_REPLY:
            self._udp.send(target, message)

    def notify(self) -> None:
        """Wake every stream waiting for a change (called from any thread)."""
        with self._lock:
            waiters = list(self._waiters)
        for loop, event in waiters:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that loop has closed; its waiter is about to leave
                pass

    def subscribe(self) -> asyncio.Event:
        """An event set at every change from now on; call on the event loop that will wait on it."""
        event = asyncio.Event()
        with self._lock:
            self._waiters.add((asyncio.get_running_loop(), event))
        return event

    def unsubscribe(self, event: asyncio.Event) -> None:
        with self._lock:
            self._waiters = {(loop, e) for loop, e in self._waiters if e is not event}
