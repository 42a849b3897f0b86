"""bridge.handlers.system and preset: /mdg/ping and /mdg/styles answers."""

from __future__ import annotations

from bridge.dispatcher import Dispatcher, ReplyTarget
from bridge.handlers.preset import PresetHandlers
from bridge.handlers.system import SystemHandlers
from bridge.osc.message import OscMessage
from tests.bridge.support import FakeEngine, ListOutbox


def make() -> tuple[Dispatcher, ListOutbox, FakeEngine]:
    outbox, engine = ListOutbox(), FakeEngine()
    dispatcher = Dispatcher(outbox, 7711)
    dispatcher.register(SystemHandlers(outbox, "9.9", "m", "cpu", lambda: 3).routes())
    dispatcher.register(PresetHandlers(outbox, engine.presets).routes())
    return dispatcher, outbox, engine


def test_ping() -> None:
    dispatcher, outbox, _ = make()
    dispatcher.dispatch(OscMessage("/mdg/ping"), "127.0.0.1")
    dispatcher.dispatch(OscMessage("/mdg/ping", (9000,)), "127.0.0.1")
    assert outbox.sent == [
        (ReplyTarget("127.0.0.1", 7711), OscMessage("/mdg/pong", ("9.9", "m", "cpu", 3))),
        (ReplyTarget("127.0.0.1", 9000), OscMessage("/mdg/pong", ("9.9", "m", "cpu", 3))),
    ]


def test_ping_with_wrong_arguments() -> None:
    dispatcher, outbox, _ = make()
    dispatcher.dispatch(OscMessage("/mdg/ping", ("x",)), "127.0.0.1")
    dispatcher.dispatch(OscMessage("/mdg/ping", (1, 2)), "127.0.0.1")
    assert [m.args[1] for _, m in outbox.sent] == ["bad_request", "bad_request"]


def test_styles_lists_every_style_then_the_count() -> None:
    dispatcher, outbox, engine = make()
    dispatcher.dispatch(OscMessage("/mdg/styles", (9000,)), "127.0.0.1")
    styles = engine.presets.styles
    assert [m.address for _, m in outbox.sent] == ["/mdg/style"] * len(styles) + ["/mdg/styles/end"]
    first = styles[0]
    assert outbox.sent[0][1].args == (first.id, first.name, first.tempo_min, first.tempo_max, first.description)
    assert outbox.sent[-1][1].args == (len(styles),)
