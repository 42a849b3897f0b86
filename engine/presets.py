"""Style presets: YAML files checked into pydantic models when they load, never at first use.

A preset says which training genres to condition the model on, which kit notes to write, and how
to humanize the result (swing, per-voice push/drag, ghost notes, ornaments such as hat rolls).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from mididrumigen.engine.constants import DEFAULT_KIT, GENRES, VOICES
from mididrumigen.engine.errors import PresetError, UnknownStyleError
from mididrumigen.engine.schema import PatternType
from mididrumigen.engine.yaml_files import YamlFileError, load_yaml_file

log = logging.getLogger(__name__)

BUILTIN_PRESETS_DIR: Final = Path(__file__).resolve().parent.parent / "presets"
PRESETS_DIR_ENV: Final = "MIDIDRUMIGEN_PRESETS_DIR"
"""Environment variable naming the user preset folder (several may be joined with os.pathsep)."""

Energy = Literal["low", "mid", "high"]

PATTERN_ENERGY: Final[dict[PatternType, Energy]] = {
    PatternType.INTRO: "low",
    PatternType.VERSE: "mid",
    PatternType.CHORUS: "high",
    PatternType.BRIDGE: "mid",
    PatternType.OUTRO: "low",
}
"""Song section -> energy level the model is conditioned on.

The training data (Groove MIDI Dataset) has no song-section labels, so the model is conditioned on
an energy level measured in the data instead: the tertile of hits per bar (low, mid, high). A
section name only picks which of those three levels to ask for.
"""

MAX_PROMPT_BARS: Final = 2
MAX_PROMPT_HITS: Final = 64 * MAX_PROMPT_BARS
"""A prompt clip's bars and hits at most: the opening of a groove, a small part of the model's window."""
MidiNote = Annotated[int, Field(ge=0, le=127)]
Velocity = Annotated[int, Field(ge=1, le=127)]
VoiceTimingMs = Annotated[float, Field(ge=-50.0, le=50.0)]


def _check_voices(names: Sequence[str], field: str) -> None:
    unknown = [name for name in names if name not in VOICES]
    if unknown:
        raise ValueError(f"unknown voice {unknown[0]!r} in {field}; voices are {', '.join(VOICES)}")


class Ornament(BaseModel):
    """A decoration added after timing; today only `hat_roll`.

    A hat roll replaces a closed-hat hit, and any closed hats after it within `span_steps` 16ths,
    with an even run of `divisions` notes per beat (8 = 32nd notes, 6 = 16th triplets), ramping
    velocity from `ramp_from` times the hat's velocity up to the full velocity. With `probability`
    per beat that holds a closed hat, one of its hats starts a roll; `divisions` is picked at random.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["hat_roll"]
    probability: float = Field(ge=0.0, le=1.0)
    divisions: tuple[Literal[6, 8, 12, 16], ...] = Field(default=(8,), min_length=1)
    span_steps: Literal[2, 4] = 2
    ramp_from: float = Field(default=0.6, ge=0.1, le=1.0)


class HumanizeSettings(BaseModel):
    """How a style moves notes off the grid and varies their velocity; defaults are a straight, dry feel."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    swing_percent: float = Field(default=50.0, ge=50.0, le=75.0)
    """Where the 2nd 16th of each 8th-note pair falls, in percent of the 8th: 50 straight, 66.7 triplet.
    The clip's swing, the model's own included: the humanizer adds only what is missing."""
    micro_timing_ms: float = Field(default=0.0, ge=0.0, le=30.0)
    """Std-dev of gaussian timing jitter per note."""
    voice_timing_ms: dict[str, VoiceTimingMs] = Field(default_factory=dict)
    """Where a voice sits against the grid: push (negative) or drag (positive) of its median on-beat
    note, e.g. a late Dilla snare. The humanizer moves the voice's notes together to put it there."""
    ghost_note_probability: float = Field(default=0.0, ge=0.0, le=1.0)
    """Chance to add a soft snare on an empty 16th next to a snare or kick hit."""
    ghost_velocity: tuple[Velocity, Velocity] = (20, 38)
    velocity_variation: float = Field(default=0.0, ge=0.0, le=40.0)
    """Std-dev of gaussian velocity jitter per note."""
    velocity_floor: dict[str, Velocity] = Field(default_factory=dict)
    """The softest a voice's main hits may be, after the model and the jitter: a kick or backbeat the
    model plays at velocity 5 vanishes in a mix. Ghost notes (snares off the beat under the ghost
    velocity) keep their velocity."""

    @field_validator("voice_timing_ms")
    @classmethod
    def _voices_are_known(cls, value: dict[str, float]) -> dict[str, float]:
        _check_voices(list(value), "voice_timing_ms")
        return value

    @field_validator("velocity_floor")
    @classmethod
    def _floor_voices_are_known(cls, value: dict[str, int]) -> dict[str, int]:
        _check_voices(list(value), "velocity_floor")
        return value

    @field_validator("ghost_velocity")
    @classmethod
    def _range_is_ordered(cls, value: tuple[int, int]) -> tuple[int, int]:
        if value[0] > value[1]:
            raise ValueError(f"ghost_velocity must be [low, high] with low <= high, got {list(value)}")
        return value


