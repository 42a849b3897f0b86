"""bridge.osc.types: atomic reads refuse to run past the datagram; writes pad to 4 bytes."""

from __future__ import annotations

import pytest

from mididrumigen.bridge.errors import OscBuildError, OscParseError
from mididrumigen.bridge.osc import types as t

# "abc" NUL-padded to 4 bytes, then an int32 7.
_STRING_THEN_INT = b"abc\x00\x00\x00\x00\x07"
# A blob claiming 1000 bytes in an 8-byte datagram: must not slice short silently.
_BLOB_SIZE_PAST_END = b"\x00\x00\x03\xe8abcd"
# A blob with a negative size (-4): must not move the offset backwards.
_BLOB_NEGATIVE_SIZE = b"\xff\xff\xff\xfcabcd"
# A string with no NUL before the end of the datagram.
_STRING_UNTERMINATED = b"abcd"
# A string whose padding is cut off by the end of the datagram ("abcde\0" needs 8 bytes).
_STRING_SHORT_PADDING = b"abcde\x00"


def test_read_string_and_int_advance_by_padded_length() -> None:
    text, offset = t.read_string(_STRING_THEN_INT, 0)
    assert (text, offset) == ("abc", 4)
    assert t.read_int32(_STRING_THEN_INT, offset) == (7, 8)


@pytest.mark.parametrize("dgram", [_STRING_UNTERMINATED, _STRING_SHORT_PADDING, b""])
def test_read_string_refuses_unterminated_or_short(dgram: bytes) -> None:
    with pytest.raises(OscParseError):
        t.read_string(dgram, 0)


def test_read_string_refuses_bad_utf8() -> None:
    with pytest.raises(OscParseError, match="UTF-8"):
        t.read_string(b"\xff\xfe\x00\x00", 0)


@pytest.mark.parametrize("dgram", [_BLOB_SIZE_PAST_END, _BLOB_NEGATIVE_SIZE])
def test_read_blob_refuses_sizes_outside_the_datagram(dgram: bytes) -> None:
    with pytest.raises(OscParseError):
        t.read_blob(dgram, 0)


@pytest.mark.parametrize("reader", [t.read_int32, t.read_float32, t.read_int64, t.read_float64, t.read_uint64])
def test_fixed_size_reads_refuse_truncation(reader: object) -> None:
    with pytest.raises(OscParseError):
        reader(b"\x00\x00", 0)  # type: ignore[operator]


def test_write_string_pads_and_drops_nul() -> None:
    assert t.write_string("") == b"\x00\x00\x00\x00"
    assert t.write_string("abcd") == b"abcd\x00\x00\x00\x00"
    assert t.write_string("a\x00b") == b"ab\x00\x00"


def test_write_int32_range() -> None:
    assert t.write_int32(-1) == b"\xff\xff\xff\xff"
    with pytest.raises(OscBuildError, match="int32"):
        t.write_int32(2**31)


def test_blob_round_trip() -> None:
    data = t.write_blob(b"xyz")
    assert data == b"\x00\x00\x00\x03xyz\x00"
    assert t.read_blob(data, 0) == (b"xyz", 8)
