"""Message layer: one OSC message as a frozen (address, args) pair, parsed and built with bounds."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, TypeAlias

from mididrumigen.bridge.constants import MAX_ARGUMENTS
from mididrumigen.bridge.errors import OscBuildError, OscParseError
from mididrumigen.bridge.osc import types as t



class TimeTag(int):
    """An OSC time tag (`t`): an int that handlers can tell apart from a number the sender meant."""


OscArg: TypeAlias = int | float | str | bytes | bool | None
"""What an argument decodes to: i/h/r -> int, t -> TimeTag (an int), f/d -> float, s/S/c -> str,
b/m -> bytes, T/F -> bool, N/I -> None."""


@dataclass(frozen=True)
class OscMessage:
    """One OSC message; frozen so it can cross threads."""

    address: str
    args: tuple[OscArg, ...] = ()


def _read_char(dgram: bytes, offset: int) -> tuple[str, int]:
    code, offset = t.read_int32(dgram, offset)
    # Surrogates (0xD800-0xDFFF) are code points but not characters: no reply could echo them.
    if not 0 <= code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise OscParseError(f"char argument {code} is not a character")
    return chr(code), offset


def _read_time_tag(dgram: bytes, offset: int) -> tuple[TimeTag, int]:
    value, offset = t.read_uint64(dgram, offset)
    return TimeTag(value), offset


def _read_midi(dgram: bytes, offset: int) -> tuple[bytes, int]:
    t.read_int32(dgram, offset)  # size check only
    return dgram[offset : offset + 4], offset + 4


_Reader: TypeAlias = Callable[[bytes, int], tuple[OscArg, int]]

_READERS: Final[dict[str, _Reader]] = {
    "i": t.read_int32,
    "f": t.read_float32,
    "s": t.read_string,
    "S": t.read_string,
    "b": t.read_blob,
    "h": t.read_int64,
    "d": t.read_float64,
    "t": _read_time_tag,
    "r": t.read_uint32,
    "c": _read_char,
    "m": _read_midi,
}
_CONSTANTS: Final[dict[str, OscArg]] = {"T": True, "F": False, "N": None, "I": None}


def parse_message(dgram: bytes, max_arguments: int = MAX_ARGUMENTS) -> OscMessage:
    """Parse one OSC message.

    Args:
        dgram: the message's bytes (a whole datagram or one bundle element).
        max_arguments: the most arguments accepted (requests need few; a /mdg/notes reply has ~800).

    Returns:
        The message, its arguments decoded by type tag.

    Raises:
        OscParseError: if any field runs past the end, a type tag is unknown or unsupported
            (arrays), there are more than max_arguments arguments, or bytes are left over.
    """
    address, offset = t.read_string(dgram, 0)
    if not address.startswith("/"):
        raise OscParseError(f"address must start with '/', got {address[:40]!r}")
    if offset == len(dgram):
        return OscMessage(address)  # OSC 1.0 allows a message without a type tag string
    tags, offset = t.read_string(dgram, offset)
    if not tags.startswith(","):
        raise OscParseError(f"type tag string must start with ',', got {tags[:40]!r}")
    if len(tags) - 1 > max_arguments:
        raise OscParseError(f"a message may carry at most {max_arguments} arguments, got {len(tags) - 1}")
    args: list[OscArg] = []
    for tag in tags[1:]:
        if tag in _CONSTANTS:
            args.append(_CONSTANTS[tag])
            continue
        reader = _READERS.get(tag)
        if reader is None:
            what = "arrays are not supported" if tag in "[]" else "unknown type tag"
            raise OscParseError(f"{what}: {tag!r} in {address}")
        value, offset = reader(dgram, offset)
        args.append(value)
    if offset != len(dgram):
        raise OscParseError(f"{len(dgram) - offset} bytes left over after the arguments of {address}")
    return OscMessage(address, tuple(args))


def _encode_arg(value: OscArg) -> tuple[str, bytes]:
    # bool before int: bool is a subclass of int.
    if value is True:
        return "T", b""
    if value is False:
        return "F", b""
    if value is None:
        return "N", b""
    if isinstance(value, int):
        return "i", t.write_int32(value)
    if isinstance(value, float):
        if math.isnan(value):
            raise OscBuildError("float argument must be a number, got nan")
        return "f", t.write_float32(value)
    if isinstance(value, str):
        return "s", t.write_string(value)
    if isinstance(value, bytes):
        return "b", t.write_blob(value)
    raise OscBuildError(f"cannot encode an argument of type {type(value).__name__}")


def build_message(message: OscMessage) -> bytes:
    """Encode a message: ints as int32, floats as float32, str as UTF-8 strings.

    Raises:
        OscBuildError: if the address does not start with '/' or an argument cannot be encoded.
    """
    if not message.address.startswith("/"):
        raise OscBuildError(f"address must start with '/', got {message.address!r}")
    tags = [","]
    payload = []
    for value in message.args:
        tag, data = _encode_arg(value)
        tags.append(tag)
        payload.append(data)
    return t.write_string(message.address) + t.write_string("".join(tags)) + b"".join(payload)
