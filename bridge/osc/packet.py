"""Packet layer: a datagram is one message or a bundle of them; bundles are flattened with bounds.

Every size is checked before it is used: a datagram over MAX_REQUEST_BYTES, a bundle element whose
size is negative, unaligned or past the end, bundles nested deeper than MAX_BUNDLE_DEPTH or holding
more than MAX_MESSAGES_PER_DATAGRAM messages are refused whole. Bundle time tags are ignored: the
daemon acts on every message as it arrives.
"""

from __future__ import annotations

from typing import Final

from mididrumigen.bridge.constants import MAX_BUNDLE_DEPTH, MAX_MESSAGES_PER_DATAGRAM, MAX_REQUEST_BYTES
from mididrumigen.bridge.errors import OscParseError
from mididrumigen.bridge.osc import types as t
from mididrumigen.bridge.osc.message import OscMessage, parse_message

BUNDLE_PREFIX: Final = b"#bundle\x00"
_BUNDLE_HEADER_BYTES: Final = len(BUNDLE_PREFIX) + 8  # prefix, then a 64-bit time tag


def parse_packet(dgram: bytes) -> tuple[OscMessage, ...]:
    """Parse a datagram into the messages it carries, in order.

    Args:
        dgram: one received UDP datagram.

    Returns:
        One message, or every message of a (possibly nested) bundle, depth first.

    Raises:
        OscParseError: on anything malformed or over a bound; nothing partial is returned.
    """
    if len(dgram) > MAX_REQUEST_BYTES:
        raise OscParseError(f"datagram of {len(dgram)} bytes is over the {MAX_REQUEST_BYTES}-byte limit")
    if len(dgram) == 0 or len(dgram) % 4:
        raise OscParseError(f"datagram length must be a non-zero multiple of 4, got {len(dgram)}")
    messages: list[OscMessage] = []
    _parse_element(dgram, 0, messages)
    return tuple(messages)


def _parse_element(dgram: bytes, depth: int, out: list[OscMessage]) -> None:
    if not dgram.startswith(BUNDLE_PREFIX):
        if len(out) >= MAX_MESSAGES_PER_DATAGRAM:
            raise OscParseError(f"a datagram may carry at most {MAX_MESSAGES_PER_DATAGRAM} messages")
        out.append(parse_message(dgram))
        return
    if depth >= MAX_BUNDLE_DEPTH:
        raise OscParseError(f"bundles nested deeper than {MAX_BUNDLE_DEPTH} levels")
    if len(dgram) < _BUNDLE_HEADER_BYTES:
        raise OscParseError("bundle is shorter than its header")
    offset = _BUNDLE_HEADER_BYTES
    while offset < len(dgram):
        size, offset = t.read_int32(dgram, offset)
        if size <= 0 or size % 4 or offset + size > len(dgram):
            raise OscParseError(
                f"bundle element size {size} at offset {offset - 4} is not a positive multiple "
                f"of 4 inside the {len(dgram)}-byte bundle"
            )
        _parse_element(dgram[offset : offset + size], depth + 1, out)
        offset += size
