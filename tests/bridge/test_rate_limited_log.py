"""bridge.rate_limited_log: one line per interval, then a count of what was held back."""

from __future__ import annotations

import logging

import pytest

from mididrumigen.bridge.rate_limited_log import RateLimitedLog


def test_holds_back_and_counts(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    limited = RateLimitedLog(logging.getLogger("test.rate"), interval_s=0.0)
    limited.warning("first %d", 1)
    slow = RateLimitedLog(logging.getLogger("test.rate"), interval_s=3600.0)
    for i in range(5):
        slow.warning("flood %d", i)
    slow._last_s = -float("inf")  # noqa: SLF001 (the hour has passed)
    slow.warning("after %d", 9)
    assert [r.getMessage() for r in caplog.records] == [
        "first 1", "flood 0", "after 9 (4 similar messages suppressed)",
    ]
