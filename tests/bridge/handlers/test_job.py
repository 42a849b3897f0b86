"""bridge.handlers.job: /mdg/generate validation through engine.schema, status, cancel, resend."""

from __future__ import annotations

from typing import Any

import pytest

from mididrumigen.bridge.dispatcher import Dispatcher, ReplyTarget
from mididrumigen.bridge.handlers.job import JobHandlers, parse_generate_args, parse_outputs
from mididrumigen.bridge.jobs import JobState, JobTable
from mididrumigen.bridge.osc.message import OscMessage
from mididrumigen.bridge.protocol import OutputKind
from mididrumigen.engine.pattern import GenerationResult, Pattern
from tests.bridge.support import FakeEngine, ListOutbox


def make(queue_size: int = 32) -> tuple[Dispatcher, ListOutbox, JobTable]:
    outbox = ListOutbox()
    jobs = JobTable(queue_size=queue_size)
    dispatcher = Dispatcher(outbox, 7711)
    dispatcher.register(JobHandlers(outbox, jobs, FakeEngine().presets).routes())
    return dispatcher, outbox, jobs


def send(dispatcher: Dispatcher, address: str, *args: Any) -> None:
    dispatcher.dispatch(OscMessage(address, args), "127.0.0.1")


def last(outbox: ListOutbox) -> tuple[ReplyTarget, OscMessage]:
    return outbox.sent[-1]


def test_generate_queues_and_answers_queued_first() -> None:
    dispatcher, outbox, jobs = make()
    send(dispatcher, "/mdg/generate", "style", "J Dilla", "bars", 8, "request_id", "r1", "reply_port", 9001,
         "output", "clip,file", "humanize", 0, "tempo", 90.5)
    target, message = last(outbox)
    assert target == ReplyTarget("127.0.0.1", 9001)
    assert message.address == "/mdg/queued" and message.args[1] == "r1"
    job = jobs.get(str(message.args[0]))
    assert job.state is JobState.QUEUED
    assert job.spec.request.bars == 8 and job.spec.request.humanize is False and job.spec.request.tempo == 90.5
    assert job.spec.outputs == {OutputKind.CLIP, OutputKind.FILE}


@pytest.mark.parametrize(
    "args, code, words",
    [
        (("bars", 4), "bad_request", "style is required"),
        (("style", "j_dilla", "bars", 99), "bad_request", "bars must be between 1 and 32, got 99"),
        (("style", "j_dilla", "tempo", 250.0), "bad_request", "tempo must be between 60 and 200"),
        (("style", "j_dilla", "denominator", 3), "bad_request", "denominator must be one of 2, 4, 8, 16"),
        (("style", "j_dilla", "top_p", 0.0), "bad_request", "top_p must be greater than 0"),
        (("style", "j_dilla", "pattern_type", "drop"), "bad_request", "pattern_type must be one of"),
        (("style", "j_dilla", "bars"), "bad_request", "has no value"),
        (("style", "j_dilla", 5, 5), "bad_request", "expected a key, got 5"),
        (("style", "j_dilla", "colour", "red"), "bad_request", "unknown key 'colour'"),
        (("style", "j_dilla", "bars", 4, "bars", 8), "bad_request", "bars is given twice"),
        (("style", "j_dilla", "output", "cd"), "bad_request", "output must be clip, midi, file"),
        (("style", "j_dilla", "bars", b"\x01"), "bad_request", "bars needs a number or text"),
        (("style", "j_dilla", "reply_port", 0), "bad_request", "reply_port must be"),
        (("style", "Aphex Twin"), "unknown_style", "unknown style 'Aphex Twin'"),
    ],
)
def test_generate_refusals(args: tuple[Any, ...], code: str, words: str) -> None:
    dispatcher, outbox, jobs = make()
    send(dispatcher, "/mdg/generate", *args, "request_id", "tag")
    _, message = last(outbox)
    assert message.address == "/mdg/error"
    assert message.args[1] == code
    assert words in str(message.args[2])
    assert message.args[0] in ("tag", "")  # the request_id when it was understood
    assert jobs.queued_count == 0


def test_refusal_reaches_the_named_reply_port() -> None:
    dispatcher, outbox, _ = make()
    send(dispatcher, "/mdg/generate", "reply_port", 9002, "request_id", 7, "bars", 99, "style", "j_dilla")
    target, message = last(outbox)
    assert target.port == 9002 and message.args[:2] == ("7", "bad_request")


def test_busy_when_the_queue_is_full() -> None:
    dispatcher, outbox, _ = make(queue_size=1)
    send(dispatcher, "/mdg/generate", "style", "j_dilla")
    send(dispatcher, "/mdg/generate", "style", "j_dilla", "request_id", "second")
    _, message = last(outbox)
    assert message.args[:2] == ("second", "busy")


def test_status_cancel_and_unknown_job() -> None:
    dispatcher, outbox, jobs = make()
    send(dispatcher, "/mdg/generate", "style", "j_dilla")
    job_id = str(last(outbox)[1].args[0])
    send(dispatcher, "/mdg/status", job_id, 9003)
    assert last(outbox) == (ReplyTarget("127.0.0.1", 9003), OscMessage("/mdg/status", (job_id, "queued", 0)))
    send(dispatcher, "/mdg/cancel", job_id)
    assert last(outbox)[1] == OscMessage("/mdg/cancelled", (job_id,))
    send(dispatcher, "/mdg/status", job_id)
    assert last(outbox)[1].args[1] == "cancelled"
    send(dispatcher, "/mdg/status", "nope")
    assert last(outbox)[1].args[:2] == ("nope", "unknown_job")
    send(dispatcher, "/mdg/cancel")
    assert "takes job_id" in str(last(outbox)[1].args[2])


def test_resend_and_cancel_of_a_done_job() -> None:
    dispatcher, outbox, jobs = make()
    send(dispatcher, "/mdg/generate", "style", "j_dilla")
    job_id = str(last(outbox)[1].args[0])
    send(dispatcher, "/mdg/resend", job_id)
    assert "only a done job has notes" in str(last(outbox)[1].args[2])
    jobs.start(job_id)
    jobs.finish(job_id, GenerationResult(Pattern((), 1, 4, 4, 95.0, "j_dilla", "verse", 1, True), 0, 0.25), None)
    send(dispatcher, "/mdg/resend", job_id)
    assert [m.address for _, m in outbox.sent[-2:]] == ["/mdg/notes", "/mdg/done"]
    assert outbox.sent[-1][1].args == (job_id, 0, "", 0.25)
    send(dispatcher, "/mdg/cancel", job_id)
    assert last(outbox)[1].args[1] == "bad_request"


def test_parse_outputs() -> None:
    assert parse_outputs(" MIDI , file") == {OutputKind.MIDI, OutputKind.FILE}
    assert parse_generate_args(("style", "x")).outputs == {OutputKind.CLIP}
