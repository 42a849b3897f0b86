"""bridge.bench: the daemon's bench section runs end to end (small counts, fake engine)."""

from __future__ import annotations

from mididrumigen.bridge.bench import BAR_COUNTS, run_bridge_bench
from tests.bridge.support import FakeEngine


def test_bench_reports_every_row() -> None:
    report = run_bridge_bench(FakeEngine(), pings=20, runs=1, notes=16)
    assert report.ping.count == 20 and report.playback.count == 32
    assert [job.bars for job in report.jobs] == list(BAR_COUNTS)
    assert all(job.total_ms > 0 and job.engine_ms > 0 for job in report.jobs)  # the fake claims 1 ms
    text = "\n".join(report.lines())
    assert "ping round trip" in text and "playback error" in text and "32 bars" in text
