"""The producer's own clip as an input: its notes, what to do with them, and the checks both doors share.

`ClipRequest` is a generate request plus what a clip job needs (continue, groove or vary; the clip's
length; voices and bars to keep; the kit to read and write it through). The CLI and the daemon both
validate through `parse_clip_request` and `check_clip_notes`, so they refuse the same input with the
same one-line sentence. The interface is fixed in the clip contract (issue 12).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from pydantic import Field, field_validator

from mididrumigen.engine.constants import VOICES, bar_length_beats
from mididrumigen.engine.errors import RequestError
from mididrumigen.engine.messages import shown_value
from mididrumigen.engine.schema import MAX_BARS, GenerationRequest, field_rule, validate_fields

MAX_CLIP_NOTES: Final = 4096
"""The most notes a clip may hold: 32 bars of 16ths on all nine voices is 4608 cells, real takes hold
under 50 a bar; the cap bounds what one request can make the engine read."""


@dataclass(frozen=True)
class ClipNote:
    """One note of the user's clip, as a DAW or Live's clip API gives it (beats are quarter notes)."""

    pitch: int
    start_beats: float
    duration_beats: float
    velocity: int


class ClipMode(StrEnum):
    """What to do with the clip: write the bars after it, play it like a drummer, or regenerate around kept parts."""

    CONTINUE = "continue"
    GROOVE = "groove"
    VARY = "vary"


_CLIP_RULES: Final[dict[str, str]] = {
    "mode": f"one of {', '.join(ClipMode)}",
    "clip_bars": f"between 1 and {MAX_BARS}",
    "keep": f"voice names from {', '.join(VOICES)}",
    "keep_bars": "bar numbers of the clip, from 1, like 1-3 or 1,2,4",
    "include_input": "true or false (1 or 0)",
}


def _clip_rule(field: str) -> str | None:
    return _CLIP_RULES.get(field) or field_rule(field)


def parse_keep(value: Any) -> tuple[str, ...]:
    """"kick,snare" or a sequence of voice names -> the names, each checked.

    Raises:
        RequestError: a name that is not a voice.
    """
    names = [n.strip() for n in value.split(",")] if isinstance(value, str) else [str(n).strip() for n in value]
    names = [n for n in names if n]
    for name in names:
        if name not in VOICES:
            raise RequestError("keep", f"unknown voice {shown_value(name)} in keep; voices are {', '.join(VOICES)}")
    return tuple(dict.fromkeys(names))


def parse_keep_bars(value: Any) -> tuple[int, ...]:
    """"1-3,5" or a sequence of whole numbers -> sorted 1-based bar numbers.

    Raises:
        RequestError: a part that is not a bar number or a range of them.
    """
    if not isinstance(value, str):
        parts: list[Any] = list(value)
    else:
        parts = [p.strip() for p in value.split(",") if p.strip()]
    bars: set[int] = set()
    for part in parts:
        text = str(part)
        low, sep, high = text.partition("-")
        if not low.strip().isdigit() or (sep and not high.strip().isdigit()) or isinstance(part, bool):
            raise RequestError("keep_bars", f"keep_bars must be {_CLIP_RULES['keep_bars']}, got {shown_value(text)}")
        first, last = int(low), int(high) if sep else int(low)
        if first < 1 or last < first or last > MAX_BARS:
            raise RequestError("keep_bars", f"keep_bars must be {_CLIP_RULES['keep_bars']} (at most {MAX_BARS}), "
                                            f"got {shown_value(text)}")
        bars.update(range(first, last + 1))
    return tuple(sorted(bars))


class ClipRequest(GenerationRequest):
    """A generate request acting on a clip. `bars`: for continue, how many bars to add; for groove and
    vary the clip's own length (set to clip_bars when left out, refused when it differs). `kit` (from
    GenerationRequest) also says how the clip's notes are read."""

    mode: ClipMode = Field(description="continue, groove or vary")
    clip_bars: int = Field(ge=1, le=MAX_BARS, description="the input clip's length in bars")
    keep: tuple[str, ...] = Field(default=(), description="vary: voices kept as they are")
    keep_bars: tuple[int, ...] = Field(default=(), description="vary: 1-based bars kept whole")
    include_input: bool = Field(default=False, description="continue: the result is the clip followed by the new bars")

    @field_validator("keep", mode="before")
    @classmethod
    def _keep_names(cls, value: Any) -> tuple[str, ...]:
        return parse_keep(value)

    @field_validator("keep_bars", mode="before")
    @classmethod
    def _keep_bar_numbers(cls, value: Any) -> tuple[int, ...]:
        return parse_keep_bars(value)

    @property
    def clip_length_beats(self) -> float:
        return self.clip_bars * bar_length_beats(self.numerator, self.denominator)

    @property
    def output_bars(self) -> int:
        """Bars of the result: the new bars, plus the clip's when continue includes it."""
        if self.mode is ClipMode.CONTINUE:
            return self.bars + (self.clip_bars if self.include_input else 0)
        return self.clip_bars


