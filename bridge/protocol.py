"""The /mdg protocol v1 replies: error codes, output kinds, and every reply message the daemon sends.

Builders return OscMessage values; the transport encodes them. Notes are split into /mdg/notes
chunks so that every datagram stays under MAX_REPLY_BYTES (see `notes_chunks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Final

from mididrumigen.bridge import constants as c
from mididrumigen.bridge.osc.message import OscArg, OscMessage
from mididrumigen.bridge.osc.types import cut_utf8, padded_length, write_string
from mididrumigen.engine.pattern import Note


class ErrorCode(StrEnum):
    """The `code` of /mdg/error; a device switches on these, so they never change within v1."""

    BAD_REQUEST = "bad_request"
    UNKNOWN_STYLE = "unknown_style"
    UNKNOWN_JOB = "unknown_job"
    BUSY = "busy"
    GENERATION_FAILED = "generation_failed"
    NO_MIDI_PORT = "no_midi_port"  # /mdg/play or `output midi` while the daemon has no MIDI port open
    INTERNAL = "internal"


class OutputKind(StrEnum):
    """Where a finished pattern goes: `clip` sends notes, `midi` plays them, `file` writes a .mid."""

    CLIP = "clip"
    MIDI = "midi"
    FILE = "file"


DEFAULT_OUTPUTS: Final[frozenset[OutputKind]] = frozenset({OutputKind.CLIP})

_NOTE_TAGS: Final = "iffi"
_NOTE_PAYLOAD_BYTES: Final = 16  # pitch int32, start float32, duration float32, velocity int32


def _text(value: str) -> str:
    """Free text for a reply, cut in UTF-8 bytes so one datagram can always hold it."""
    return cut_utf8(value, c.MAX_STRING_REPLY_BYTES)


cut_text = _text


def pong(version: str, model: str, device: str, queued: int) -> OscMessage:
    return OscMessage(c.PONG, (version, _text(model), device, queued))


def style(style_id: str, name: str, tempo_min: int, tempo_max: int, description: str) -> OscMessage:
    return OscMessage(c.STYLE, (_text(style_id), _text(name), tempo_min, tempo_max, _text(description)))


def styles_end(count: int, remaining: int) -> OscMessage:
    """After a page of /mdg/style: how many it held, and how many styles come after it."""
    return OscMessage(c.STYLES_END, (count, remaining))


def queued(job_id: str, request_id: str) -> OscMessage:
    return OscMessage(c.QUEUED, (job_id, request_id))


def progress(job_id: str, percent: int, stage: str) -> OscMessage:
    return OscMessage(c.PROGRESS, (job_id, max(0, min(100, percent)), _text(stage)))


def done(job_id: str, notes: int, file: str, seconds: float) -> OscMessage:
    return OscMessage(c.DONE, (job_id, notes, file, seconds))


def error(job_or_request_id: str, code: ErrorCode, message: str) -> OscMessage:
    return OscMessage(c.ERROR, (job_or_request_id, code.value, _text(message)))


def warning(job_id: str, message: str) -> OscMessage:
    """A clip job's note for the producer (notes passed through untouched, voices with no pad), before /mdg/done."""
    return OscMessage(c.WARNING, (job_id, _text(message)))


def style_learned(request_id: str, style_id: str, name: str, summary: str) -> OscMessage:
    """A style learned from uploaded clips is saved and loaded: generate can name it by id or name now."""
    return OscMessage(c.STYLE_LEARNED, (request_id, style_id, _text(name), _text(summary)))


def status(job_id: str, state: str, percent: int) -> OscMessage:
    return OscMessage(c.STATUS, (job_id, state, percent))


def cancelled(job_id: str) -> OscMessage:
    return OscMessage(c.CANCELLED, (job_id,))


def notes_per_chunk(job_id: str, max_bytes: int = c.MAX_REPLY_BYTES, address: str = c.NOTES,
                    header_ints: int = 0) -> int:
    """How many notes fit in one /mdg/notes datagram of at most `max_bytes` bytes (or one at
    `address` with `header_ints` more int32s before chunk and chunks, as /mdg/song/notes has).

    Each note adds 16 payload bytes and 4 type tags; the type tag string is padded to 4 bytes,
    so the size is exact, not estimated.
    """
    ints = 2 + header_ints  # chunk and chunks (and the header): int32 each
    fixed = len(write_string(address)) + len(write_string(job_id)) + 4 * ints
    count = (max_bytes - fixed) // (_NOTE_PAYLOAD_BYTES + len(_NOTE_TAGS))
    while count > 0:
        tags_bytes = padded_length(len(",s") + ints + len(_NOTE_TAGS) * count + 1)
        if fixed + tags_bytes + _NOTE_PAYLOAD_BYTES * count <= max_bytes:
            return count
        count -= 1
    raise ValueError(f"max_bytes must leave room for at least one note, got {max_bytes}")


def notes_chunks(
    job_id: str, notes: Sequence[Note], max_bytes: int = c.MAX_REPLY_BYTES, address: str = c.NOTES,
    header: tuple[int, ...] = (),
) -> tuple[OscMessage, ...]:
    """Split a pattern's notes into /mdg/notes job_id chunk chunks (pitch start duration velocity)*
    (or `address` job_id *header chunk chunks ..., as a song's sections are sent).

    An empty pattern still gives one chunk (0 of 1) so a client knows the clip is empty.
    Times are in beats from the clip start.
    """
    per_chunk = notes_per_chunk(job_id, max_bytes, address, len(header))
    groups = [notes[i : i + per_chunk] for i in range(0, len(notes), per_chunk)] or [()]
    messages = []
    for index, group in enumerate(groups):
        args: list[OscArg] = [job_id, *header, index, len(groups)]
        for note in group:
            args += [note.pitch, float(note.start_beats), float(note.duration_beats), note.velocity]
        messages.append(OscMessage(address, tuple(args)))
    return tuple(messages)


def result_messages(
    job_id: str, notes: Sequence[Note], file: str, seconds: float, include_notes: bool = True
) -> tuple[OscMessage, ...]:
    """What a finished job sends: its /mdg/notes chunks (when the output includes clip), then /mdg/done."""
    chunks = notes_chunks(job_id, notes) if include_notes else ()
    return (*chunks, done(job_id, len(notes), file, seconds))