class Anchor(BaseModel):
    """A rule of the style that the sampler's grammar keeps in every groove bar (not in fills), while
    the model plays everything around it: Metro Boomin's half-time snare on beat 3, never on 2 or 4.

    `beat` is where in the bar, 1-based in quarter notes, on the 16th grid (1, 1.25, ... 3 = beat 3);
    an anchor past the end of a shorter bar is skipped. `force` makes the voice play there (with
    `probability` per bar, at a velocity inside `velocity` when given); `forbid` keeps it from there.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    voice: str
    beat: float = Field(ge=1.0, le=32.75)
    rule: Literal["force", "forbid"] = "force"
    probability: float = Field(default=1.0, ge=0.0, le=1.0)
    velocity: tuple[Velocity, Velocity] | None = None

    @field_validator("voice")
    @classmethod
    def _voice_is_known(cls, value: str) -> str:
        _check_voices([value], "anchors")
        return value

    @field_validator("beat")
    @classmethod
    def _beat_is_on_the_grid(cls, value: float) -> float:
        if abs(value * 4 - round(value * 4)) > 1e-9:
            raise ValueError(f"beat must lie on the 16th grid (1, 1.25, 1.5, ...), got {value:g}")
        return value

    @field_validator("velocity")
    @classmethod
    def _velocity_is_ordered(cls, value: tuple[int, int] | None, info: ValidationInfo) -> tuple[int, int] | None:
        if value is not None and value[0] > value[1]:
            raise ValueError(f"velocity must be [low, high] with low <= high, got {list(value)}")
        if value is not None and info.data.get("rule") == "forbid":
            raise ValueError("velocity applies to a forced anchor, not a forbidden one")
        return value

    @property
    def step(self) -> int:
        """The anchor's 16th-note step inside the bar, from 0."""
        return round((self.beat - 1.0) * 4)


