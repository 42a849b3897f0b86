"""bridge.bench: the daemon's bench section runs end to end (small counts, fake engine)."""

from __future__ import annotations

from mididrumigen.bridge.bench import BAR_COUNTS, run_abuse_bench, run_bridge_bench
from tests.bridge.support import FakeEngine


def test_bench_reports_every_row() -> None:
    report = run_bridge_bench(FakeEngine(), pings=20, runs=1, notes=16)
    assert report.ping.count == 20 and report.playback.count == 32
    assert [job.bars for job in report.jobs] == list(BAR_COUNTS)
    assert all(job.total_ms > 0 and job.engine_ms > 0 for job in report.jobs)  # the fake claims 1 ms
    text = "\n".join(report.lines())
    assert "ping round trip" in text and "playback error" in text and "32 bars" in text


def test_abuse_section_reports_ratios_and_the_burst() -> None:
    report = run_abuse_bench(FakeEngine(), clients=4, per_client=50)
    ratios = {row.case: row.ratio for row in report.amplification}
    assert set(ratios) >= {"ping", "styles (built-in)", "resend of a 32-bar job", "bundle of 64 resends"}
    assert ratios["bundle of 64 resends"] < 10  # one resend of 64 runs; was 316x
    assert report.burst.sent == 200 and report.burst.answered_share >= 0.99
    text = "\n".join(report.lines())
    assert "amplification (bytes out / bytes in)" in text and "% answered" in text
