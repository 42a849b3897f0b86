"""The broker rows of `mididrumigen bench --broker`: jobs per second with 1 and 2 workers, and what the
broker path adds to one 4-bar job over the engine in the same process.

It starts its own redis-server on a free loopback port (Debian's redis-server must be installed) and
its own `mididrumigen worker` processes, so it measures this machine only; with two cores, the second
worker competes with the first for them, which the ratio shows.
"""

from __future__ import annotations

import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from mididrumigen.bridge.bench import BENCH_STYLE
from mididrumigen.bridge.broker.app import make_app
from mididrumigen.bridge.broker.remote import RemoteEngine
from mididrumigen.bridge.engine_api import PatternEngine, load_engine
from mididrumigen.engine.schema import GenerationRequest

BARS: Final = 4


@dataclass(frozen=True)
class BrokerBench:
    """Medians in ms. `*_adds_ms` is request-to-result minus the engine's own generation time, so
    the engine's run-to-run spread (large on a busy machine) cancels out of the broker's cost."""

    local_ms: float
    local_adds_ms: float
    broker_ms: float
    broker_adds_ms: float
    jobs_per_s: tuple[float, float]

    def lines(self) -> list[str]:
        one, two = self.jobs_per_s
        return [
            f"{'broker (Redis + Celery on 127.0.0.1)':<40}{'total':>11}{'beyond the engine':>20}",
            "-" * 71,
            f"{f'{BARS} bars in this process':<40}{self.local_ms:>8.1f} ms{self.local_adds_ms:>17.2f} ms",
            f"{f'{BARS} bars through the broker':<40}{self.broker_ms:>8.1f} ms{self.broker_adds_ms:>17.2f} ms",
            f"{'the broker path adds':<40}{'':>11}{self.broker_adds_ms - self.local_adds_ms:>17.2f} ms",
            f"{'jobs/s, 1 worker':<40}{one:>8.2f} /s",
            f"{'jobs/s, 2 workers':<40}{two:>8.2f} /s",
            f"{'2 workers / 1 worker':<40}{two / one if one else 0:>8.2f} x",
        ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _request(seed: int) -> GenerationRequest:
    return GenerationRequest(style=BENCH_STYLE, bars=BARS, seed=seed)


def _medians_ms(engine: PatternEngine, runs: int) -> tuple[float, float]:
    """(request to result, the same minus the engine's own seconds), medians in ms."""
    totals, adds = [], []
    for seed in range(runs):
        started = time.perf_counter()
        result = engine.generate(_request(seed))
        totals.append(time.perf_counter() - started)
        adds.append(totals[-1] - result.seconds)
    return statistics.median(totals) * 1000, statistics.median(adds) * 1000


def _jobs_per_s(engine: RemoteEngine, jobs: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(lambda seed: engine.generate(_request(seed)), range(jobs)))
    return jobs / (time.perf_counter() - started)


def _start_worker(url: str, checkpoint: Path | None, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from mididrumigen.bridge.cli import main; raise SystemExit(main())", "worker",
               "--broker", url, "--device", "cpu", "--log-level", "WARNING"]
    if checkpoint is not None:
        command += ["--checkpoint", str(checkpoint)]
    return subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _wait_for_workers(url: str, count: int, timeout_s: float = 120) -> None:
    app = make_app(url)
    deadline = time.monotonic() + timeout_s
    while len(app.control.ping(timeout=0.5) or []) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{count} worker(s) did not answer within {timeout_s:.0f}s")


def run_broker_bench(checkpoint: Path | None, runs: int = 7, jobs: int = 12) -> BrokerBench:
    """Raises RuntimeError when redis-server is not installed or the workers do not start."""
    server = shutil.which("redis-server")
    if server is None:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    local = load_engine(checkpoint, (), "cpu")
    local.generate(_request(0))  # warm up
    local_ms, local_adds_ms = _medians_ms(local, runs)
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    with tempfile.TemporaryDirectory() as folder:
        redis = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                  "no", "--dir", folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers: list[subprocess.Popen[bytes]] = []
        try:
            time.sleep(0.2)
            remote = RemoteEngine.connect(url, local.presets)
            workers.append(_start_worker(url, checkpoint, Path(folder) / "worker-1.log"))
            _wait_for_workers(url, 1)
            remote.generate(_request(0))  # the worker process loads its model on its first job at the latest
            broker_ms, broker_adds_ms = _medians_ms(remote, runs)
            one = _jobs_per_s(remote, jobs)
            workers.append(_start_worker(url, checkpoint, Path(folder) / "worker-2.log"))
            _wait_for_workers(url, 2)
            _jobs_per_s(remote, 4)  # both workers warm
            two = _jobs_per_s(remote, jobs)
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(30)
            redis.terminate()
            redis.wait(10)
    return BrokerBench(local_ms, local_adds_ms, broker_ms, broker_adds_ms, (one, two))


def run_broker_section(checkpoint: Path | None) -> int:
    try:
        report = run_broker_bench(checkpoint)
    except RuntimeError as error:
        sys.stderr.write(f"broker bench skipped: {error}\n")
        return 0
    sys.stdout.write("\n".join(report.lines()) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(run_broker_section(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
