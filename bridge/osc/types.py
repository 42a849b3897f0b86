"""Bytes layer: read and write the OSC 1.0 atomic types, checking every size against the datagram.

Every reader takes the datagram and an offset in bytes and returns (value, next offset). None of them
trusts a length field: a read that would run past the end raises OscParseError instead of slicing
short or looping, which is where general-purpose parsers fail on hostile input.
"""

from __future__ import annotations

import struct
from typing import Final

from mididrumigen.bridge.errors import OscBuildError, OscParseError

_INT32: Final = struct.Struct(">i")
_UINT32: Final = struct.Struct(">I")
_FLOAT32: Final = struct.Struct(">f")
_INT64: Final = struct.Struct(">q")
_UINT64: Final = struct.Struct(">Q")
_FLOAT64: Final = struct.Struct(">d")

INT32_MIN: Final = -(2**31)
INT32_MAX: Final = 2**31 - 1


def padded_length(length_bytes: int) -> int:
    """Round a length in bytes up to the next multiple of 4, as OSC aligns every field."""
    return (length_bytes + 3) & ~3


def _need(dgram: bytes, offset: int, size: int, what: str) -> None:
    if offset < 0 or size < 0 or offset + size > len(dgram):
        raise OscParseError(
            f"{what} needs {size} bytes at offset {offset}, but the datagram has {len(dgram)}"
        )


def read_string(dgram: bytes, offset: int) -> tuple[str, int]:
    """Read a NUL-terminated, 4-byte padded UTF-8 string."""
    end = dgram.find(b"\x00", offset)
    if offset >= len(dgram) or end < 0:
        raise OscParseError(f"string at offset {offset} has no terminating NUL")
    next_offset = padded_length(end + 1)
    # The padding must exist and be NULs; a string cut short at the end of the datagram is malformed.
    _need(dgram, offset, next_offset - offset, "string")
    if dgram[end:next_offset].strip(b"\x00"):
        raise OscParseError(f"string at offset {offset} has non-NUL padding")
    try:
        return dgram[offset:end].decode("utf-8"), next_offset
    except UnicodeDecodeError as error:
        raise OscParseError(f"string at offset {offset} is not UTF-8") from error


def read_int32(dgram: bytes, offset: int) -> tuple[int, int]:
    _need(dgram, offset, 4, "int32")
    return int(_INT32.unpack_from(dgram, offset)[0]), offset + 4


def read_uint32(dgram: bytes, offset: int) -> tuple[int, int]:
    _need(dgram, offset, 4, "uint32")
    return int(_UINT32.unpack_from(dgram, offset)[0]), offset + 4


def read_float32(dgram: bytes, offset: int) -> tuple[float, int]:
    _need(dgram, offset, 4, "float32")
    return float(_FLOAT32.unpack_from(dgram, offset)[0]), offset + 4


def read_int64(dgram: bytes, offset: int) -> tuple[int, int]:
    _need(dgram, offset, 8, "int64")
    return int(_INT64.unpack_from(dgram, offset)[0]), offset + 8


def read_uint64(dgram: bytes, offset: int) -> tuple[int, int]:
    _need(dgram, offset, 8, "timetag")
    return int(_UINT64.unpack_from(dgram, offset)[0]), offset + 8


def read_float64(dgram: bytes, offset: int) -> tuple[float, int]:
    _need(dgram, offset, 8, "float64")
    return float(_FLOAT64.unpack_from(dgram, offset)[0]), offset + 8


def read_blob(dgram: bytes, offset: int) -> tuple[bytes, int]:
    """Read an int32 byte count, then that many bytes, padded to 4."""
    size, offset = read_int32(dgram, offset)
    if size < 0:
        raise OscParseError(f"blob at offset {offset - 4} has a negative size {size}")
    _need(dgram, offset, padded_length(size), "blob")
    return dgram[offset : offset + size], offset + padded_length(size)


def write_string(value: str) -> bytes:
    """Encode a string as UTF-8, NUL-terminated and padded to 4 bytes.

    A NUL inside the text would end the OSC string early, so it is dropped.

    Raises:
        OscBuildError: the text holds a lone surrogate, which UTF-8 cannot carry.
    """
    try:
        raw = value.replace("\x00", "").encode("utf-8")
    except UnicodeEncodeError as error:
        raise OscBuildError(f"text cannot be encoded as UTF-8: {error.reason} at {error.start}") from error
    return raw + b"\x00" * (padded_length(len(raw) + 1) - len(raw))


def cut_utf8(text: str, max_bytes: int, ellipsis: str = "...") -> str:
    """`text` cut so its UTF-8 form fits `max_bytes`, at a character boundary, ending in `ellipsis` when cut.

    Replies are budgeted in bytes: 1000 emoji are 1000 characters but 4000 bytes.
    """
    raw = text.encode("utf-8", errors="replace")  # a lone surrogate becomes "?", so the result always encodes
    if len(raw) <= max_bytes:
        return raw.decode("utf-8")
    room = max(0, max_bytes - len(ellipsis.encode("utf-8")))
    # errors="ignore" drops the partial character the byte cut may leave at the end.
    return raw[:room].decode("utf-8", errors="ignore") + ellipsis


def write_int32(value: int) -> bytes:
    if not INT32_MIN <= value <= INT32_MAX:
        raise OscBuildError(f"int32 argument must be in range {INT32_MIN}..{INT32_MAX}, got {value}")
    return _INT32.pack(value)


def write_float32(value: float) -> bytes:
    try:
        return _FLOAT32.pack(value)
    except OverflowError as error:
        raise OscBuildError(f"float32 argument is out of range, got {value!r}") from error


def write_blob(value: bytes) -> bytes:
    return write_int32(len(value)) + value + b"\x00" * (padded_length(len(value)) - len(value))
