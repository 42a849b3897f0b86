"""uvicorn on a thread of the daemon's process, on a socket bound beforehand.

Same process as the OSC side on purpose: both submit to one JobTable and one worker, so a job is
one job whichever side asked for it. The socket is bound by launch.py before the startup line is
printed; uvicorn starts accepting on it moments later (connections wait in the listen backlog).
"""

from __future__ import annotations

import logging
import socket
import threading
import time

import uvicorn
from fastapi import FastAPI

log = logging.getLogger(__name__)

_GRACEFUL_S = 2


class HttpServer:
    """Serves `app` on `sock` from a thread named `http`; stop() closes it within a few seconds."""

    def __init__(self, app: FastAPI, sock: socket.socket) -> None:
        self.sock = sock
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=_GRACEFUL_S, server_header=False)
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.sock.getsockname()[:2]
        return str(host), int(port)

    def start(self, timeout_s: float = 10.0) -> None:
        """Start serving; returns once uvicorn accepts connections.

        Raises:
            RuntimeError: uvicorn did not start in time (its log says why).
        """
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self.sock]},
                                        name="http", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the HTTP server did not start; see the log above")
            time.sleep(0.005)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(_GRACEFUL_S + 3)
            if self._thread.is_alive():
                log.warning("the HTTP server is still closing connections; leaving it")
        self.sock.close()
