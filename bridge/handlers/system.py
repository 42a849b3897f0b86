"""Handlers about the daemon itself: /mdg/ping, kept cheap so a device can poll it."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from mididrumigen.bridge import constants as c
from mididrumigen.bridge import protocol
from mididrumigen.bridge.dispatcher import Handler, Outbox, Request
from mididrumigen.bridge.handlers import args as a


class SystemHandlers:
    """Answers /mdg/ping with the version, the loaded model and device, and how many jobs wait."""

    def __init__(
        self, outbox: Outbox, version: str, model: str, device: str, queued_count: Callable[[], int]
    ) -> None:
        self._outbox = outbox
        self._version = version
        self._model = model
        self._device = device
        self._queued_count = queued_count

    def routes(self) -> Mapping[str, Handler]:
        return {c.PING: self.ping}

    def ping(self, request: Request) -> None:
        """/mdg/ping [reply_port:i] -> /mdg/pong version:s model:s device:s queued:i"""
        args = request.message.args
        a.check_count(c.PING, args, "at most one argument (reply_port)", 0, 1)
        port = a.trailing_reply_port(args, 0)
        self._outbox.send(
            request.reply_to(port), protocol.pong(self._version, self._model, self._device, self._queued_count())
        )
