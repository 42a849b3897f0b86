"""An HTTP test client on the standard library (urllib), so the tests depend on no client of FastAPI's."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class HttpTestClient:
    """Requests to one daemon's HTTP side on 127.0.0.1."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
                raw: bytes | None = None) -> Reply:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        sent = {"Content-Type": "application/json", **(headers or {})}
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Reply(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Reply:
        return self.request("POST", path, body, **kwargs)

    def delete(self, path: str) -> Reply:
        return self.request("DELETE", path)

    def events(self, path: str, timeout_s: float = 10.0) -> Iterator[tuple[str, Any]]:
        """(event name, parsed data) from a server-sent event stream, as they arrive."""
        with urllib.request.urlopen(self.base + path, timeout=timeout_s) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            name, data = "message", ""
            for raw in response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[len("event: "):]
                elif line.startswith("data: "):
                    data = line[len("data: "):]
                elif line == "" and data:
                    yield name, json.loads(data)
                    name, data = "message", ""

    def wait_done(self, task_id: str) -> dict[str, Any]:
        """Follow the task's events to its end; its final status."""
        *_, (name, status) = self.events(f"/api/v1/tasks/{task_id}/events")
        assert name in ("done", "failed", "cancelled"), name
        return dict(status)