class PromptClip(BaseModel):
    """A few bars of the producer's own 4/4 playing that a learned style's patterns start from: the model
    reads them as the bars before the pattern (no retraining). Hits are [bar, step, voice, velocity,
    micro-timing in 16th steps], as `mididrumigen style learn` writes them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bars: int = Field(ge=1, le=MAX_PROMPT_BARS)
    hits: tuple[tuple[int, int, str, Velocity, float], ...] = Field(min_length=1, max_length=MAX_PROMPT_HITS)

    @field_validator("hits")
    @classmethod
    def _hits_fit(cls, value: tuple[tuple[int, int, str, int, float], ...],
                  info: ValidationInfo) -> tuple[tuple[int, int, str, int, float], ...]:
        bars = info.data.get("bars", MAX_PROMPT_BARS)
        for bar, step, voice, _, offset in value:
            _check_voices([voice], "prompts")
            if not (0 <= bar < bars and 0 <= step < 16 and -0.5 <= offset <= 0.5):
                raise ValueError(f"prompt hit [{bar}, {step}, {voice}] must lie in its {bars} bars of 16 steps "
                                 f"with micro-timing -0.5..0.5")
        return value


class StylePreset(BaseModel):
    """One style: what to condition the model on, which notes to write and how to humanize them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1, max_length=100)
    description: str = Field(min_length=1, max_length=300)
    tempo_min: int = Field(ge=60, le=200)
    tempo_max: int = Field(ge=60, le=200)
    genres: tuple[str, ...] = Field(min_length=1)
    kit: dict[str, MidiNote] = Field(default_factory=lambda: dict(DEFAULT_KIT))
    humanize: HumanizeSettings = Field(default_factory=HumanizeSettings)
    ornaments: tuple[Ornament, ...] = ()
    anchors: tuple[Anchor, ...] = ()
    variation: float = Field(default=1.0, ge=0.5, le=2.0)
    """How freely the drummer varies a groove bar to bar: groove bars' step and voice draws are made at
    the request's temperature times this (engine.sampling); anchors, fills and velocities are not.
    1 plays as the request asks; above 1 a bar strays further from the last, below 1 it repeats it."""
    prompts: tuple[PromptClip, ...] = Field(default=(), max_length=4)
    """A learned style's own clips (4/4): each 4/4 pattern starts from one of them, picked by seed."""
    phrase_bars: Literal[4, 8] = 8
    """How long the style's phrases are: a pattern or song section longer than this plays a fill in
    the last bar of every phrase (bars 4, 8, ... or 8, 16, ...) as well as in its own last bar."""

    @field_validator("description")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value.strip():
            raise ValueError("description must be one line")
        return value.strip()

    @field_validator("tempo_max")
    @classmethod
    def _tempo_range_is_ordered(cls, value: int, info: ValidationInfo) -> int:
        tempo_min = info.data.get("tempo_min")
        if tempo_min is not None and tempo_min > value:
            raise ValueError(f"tempo_max must be >= tempo_min ({tempo_min}), got {value}")
        return value

    @field_validator("genres")
    @classmethod
    def _genres_are_known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [genre for genre in value if genre not in GENRES]
        if unknown:
            raise ValueError(f"unknown genre {unknown[0]!r}; genres are {', '.join(GENRES)}")
        if len(set(value)) != len(value):
            raise ValueError("genres must not repeat")
        return value

    @field_validator("kit")
    @classmethod
    def _kit_is_complete(cls, value: dict[str, int]) -> dict[str, int]:
        # A partial kit is fine: voices it leaves out keep their General MIDI note.
        _check_voices(list(value), "kit")
        return {voice: value.get(voice, DEFAULT_KIT[voice]) for voice in VOICES}

    @field_validator("anchors")
    @classmethod
    def _anchors_agree(cls, value: tuple[Anchor, ...]) -> tuple[Anchor, ...]:
        seen: dict[tuple[str, int], str] = {}
        for anchor in value:
            key = (anchor.voice, anchor.step)
            if key in seen:
                raise ValueError(f"two anchors for {anchor.voice} on beat {anchor.beat:g} ({seen[key]} and "
                                 f"{anchor.rule}); keep one")
            seen[key] = anchor.rule
        return value

    def tempo_warning(self, tempo: float) -> str | None:
        """A one-line warning when `tempo` (BPM) is outside this style's preferred range, else None."""
        if self.tempo_min <= tempo <= self.tempo_max:
            return None
        return (
            f"tempo {tempo:g} is outside {self.name}'s preferred range {self.tempo_min}-{self.tempo_max} BPM"
        )


def phrase_fill_bars(bars: int, phrase_bars: int, last: bool = True) -> frozenset[int]:
    """The bars (from 0) that end a phrase of `phrase_bars` inside `bars`, and the last bar when
    `last`: where a drummer fills."""
    inner = {b for b in range(phrase_bars - 1, bars - 1, phrase_bars)}
    return frozenset(inner | ({bars - 1} if last else set()))


def _style_key(text: str) -> str:
    """ "J Dilla", "j-dilla" and "j_dilla" all become "j_dilla"."""
    return re.sub(r"[\s_-]+", "_", text.strip().casefold())


def _by_name(style: StylePreset) -> tuple[str, str]:
    return style.name.casefold(), style.id


