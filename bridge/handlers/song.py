"""/mdg/song: a whole song from a form, queued like /mdg/generate and answered section by section.

It takes /mdg/generate's keys (less `bars` and `pattern_type`, which the form decides) plus the form,
given as `form "intro:4 verse:8 ..."` or as repeated `section name bars` triples; the worker sends
progress per section, then each section's header and notes (see bridge.song_jobs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from mididrumigen.bridge import constants as c
from mididrumigen.bridge.dispatcher import Handler, Request, RequestRejected
from mididrumigen.bridge.handlers import args as a
from mididrumigen.bridge.handlers.job import JobHandlers, _reply_context, parse_generate_args
from mididrumigen.bridge.osc.message import OscArg
from mididrumigen.bridge.protocol import ErrorCode
from mididrumigen.engine.schema import GenerationRequest
from mididrumigen.engine.song_form import SONG_DECIDES, parse_song_request

_FORM_KEYS: Final = ("form", "section")
SONG_KEYS: Final[tuple[str, ...]] = (
    *(name for name in GenerationRequest.model_fields if name not in SONG_DECIDES), *_FORM_KEYS,
    *sorted(c.DAEMON_KEYS),
)


def _section_text(name: OscArg, bars: OscArg) -> str:
    if not isinstance(name, str):
        raise ValueError(f"section takes a name and bars, got {a.describe(name)} as the name")
    if isinstance(bars, bool) or not isinstance(bars, int | str):
        raise ValueError(f"section {name[:40]} takes a whole number of bars, got {a.describe(bars)}")
    return f"{name}:{bars}"


def split_form(args: tuple[OscArg, ...]) -> tuple[str, tuple[OscArg, ...]]:
    """Take the form out of /mdg/song's arguments: one `form text`, or `section name bars` triples.
    Returns (form text, the other key value pairs).

    Raises:
        RequestRejected: a key a song does not take, a malformed section, both or neither form.
    """
    forms: list[OscArg] = []
    sections: list[str] = []
    rest: list[OscArg] = []
    problem = ""
    i = 0
    while i < len(args):  # past a problem too, so request_id and reply_port are still found
        key = args[i]
        try:
            if key == "section":
                if i + 2 >= len(args):
                    raise ValueError("section takes a name and bars (section verse 8)")
                sections.append(_section_text(args[i + 1], args[i + 2]))
                i += 3
                continue
            if key == "form" and i + 1 < len(args):
                forms.append(args[i + 1])
            elif isinstance(key, str) and key in SONG_DECIDES:
                raise ValueError(f"a song takes {key} from its form; leave {key} out")
            elif isinstance(key, str) and key not in SONG_KEYS:
                raise ValueError(f"unknown key {key[:40]!r}; {c.SONG} takes {', '.join(SONG_KEYS)}")
            else:
                rest += args[i:i + 2]
        except ValueError as error:
            problem = problem or str(error)
        i += 2
    if not problem and len(forms) + bool(sections) != 1:
        problem = ("give the form once: form \"intro:4 verse:8 ...\" or section name bars triples" if forms or sections
                   else "a song needs a form: form \"intro:4 verse:8 ...\" or section name bars triples")
    if problem:
        request_id, port = _reply_context(tuple(rest))
        raise RequestRejected(ErrorCode.BAD_REQUEST, problem, request_id, port)
    form = forms[0] if forms else " ".join(sections)
    return (form if isinstance(form, str) else str(form)), tuple(rest)


class SongHandlers:
    """Queues song jobs on the same table and worker as patterns (one model, one queue)."""

    def __init__(self, jobs: JobHandlers) -> None:
        self._jobs = jobs

    def routes(self) -> Mapping[str, Handler]:
        return {c.SONG: self.song}

    def song(self, request: Request) -> None:
        """/mdg/song key value ... form text -> /mdg/queued job_id request_id (the worker sends the rest)."""
        form, rest = split_form(request.message.args)
        parsed = parse_generate_args(rest, address=c.SONG)
        self._jobs.submit(request, parsed, lambda fields: parse_song_request({**fields, "form": form}))
