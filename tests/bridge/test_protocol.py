"""bridge.protocol: reply builders, and notes chunks that always fit under MAX_REPLY_BYTES."""

from __future__ import annotations

import pytest

from mididrumigen.bridge import protocol
from mididrumigen.bridge.constants import MAX_REPLY_BYTES
from mididrumigen.bridge.osc.message import build_message
from mididrumigen.bridge.protocol import ErrorCode
from mididrumigen.engine.pattern import Note


def notes(count: int) -> tuple[Note, ...]:
    return tuple(Note(36 + i % 12, i * 0.25, 0.125, 1 + i % 127, "kick") for i in range(count))


@pytest.mark.parametrize("job_id", ["a1", "0123456789", "x" * 64])
def test_notes_per_chunk_is_exact(job_id: str) -> None:
    per_chunk = protocol.notes_per_chunk(job_id)
    full = build_message(protocol.notes_chunks(job_id, notes(per_chunk))[0])
    assert len(full) <= MAX_REPLY_BYTES
    one_more = protocol.notes_chunks(job_id, notes(per_chunk + 1))
    assert len(one_more) == 2  # so per_chunk is the most that fits


@pytest.mark.parametrize("count", [0, 1, 199, 200, 1000, 4096])
def test_chunks_cover_every_note_in_order_under_the_limit(count: int) -> None:
    source = notes(count)
    chunks = protocol.notes_chunks("abcdef0123", source)
    rebuilt = []
    for index, chunk in enumerate(chunks):
        assert chunk.args[:3] == ("abcdef0123", index, len(chunks))
        assert len(build_message(chunk)) <= MAX_REPLY_BYTES
        values = chunk.args[3:]
        rebuilt += [values[i : i + 4] for i in range(0, len(values), 4)]
    assert rebuilt == [(n.pitch, n.start_beats, n.duration_beats, n.velocity) for n in source]
    assert len(chunks) >= 1


def test_long_text_is_cut_to_fit() -> None:
    message = protocol.error("job", ErrorCode.BAD_REQUEST, "x" * 10_000)
    assert len(build_message(message)) <= MAX_REPLY_BYTES
    style = protocol.style("id", "n" * 5000, 60, 200, "d" * 5000)
    assert len(build_message(style)) <= MAX_REPLY_BYTES


def test_result_messages_end_with_done() -> None:
    messages = protocol.result_messages("j1", notes(3), "/tmp/x.mid", 0.5)
    assert [m.address for m in messages] == ["/mdg/notes", "/mdg/done"]
    assert messages[-1].args == ("j1", 3, "/tmp/x.mid", 0.5)
    assert [m.address for m in protocol.result_messages("j1", notes(3), "", 0.5, include_notes=False)] == ["/mdg/done"]


def test_error_codes_are_the_protocol_strings() -> None:
    assert {code.value for code in ErrorCode} == {
        "bad_request", "unknown_style", "unknown_job", "busy", "generation_failed", "no_midi_port", "internal"
    }
