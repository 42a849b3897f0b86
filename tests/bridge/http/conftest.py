"""A running daemon with its HTTP side on a free port of 127.0.0.1, and clients for both sides."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mididrumigen.bridge.daemon import Daemon
from mididrumigen.bridge.file_cleanup import FileLeases
from mididrumigen.bridge.http.launch import bind_http_socket, http_url, start_http
from mididrumigen.bridge.http.server import HttpServer
from tests.bridge.conftest import DaemonFactory
from tests.bridge.http.support import HttpTestClient
from tests.bridge.support import OscTestClient

HttpDaemon = tuple[Daemon, OscTestClient, HttpTestClient]
HttpDaemonFactory = Callable[..., HttpDaemon]


@pytest.fixture
def start_http_daemon(start_daemon: DaemonFactory) -> Iterator[HttpDaemonFactory]:
    """start_daemon, plus the HTTP side served from the same process as `serve` does it."""
    servers: list[HttpServer] = []

    def start(engine: Any, leases: FileLeases | None = None, **settings: Any) -> HttpDaemon:
        daemon, osc = start_daemon(engine, **settings)
        sock = bind_http_socket("127.0.0.1", 0)
        servers.append(start_http(daemon, sock, leases or FileLeases()))
        return daemon, osc, HttpTestClient(http_url(sock))

    yield start
    for server in servers:
        server.stop()
