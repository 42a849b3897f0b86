"""bridge.http_bench: the HTTP rows of the bench run end to end (small counts, fake engine)."""

from __future__ import annotations

import dataclasses

from mididrumigen.bridge.http_bench import run_http_bench
from tests.bridge.support import FakeEngine


def test_http_bench_reports_health_and_http_against_osc() -> None:
    report = run_http_bench(FakeEngine(), pings=10, runs=2)
    assert report.health.count == 10 and report.http.total_ms > 0 and report.osc.total_ms > 0
    lines = report.lines()
    assert lines[2].startswith("GET /api/v1/health round trip") and "4 bars" in lines[4]
    assert lines[6].startswith("over HTTP") and lines[7].startswith("over OSC")

    def adding(ms: float) -> list[str]:
        http = dataclasses.replace(report.http, adds_ms=report.osc.adds_ms + ms)
        return dataclasses.replace(report, http=http).lines()

    assert adding(25)[-1].endswith("MISSED") and not adding(1)[-1].endswith("MISSED")
