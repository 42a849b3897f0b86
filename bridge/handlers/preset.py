"""Handlers about style presets: /mdg/styles lists the loaded styles a page at a time.

Paged because the list was the daemon's largest amplifier: with 1,004 user presets one 20-byte
request drew 500 KB of replies. A page holds at most STYLES_PAGE_SIZE styles; /mdg/styles/end says
how many this page held and how many are left, so a client asks for the next page if it wants it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from mididrumigen.bridge import constants as c
from mididrumigen.bridge import protocol
from mididrumigen.bridge.dispatcher import Handler, Outbox, Request, RequestRejected
from mididrumigen.bridge.engine_api import StyleCatalog
from mididrumigen.bridge.handlers import args as a
from mididrumigen.bridge.protocol import ErrorCode

STYLES_PAGE_SIZE: Final = 16
"""The most styles one /mdg/styles answers (about 6 KB of replies at most)."""
_USAGE: Final = "[reply_port], or offset count [reply_port]"


def _whole(name: str, value: object, low: int, high: int, port: int | None) -> int:
    if not a.is_plain_number(value) or not isinstance(value, int) or not low <= value <= high:  # type: ignore[arg-type]
        raise RequestRejected(
            ErrorCode.BAD_REQUEST, f"{name} must be a whole number between {low} and {high}, "
            f"got {a.describe(value)}", reply_port=port,  # type: ignore[arg-type]
        )
    return value


class PresetHandlers:
    """Answers /mdg/styles with one /mdg/style per style of the page, then /mdg/styles/end count remaining."""

    def __init__(self, outbox: Outbox, catalog: StyleCatalog) -> None:
        self._outbox = outbox
        self._catalog = catalog

    def routes(self) -> Mapping[str, Handler]:
        return {c.STYLES: self.styles}

    def styles(self, request: Request) -> None:
        """/mdg/styles [reply_port:i] (the first page) or /mdg/styles offset:i count:i [reply_port:i]"""
        args = request.message.args
        a.check_count(c.STYLES, args, _USAGE, 0, 3)
        if len(args) == 2:
            port = None
        else:
            port = a.trailing_reply_port(args, 0 if len(args) == 1 else 2)
        offset, count = 0, STYLES_PAGE_SIZE
        if len(args) >= 2:
            offset = _whole("offset", args[0], 0, 1_000_000, port)
            count = _whole("count", args[1], 1, STYLES_PAGE_SIZE, port)
        target = request.reply_to(port)
        styles = tuple(self._catalog.styles)
        page = styles[offset : offset + count]
        for preset in page:
            self._outbox.send(
                target,
                protocol.style(preset.id, preset.name, preset.tempo_min, preset.tempo_max, preset.description),
            )
        self._outbox.send(target, protocol.styles_end(len(page), max(0, len(styles) - offset - len(page))))
