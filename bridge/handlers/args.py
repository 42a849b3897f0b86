"""Argument checks shared by the handlers; each refusal is a RequestRejected naming the argument."""

from __future__ import annotations

import math
from typing import Final

from mididrumigen.bridge.dispatcher import RequestRejected
from mididrumigen.bridge.osc.message import OscArg, TimeTag
from mididrumigen.bridge.protocol import ErrorCode

MAX_JOB_ID_CHARS: Final = 64
MAX_ABS_NUMBER: Final = 1e9
"""The largest magnitude a free number (a beat position) may have: a billion beats is centuries of
music, and bigger values only overflow the arithmetic built on them."""


def describe(value: OscArg) -> str:
    """A value as a producer would recognize it in an error message."""
    if isinstance(value, str):
        return repr(value[:40])
    if isinstance(value, bytes):
        return f"a blob of {len(value)} bytes"
    if isinstance(value, TimeTag):
        return "a time tag"
    return repr(value)


def is_plain_number(value: OscArg) -> bool:
    """An int or float the sender meant as a number: not OSC's T/F and not a time tag."""
    return isinstance(value, int | float) and not isinstance(value, bool | TimeTag)


def reply_port(value: OscArg) -> int:
    """Check a reply_port value: a whole number 1..65535."""
    if not is_plain_number(value) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise RequestRejected(
            ErrorCode.BAD_REQUEST, f"reply_port must be a whole number between 1 and 65535, got {describe(value)}"
        )
    return value


def check_count(address: str, args: tuple[OscArg, ...], usage: str, minimum: int, maximum: int) -> None:
    """Refuse a message with too few or too many arguments, showing its usage."""
    if not minimum <= len(args) <= maximum:
        raise RequestRejected(
            ErrorCode.BAD_REQUEST, f"{address} takes {usage}, got {len(args)} argument{'s' * (len(args) != 1)}"
        )


def trailing_reply_port(args: tuple[OscArg, ...], index: int) -> int | None:
    """The optional reply_port at `index`, checked, or None when the message stops before it."""
    return reply_port(args[index]) if len(args) > index else None


def job_id(value: OscArg, port: int | None) -> str:
    """Check a job_id argument: a non-empty string."""
    if not isinstance(value, str) or not value or len(value) > MAX_JOB_ID_CHARS:
        raise RequestRejected(
            ErrorCode.BAD_REQUEST, f"job_id must be the id from /mdg/queued, got {describe(value)}", reply_port=port
        )
    return value


def flag(name: str, value: OscArg, port: int | None = None) -> bool:
    """Check a 0/1 flag (an int, or OSC's T/F)."""
    if value in (0, 1) and isinstance(value, int) and not isinstance(value, TimeTag):
        return bool(value)
    raise RequestRejected(ErrorCode.BAD_REQUEST, f"{name} must be 0 or 1, got {describe(value)}", reply_port=port)


def number(name: str, value: OscArg) -> float:
    """Check a numeric argument: an int or float (not a flag or time tag), finite, at most MAX_ABS_NUMBER."""
    if not is_plain_number(value) or not math.isfinite(value) or abs(value) > MAX_ABS_NUMBER:  # type: ignore[arg-type]
        raise RequestRejected(
            ErrorCode.BAD_REQUEST, f"{name} must be a number between -{MAX_ABS_NUMBER:,.0f} and {MAX_ABS_NUMBER:,.0f}, "
            f"got {describe(value)}"
        )
    return float(value)  # type: ignore[arg-type]
