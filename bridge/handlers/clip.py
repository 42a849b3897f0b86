"""Handlers about the producer's own clip: /mdg/clip uploads it, /mdg/continue, /mdg/groove and /mdg/vary
queue a job on it.

/mdg/clip answers nothing when a chunk is stored (a device sends its chunks and then its request
at once); a refused chunk is answered with /mdg/error at once, on the default reply port (the chunk
has no room for a reply_port), and the refusal is kept with the clip, so the request that names it
hears the same sentence on its own reply_port. The requests take /mdg/generate's keys and are
queued, run and answered exactly as generate is; the worker calls engine.transform instead.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from typing import Any

from mididrumigen.bridge import constants as c
from mididrumigen.bridge.clip_store import ClipStore, ClipUploadError, UploadedNote
from mididrumigen.bridge.dispatcher import Handler, Outbox, Request, RequestRejected
from mididrumigen.bridge.engine_api import StyleCatalog
from mididrumigen.bridge.handlers import args as a
from mididrumigen.bridge.handlers.job import parse_generate_args, refusing_request_errors, submit_job
from mididrumigen.bridge.jobs import JobTable
from mididrumigen.bridge.osc.message import OscArg
from mididrumigen.bridge.protocol import ErrorCode

log = logging.getLogger(__name__)

_CLIP_USAGE = "clip_id chunk chunks, then pitch start duration velocity for each note"
_REQUEST_KEYS = c.CLIP_KEYS | {c.CLIP_ID_KEY}
_TEXT_KEYS = frozenset({"keep", "keep_bars", "kit"})
"""Keys whose value is text the engine parses ("kick,snare", "1-3", "kick:36,snare:38"); OSC may
send a lone bar number as an int, which the engine reads as the text it stands for."""


def _whole(value: OscArg) -> int | None:
    """An int, or a float with no fraction (Max may send either); None for anything else."""
    if a.is_plain_number(value) and math.isfinite(value) and float(value) == int(value):  # type: ignore[arg-type]
        return int(value)  # type: ignore[arg-type]
    return None


def _beats(value: OscArg) -> float | None:
    if a.is_plain_number(value) and math.isfinite(value):  # type: ignore[arg-type]
        return float(value)  # type: ignore[arg-type]
    return None


def parse_note(values: tuple[OscArg, ...], index: int) -> UploadedNote:
    """One note of a chunk: pitch 0..127, start 0..MAX_CLIP_BEATS, duration > 0, velocity 1..127.

    Live gives velocities as floats (Live 11's notes API), so a velocity is rounded, not refused.

    Raises:
        ValueError: naming the note (its index in the chunk) and the wrong value.
    """
    pitch_arg, start_arg, duration_arg, velocity_arg = values
    pitch, start, duration = _whole(pitch_arg), _beats(start_arg), _beats(duration_arg)
    velocity = _beats(velocity_arg)
    where = f"note {index}"
    if pitch is None or not 0 <= pitch <= 127:
        raise ValueError(f"{where}: pitch must be a whole number between 0 and 127, got {a.describe(pitch_arg)}")
    if start is None or not 0 <= start < c.MAX_CLIP_BEATS:
        raise ValueError(f"{where}: start must be a beat between 0 and {c.MAX_CLIP_BEATS}, got {a.describe(start_arg)}")
    if duration is None or not 0 < duration <= c.MAX_CLIP_BEATS:
        raise ValueError(f"{where}: duration must be more than 0 beats, got {a.describe(duration_arg)}")
    if velocity is None or not 1 <= round(velocity) <= 127:
        raise ValueError(f"{where}: velocity must be between 1 and 127, got {a.describe(velocity_arg)}")
    return UploadedNote(pitch, start, duration, round(velocity))


def parse_chunk(args: tuple[OscArg, ...]) -> tuple[str, int, int, tuple[UploadedNote, ...]]:
    """(clip_id, chunk, chunks, notes) of a /mdg/clip message.

    Raises:
        RequestRejected: for a wrong header, naming the clip when its id was readable.
        ValueError: for a wrong note (the caller keeps the refusal with the clip).
    """
    a.check_count(c.CLIP, args, _CLIP_USAGE, 3, c.MAX_ARGUMENTS)
    clip_id, chunk, chunks = args[0], _whole(args[1]), _whole(args[2])
    if not isinstance(clip_id, str) or not clip_id or len(clip_id) > c.MAX_CLIP_ID_CHARS:
        raise RequestRejected(
            ErrorCode.BAD_REQUEST,
            f"clip_id must be text of 1 to {c.MAX_CLIP_ID_CHARS} characters, got {a.describe(args[0])}",
        )
    if chunks is None or not 1 <= chunks <= c.MAX_CLIP_CHUNKS:
        raise RequestRejected(
            ErrorCode.BAD_REQUEST,
            f"clip {clip_id} is too long: chunks must be between 1 and {c.MAX_CLIP_CHUNKS}, got {a.describe(args[2])}",
            clip_id,
        )
    if chunk is None or not 0 <= chunk < chunks:
        raise RequestRejected(
            ErrorCode.BAD_REQUEST,
            f"clip {clip_id}: chunk must be between 0 and {chunks - 1}, got {a.describe(args[1])}",
            clip_id,
        )
    values = args[3:]
    if len(values) % 4:
        raise ValueError(f"chunk {chunk} has {len(values)} note values; each note is pitch start duration velocity")
    notes = tuple(parse_note(values[i : i + 4], i // 4) for i in range(0, len(values), 4))
    return clip_id, chunk, chunks, notes


class ClipHandlers:
    """Keeps uploaded clips and queues continue, groove and vary jobs on them."""

    def __init__(self, outbox: Outbox, jobs: JobTable, catalog: StyleCatalog, store: ClipStore) -> None:
        self._outbox = outbox
        self._jobs = jobs
        self._catalog = catalog
        self._store = store

    def routes(self) -> Mapping[str, Handler]:
        routes: dict[str, Handler] = {c.CLIP: self.clip}
        for address, mode in c.CLIP_JOB_ADDRESSES.items():
            routes[address] = self._transform_handler(address, mode)
        return routes

    def clip(self, request: Request) -> None:
        """/mdg/clip clip_id chunk chunks (pitch start duration velocity)* -> nothing, or /mdg/error."""
        args = request.message.args
        try:
            clip_id, chunk, chunks, notes = parse_chunk(args)
            self._store.add_chunk(request.sender_host, clip_id, chunk, chunks, notes)
        except ValueError as error:  # a wrong note: the header was read, so args[0] is the clip id
            problem = f"clip {args[0]} chunk {args[1]}: {error}"
            self._store.refuse(request.sender_host, str(args[0]), problem)
            raise RequestRejected(ErrorCode.BAD_REQUEST, problem, str(args[0])) from error
        except ClipUploadError as error:
            raise RequestRejected(ErrorCode.BAD_REQUEST, str(error), clip_id) from error

    def _transform_handler(self, address: str, mode: str) -> Handler:
        return lambda request: self.transform(request, address, mode)

    def transform(self, request: Request, address: str, mode: str) -> None:
        """/mdg/continue|groove|vary clip_id ID key value ... -> /mdg/queued, then as /mdg/generate."""
        parsed = parse_generate_args(request.message.args, address, _REQUEST_KEYS)
        fields: dict[str, Any] = dict(parsed.fields)
        clip_id = fields.pop(c.CLIP_ID_KEY, None)
        if not isinstance(clip_id, str) or not clip_id:
            raise RequestRejected(
                ErrorCode.BAD_REQUEST, f"{address} needs clip_id, the id its {c.CLIP} chunks were sent with",
                parsed.request_id, parsed.reply_port,
            )
        try:
            uploaded = self._store.get(request.sender_host, clip_id)
        except ClipUploadError as error:
            raise RequestRejected(ErrorCode.BAD_REQUEST, str(error), parsed.request_id, parsed.reply_port) from error
        # Imported here: engine.clip (the request and note shapes of a clip job) loads the engine's schema.
        from mididrumigen.engine.clip import ClipNote, check_clip_notes, parse_clip_request

        note_type: Callable[..., object] = ClipNote
        with refusing_request_errors(parsed):
            texts = {key: str(value) for key, value in fields.items() if key in _TEXT_KEYS}
            clip_request = parse_clip_request({**fields, **texts, "mode": mode})
            self._catalog.resolve(clip_request.style)
            notes = tuple(note_type(n.pitch, n.start_beats, n.duration_beats, n.velocity) for n in uploaded)
            check_clip_notes(notes, clip_request)
        submit_job(self._outbox, self._jobs, request, parsed, clip_request, notes)
