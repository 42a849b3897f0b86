"""The HTTP rows of `mididrumigen bench`: /health round trip, and 4 bars over HTTP against OSC.

One daemon, one engine, both sides at once, as `serve` runs them: the HTTP job is POST /generate
then its event stream to `done`; the OSC job is /mdg/generate to /mdg/done. Target (issue 14): HTTP
within 10 ms of OSC for the same request.
"""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from mididrumigen.bridge.bench import BENCH_STYLE, Spread, _Client, missed_flag
from mididrumigen.bridge.config import BridgeConfig
from mididrumigen.bridge.constants import GIL_SWITCH_INTERVAL_S
from mididrumigen.bridge.daemon import Daemon
from mididrumigen.bridge.engine_api import PatternEngine
from mididrumigen.bridge.file_cleanup import FileLeases
from mididrumigen.bridge.heap import freeze_loaded_heap
from mididrumigen.bridge.http.launch import bind_http_socket, start_http

HTTP_VS_OSC_TARGET_MS: Final = 10.0
BARS: Final = 4


@dataclass(frozen=True)
class SideTiming:
    """Medians over runs of one side: request sent to result received, and what the daemon added
    beyond the engine's own generation time (the engine's time varies run to run; this does not)."""

    total_ms: float
    adds_ms: float


@dataclass(frozen=True)
class HttpBench:
    health: Spread
    http: SideTiming
    osc: SideTiming

    @property
    def gap_ms(self) -> float:
        """How much more the HTTP path adds than the OSC path, for the same engine work."""
        return self.http.adds_ms - self.osc.adds_ms

    def lines(self) -> list[str]:
        return [
            f"{'daemon (HTTP on 127.0.0.1)':<40}{'p50':>9}{'p99':>9}{'max':>9}",
            "-" * 67,
            (f"{'GET /api/v1/health round trip':<40}{self.health.p50_ms:>6.3f} ms{self.health.p99_ms:>6.3f} ms"
             f"{self.health.max_ms:>6.3f} ms"),
            "",
            f"{f'{BARS} bars, request to result (median)':<40}{'total':>11}{'daemon adds':>14}",
            "-" * 65,
            f"{'over HTTP (POST, then its events)':<40}{self.http.total_ms:>8.1f} ms{self.http.adds_ms:>11.2f} ms",
            f"{'over OSC (/mdg/generate to /mdg/done)':<40}{self.osc.total_ms:>8.1f} ms{self.osc.adds_ms:>11.2f} ms",
            (f"{'HTTP adds beyond OSC (target < 10 ms)':<40}{'':>11}{self.gap_ms:>11.2f} ms"
             f"{missed_flag(abs(self.gap_ms), HTTP_VS_OSC_TARGET_MS)}"),
        ]


def _http_job(connection: http.client.HTTPConnection, seed: int) -> float:
    """POST /generate, then follow its event stream until `done`; the engine's own seconds."""
    body = json.dumps({"style": BENCH_STYLE, "bars": BARS, "seed": seed})
    connection.request("POST", "/api/v1/generate", body, {"Content-Type": "application/json"})
    accepted = connection.getresponse()
    answer = json.loads(accepted.read())
    if accepted.status != 202:
        raise RuntimeError(f"the daemon refused a bench request: {answer}")
    connection.request("GET", answer["events_url"])
    stream = connection.getresponse()
    name = ""
    for line in stream:
        if line.startswith(b"event: "):
            name = line[7:].strip().decode()
            if name in ("failed", "cancelled"):
                raise RuntimeError(f"a bench job was {name}")
        elif line.startswith(b"data: ") and name == "done":
            stream.read()  # to the end of the stream, so the connection can be reused
            return float(json.loads(line[6:])["result"]["seconds"])
    raise RuntimeError("the event stream ended before the job was done")


def run_http_bench(engine: PatternEngine, pings: int = 500, runs: int = 7) -> HttpBench:
    """Measure a daemon built on `engine` with its HTTP side, as `serve` starts it."""
    previous_interval = sys.getswitchinterval()
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)  # as serve() does
    freeze_loaded_heap()  # as serve() does once its model is loaded
    with tempfile.TemporaryDirectory() as folder:
        config = BridgeConfig(port=0, output_dir=Path(folder), midi=False, queue_size=64)
        daemon = Daemon(config, engine)
        sock = bind_http_socket("127.0.0.1", 0)
        daemon.start()
        server = start_http(daemon, sock, FileLeases())
        host, port = server.address
        connection = http.client.HTTPConnection(host, port, timeout=60)
        osc = _Client(daemon.address)
        try:
            for _ in range(20):  # warm up
                connection.request("GET", "/api/v1/health")
                connection.getresponse().read()
            _http_job(connection, 0)  # and one job each way: first calls pay for lazy set-up
            osc.send("/mdg/generate", "style", BENCH_STYLE, "bars", BARS, "seed", 0, "reply_port", osc.port)
            osc.until("/mdg/done")
            round_trips = []
            for _ in range(pings):
                started = time.perf_counter()
                connection.request("GET", "/api/v1/health")
                connection.getresponse().read()
                round_trips.append(time.perf_counter() - started)
            http_runs: list[tuple[float, float]] = []
            osc_runs: list[tuple[float, float]] = []
            for seed in range(runs):  # interleaved, so drift in the machine's load hits both alike
                started = time.perf_counter()
                engine_s = _http_job(connection, seed)
                http_runs.append((time.perf_counter() - started, engine_s))
                started = time.perf_counter()
                osc.send("/mdg/generate", "style", BENCH_STYLE, "bars", BARS, "seed", seed, "reply_port", osc.port)
                done = osc.until("/mdg/done")
                osc_runs.append((time.perf_counter() - started, float(str(done.args[3]))))
        finally:
            connection.close()
            osc.close()
            daemon.stop()
            server.stop()
            sys.setswitchinterval(previous_interval)
    return HttpBench(Spread.of(round_trips), _timing(http_runs), _timing(osc_runs))


def _timing(runs: list[tuple[float, float]]) -> SideTiming:
    """Medians of (total seconds, engine seconds) runs, in milliseconds."""
    return SideTiming(statistics.median(total for total, _ in runs) * 1000,
                      statistics.median(total - engine for total, engine in runs) * 1000)
