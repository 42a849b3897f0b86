"""One way to turn a pydantic error into the one-line sentence a producer reads.

The CLI, the daemon's request handler and the daemon's config all answer a wrong value the same
way: "bars must be between 1 and 32, got 99". The rule text comes from the caller (the request
schema derives it from its own fields), the value is shown as typed: 240, not 240.0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only the type: this module stays importable without pydantic's start-up cost
    from pydantic import ValidationError

RuleOf = Callable[[str], str | None]
"""The allowed values of a field, in words ("between 1 and 32"), or None when unknown."""


ECHO_LIMIT_CHARS = 60
"""An echoed value is cut to this many characters: a reply must stay one short line whatever was sent."""


def shown_value(value: Any, limit: int = ECHO_LIMIT_CHARS) -> str:
    """A value as the user typed it: whole floats without ".0", text quoted, NaN as nan; cut to `limit`."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def out_of_range(name: str, value: float, low: float, high: float) -> str | None:
    """The sentence for a value outside [low, high] ("bars must be between 1 and 32, got 99"), else None."""
    if low <= value <= high:
        return None
    return f"{name} must be between {shown_value(low)} and {shown_value(high)}, got {shown_value(value)}"


def first_error(error: ValidationError, rule_of: RuleOf, unknown_noun: str, known: Sequence[str],
                echo_limit: int = ECHO_LIMIT_CHARS) -> tuple[str, str]:
    """(field, sentence) for the first problem pydantic found.

    Args:
        error: what pydantic raised.
        rule_of: the allowed values of a field, in words.
        unknown_noun: what an unexpected key is called ("field", "setting").
        known: the keys that are allowed, listed when an unknown one is given.
        echo_limit: the longest echo of the value (a local config's path may be long; a reply may not).
    """
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "value"
    rule = rule_of(field) or first["msg"]
    if first["type"] == "extra_forbidden":
        return field, f"unknown {unknown_noun} {field!r}; known {unknown_noun}s are {', '.join(known)}"
    if first["type"] == "missing":
        return field, f"{field} is required: {rule}"
    return field, f"{field} must be {rule}, got {shown_value(first.get('input'), echo_limit)}"


def one_line(error: BaseException) -> str:
    """The first line of an error's text: some libraries (torch) put a page of advice after it."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
