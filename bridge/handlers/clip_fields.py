"""The clip requests' text values, as a device sends them over OSC, turned into engine.clip.ClipRequest values.

OSC has no lists or maps, so `keep` is "kick,snare", `keep_bars` "1-3" or "1,3,5-6" and `kit`
"kick:36,snare:38,...". Each wrong piece gets a sentence naming the key, the piece and what is
allowed; voice names are the engine's own (engine.constants.VOICES), written as a producer might
("closed hat", "Closed-Hat").
"""

from __future__ import annotations

from typing import Any, Final

from mididrumigen.bridge.osc.message import OscArg
from mididrumigen.engine.constants import VOICES
from mididrumigen.engine.errors import RequestError
from mididrumigen.engine.schema import MAX_BARS

_VOICE_LIST: Final = ", ".join(VOICES)


def voice_name(key: str, text: str) -> str:
    """A voice name in the engine's spelling.

    Raises:
        RequestError: for a name that is not one of the engine's voices.
    """
    name = "_".join(text.strip().lower().replace("-", " ").split())
    if name not in VOICES:
        raise RequestError(key, f"{key}: unknown voice {text.strip()[:40]!r}; voices are {_VOICE_LIST}")
    return name


def _text(key: str, value: OscArg, example: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RequestError(key, f"{key} must be text like {example!r}, got {value!r}"[:200])
    return str(value)


def parse_keep(value: OscArg) -> tuple[str, ...]:
    """'kick,snare' -> ('kick', 'snare'); '' keeps nothing."""
    text = _text("keep", value, "kick,snare")
    names = [voice_name("keep", part) for part in text.split(",") if part.strip()]
    return tuple(dict.fromkeys(names))


def parse_keep_bars(value: OscArg) -> tuple[int, ...]:
    """'1-3' -> (1, 2, 3); '1,4' -> (1, 4); 2 -> (2,). Bars count from 1."""
    text = _text("keep_bars", value, "1-3")
    bars: list[int] = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        first, _, last = part.partition("-")
        try:
            low, high = int(first), int(last or first)
        except ValueError:
            raise RequestError(
                "keep_bars", f"keep_bars must be bar numbers like '1-3' or '1,4', got {part[:40]!r}"
            ) from None
        if not 1 <= low <= high <= MAX_BARS:
            raise RequestError(
                "keep_bars", f"keep_bars must be bars between 1 and {MAX_BARS}, low to high, got {part[:40]!r}"
            )
        bars += range(low, high + 1)
    return tuple(sorted(set(bars)))


def parse_kit(value: OscArg) -> dict[str, int]:
    """'kick:36,snare:38' -> {'kick': 36, 'snare': 38}: the MIDI note each voice is read from and written to."""
    text = _text("kit", value, "kick:36,snare:38")
    kit: dict[str, int] = {}
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        name, sep, note_text = part.rpartition(":")
        if not sep:
            raise RequestError("kit", f"kit entries must be voice:note like 'kick:36', got {part[:40]!r}")
        voice = voice_name("kit", name)
        try:
            note = int(note_text)
        except ValueError:
            note = -1
        if not 0 <= note <= 127:
            raise RequestError("kit", f"kit: the note of {voice} must be between 0 and 127, got {note_text[:20]!r}")
        if voice in kit:
            raise RequestError("kit", f"kit: {voice} is given twice")
        kit[voice] = note
    if not kit:
        raise RequestError("kit", "kit must map at least one voice, like 'kick:36,snare:38'")
    return kit


_PARSERS: Final = {"keep": parse_keep, "keep_bars": parse_keep_bars, "kit": parse_kit}


def clip_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The request's fields with `keep`, `keep_bars` and `kit` turned from OSC text into the engine's values.

    Raises:
        RequestError: naming the key and the wrong piece.
    """
    return {key: _PARSERS[key](value) if key in _PARSERS else value for key, value in fields.items()}
