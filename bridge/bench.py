"""The daemon's section of `mididrumigen bench`: OSC round trip, request-to-done, playback timing,
amplification per request type and a burst of 10,000 requests.

Runs a real daemon on 127.0.0.1 and talks to it over UDP like the device does. Targets (issue 3):
ping round trip p99 under 2 ms, playback timing error p99 under 1 ms, and the daemon adding under
5 ms to a job beyond the engine's own generation time. Issue 15: bytes out / bytes in per request
type (bounded by paging, one costly request per datagram and the per-host reply budget), and a burst
of 20 clients x 500 requests answered (queued or busy) at >= 99%.
"""

from __future__ import annotations

import argparse
import logging
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from mididrumigen.bridge.amplification import (
    Amplification,
    amplification_lines,
    engines_for_bench,
    measure_amplification,
)
from mididrumigen.bridge.burst import BurstResult, run_burst
from mididrumigen.bridge.config import BridgeConfig
from mididrumigen.bridge.constants import GIL_SWITCH_INTERVAL_S
from mididrumigen.bridge.daemon import Daemon, open_midi_out
from mididrumigen.bridge.engine_api import PatternEngine, load_engine
from mididrumigen.bridge.heap import freeze_loaded_heap
from mididrumigen.bridge.midi.base import MidiOut
from mididrumigen.bridge.midi.memory import MemoryOut
from mididrumigen.bridge.osc.message import OscArg, OscMessage, build_message, parse_message
from mididrumigen.engine.pattern import Note, Pattern

BENCH_STYLE: Final = "j_dilla"
PING_P99_TARGET_MS: Final = 2.0
PLAYBACK_P99_TARGET_MS: Final = 1.0
OVERHEAD_TARGET_MS: Final = 5.0


def missed_flag(value_ms: float, target_ms: float) -> str:
    """A row's flag: the bench says which targets it misses instead of leaving it to the reader."""
    return "  MISSED" if value_ms >= target_ms else ""
BAR_COUNTS: Final = (1, 4, 32)


@dataclass(frozen=True)
class Spread:
    """Percentiles of a sample, in milliseconds."""

    p50_ms: float
    p99_ms: float
    max_ms: float
    count: int

    @staticmethod
    def of(seconds: Sequence[float]) -> Spread:
        ordered = sorted(seconds)
        p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
        return Spread(statistics.median(ordered) * 1000, p99 * 1000, ordered[-1] * 1000, len(ordered))


@dataclass(frozen=True)
class JobTiming:
    """Medians over runs: request sent to /mdg/done received, the engine's own time, the difference."""

    bars: int
    total_ms: float
    engine_ms: float
    overhead_ms: float


@dataclass(frozen=True)
class BridgeBench:
    ping: Spread
    jobs: tuple[JobTiming, ...]
    playback: Spread
    midi_port: str

    def lines(self) -> list[str]:
        """The report as table rows, each with its target."""
        rows = [
            f"{'daemon (OSC over UDP on 127.0.0.1)':<40}{'p50':>9}{'p99':>9}{'max':>9}",
            "-" * 67,
            (f"{'ping round trip (target p99 < 2 ms)':<40}{self.ping.p50_ms:>6.3f} ms{self.ping.p99_ms:>6.3f} ms"
             f"{self.ping.max_ms:>6.3f} ms{missed_flag(self.ping.p99_ms, PING_P99_TARGET_MS)}"),
            (f"{'playback error (target p99 < 1 ms)':<40}{self.playback.p50_ms:>6.3f} ms"
             f"{self.playback.p99_ms:>6.3f} ms{self.playback.max_ms:>6.3f} ms"
             f"{missed_flag(self.playback.p99_ms, PLAYBACK_P99_TARGET_MS)}"),
            f"  {self.playback.count} MIDI messages sent on {self.midi_port} while jobs ran",
            "",
            f"{'request to /mdg/done':<22}{'total':>11}{'engine':>11}{'daemon adds (target < 5 ms)':>30}",
            "-" * 74,
        ]
        rows += [
            f"{job.bars:>3} bars{'':<14}{job.total_ms:>8.1f} ms{job.engine_ms:>8.1f} ms{job.overhead_ms:>27.2f} ms"
            f"{missed_flag(job.overhead_ms, OVERHEAD_TARGET_MS)}"
            for job in self.jobs
        ]
        return rows


class _Client:
    """A blocking UDP client: send one request, read replies until the one wanted."""

    def __init__(self, server: tuple[str, int]) -> None:
        self.server = server
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(60.0)
        self.port: int = self.sock.getsockname()[1]

    def send(self, address: str, *args: OscArg) -> None:
        self.sock.sendto(build_message(OscMessage(address, args)), self.server)

    def until(self, address: str) -> OscMessage:
        while True:
            message = parse_message(self.sock.recvfrom(65536)[0], max_arguments=4096)
            if message.address == address:
                return message
            if message.address == "/mdg/error":
                raise RuntimeError(f"the daemon refused a bench request: {message.args}")

    def close(self) -> None:
        self.sock.close()


