"""The one request model every entry point (CLI, OSC daemon) validates against.

Each field's range, default and help text are written here once, on the field. The CLI's help,
every error sentence ("bars must be between 1 and 32, got 99") and the README tables (checked by a
test) come from these fields, so the command line and the daemon accept and refuse the same values.
"""

from __future__ import annotations

import secrets
from enum import StrEnum
from typing import Any, Final, TypeVar

from annotated_types import Ge, Gt, Le
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mididrumigen.engine.constants import ALLOWED_DENOMINATORS, MAX_NUMERATOR
from mididrumigen.engine.errors import RequestError
from mididrumigen.engine.kits import parse_kit_text, validate_kit
from mididrumigen.engine.messages import RuleOf, first_error, shown_value

MAX_BARS: Final = 32
MAX_SEED: Final = 2**32 - 1
MAX_VARIATIONS: Final = 8
"""Takes one daemon request may ask for: a device's row of clip slots, made in one batched pass."""


class PatternType(StrEnum):
    """Where the pattern sits in a song; mapped to an energy level the model is conditioned on."""

    INTRO = "intro"
    VERSE = "verse"
    CHORUS = "chorus"
    BRIDGE = "bridge"
    OUTRO = "outro"


_RULE_WORDS: Final[dict[str, str]] = {
    "style": "a style id or name (see `mididrumigen styles`)",
    "denominator": f"one of {', '.join(str(d) for d in ALLOWED_DENOMINATORS)}",
    "humanize": "true or false (1 or 0)",
    "fill": "true or false (1 or 0)",
    "pattern_type": f"one of {', '.join(PatternType)}",
    "seed": "a whole number between 0 and 2**32 - 1",
    "variations": f"a whole number between 1 and {MAX_VARIATIONS}",
    "kit": "voice:note pairs like kick:36,snare:38",
}
"""Rules that are not a plain numeric range; every other field's rule is read from its bounds."""

_RULE_NOTES: Final[dict[str, str]] = {"top_k": " (0 turns it off)"}


class GenerationRequest(BaseModel):
    """Everything that decides a pattern. Same request and seed give the same pattern."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)

    style: str = Field(min_length=1, max_length=100, description='whose feel, e.g. "J Dilla" or metro_boomin')
    bars: int = Field(default=4, ge=1, le=MAX_BARS, description="length of the pattern in bars")
    tempo: float = Field(default=95.0, ge=60, le=200, description="BPM, written into the clip")
    numerator: int = Field(default=4, ge=1, le=MAX_NUMERATOR, description="beats per bar")
    denominator: int = Field(default=4, description="the beat's note value",
                             json_schema_extra={"enum": list(ALLOWED_DENOMINATORS)})  # listed for forms and /docs
    humanize: bool = Field(default=True, description="apply the style's feel (swing, timing, ghost notes)")
    fill: bool = Field(default=True,
                       description="end a pattern of 4 or more bars (and each of its phrases) with a fill bar")
    """False: every bar is groove, for a seamless loop."""
    pattern_type: PatternType = Field(default=PatternType.VERSE, description="the song section it is for")
    temperature: float = Field(default=0.9, ge=0.1, le=2.0, description="sampling temperature")
    """0.9 with top_p 0.95: per bar, `mididrumigen eval` measured them as close to real drummers as
    the model's own distribution (1.0 / 1.0), or closer; across bars they repeat more than real
    drummers, which a style's `variation` (issue #11) heats back in its groove bars."""
    top_k: int = Field(default=0, ge=0, le=100, description="keep only the k likeliest events")
    top_p: float = Field(default=0.95, gt=0.0, le=1.0, description="nucleus sampling")
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED,
                             description="same seed and settings give the same pattern")
    variations: int = Field(default=1, ge=1, le=MAX_VARIATIONS,
                            description="takes made in one batched pass, with seeds seed, seed+1, ...")
    kit: dict[str, int] | None = Field(default=None,
                                       description="voice -> MIDI note of your pads (voices left out: General MIDI)")
    """A mapping, or the text OSC carries ("kick:36,snare:38"); both checked by engine.kits."""

    @field_validator("bars", "tempo", "numerator", "denominator", "temperature", "top_k", "top_p", "seed",
                     "variations", mode="before")
    @classmethod
    def _numbers_are_not_flags(cls, value: Any) -> Any:
        # pydantic's lax mode reads true as 1: a JSON `"bars": true` or an OSC T would be one bar.
        if isinstance(value, bool):
            raise ValueError("a number, not true/false")
        return value

    @field_validator("kit", mode="before")
    @classmethod
    def _kit_map(cls, value: Any) -> dict[str, int] | None:
        if value is None:
            return None
        if isinstance(value, dict):
            return validate_kit(value)
        if isinstance(value, str):
            return parse_kit_text(value)
        raise ValueError("kit must be a mapping or text")

    @field_validator("denominator")
    @classmethod
    def _denominator_is_allowed(cls, value: int) -> int:
        if value not in ALLOWED_DENOMINATORS:
            raise ValueError("denominator not allowed")
        return value

    @model_validator(mode="after")
    def _takes_fit_the_seed_range(self) -> GenerationRequest:
        # Take k has seed + k - 1: the last take's seed must still be a seed.
        if self.seed is not None and self.seed + self.variations - 1 > MAX_SEED:
            raise RequestError("variations", f"variations {self.variations} from seed {self.seed} would run past "
                                             f"2**32 - 1; give a seed of at most {MAX_SEED - self.variations + 1}")
        return self

    @property
    def time_signature(self) -> str:
        return f"{self.numerator}/{self.denominator}"


