"""bridge.handlers.args: each check names the argument and what it allows."""

from __future__ import annotations

import pytest

from mididrumigen.bridge.dispatcher import RequestRejected
from mididrumigen.bridge.handlers import args as a


@pytest.mark.parametrize("value", [0, 65536, -1, True, "7711", 7711.0, None, b"x"])
def test_reply_port_refuses(value: object) -> None:
    with pytest.raises(RequestRejected, match="reply_port must be a whole number between 1 and 65535"):
        a.reply_port(value)  # type: ignore[arg-type]


def test_reply_port_accepts() -> None:
    assert a.reply_port(7711) == 7711


def test_check_count_shows_usage() -> None:
    with pytest.raises(RequestRejected, match="takes job_id, got 0 arguments"):
        a.check_count("/mdg/x", (), "job_id", 1, 1)


def test_flag_and_number() -> None:
    assert a.flag("loop", 1) is True and a.flag("loop", False) is False
    with pytest.raises(RequestRejected, match="loop must be 0 or 1, got 2"):
        a.flag("loop", 2)
    assert a.number("beat", 3) == 3.0
    with pytest.raises(RequestRejected, match="beat must be a number between .*, got 'x'"):
        a.number("beat", "x")


def test_job_id() -> None:
    assert a.job_id("abc", None) == "abc"
    for bad in ("", 5, "x" * 65):
        with pytest.raises(RequestRejected, match="job_id"):
            a.job_id(bad, None)
