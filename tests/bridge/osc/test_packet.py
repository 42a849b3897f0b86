"""bridge.osc.packet: bundles are flattened; hostile sizes, depths and counts are refused whole."""

from __future__ import annotations

import struct

import pytest

from mididrumigen.bridge.constants import MAX_BUNDLE_DEPTH, MAX_MESSAGES_PER_DATAGRAM, MAX_REQUEST_BYTES
from mididrumigen.bridge.errors import OscParseError
from mididrumigen.bridge.osc.message import OscMessage
from mididrumigen.bridge.osc.packet import BUNDLE_PREFIX, parse_packet
from tests.bridge.support import build

_TIMETAG_NOW = b"\x00\x00\x00\x00\x00\x00\x00\x01"


def bundle(*elements: bytes) -> bytes:
    return BUNDLE_PREFIX + _TIMETAG_NOW + b"".join(struct.pack(">i", len(e)) + e for e in elements)


# A bundle element with a negative size: python-osc's parser moves its index backwards and loops
# for ever on this; we must refuse it.
_BUNDLE_NEGATIVE_ELEMENT = BUNDLE_PREFIX + _TIMETAG_NOW + b"\xff\xff\xff\xf0" + b"/x\x00\x00,\x00\x00\x00"
# An element size past the end of the bundle.
_BUNDLE_ELEMENT_PAST_END = BUNDLE_PREFIX + _TIMETAG_NOW + b"\x00\x00\x01\x00" + b"/x\x00\x00,\x00\x00\x00"
# An element size of zero: no progress would be made.
_BUNDLE_ZERO_ELEMENT = BUNDLE_PREFIX + _TIMETAG_NOW + b"\x00\x00\x00\x00"
# A bundle header cut short (no full time tag).
_BUNDLE_SHORT_HEADER = BUNDLE_PREFIX + b"\x00\x00\x00\x00"


def test_single_message() -> None:
    assert parse_packet(build("/mdg/ping", 7711)) == (OscMessage("/mdg/ping", (7711,)),)


def test_nested_bundle_is_flattened_in_order() -> None:
    inner = bundle(build("/b", 2), build("/c", 3))
    assert [m.address for m in parse_packet(bundle(build("/a", 1), inner))] == ["/a", "/b", "/c"]


def test_empty_bundle_has_no_messages() -> None:
    assert parse_packet(bundle()) == ()


@pytest.mark.parametrize(
    "dgram",
    [_BUNDLE_NEGATIVE_ELEMENT, _BUNDLE_ELEMENT_PAST_END, _BUNDLE_ZERO_ELEMENT, _BUNDLE_SHORT_HEADER, b"", b"/ab"],
)
def test_hostile_bundles_are_refused(dgram: bytes) -> None:
    with pytest.raises(OscParseError):
        parse_packet(dgram)


def test_depth_limit() -> None:
    packet = build("/x")
    for _ in range(MAX_BUNDLE_DEPTH + 1):
        packet = bundle(packet)
    with pytest.raises(OscParseError, match="nested"):
        parse_packet(packet)


def test_message_count_limit() -> None:
    with pytest.raises(OscParseError, match="at most"):
        parse_packet(bundle(*[build("/x")] * (MAX_MESSAGES_PER_DATAGRAM + 1)))


def test_size_limit_is_checked_before_parsing() -> None:
    with pytest.raises(OscParseError, match="limit"):
        parse_packet(b"/x\x00\x00" * (MAX_REQUEST_BYTES // 4 + 1))
