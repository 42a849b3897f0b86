"""Who may talk to the HTTP side: the same rules as OSC, plus the browser's own.

An ASGI middleware, so it also covers streams and the docs. In order:
- the client's address must be loopback or in --allow (as for OSC datagrams);
- on a loopback-bound daemon the Host header must name this machine, so a web page that rebinds
  its own DNS name to 127.0.0.1 cannot reach the API through the victim's browser;
- a request that carries an Origin must come from the daemon's own page. No CORS headers are ever
  sent, so other sites cannot read answers; refusing them here also stops their POSTs (a "simple"
  cross-site POST is sent by the browser without asking first) from queueing or cancelling jobs.
"""

from __future__ import annotations

import json
from typing import Final

from starlette.types import ASGIApp, Receive, Scope, Send

from mididrumigen.bridge.server import AllowList

_LOCAL_HOST_NAMES: Final = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})


def _host_name(host_header: str) -> str:
    """The name part of a Host header value ("localhost:7712" -> "localhost", "[::1]:7712" -> "[::1]")."""
    if host_header.startswith("["):
        return host_header.split("]", 1)[0] + "]"
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


class ClientGuard:
    """Refuses, with 403 and one sentence, what the module docstring lists."""

    def __init__(self, app: ASGIApp, allow: AllowList, loopback_only_hosts: bool) -> None:
        self.app = app
        self.allow = allow
        self.loopback_only_hosts = loopback_only_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        reason = self._refusal(scope)
        if reason is None:
            await self.app(scope, receive, send)
            return
        body = json.dumps({"detail": reason, "code": "forbidden"}).encode()
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    def _refusal(self, scope: Scope) -> str | None:
        client = scope.get("client")
        client_host = client[0] if client else ""
        if not self.allow.allows(client_host):
            return f"{client_host} is not allowed; start the daemon with --allow for its network"
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        host = headers.get("host", "")
        if self.loopback_only_hosts and _host_name(host).lower() not in _LOCAL_HOST_NAMES:
            return f"unknown Host {host[:60]!r}; open the studio at http://127.0.0.1 or http://localhost"
        origin = headers.get("origin")
        if origin is not None and origin not in (f"http://{host}", f"https://{host}"):
            return f"cross-origin request from {origin[:80]!r} refused; use the daemon's own page"
        return None
