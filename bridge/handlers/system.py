"""Handlers about the daemon itself: /mdg/ping, kept cheap so a device can poll it."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from mididrumigen.bridge import constants as c
from mididrumigen.bridge import protocol
from mididrumigen.bridge.dispatcher import Handler, Outbox, Request
from mididrumigen.bridge.handlers import args as a


EngineStatus = Callable[[], tuple[str, str]]
"""(model, device) now: the model is `loading` until the worker has loaded it."""


class SystemHandlers:
    """Answers /mdg/ping with the version, the model and device (or `loading`), and how many jobs wait."""

    def __init__(self, outbox: Outbox, version: str, engine_status: EngineStatus, queued_count: Callable[[], int]) -> None:
        self._outbox = outbox
        self._version = version
        self._engine_status = engine_status
        self._queued_count = queued_count

    def routes(self) -> Mapping[str, Handler]:
        return {c.PING: self.ping}

    def ping(self, request: Request) -> None:
        """/mdg/ping [reply_port:i] -> /mdg/pong version:s model:s device:s queued:i (model `loading` at first)"""
        args = request.message.args
        a.check_count(c.PING, args, "at most one argument (reply_port)", 0, 1)
        port = a.trailing_reply_port(args, 0)
        model, device = self._engine_status()
        self._outbox.send(request.reply_to(port), protocol.pong(self._version, model, device, self._queued_count()))
