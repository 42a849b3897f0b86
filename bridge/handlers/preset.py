"""Handlers about style presets: /mdg/styles lists every loaded style."""

from __future__ import annotations

from collections.abc import Mapping

from mididrumigen.bridge import constants as c
from mididrumigen.bridge import protocol
from mididrumigen.bridge.dispatcher import Handler, Outbox, Request
from mididrumigen.bridge.engine_api import StyleCatalog
from mididrumigen.bridge.handlers import args as a


class PresetHandlers:
    """Answers /mdg/styles with one /mdg/style per style, then /mdg/styles/end count."""

    def __init__(self, outbox: Outbox, catalog: StyleCatalog) -> None:
        self._outbox = outbox
        self._catalog = catalog

    def routes(self) -> Mapping[str, Handler]:
        return {c.STYLES: self.styles}

    def styles(self, request: Request) -> None:
        """/mdg/styles [reply_port:i]"""
        args = request.message.args
        a.check_count(c.STYLES, args, "at most one argument (reply_port)", 0, 1)
        target = request.reply_to(a.trailing_reply_port(args, 0))
        styles = tuple(self._catalog.styles)
        for preset in styles:
            self._outbox.send(
                target,
                protocol.style(preset.id, preset.name, preset.tempo_min, preset.tempo_max, preset.description),
            )
        self._outbox.send(target, protocol.styles_end(len(styles)))
