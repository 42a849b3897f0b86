"""Who may use the HTTP side: loopback and --allow networks, this machine's Host names, and the
daemon's own page as the only origin (no CORS headers for anyone)."""

from __future__ import annotations

import asyncio
import ipaddress
from typing import Any

from mididrumigen.bridge.http.guard import ClientGuard
from mididrumigen.bridge.server import AllowList
from tests.bridge.http.conftest import HttpDaemonFactory
from tests.bridge.support import FakeEngine


def test_other_origins_are_refused_and_get_no_cors_headers(
    start_http_daemon: HttpDaemonFactory, fake_engine: FakeEngine,
) -> None:
    _, _, http = start_http_daemon(fake_engine)
    own = http.base
    for method, path in (("POST", "/api/v1/generate"), ("GET", "/api/v1/health"), ("OPTIONS", "/api/v1/generate")):
        reply = http.request(method, path, {"style": "j_dilla"}, headers={"Origin": "https://evil.example"})
        assert reply.status == 403 and "cross-origin" in reply.json()["detail"], (method, path)
        assert not any(name.startswith("access-control-") for name in reply.headers)
    ok = http.post("/api/v1/generate", {"style": "j_dilla"}, headers={"Origin": own})
    assert ok.status == 202 and "access-control-allow-origin" not in ok.headers
    assert fake_engine.calls <= 1 and len(list(http.get("/api/v1/health").json())) > 0


def test_a_foreign_host_name_is_refused_on_loopback(
    start_http_daemon: HttpDaemonFactory, fake_engine: FakeEngine,
) -> None:
    _, _, http = start_http_daemon(fake_engine)
    port = http.base.rsplit(":", 1)[1]
    assert http.get("/api/v1/health", headers={"Host": f"attacker.example:{port}"}).status == 403
    for name in ("localhost", "127.0.0.1", "[::1]"):
        assert http.get("/api/v1/health", headers={"Host": f"{name}:{port}"}).status == 200, name


def _status_for(guard: ClientGuard, client: str, host: str = "127.0.0.1:7712") -> int:
    """Drive the guard as uvicorn would, with a client address no loopback socket can have."""
    sent: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    guard.app = app
    scope = {"type": "http", "client": (client, 50000), "headers": [(b"host", host.encode())]}
    asyncio.run(guard(scope, receive, send))
    return int(sent[0]["status"])


def test_clients_outside_loopback_and_allow_are_refused() -> None:
    lan = ClientGuard(None, AllowList((ipaddress.ip_network("192.168.1.0/24"),)), loopback_only_hosts=False)  # type: ignore[arg-type]
    assert _status_for(lan, "192.168.1.20", "192.168.1.5:7712") == 200
    assert _status_for(lan, "10.0.0.9", "192.168.1.5:7712") == 403
    assert _status_for(lan, "127.0.0.1") == 200
    loopback = ClientGuard(None, AllowList(), loopback_only_hosts=True)  # type: ignore[arg-type]
    assert _status_for(loopback, "192.168.1.20") == 403
