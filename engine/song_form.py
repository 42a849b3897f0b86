"""A song's form ("intro:4 verse:8 chorus:8 ...") and the song request built on the pattern request.

The form is parsed here once for the CLI, the daemon and the device, so all three accept and refuse
the same forms with the same one-line errors. A song takes every field of a pattern request except
the ones the form decides: its length (`bars`) and its section (`pattern_type`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from mididrumigen.engine.errors import RequestError
from mididrumigen.engine.messages import shown_value
from mididrumigen.engine.schema import GenerationRequest, PatternType, parse_request

MAX_SONG_BARS: Final = 256
"""A song up to 256 bars: about 11 minutes at 92 BPM in 4/4, longer than most arrangements."""
MAX_SECTIONS: Final = 64
DEFAULT_FORM: Final = "intro:4 verse:8 chorus:8 verse:8 chorus:8 bridge:4 outro:4"
FORM_RULE: Final = (f"sections like {DEFAULT_FORM!r}: each name one of {', '.join(PatternType)}, "
                    f"each 1 bar or more, at most {MAX_SONG_BARS} bars in all")
SONG_DECIDES: Final = ("bars", "pattern_type")
"""Pattern request fields a song refuses: its form gives each section's length and energy."""

_SECTION: Final = re.compile(r"^([A-Za-z][A-Za-z_-]*)\s*[:=]\s*(\S+)$")


@dataclass(frozen=True)
class FormSection:
    """One section of the form: which kind (and so which energy) and how many bars."""

    kind: PatternType
    bars: int


@dataclass(frozen=True)
class SongRequest:
    """Everything that decides a song. `pattern` holds the shared fields (style, tempo, meter,
    sampling, humanize, fill, seed); its bars and pattern_type are not used."""

    pattern: GenerationRequest
    form: tuple[FormSection, ...]

    @property
    def bars(self) -> int:
        return sum(section.bars for section in self.form)


def _form_error(message: str) -> RequestError:
    return RequestError("form", message)


def _section(token: str) -> FormSection:
    match = _SECTION.match(token)
    if match is None:
        raise _form_error(f"form section must look like verse:8, got {token[:40]!r}")
    name, bars_text = match.group(1).lower().replace("-", "_"), match.group(2)
    if name not in PatternType.__members__.values():
        raise _form_error(f"unknown section {name[:40]!r}; sections are {', '.join(PatternType)}")
    if not bars_text.isdigit():
        raise _form_error(f"{name} needs a whole number of bars, got {bars_text[:20]!r}")
    bars = int(bars_text)
    if not 1 <= bars <= MAX_SONG_BARS:
        raise _form_error(f"{name} must be between 1 and {MAX_SONG_BARS} bars, got {bars}")
    return FormSection(PatternType(name), bars)


def parse_form(text: Any) -> tuple[FormSection, ...]:
    """Parse "intro:4 verse:8 chorus:8" (spaces or commas between sections, case ignored).

    Raises:
        RequestError: field `form`, one line naming the first wrong section, or the total over MAX_SONG_BARS.
    """
    if not isinstance(text, str):
        raise _form_error(f"form must be text like {DEFAULT_FORM!r}, got {shown_value(text)}")
    tokens = [t for t in re.split(r"[\s,]+", re.sub(r"\s*([:=])\s*", r"\1", text.strip())) if t]
    if not tokens:
        raise _form_error(f"form is empty; give {FORM_RULE}")
    if len(tokens) > MAX_SECTIONS:
        raise _form_error(f"form has {len(tokens)} sections; at most {MAX_SECTIONS}")
    form = tuple(_section(token) for token in tokens)
    total = sum(section.bars for section in form)
    if total > MAX_SONG_BARS:
        raise _form_error(f"form is {total} bars long; a song holds at most {MAX_SONG_BARS} bars")
    return form


def form_text(form: tuple[FormSection, ...]) -> str:
    """The form written back as "intro:4 verse:8 ..." (what a song's file and log name)."""
    return " ".join(f"{section.kind.value}:{section.bars}" for section in form)


def parse_song_request(values: dict[str, Any]) -> SongRequest:
    """Validate raw values (CLI or OSC): the pattern request's fields plus `form`.

    Raises:
        RequestError: the first wrong field, in one line (the form first: it is what a song adds).
    """
    fields = dict(values)
    if "form" not in fields:
        raise _form_error(f"a song needs a form: {FORM_RULE}")
    form = parse_form(fields.pop("form"))
    for name in SONG_DECIDES:
        if name in fields:
            raise RequestError(name, f"a song takes {name} from its form; leave {name} out")
    pattern = parse_request(fields)
    if pattern.variations != 1:
        raise RequestError("variations", "a song is one take; leave variations out")
    return SongRequest(pattern, form)
