"""The engine side of issue 12's contract (clip_contract.md), as the tests' stand-in while engine/clip.py
is written elsewhere: ClipNote, ClipMode, ClipRequest, parse_clip_request, check_clip_notes.

tests/bridge/conftest.py installs it as `mididrumigen.engine.clip` only when the real module is
missing, so once the engine side lands these tests run against the real validation instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from pydantic import Field, ValidationError, field_validator, model_validator

from mididrumigen.engine.constants import VOICES
from mididrumigen.engine.errors import RequestError
from mididrumigen.engine.schema import MAX_BARS, GenerationRequest

MAX_CLIP_NOTES: Final = 4096


@dataclass(frozen=True)
class ClipNote:
    pitch: int
    start_beats: float
    duration_beats: float
    velocity: int


class ClipMode(StrEnum):
    CONTINUE = "continue"
    GROOVE = "groove"
    VARY = "vary"


class ClipRequest(GenerationRequest):
    mode: ClipMode
    clip_bars: int = Field(ge=1, le=MAX_BARS)
    keep: tuple[str, ...] = ()
    keep_bars: tuple[int, ...] = ()
    include_input: bool = False
    kit: dict[str, int] | None = None

    @field_validator("keep", mode="before")
    @classmethod
    def _keep_text(cls, value: Any) -> Any:
        return tuple(n.strip() for n in value.split(",") if n.strip()) if isinstance(value, str) else value

    @field_validator("keep_bars", mode="before")
    @classmethod
    def _keep_bars_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        bars: list[int] = []
        for part in filter(None, (p.strip() for p in value.split(","))):
            low, _, high = part.partition("-")
            if not low.isdigit() or not (high or low).isdigit() or int(high or low) < int(low):
                raise RequestError("keep_bars", f"keep_bars must be bars like 1-3, got {part!r}")
            bars += range(int(low), int(high or low) + 1)
        return tuple(bars)

    @field_validator("kit", mode="before")
    @classmethod
    def _kit_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        kit = {}
        for part in filter(None, (p.strip() for p in value.split(","))):
            voice, _, note = part.partition(":")
            if voice not in VOICES:
                raise RequestError("kit", f"unknown voice {voice!r} in kit")
            if not note.isdigit() or not 0 <= int(note) <= 127:
                raise RequestError("kit", f"kit note of {voice} must be between 0 and 127, got {note!r}")
            kit[voice] = int(note)
        return kit

    @model_validator(mode="before")
    @classmethod
    def _bars_follow_the_clip(cls, values: Any) -> Any:
        if isinstance(values, dict) and values.get("mode") != "continue" and "bars" not in values:
            return {**values, "bars": values.get("clip_bars", 4)}
        return values


def parse_clip_request(values: dict[str, Any]) -> ClipRequest:
    try:
        request = ClipRequest(**values)
    except ValidationError as error:
        first = error.errors()[0]
        cause = (first.get("ctx") or {}).get("error")
        if isinstance(cause, RequestError):
            raise cause from error
        field = str(first["loc"][0]) if first["loc"] else "request"
        raise RequestError(field, f"{field}: {first['msg']}") from error
    for voice in (*request.keep, *(request.kit or {})):
        if voice not in VOICES:
            raise RequestError("keep", f"unknown voice {voice!r}")
    if any(bar > request.clip_bars for bar in request.keep_bars):
        raise RequestError("keep_bars", f"keep_bars must lie inside the clip's {request.clip_bars} bars")
    if request.mode is not ClipMode.CONTINUE and request.bars != request.clip_bars:
        raise RequestError("bars", f"bars must equal clip_bars ({request.clip_bars}) for {request.mode}")
    return request


def check_clip_notes(notes: Sequence[ClipNote], request: ClipRequest) -> None:
    if not notes:
        raise RequestError("notes", "the clip is empty: there are no notes to work from")
    if len(notes) > MAX_CLIP_NOTES:
        raise RequestError("notes", f"the clip has more than {MAX_CLIP_NOTES} notes")
    length = request.clip_bars * request.numerator * 4 / request.denominator
    late = [n for n in notes if n.start_beats >= length]
    if late:
        raise RequestError("notes",
                           f"a note starts at beat {late[0].start_beats}, past the clip's {request.clip_bars} bars")
