"""Starting the HTTP side from `serve`: find FastAPI, bind the socket, then build and start the app.

Free of FastAPI imports, so `serve --http-port 0`, and a machine without FastAPI, import none of it.
A port already in use, or FastAPI missing, turns the HTTP side off with one line saying why; the
OSC side, which Live depends on, serves on regardless.
"""

from __future__ import annotations

import importlib.util
import socket
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mididrumigen.bridge.daemon import Daemon
    from mididrumigen.bridge.file_cleanup import FileLeases
    from mididrumigen.bridge.http.server import HttpServer

_BACKLOG = 128


def missing_http_packages() -> list[str]:
    """The packages the HTTP side needs that are not installed."""
    return [name for name in ("fastapi", "uvicorn") if importlib.util.find_spec(name) is None]


def bind_http_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on (host, port); port 0 picks a free one.

    Raises:
        OSError: the address cannot be bound (the port is taken, the host is not this machine's).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose protocol says TCP,
    # and with Nagle on, a kept-alive connection waits ~40 ms for each response's second segment.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        if hasattr(socket, "SO_REUSEADDR") and not hasattr(socket, "SO_EXCLUSIVEADDRUSE"):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart while old sockets linger
        sock.bind((host, port))
        sock.listen(_BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def open_http(host: str, port: int) -> tuple[socket.socket | None, str]:
    """The bound socket for the HTTP side, or (None, why it is off)."""
    missing = missing_http_packages()
    if missing:
        return None, f"{' and '.join(missing)} not installed (pip install fastapi uvicorn)"
    try:
        return bind_http_socket(host, port), ""
    except OSError as error:
        return None, f"cannot listen on {host}:{port} ({error.strerror or error}; --http-port picks another)"


def start_http(daemon: Daemon, sock: socket.socket, leases: FileLeases) -> HttpServer:
    """Build the app for `daemon` and serve it on `sock` (imports FastAPI and uvicorn)."""
    from mididrumigen.bridge.http.app import build_app
    from mididrumigen.bridge.http.server import HttpServer

    server = HttpServer(build_app(daemon, leases), sock)
    server.start()
    return server


def http_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in str(host) else host
    return f"http://{shown}:{port}/"
