"""bridge.handlers.preset: /mdg/styles lists every loaded style, then the count."""

from __future__ import annotations

from mididrumigen.bridge.dispatcher import Dispatcher
from mididrumigen.bridge.handlers.preset import PresetHandlers
from mididrumigen.bridge.osc.message import OscMessage
from tests.bridge.support import FakeEngine, ListOutbox


def test_styles_lists_every_style_then_the_count() -> None:
    outbox, engine = ListOutbox(), FakeEngine()
    dispatcher = Dispatcher(outbox, 7711)
    dispatcher.register(PresetHandlers(outbox, engine.presets).routes())
    dispatcher.dispatch(OscMessage("/mdg/styles", (9000,)), "127.0.0.1")
    styles = engine.presets.styles
    assert [m.address for _, m in outbox.sent] == ["/mdg/style"] * len(styles) + ["/mdg/styles/end"]
    first = styles[0]
    assert outbox.sent[0][1].args == (first.id, first.name, first.tempo_min, first.tempo_max, first.description)
    assert outbox.sent[-1][1].args == (len(styles), 0)
    assert all(target.port == 9000 for target, _ in outbox.sent)


def test_styles_with_a_bad_reply_port_is_refused() -> None:
    outbox = ListOutbox()
    dispatcher = Dispatcher(outbox, 7711)
    dispatcher.register(PresetHandlers(outbox, FakeEngine().presets).routes())
    dispatcher.dispatch(OscMessage("/mdg/styles", ("7711",)), "127.0.0.1")
    [(target, message)] = outbox.sent
    assert target.port == 7711 and message.args[1] == "bad_request"
