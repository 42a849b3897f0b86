"""bridge.dispatcher: routing, refusals answered on /mdg/error, handler crashes contained."""

from __future__ import annotations

import pytest

from mididrumigen.bridge.dispatcher import Dispatcher, ReplyTarget, Request, RequestRejected
from mididrumigen.bridge.osc.message import OscMessage
from mididrumigen.bridge.protocol import ErrorCode
from tests.bridge.support import ListOutbox


def make() -> tuple[Dispatcher, ListOutbox, list[Request]]:
    outbox = ListOutbox()
    dispatcher = Dispatcher(outbox, default_reply_port=7711)
    seen: list[Request] = []
    dispatcher.register({"/mdg/seen": seen.append})
    return dispatcher, outbox, seen


def test_routes_by_address() -> None:
    dispatcher, outbox, seen = make()
    dispatcher.dispatch(OscMessage("/mdg/seen", (1,)), "127.0.0.1")
    assert seen == [Request(OscMessage("/mdg/seen", (1,)), "127.0.0.1", 7711)]
    assert outbox.sent == []


def test_unknown_address_is_a_bad_request_on_the_default_port() -> None:
    dispatcher, outbox, _ = make()
    dispatcher.dispatch(OscMessage("/live/song"), "127.0.0.2")
    [(target, message)] = outbox.sent
    assert target == ReplyTarget("127.0.0.2", 7711)
    assert message.address == "/mdg/error"
    assert message.args[:2] == ("", "bad_request")
    assert "unknown address /live/song" in str(message.args[2])


def test_refusal_goes_to_the_named_reply_port_with_its_id() -> None:
    dispatcher, outbox, _ = make()

    def refuse(request: Request) -> None:
        raise RequestRejected(ErrorCode.UNKNOWN_JOB, "no job 'x'", "x", reply_port=9000)

    dispatcher.register({"/mdg/refuse": refuse})
    dispatcher.dispatch(OscMessage("/mdg/refuse"), "127.0.0.1")
    assert outbox.sent == [
        (ReplyTarget("127.0.0.1", 9000), OscMessage("/mdg/error", ("x", "unknown_job", "no job 'x'")))
    ]
    assert dispatcher.rejected_count == 1


def test_handler_crash_is_internal_and_the_next_message_is_served() -> None:
    dispatcher, outbox, seen = make()

    def crash(request: Request) -> None:
        raise KeyError("bug")

    dispatcher.register({"/mdg/crash": crash})
    dispatcher.dispatch(OscMessage("/mdg/crash"), "127.0.0.1")
    dispatcher.dispatch(OscMessage("/mdg/seen"), "127.0.0.1")
    assert outbox.sent[0][1].args[1] == "internal"
    assert len(seen) == 1
    assert dispatcher.internal_error_count == 1


def test_registering_an_address_twice_is_a_bug() -> None:
    dispatcher, _, seen = make()
    with pytest.raises(ValueError, match="twice"):
        dispatcher.register({"/mdg/seen": seen.append})
