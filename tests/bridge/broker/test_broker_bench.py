"""The broker bench's table: what the broker adds beyond the engine, and the 2-worker ratio."""

from __future__ import annotations

import pytest

pytest.importorskip("celery", reason="celery is not installed (pip install -e '.[broker]')")

from mididrumigen.bridge.broker.bench import BrokerBench  # noqa: E402


def test_broker_rows_subtract_the_engine_and_show_the_ratio() -> None:
    lines = BrokerBench(local_ms=50.0, local_adds_ms=1.0, broker_ms=70.0, broker_adds_ms=13.5,
                        jobs_per_s=(4.0, 7.0)).lines()
    assert lines[4].startswith("the broker path adds") and lines[4].endswith("12.50 ms")
    assert lines[-1].startswith("2 workers / 1 worker") and lines[-1].endswith("1.75 x")
