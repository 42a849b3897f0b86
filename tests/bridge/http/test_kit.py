"""POST /api/v1/generate takes the shared request schema's `kit`: the real engine (tiny checkpoint) over a
real uvicorn server writes every note on the kit's pads, and a wrong kit is a 422 naming it."""

from __future__ import annotations

from typing import Any

from tests.bridge.http.conftest import HttpDaemonFactory
from tests.bridge.test_daemon_kit import PADS

API = "/api/v1"


def test_a_kit_in_the_body_puts_every_note_on_its_pads(start_http_daemon: HttpDaemonFactory, real_engine: Any) -> None:
    _, _, http = start_http_daemon(real_engine)
    accepted = http.post(f"{API}/generate", {"style": "Questlove", "bars": 2, "seed": 5, "tempo": 100, "kit": PADS})
    assert accepted.status == 202, accepted.body
    result = http.wait_done(accepted.json()["task_id"])["result"]
    pitches = {note["pitch"] for note in result["notes"]}
    assert pitches and pitches <= set(PADS.values())


def test_a_wrong_kit_is_a_422_naming_it(start_http_daemon: HttpDaemonFactory, real_engine: Any) -> None:
    _, _, http = start_http_daemon(real_engine)
    refused = http.post(f"{API}/generate", {"style": "Questlove", "kit": {"cowbell": 56}})
    assert refused.status == 422 and refused.json()["field"] == "kit"
    assert refused.json()["detail"].startswith("unknown voice 'cowbell' in kit")
