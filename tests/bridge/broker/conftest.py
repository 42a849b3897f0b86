"""A real redis-server on a free port, two `mididrumigen worker` processes on the tiny model, and a
`serve --broker` daemon with its HTTP side. Skips, saying why, where redis-server cannot start."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mididrumigen.bridge.config import BridgeConfig
from mididrumigen.bridge.daemon import serve
from tests.bridge.http.support import HttpTestClient, free_port

WORKERS = 2


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    try:
        import celery  # noqa: F401
        import redis
    except ImportError:
        pytest.skip("celery and redis are not installed (pip install -e '.[broker]')")
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.skip(f"redis-server did not start on port {port} (exit status {process.poll()})")
            time.sleep(0.02)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def workers(redis_url: str, tiny_checkpoint: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Any]]:
    """Two worker processes, each with one model process; waits until both answer a ping."""
    from mididrumigen.bridge.broker.app import make_app

    logs = tmp_path_factory.mktemp("worker-logs")
    processes = []
    for number in range(WORKERS):
        log = (logs / f"worker-{number}.log").open("w")
        processes.append(subprocess.Popen(
            [sys.executable, "-c", "from mididrumigen.bridge.cli import main; raise SystemExit(main())", "worker",
             "--broker", redis_url, "--checkpoint", str(tiny_checkpoint), "--device", "cpu", "--log-level", "INFO"],
            stdout=log, stderr=subprocess.STDOUT))
    app = make_app(redis_url)
    deadline = time.monotonic() + 60
    try:
        while len(app.control.ping(timeout=0.5) or []) < WORKERS:
            dead = [p.args for p in processes if p.poll() is not None]
            assert not dead and time.monotonic() < deadline, \
                "workers did not start: " + " | ".join(p.read_text()[-2000:] for p in logs.iterdir())
        yield processes
    finally:
        for process in processes:
            process.send_signal(signal.SIGQUIT)  # Celery's cold shutdown: no job is running by now
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def broker_daemon(redis_url: str, workers: list[Any], tmp_path: Path) -> Iterator[tuple[HttpTestClient, int]]:
    """`serve --broker` in a thread, as the CLI runs it: (its HTTP client, its OSC port)."""
    http_port = free_port()
    config = BridgeConfig(port=0, http_port=http_port, output_dir=tmp_path, midi=False, broker=redis_url,
                          broker_slots=4)
    lines: list[str] = []
    ready = threading.Event()
    stop = threading.Event()

    def announce(line: str) -> None:
        lines.append(line)
        ready.set()

    failures: list[BaseException] = []

    def run() -> None:
        try:
            serve(config, None, announce, stop)
        except BaseException as error:  # shown by the assertion below
            failures.append(error)
            ready.set()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert ready.wait(20) and not failures, (lines, failures)
        osc_port = int(re.search(r"udp://127\.0\.0\.1:(\d+)", lines[0]).group(1))  # type: ignore[union-attr]
        http = HttpTestClient(f"http://127.0.0.1:{http_port}")
        deadline = time.monotonic() + 20
        while not http.get("/api/v1/health").json()["model_loaded"]:  # connected to the broker
            assert time.monotonic() < deadline and not failures, (lines, failures)
            time.sleep(0.02)
        yield http, osc_port
    finally:
        stop.set()
        thread.join(20)