def _click_track(notes: int, tempo_bpm: float) -> Pattern:
    """`notes` hits a 64th note apart, so a few hundred notes take a few seconds."""
    spacing_beats = 0.0625
    hits = tuple(Note((36, 38, 42)[i % 3], i * spacing_beats, 0.03125, 100, "kick") for i in range(notes))
    bars = int(notes * spacing_beats // 4) + 1
    return Pattern(hits, bars, 4, 4, tempo_bpm, "bench", "verse", 0, False)


def run_bridge_bench(
    engine: PatternEngine, pings: int = 500, runs: int = 5, notes: int = 320, midi_out: MidiOut | None = None
) -> BridgeBench:
    """Measure a daemon built on `engine`; `midi_out` defaults to an in-memory port.

    The daemon owns `midi_out`: it is closed when the bench returns.
    """
    out = midi_out if midi_out is not None else MemoryOut("memory (no MIDI port)")
    previous_interval = sys.getswitchinterval()
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)  # as serve() does
    freeze_loaded_heap()  # as serve() does once its model is loaded
    with tempfile.TemporaryDirectory() as folder:
        config = BridgeConfig(port=0, output_dir=Path(folder), midi=False, queue_size=64)
        daemon = Daemon(config, engine, out)
        client = _Client(daemon.address)
        try:
            daemon.start()
            for _ in range(20):  # warm up both sides
                client.send("/mdg/ping", client.port)
                client.until("/mdg/pong")
            round_trips = []
            for _ in range(pings):
                started = time.perf_counter()
                client.send("/mdg/ping", client.port)
                client.until("/mdg/pong")
                round_trips.append(time.perf_counter() - started)
            # Playback runs while the worker generates, as in a session.
            assert daemon.player is not None
            daemon.player.play(_click_track(notes, 200.0), time.monotonic() + 0.05, 200.0)
            jobs = []
            for bars in BAR_COUNTS:
                totals, engines = [], []
                for seed in range(runs):
                    started = time.perf_counter()
                    client.send("/mdg/generate", "style", BENCH_STYLE, "bars", bars, "seed", seed,
                                "reply_port", client.port)
                    done = client.until("/mdg/done")
                    totals.append(time.perf_counter() - started)
                    engines.append(float(done.args[3]))  # type: ignore[arg-type]
                total, own = statistics.median(totals), statistics.median(engines)
                overhead = statistics.median(t - e for t, e in zip(totals, engines, strict=True))
                jobs.append(JobTiming(bars, total * 1000, own * 1000, overhead * 1000))
            while daemon.player.pending:
                time.sleep(0.05)
            playback = Spread.of(daemon.player.timing_errors_s())
        finally:
            client.close()
            daemon.stop()
            sys.setswitchinterval(previous_interval)
    return BridgeBench(Spread.of(round_trips), tuple(jobs), playback, out.name)


@dataclass(frozen=True)
class AbuseBench:
    """What hostile traffic gets out of a daemon: amplification per request type, and a burst."""

    amplification: tuple[Amplification, ...]
    burst: BurstResult
    receive_buffer_bytes: int

    def lines(self) -> list[str]:
        burst = self.burst
        lost = burst.sent - burst.answered
        return [
            *amplification_lines(self.amplification),
            "",
            f"burst of {burst.sent:,} one-bar generates from 20 clients (target >= 99% answered), "
            f"receive buffer {self.receive_buffer_bytes // 1024:,} KB",
            f"  {burst.queued:,} queued, {burst.busy:,} busy, {burst.other:,} other errors, {lost:,} unanswered: "
            f"{100 * burst.answered_share:.2f}% answered in {burst.seconds:.1f} s",
        ]


def run_abuse_bench(engine: PatternEngine, many_presets_engine: PatternEngine | None = None,
                    clients: int = 20, per_client: int = 500) -> AbuseBench:
    """Measure amplification and a burst on daemons built on `engine` (bridge logging held at ERROR)."""
    bridge_log = logging.getLogger("mididrumigen.bridge")
    previous_level = bridge_log.level
    bridge_log.setLevel(logging.ERROR)  # the hostile cases would otherwise log their refusals
    try:
        rows = measure_amplification(engine, many_presets_engine)
        with tempfile.TemporaryDirectory() as folder:
            daemon = Daemon(BridgeConfig(port=0, output_dir=Path(folder), midi=False), engine)
            buffer_bytes = daemon.server.receive_buffer_bytes
            try:
                daemon.start()
                burst = run_burst(daemon.address, clients, per_client)
            finally:
                daemon.stop()
    finally:
        bridge_log.setLevel(previous_level)
    return AbuseBench(tuple(rows), burst, buffer_bytes)


def run_bench_section(checkpoint: Path | None, midi: bool) -> int:
    """Print the daemon's bench section: the part of `mididrumigen bench` after the engine's table."""
    engine = load_engine(checkpoint, (), "cpu")
    midi_out = None
    if midi:
        midi_out, reason = open_midi_out(BridgeConfig(midi=True))
        if midi_out is None:
            sys.stderr.write(f"no MIDI port ({reason}); measuring in memory\n")
    report = run_bridge_bench(engine, midi_out=midi_out)
    sys.stdout.write("\n".join(report.lines()) + "\n\n")
    from mididrumigen.bridge.variations_bench import run_variations_bench

    sys.stdout.write("\n".join(run_variations_bench(engine).lines()) + "\n\n")
    with tempfile.TemporaryDirectory() as folder:
        base, many = engines_for_bench(lambda dirs: load_engine(checkpoint, dirs, "cpu"), Path(folder))
        abuse = run_abuse_bench(base, many)
    sys.stdout.write("\n".join(abuse.lines()) + "\n")
    from mididrumigen.bridge.http.launch import missing_http_packages

    if not missing_http_packages():  # the HTTP rows (issue 14), on the same engine
        from mididrumigen.bridge.http_bench import run_http_bench

        sys.stdout.write("\n" + "\n".join(run_http_bench(engine).lines()) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m bridge.bench [--checkpoint PATH] [--midi]`: print the daemon's bench section."""
    parser = argparse.ArgumentParser(prog="mididrumigen bench (daemon)")
    parser.add_argument("--checkpoint", type=Path, default=None)
    parser.add_argument("--midi", action="store_true", help="play on the real MIDI port, not in memory")
    args = parser.parse_args(argv)
    return run_bench_section(args.checkpoint, args.midi)


if __name__ == "__main__":
    raise SystemExit(main())