def _bounds(field: str) -> tuple[Any, Any, bool]:
    """(lowest, highest, lowest excluded) of a numeric field, from its pydantic constraints."""
    low: Any = None
    high: Any = None
    exclusive = False
    for item in GenerationRequest.model_fields[field].metadata:
        if isinstance(item, Ge):
            low = item.ge
        elif isinstance(item, Gt):
            low, exclusive = item.gt, True
        elif isinstance(item, Le):
            high = item.le
    return low, high, exclusive


def field_rule(field: str) -> str | None:
    """What a field accepts, in words ("between 1 and 32"), derived from its constraints."""
    if field in _RULE_WORDS:
        return _RULE_WORDS[field]
    if field not in GenerationRequest.model_fields:
        return None
    low, high, exclusive = _bounds(field)
    if low is None or high is None:
        return None
    if exclusive:
        return f"greater than {shown_value(low)} and at most {shown_value(high)}"
    return f"between {low} and {high}{_RULE_NOTES.get(field, '')}"


def field_default(field: str) -> Any:
    """The value a request gets when the field is left out (None: required, or drawn like the seed)."""
    info = GenerationRequest.model_fields[field]
    return None if info.is_required() else info.default


def field_help(field: str) -> str:
    """The CLI help of a request field: what it is, what it accepts, its default."""
    info = GenerationRequest.model_fields[field]
    default = field_default(field)
    if isinstance(default, StrEnum):
        default = default.value
    if info.is_required():
        shown = ""
    elif default is None:
        shown = " (default: drawn at random and printed)"
    else:
        shown = f" (default {default if isinstance(default, str) else shown_value(default)})"
    return f"{info.description}: {field_rule(field)}{shown}"


Model = TypeVar("Model", bound=BaseModel)


def validate_fields(model: type[Model], values: dict[str, Any], rule_of: RuleOf) -> Model:
    """Validate raw values into `model`, refusing unknown keys; our own validators' RequestErrors come
    out as they were raised (pydantic wraps them), every other problem as the first field's sentence.

    Raises:
        RequestError: naming the first wrong field, what it allows and what it got.
    """
    known = list(model.model_fields)
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise RequestError(unknown[0], f"unknown field {unknown[0]!r}; known fields are {', '.join(known)}")
    try:
        return model(**values)
    except ValidationError as error:
        for item in error.errors():
            cause = (item.get("ctx") or {}).get("error")
            if isinstance(cause, RequestError):
                raise cause from error
        field, sentence = first_error(error, rule_of, "field", known)
        raise RequestError(field, sentence) from error


def parse_request(values: dict[str, Any]) -> GenerationRequest:
    """Validate raw values (from argparse or OSC) into a request.

    Raises:
        RequestError: naming the first wrong field, what it allows and what it got.
    """
    return validate_fields(GenerationRequest, values, field_rule)


def variation_seeds(first: int | None, count: int) -> list[int]:
    """seed, seed+1, ... for `count` variations; without a seed the first one is drawn (so all fit the range).

    One random stream per row, fixed by its seed: a take is the same pattern alone or in a batch.
    """
    start = secrets.randbelow(MAX_SEED + 2 - count) if first is None else first
    return [start + index for index in range(count)]


def take_requests(request: GenerationRequest) -> list[GenerationRequest]:
    """The request's takes as one-take requests, in row order, each with its row's seed (variation_seeds).

    Take k made alone (`variations` 1, seed seed + k) is the same pattern as take k of the batch.
    """
    seeds = variation_seeds(request.seed, request.variations)
    return [request.model_copy(update={"seed": seed, "variations": 1}) for seed in seeds]


def parse_time_signature(text: str) -> tuple[int, int]:
    """Parse "7/8" into (7, 8); range checks are left to the request model."""
    parts = text.strip().split("/")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise RequestError("time_signature", f"time signature must look like 4/4 or 7/8, got {text!r}")
    return int(parts[0]), int(parts[1])
