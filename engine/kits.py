"""Kit maps: which MIDI note plays each of the model's voices on the producer's own kit.

A kit map is voice -> note (kick: 36, snare: 38, ...). It comes from a style preset, from a YAML
file in `kits/` (`--kit my808.yaml`), or over OSC as text "kick:36,snare:38". Every source is checked
by `validate_kit`, so all three refuse the same mistakes with the same sentence. A partial map is
allowed: the voices it leaves out are reported (`unmapped_voices`) and written on their General MIDI
notes, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol, TypeVar

from mididrumigen.engine.constants import DEFAULT_KIT, PITCH_TO_VOICE, VOICES
from mididrumigen.engine.errors import RequestError
from mididrumigen.engine.yaml_files import YamlFileError, load_yaml_file


class KitError(RequestError):
    """A kit map names an unknown voice, a note outside 0..127, or a note twice."""

    def __init__(self, message: str) -> None:
        super().__init__("kit", message)


def validate_kit(raw: Mapping[Any, Any]) -> dict[str, int]:
    """Check a voice -> note mapping and return it in canonical voice order.

    Raises:
        KitError: an unknown voice, a note that is not a whole number in 0..127, an empty map, or
            two voices on one note (a clip read through it could not tell them apart).
    """
    if not raw:
        raise KitError("kit must map at least one voice to a note")
    kit: dict[str, int] = {}
    for voice, note in raw.items():
        if voice not in VOICES:
            raise KitError(f"unknown voice {str(voice)[:40]!r} in kit; voices are {', '.join(VOICES)}")
        if isinstance(note, bool) or not isinstance(note, int) or not 0 <= note <= 127:
            raise KitError(f"kit note of {voice} must be a whole number between 0 and 127, got {str(note)[:20]!r}")
        kit[voice] = note
    notes = list(kit.values())
    twice = sorted({n for n in notes if notes.count(n) > 1})
    if twice:
        raise KitError(f"kit puts two voices on note {twice[0]}; give each voice its own note")
    return {voice: kit[voice] for voice in VOICES if voice in kit}


def parse_kit_text(text: str) -> dict[str, int]:
    """"kick:36,snare:38" (as OSC carries it) -> a validated kit.

    Raises:
        KitError: a pair that is not voice:note, or what `validate_kit` refuses.
    """
    raw: dict[str, Any] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        voice, sep, note = part.partition(":")
        if not sep or not note.strip().lstrip("-").isdigit():
            raise KitError(f"kit must look like kick:36,snare:38, got {part[:40]!r}")
        if voice.strip() in raw:
            raise KitError(f"kit names {voice.strip()[:40]!r} twice")
        raw[voice.strip()] = int(note)
    return validate_kit(raw)


def load_kit_file(path: Path) -> dict[str, int]:
    """Read a kit YAML file (a mapping voice: note), safely and size-capped like presets.

    Raises:
        KitError: "<path>: <what is wrong>" for an unreadable, malformed or invalid file.
    """
    try:
        raw = load_yaml_file(path)
    except YamlFileError as error:
        raise KitError(str(error)) from error
    if not isinstance(raw, dict):
        kind = "empty" if raw is None else type(raw).__name__
        raise KitError(f"{path}: must be a mapping of voice: note, got {kind}")
    try:
        return validate_kit(raw)
    except KitError as error:
        raise KitError(f"{path}: {error}") from error


def full_kit(kit: Mapping[str, int]) -> dict[str, int]:
    """Every voice's note: the kit's own, else General MIDI (for voices the kit leaves out)."""
    return {voice: kit.get(voice, DEFAULT_KIT[voice]) for voice in VOICES}


def unmapped_voices(kit: Mapping[str, int]) -> tuple[str, ...]:
    """Voices the kit has no pad for."""
    return tuple(voice for voice in VOICES if voice not in kit)


def unmapped_warning(kit: Mapping[str, int] | None) -> str | None:
    """The warning a request's partial kit earns (None without a kit, or with every voice on a pad):
    the voices it leaves out still play, on their General MIDI notes, and the producer is told so."""
    missing = unmapped_voices(kit) if kit is not None else ()
    if not missing:
        return None
    return (f"the kit has no pad for {', '.join(missing)}; written on General MIDI notes "
            f"{', '.join(str(DEFAULT_KIT[v]) for v in missing)}")


class _HasKit(Protocol):
    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Any: ...


Styled = TypeVar("Styled", bound=_HasKit)


def on_kit(style: Styled, kit: Mapping[str, int] | None) -> Styled:
    """A style preset that writes on a request's kit (the voices it leaves out on General MIDI);
    the style as it is when the request names no kit."""
    if kit is None:
        return style
    copied: Styled = style.model_copy(update={"kit": full_kit(kit)})
    return copied


def voice_of_pitch(kit: Mapping[str, int]) -> dict[int, str]:
    """Which voice a clip's note plays: the kit's own notes; with a General MIDI kit also the
    aliases the Groove MIDI Dataset records (37 side stick is a snare, 22 a closed hat, ...)."""
    voices = {note: voice for voice, note in kit.items()}
    if all(kit.get(voice) == note for voice, note in DEFAULT_KIT.items()):
        for pitch, voice in PITCH_TO_VOICE.items():
            voices.setdefault(pitch, voice)
    return voices
