"""bridge.handlers.system: /mdg/ping answers, cheap and always."""

from __future__ import annotations

from mididrumigen.bridge.dispatcher import Dispatcher, ReplyTarget
from mididrumigen.bridge.handlers.system import SystemHandlers
from mididrumigen.bridge.osc.message import OscMessage
from tests.bridge.support import ListOutbox


def make() -> tuple[Dispatcher, ListOutbox]:
    outbox = ListOutbox()
    dispatcher = Dispatcher(outbox, 7711)
    dispatcher.register(SystemHandlers(outbox, "9.9", lambda: ("m", "cpu"), lambda: 3).routes())
    return dispatcher, outbox


def test_ping() -> None:
    dispatcher, outbox = make()
    dispatcher.dispatch(OscMessage("/mdg/ping"), "127.0.0.1")
    dispatcher.dispatch(OscMessage("/mdg/ping", (9000,)), "127.0.0.1")
    assert outbox.sent == [
        (ReplyTarget("127.0.0.1", 7711), OscMessage("/mdg/pong", ("9.9", "m", "cpu", 3))),
        (ReplyTarget("127.0.0.1", 9000), OscMessage("/mdg/pong", ("9.9", "m", "cpu", 3))),
    ]


def test_ping_with_wrong_arguments() -> None:
    dispatcher, outbox = make()
    dispatcher.dispatch(OscMessage("/mdg/ping", ("x",)), "127.0.0.1")
    dispatcher.dispatch(OscMessage("/mdg/ping", (1, 2)), "127.0.0.1")
    assert [m.args[1] for _, m in outbox.sent] == ["bad_request", "bad_request"]