def check_clip_request(request: ClipRequest) -> None:
    """The rules between fields, for requests built without `parse_clip_request` too.

    Raises:
        RequestError: bars differ from clip_bars in groove or vary, a kept bar lies past the clip,
            keep/keep_bars are given outside vary, or variations other than 1 (a clip job is one take).
    """
    if request.mode is not ClipMode.CONTINUE and request.bars != request.clip_bars:
        raise RequestError("bars", f"bars must equal clip_bars ({request.clip_bars}) for {request.mode}, "
                                   f"got {request.bars}")
    if request.mode is not ClipMode.VARY and (request.keep or request.keep_bars):
        field = "keep" if request.keep else "keep_bars"
        raise RequestError(field, f"{field} applies to vary only, not {request.mode}")
    if request.variations != 1:
        raise RequestError("variations", f"variations applies to generate only, not {request.mode}; leave it out")
    past = [bar for bar in request.keep_bars if bar > request.clip_bars]
    if past:
        raise RequestError("keep_bars", f"keep_bars must lie inside the clip's {request.clip_bars} bars, got {past[0]}")


def parse_clip_request(values: dict[str, Any]) -> ClipRequest:
    """Validate raw values (from argparse or OSC) into a clip request.

    Raises:
        RequestError: naming the first wrong field, what it allows and what it got.
    """
    values = dict(values)
    if values.get("mode") in (ClipMode.GROOVE, ClipMode.VARY) and values.get("bars") is None:
        values.pop("bars", None)
        bars = _whole_bars(values.get("clip_bars"))
        if bars is not None:
            values["bars"] = bars
    request = validate_fields(ClipRequest, values, _clip_rule)
    check_clip_request(request)
    return request


def _whole_bars(value: Any) -> int | None:
    """clip_bars as the default of bars, when it is one (else clip_bars' own error is the one reported)."""
    try:
        bars = int(str(value).strip())
    except ValueError:
        return None
    return bars if 1 <= bars <= MAX_BARS else None


def check_clip_notes(notes: Sequence[ClipNote], request: ClipRequest) -> None:
    """Refuse a clip the engine cannot read as asked.

    Raises:
        RequestError: an empty clip, more than MAX_CLIP_NOTES notes, a pitch outside 0..127, a velocity
            outside 1..127, a duration that is not positive, or a note starting outside the clip_bars.
    """
    if not notes:
        raise RequestError("clip", "the clip is empty: it has no notes")
    if len(notes) > MAX_CLIP_NOTES:
        raise RequestError("clip", f"the clip has {len(notes)} notes, over the limit of {MAX_CLIP_NOTES}")
    length = request.clip_length_beats
    for index, note in enumerate(notes, start=1):
        problem = None
        if not 0 <= note.pitch <= 127:
            problem = f"pitch must be between 0 and 127, got {shown_value(note.pitch)}"
        elif not 1 <= note.velocity <= 127:
            problem = f"velocity must be between 1 and 127, got {shown_value(note.velocity)}"
        elif not note.duration_beats > 0:
            problem = f"duration_beats must be greater than 0, got {shown_value(note.duration_beats)}"
        elif not 0 <= note.start_beats < length:
            problem = (f"start_beats must lie inside the clip's {request.clip_bars} bars (0 to {length:g} beats), "
                       f"got {shown_value(note.start_beats)}")
        if problem:
            raise RequestError("clip", f"note {index}: {problem}")
