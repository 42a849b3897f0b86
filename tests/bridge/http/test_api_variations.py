"""Variations over HTTP: `"variations": N` in the JSON body runs one job whose status lists the takes,
each with its own download (`?take=K`), each the pattern its seed gives alone; OSC variations jobs
that wrote files are downloaded take by take; a wrong value is the schema's own 422 sentence."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import mido

from tests.bridge.http.conftest import HttpDaemonFactory
from tests.bridge.support import FakeEngine, is_at

API = "/api/v1"


def hits(body: bytes) -> list[int]:
    midi = mido.MidiFile(file=io.BytesIO(body))
    return [m.note for m in midi.tracks[0] if m.type == "note_on" and m.velocity]


def test_a_variations_job_lists_its_takes_each_equal_to_its_seed_alone(
    start_http_daemon: HttpDaemonFactory, real_engine: Any,
) -> None:
    _, _, http = start_http_daemon(real_engine)
    body = {"style": "questlove", "bars": 2, "seed": 7, "variations": 3}
    task_id = http.post(f"{API}/generate", body).json()["task_id"]
    status = http.wait_done(task_id)
    takes = status["takes"]
    assert [take["seed"] for take in takes] == [7, 8, 9] and status["request"]["variations"] == 3
    assert status["result"] == {**takes[0], "download_url": f"{API}/patterns/{task_id}.mid"}
    assert len({str(take["notes"]) for take in takes}) == 3
    for number, take in enumerate(takes, start=1):
        alone = http.wait_done(http.post(f"{API}/generate", {"style": "questlove", "bars": 2,
                                                             "seed": take["seed"]}).json()["task_id"])
        assert alone["takes"] == [alone["result"]] and take["notes"] == alone["result"]["notes"]
        assert take["download_url"] == f"{API}/patterns/{task_id}.mid?take={number}"
        download = http.get(take["download_url"])
        assert hits(download.body) == [note["pitch"] for note in take["notes"]]
        assert download.headers["content-disposition"].endswith(f'_seed{take["seed"]}_{task_id}_v{number}.mid"')


def test_take_numbers_outside_the_job_are_refused(start_http_daemon: HttpDaemonFactory,
                                                  fake_engine: FakeEngine) -> None:
    _, _, http = start_http_daemon(fake_engine)
    task_id = http.post(f"{API}/generate", {"style": "j_dilla", "bars": 1, "variations": 2}).json()["task_id"]
    http.wait_done(task_id)
    for take in (0, 3):
        reply = http.get(f"{API}/patterns/{task_id}.mid?take={take}")
        assert reply.status == 404
        assert reply.json()["detail"] == f"task {task_id} has 2 takes; take must be between 1 and 2, got {take}"
    assert http.get(f"{API}/patterns/{task_id}.mid?take=x").status == 422
    single = http.post(f"{API}/generate", {"style": "j_dilla", "bars": 1}).json()["task_id"]
    http.wait_done(single)
    assert http.get(f"{API}/patterns/{single}.mid?take=1").status == 200
    assert http.get(f"{API}/patterns/{single}.mid?take=2").json()["detail"].startswith(f"task {single} has 1 take;")


def test_wrong_variations_are_a_422_naming_the_field(start_http_daemon: HttpDaemonFactory,
                                                     fake_engine: FakeEngine) -> None:
    _, _, http = start_http_daemon(fake_engine)
    for value in (0, 9, 2.5, True, "three"):
        reply = http.post(f"{API}/generate", {"style": "j_dilla", "variations": value})
        assert reply.status == 422, value
        assert reply.json()["field"] == "variations"
        assert reply.json()["detail"].startswith("variations must be a whole number between 1 and 8, got ")
    assert fake_engine.calls == 0


def test_an_osc_variations_job_with_files_downloads_each_takes_file(
    start_http_daemon: HttpDaemonFactory, fake_engine: FakeEngine, tmp_path: Path,
) -> None:
    _, osc, http = start_http_daemon(fake_engine)
    since = osc.mark()
    [queued] = osc.query("/mdg/generate", "style", "questlove", "bars", 1, "seed", 4, "variations", 2,
                         "output", "file", reply="/mdg/queued")
    job_id = str(queued.args[0])
    osc.wait(since, is_at("/mdg/done", job_id))
    status = http.get(f"{API}/status/{job_id}").json()
    for number, take in enumerate(status["takes"], start=1):
        download = http.get(take["download_url"])
        name = download.headers["content-disposition"]
        assert f"_{job_id}_v{number}.mid" in name and (tmp_path / "clips").is_dir()
        assert hits(download.body) == [note["pitch"] for note in take["notes"]]


def test_openapi_offers_variations_with_its_range(start_http_daemon: HttpDaemonFactory,
                                                  fake_engine: FakeEngine) -> None:
    _, _, http = start_http_daemon(fake_engine)
    document = http.get("/openapi.json").json()
    field = document["components"]["schemas"]["GenerationRequest"]["properties"]["variations"]
    assert (field["minimum"], field["maximum"], field["default"]) == (1, 8, 1)
    assert "takes" in document["components"]["schemas"]["TaskStatus"]["properties"]
