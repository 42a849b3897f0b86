"""`serve` starts the HTTP side beside OSC, says where, turns it off with --http-port 0 (importing
no FastAPI then), and keeps serving OSC when the HTTP port is taken or FastAPI is missing."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mididrumigen.bridge.config import BridgeConfig
from mididrumigen.bridge.daemon import serve
from mididrumigen.bridge.http.launch import open_http
from tests.bridge.http.support import HttpTestClient, free_port
from tests.bridge.support import FakeEngine, check_serve_process


@contextmanager
def _serving(config: BridgeConfig) -> Iterator[list[str]]:
    stop = threading.Event()
    lines: list[str] = []
    ready = threading.Event()

    def announce(line: str) -> None:
        lines.append(line)
        ready.set()

    thread = threading.Thread(target=serve, args=(config, FakeEngine(), announce, stop))
    thread.start()
    try:
        assert ready.wait(10)
        yield lines
    finally:
        stop.set()
        thread.join(15)
    assert not thread.is_alive()


def test_serve_serves_http_beside_osc_and_closes_it(tmp_path: Path) -> None:
    port = free_port()
    config = BridgeConfig(port=0, http_port=port, output_dir=tmp_path, midi=False)
    with _serving(config) as lines:
        assert lines[0].endswith(f", studio on http://127.0.0.1:{port}/")
        http = HttpTestClient(f"http://127.0.0.1:{port}")
        assert http.get("/api/v1/health").json()["model"] == "fake-model"
        page = http.get("/")
        assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_a_taken_http_port_leaves_osc_serving(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = BridgeConfig(port=0, http_port=port, output_dir=tmp_path, midi=False)
        with _serving(config) as lines:
            assert f"no HTTP (cannot listen on 127.0.0.1:{port}" in lines[0] and "--http-port picks another" in lines[0]


def test_without_fastapi_http_is_off_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fastapi", None)
    sock, reason = open_http("127.0.0.1", 0)
    assert sock is None and reason == "fastapi not installed (pip install fastapi uvicorn)"


_NO_FASTAPI = """
import sys
for name in ("fastapi", "uvicorn", "starlette"):
    sys.modules[name] = None  # as if not installed: importing any of them fails
from mididrumigen.bridge.cli import main
code = main(["serve", *sys.argv[1:]])
optional = ("fastapi", "uvicorn", "starlette", "celery", "kombu", "redis")
loaded = sorted(m for m, v in sys.modules.items() if v is not None and m.split(".")[0] in optional)
print("optional modules loaded:", loaded)
sys.exit(code)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM cannot be sent to a console process on Windows")
def test_serve_with_http_port_0_runs_without_fastapi_and_imports_no_celery(tiny_checkpoint: Path, tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", _NO_FASTAPI, "--port", "0", "--http-port", "0", "--no-midi", "--checkpoint",
         str(tiny_checkpoint), "--output-dir", str(tmp_path), "--log-level", "WARNING"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line, _ = check_serve_process(process, "tiny")
    assert "no HTTP (HTTP is turned off (--http-port 0))" in line
    assert process.stdout is not None and "optional modules loaded: []" in process.stdout.read()  # nor Celery
