"""bridge.bench: the daemon's bench section runs end to end (small counts, fake engine)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from mididrumigen.bridge.bench import BAR_COUNTS, run_abuse_bench, run_bridge_bench
from mididrumigen.bridge.startup_bench import StartupRow, serve_first_replies, startup_lines
from tests.bridge.support import FakeEngine


def test_bench_reports_every_row() -> None:
    report = run_bridge_bench(FakeEngine(), pings=20, runs=1, notes=16)
    assert report.ping.count == 20 and report.playback.count == 32
    assert [job.bars for job in report.jobs] == list(BAR_COUNTS)
    assert all(job.total_ms > 0 and job.engine_ms > 0 for job in report.jobs)  # the fake claims 1 ms
    text = "\n".join(report.lines())
    assert "ping round trip" in text and "playback error" in text and "32 bars" in text


def test_bench_flags_the_targets_it_misses() -> None:
    report = run_bridge_bench(FakeEngine(), pings=5, runs=1, notes=4)
    slow = dataclasses.replace(report, ping=dataclasses.replace(report.ping, p99_ms=2.5),
                               playback=dataclasses.replace(report.playback, p99_ms=0.5),
                               jobs=tuple(dataclasses.replace(job, overhead_ms=1.0) for job in report.jobs))
    lines = slow.lines()
    assert [line for line in lines if line.endswith("MISSED")] == [lines[2]]  # the ping row only
    assert lines[2].startswith("ping round trip")


def test_startup_section_flags_missed_targets_and_shows_ratios() -> None:
    rows = [StartupRow("reference", 2.0), StartupRow("fast", 0.2, 0.3), StartupRow("slow", 3.0, 1.0)]
    lines = startup_lines(rows, "loading")
    assert lines[2].split()[-1] == "1.00x"
    assert "0.10x" in lines[3] and not lines[3].endswith("MISSED")
    assert "1.50x" in lines[4] and lines[4].endswith("MISSED")
    assert "'loading'" in lines[-1]


def test_serve_answers_its_first_ping_before_its_first_pattern(tiny_checkpoint: Path) -> None:
    pong_s, done_s, first_model = serve_first_replies(tiny_checkpoint)
    assert 0 < pong_s < done_s
    assert first_model == "loading" or first_model.startswith("tiny@")


def test_abuse_section_reports_ratios_and_the_burst() -> None:
    report = run_abuse_bench(FakeEngine(), clients=4, per_client=50)
    ratios = {row.case: row.ratio for row in report.amplification}
    assert set(ratios) >= {"ping", "styles (built-in)", "resend of a 32-bar job", "bundle of 64 resends"}
    assert ratios["bundle of 64 resends"] < 10  # one resend of 64 runs; was 316x
    assert report.burst.sent == 200 and report.burst.answered_share >= 0.99
    text = "\n".join(report.lines())
    assert "amplification (bytes out / bytes in)" in text and "% answered" in text


def test_variations_rows_compare_one_batched_request_with_separate_ones(tiny_checkpoint: Path) -> None:
    from mididrumigen.bridge.engine_api import load_engine
    from mididrumigen.bridge.variations_bench import run_variations_bench

    report = run_variations_bench(load_engine(tiny_checkpoint, (), "cpu"), runs=1, takes=3)
    assert report.same_patterns  # take k over the wire is the one-take request with seed + k
    assert report.one_ms > 0 and report.batched_ms > 0 and report.separate_ms > 0
    text = "\n".join(report.lines())
    assert "3 takes, one request" in text and "batched / separate" in text and text.endswith("yes")
