"""bridge.osc.message: parse and build one message; interop with python-osc both ways."""

from __future__ import annotations

import pytest
from pythonosc.osc_message import OscMessage as PyOscMessage

from mididrumigen.bridge.errors import OscBuildError, OscParseError
from mididrumigen.bridge.osc.message import OscMessage, build_message, parse_message
from mididrumigen.bridge.osc.types import write_string
from tests.bridge.support import build

# /mdg/ping with an int32 reply_port 7711, as Max's [udpsend] sends it.
_PING_7711 = b"/mdg/ping\x00\x00\x00,i\x00\x00\x00\x00\x1e\x1f"
# Type tags promise an int but the datagram ends: python-osc raises; we must too, not crash.
_INT_MISSING = b"/mdg/ping\x00\x00\x00,i\x00\x00"
# An array tag: not used by the protocol, refused with a clear reason.
_ARRAY = b"/mdg\x00\x00\x00\x00,[i]\x00\x00\x00\x00\x00\x00\x00\x01"
# Bytes left over after the arguments.
_TRAILING = b"/mdg\x00\x00\x00\x00,\x00\x00\x00junk"


def test_parse_ping_fixture() -> None:
    assert parse_message(_PING_7711) == OscMessage("/mdg/ping", (7711,))


def test_parse_all_supported_tags_from_python_osc() -> None:
    dgram = build("/x", 1, 2.5, "s", b"blob", True, False, None, 2**40)
    message = parse_message(dgram)
    assert message.address == "/x"
    assert message.args == (1, 2.5, "s", b"blob", True, False, None, 2**40)


def test_message_without_type_tags_has_no_args() -> None:
    assert parse_message(b"/mdg/stop\x00\x00\x00") == OscMessage("/mdg/stop")


@pytest.mark.parametrize(
    "dgram, reason",
    [
        (_INT_MISSING, "int32"),
        (_ARRAY, "arrays"),
        (_TRAILING, "left over"),
        (b"mdg\x00,\x00\x00\x00", "address"),
        (b"/mdg\x00\x00\x00\x00i\x00\x00\x00", "type tag"),
        (b"/mdg\x00\x00\x00\x00,q\x00\x00", "unknown type tag"),
    ],
)
def test_parse_refuses_malformed(dgram: bytes, reason: str) -> None:
    with pytest.raises(OscParseError, match=reason):
        parse_message(dgram)


def test_parse_refuses_too_many_arguments() -> None:
    # 300 argument-less N tags: cheap to send, so the count itself must be bounded.
    with pytest.raises(OscParseError, match="at most"):
        parse_message(write_string("/x") + write_string("," + "N" * 300))


def test_build_is_read_by_python_osc() -> None:
    data = build_message(OscMessage("/mdg/pong", ("0.1.0", "model", "cpu", 3, 1.5, True, None)))
    decoded = PyOscMessage(data)
    assert decoded.address == "/mdg/pong"
    assert decoded.params == ["0.1.0", "model", "cpu", 3, 1.5, True, None]


def test_build_refuses_unencodable() -> None:
    with pytest.raises(OscBuildError):
        build_message(OscMessage("/x", (2**40,)))
    with pytest.raises(OscBuildError):
        build_message(OscMessage("/x", (float("nan"),)))
    with pytest.raises(OscBuildError):
        build_message(OscMessage("x"))