@dataclass
class PresetRegistry:
    """The loaded styles, sorted by name, plus one problem line per file that failed to load.

    Not frozen: a style learned while the daemon runs is `add`ed, so the next request finds it without
    a restart. `styles` is only ever replaced whole, so a reader on another thread sees the old tuple
    or the new one.
    """

    styles: tuple[StylePreset, ...]
    problems: tuple[str, ...] = ()

    def add(self, preset: StylePreset) -> None:
        """Put a style into the loaded ones (replacing the one of the same id), kept sorted by name."""
        kept = [style for style in self.styles if style.id != preset.id]
        self.styles = tuple(sorted((*kept, preset), key=_by_name))

    def resolve(self, name_or_id: str) -> StylePreset:
        """Find a style by id or name, ignoring case and treating spaces and hyphens as underscores.

        Raises:
            UnknownStyleError: no style matches; the message lists the known style names.
        """
        key = _style_key(name_or_id)
        # Ids win over names, so a user style named like another's id can never shadow it.
        for style in self.styles:
            if _style_key(style.id) == key:
                return style
        for style in self.styles:
            if _style_key(style.name) == key:
                return style
        if self.styles:
            known = ", ".join(f"{s.name} ({s.id})" for s in self.styles)
            message = f"unknown style {name_or_id!r}; known styles are {known}"
        else:
            message = f"unknown style {name_or_id!r}; no styles are loaded"
        raise UnknownStyleError("style", message)


def _describe_validation_error(error: ValidationError) -> str:
    """Turn pydantic's errors into "field: what is wrong" clauses, first error first."""
    clauses = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "preset"
        if item["type"] == "extra_forbidden":
            what = "unknown field"
        elif item["type"] == "missing":
            what = "is required"
        else:
            what = item["msg"].removeprefix("Value error, ")
        clauses.append(f"{field}: {what}")
    return "; ".join(clauses)


def load_preset_file(path: Path) -> StylePreset:
    """Read and validate one preset YAML file (at most MAX_YAML_BYTES, loaded safely).

    Raises:
        PresetError: "<path>: <field>: <what is wrong>" for an unreadable, oversize, malformed or invalid
            file; the message never quotes the file's text.
    """
    try:
        raw: Any = load_yaml_file(path)
    except YamlFileError as error:
        raise PresetError(str(error)) from error
    if not isinstance(raw, dict):
        kind = "empty" if raw is None else type(raw).__name__
        raise PresetError(f"{path}: file: must be a mapping of preset fields, got {kind}")
    try:
        return StylePreset.model_validate(raw)
    except ValidationError as error:
        raise PresetError(f"{path}: {_describe_validation_error(error)}") from error


def default_user_dirs() -> tuple[Path, ...]:
    """$MIDIDRUMIGEN_PRESETS_DIR when set, else ~/.mididrumigen/presets."""
    env = os.environ.get(PRESETS_DIR_ENV, "").strip()
    if env:
        return tuple(Path(part).expanduser() for part in env.split(os.pathsep) if part)
    return (Path.home() / ".mididrumigen" / "presets",)


def _preset_files(folder: Path, problems: list[str]) -> list[Path]:
    """The folder's .yaml/.yml files; a link that leads out of the folder is refused, not followed.

    A preset linked to a secret file would otherwise put that file's lines into the warning and the log.
    """
    root = folder.resolve()
    files = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml"):
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            problems.append(f"{path}: file: is a link out of the preset folder; not followed")
            continue
        if path.is_file():
            files.append(path)
    return files


def load_presets(user_dirs: Sequence[Path] | None = None) -> PresetRegistry:
    """Load the built-in presets, then each user folder; a user style overrides a built-in one by id.

    Args:
        user_dirs: folders of user presets, later ones winning; None means `default_user_dirs()`,
            an empty sequence means built-ins only. A missing folder is skipped.

    Returns:
        The registry. A bad file never stops the others: it is listed in `problems`, which the caller
        reports (once: this function logs only the count, so no problem is shown twice).
    """
    folders = [BUILTIN_PRESETS_DIR, *(default_user_dirs() if user_dirs is None else user_dirs)]
    by_id: dict[str, tuple[StylePreset, Path]] = {}
    problems: list[str] = []
    for folder in folders:
        if not folder.exists():
            log.debug("preset folder %s does not exist; skipped", folder)
            continue
        if not folder.is_dir():
            problems.append(f"{folder}: folder: is not a directory")
            continue
        for path in _preset_files(folder, problems):
            try:
                preset = load_preset_file(path)
            except PresetError as error:
                problems.append(str(error))
                continue
            if preset.id in by_id:
                log.info("style %r from %s overrides the one from %s", preset.id, path, by_id[preset.id][1])
            by_id[preset.id] = (preset, path)
    styles = tuple(sorted((p for p, _ in by_id.values()), key=_by_name))
    log.info(
        "loaded %d styles (%s), %d problems", len(styles), ", ".join(s.id for s in styles), len(problems)
    )
    return PresetRegistry(styles=styles, problems=tuple(problems))
