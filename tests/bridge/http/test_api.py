"""The /api/v1 endpoints over a real uvicorn server on 127.0.0.1, on the daemon's own job table."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import mido

from tests.bridge.http.conftest import HttpDaemon, HttpDaemonFactory
from tests.bridge.support import FakeEngine, is_at

API = "/api/v1"


@contextmanager
def gated(start_http_daemon: HttpDaemonFactory, **settings: Any) -> Iterator[tuple[FakeEngine, HttpDaemon]]:
    """A daemon whose engine holds every job until the block ends (or `engine.gate` is set)."""
    engine = FakeEngine(gate=threading.Event())
    try:
        yield engine, start_http_daemon(engine, **settings)
    finally:
        assert engine.gate is not None
        engine.gate.set()


def test_generate_queues_and_the_status_holds_the_notes_and_a_midi_download(
    start_http_daemon: HttpDaemonFactory, fake_engine: FakeEngine,
) -> None:
    daemon, _, http = start_http_daemon(fake_engine)
    accepted = http.post(f"{API}/generate", {"style": "J Dilla", "bars": 2, "tempo": 90, "seed": 7})
    assert accepted.status == 202
    task_id = accepted.json()["task_id"]
    assert accepted.headers["location"] == f"{API}/status/{task_id}"
    final = http.wait_done(task_id)
    status = http.get(accepted.headers["location"]).json()
    assert status == final and status["state"] == "done" and status["percent"] == 100
    assert status["created_at"] and status["started_at"] and status["finished_at"]
    result = status["result"]
    assert result["seed"] == 7 and result["bars"] == 2 and result["tempo"] == 90
    assert len(result["notes"]) == 16  # the fake writes 2 notes a beat
    download = http.get(result["download_url"])
    assert download.status == 200 and download.headers["content-type"] == "audio/midi"
    midi = mido.MidiFile(file=io.BytesIO(download.body))
    hits = [m for m in midi.tracks[0] if m.type == "note_on" and m.velocity]
    assert len(hits) == 16 and [m.note for m in hits[:4]] == [n["pitch"] for n in result["notes"][:4]]
    assert download.headers["content-disposition"].endswith(f'_seed7_{task_id}.mid"')
    assert daemon.jobs.get(task_id).file_path is None  # rendered from the notes: no file on the way to the result


def test_a_job_started_over_osc_is_seen_and_downloaded_over_http(
    start_http_daemon: HttpDaemonFactory, fake_engine: FakeEngine,
) -> None:
    _, osc, http = start_http_daemon(fake_engine)
    since = osc.mark()
    [queued] = osc.query("/mdg/generate", "style", "questlove", "bars", 1, "seed", 3, reply="/mdg/queued")
    job_id = str(queued.args[0])
    osc.wait(since, is_at("/mdg/done", job_id))
    status = http.get(f"{API}/status/{job_id}").json()
    assert status["state"] == "done" and status["request"]["style"] == "questlove"
    # The OSC job asked for notes only (no file): the download is written in memory, the same clip.
    midi = mido.MidiFile(file=io.BytesIO(http.get(status["result"]["download_url"]).body))
    assert sum(1 for m in midi.tracks[0] if m.type == "note_on" and m.velocity) == len(status["result"]["notes"])


def test_a_job_started_over_http_is_seen_and_cancelled_over_osc(
    start_http_daemon: HttpDaemonFactory,
) -> None:
    with gated(start_http_daemon) as (engine, (_, osc, http)):
        task_id = http.post(f"{API}/generate", {"style": "j_dilla"}).json()["task_id"]
        assert engine.started.wait(5)
        [status] = osc.query("/mdg/status", task_id, osc.port, reply="/mdg/status")
        assert status.args[:2] == (task_id, "running")
        osc.query("/mdg/cancel", task_id, osc.port, reply="/mdg/cancelled")
        assert http.get(f"{API}/status/{task_id}").json()["state"] == "cancelled"


def test_a_bad_field_is_a_422_naming_the_field_and_its_range(
    start_http_daemon: HttpDaemonFactory, fake_engine: FakeEngine,
) -> None:
    _, _, http = start_http_daemon(fake_engine)
    bars = http.post(f"{API}/generate", {"style": "j_dilla", "bars": 99})
    assert bars.status == 422
    assert bars.json() == {"detail": "bars must be between 1 and 32, got 99", "code": "bad_request", "field": "bars"}
    top_p = http.post(f"{API}/generate", {"style": "j_dilla", "top_p": 0}).json()
    assert top_p["field"] == "top_p" and top_p["detail"] == "top_p must be greater than 0 and at most 1, got 0"
    unknown = http.post(f"{API}/generate", {"style": "j_dilla", "swing": 1}).json()
    assert unknown["detail"].startswith("unknown field 'swing'; known fields are style, bars")
    missing = http.post(f"{API}/generate", {"bars": 2}).json()
    assert missing["field"] == "style" and missing["detail"].startswith("style is required")
    not_json = http.post(f"{API}/generate", raw=b"bars=2")
    assert not_json.status == 422 and "JSON object" in not_json.json()["detail"]
    flag = http.post(f"{API}/generate", {"style": "j_dilla", "bars": True})  # lax pydantic once made this 1 bar
    assert flag.status == 422 and flag.json()["detail"] == "bars must be between 1 and 32, got True"


def test_an_unknown_style_is_a_404_with_the_styles(
    start_http_daemon: HttpDaemonFactory, fake_engine: FakeEngine,
) -> None:
    _, _, http = start_http_daemon(fake_engine)
    reply = http.post(f"{API}/generate", {"style": "Buddy Rich"})
    assert reply.status == 404
    body = reply.json()
    assert body["code"] == "unknown_style" and body["styles"] == ["j_dilla", "metro_boomin", "questlove"]
    assert "unknown style 'Buddy Rich'; known styles are J Dilla (j_dilla)" in body["detail"]


def test_a_full_queue_is_a_503_with_retry_after(start_http_daemon: HttpDaemonFactory) -> None:
    with gated(start_http_daemon, queue_size=1) as (engine, (_, _, http)):
        http.post(f"{API}/generate", {"style": "j_dilla"})
        assert engine.started.wait(5)  # the first runs, the second waits: the queue is full
        assert http.post(f"{API}/generate", {"style": "j_dilla"}).status == 202
        busy = http.post(f"{API}/generate", {"style": "j_dilla"})
        assert busy.status == 503 and int(busy.headers["retry-after"]) > 0
        assert busy.json()["code"] == "busy" and "limit is 1" in busy.json()["detail"]


def test_delete_cancels_and_events_end_with_cancelled(start_http_daemon: HttpDaemonFactory) -> None:
    with gated(start_http_daemon) as (engine, (_, _, http)):
        running = http.post(f"{API}/generate", {"style": "j_dilla"}).json()["task_id"]
        assert engine.started.wait(5)
        stream = http.events(f"{API}/tasks/{running}/events")
        name, first = next(stream)
        assert name == "progress" and first["state"] == "running"
        cancelled = http.delete(f"{API}/tasks/{running}")
        assert cancelled.status == 200 and cancelled.json()["state"] == "cancelled"
        assert [name for name, _ in stream][-1] == "cancelled"
        assert http.delete(f"{API}/tasks/{running}").json()["state"] == "cancelled"  # again: unchanged
        assert http.delete(f"{API}/tasks/00000000ff").status == 404
    done = http.post(f"{API}/generate", {"style": "j_dilla"}).json()["task_id"]
    http.wait_done(done)
    refused = http.delete(f"{API}/tasks/{done}")
    assert refused.status == 409 and "already finished" in refused.json()["detail"]


def test_events_report_progress_then_done_with_the_notes(start_http_daemon: HttpDaemonFactory) -> None:
    gate = threading.Event()
    engine = FakeEngine(gate=gate)
    _, _, http = start_http_daemon(engine)
    task_id = http.post(f"{API}/generate", {"style": "j_dilla", "bars": 1}).json()["task_id"]
    names = []
    for name, status in http.events(f"{API}/tasks/{task_id}/events"):
        names.append(name)
        if name == "progress" and status["state"] == "running":
            gate.set()
        if name == "done":
            assert len(status["result"]["notes"]) == 8
    assert names[0] == "progress" and names[-1] == "done" and names.count("done") == 1


def test_failed_jobs_say_why(start_http_daemon: HttpDaemonFactory) -> None:
    from mididrumigen.engine.errors import GenerationError

    _, _, http = start_http_daemon(FakeEngine(error=GenerationError("the model produced no notes")))
    task_id = http.post(f"{API}/generate", {"style": "j_dilla"}).json()["task_id"]
    status = http.wait_done(task_id)
    assert status["state"] == "failed"
    assert status["error"]["detail"] == "generation failed: the model produced no notes"
    assert status["error"]["code"] == "generation_failed"
    assert http.get(f"{API}/patterns/{task_id}.mid").status == 409


def test_styles_and_health(start_http_daemon: HttpDaemonFactory, fake_engine: FakeEngine) -> None:
    _, _, http = start_http_daemon(fake_engine)
    styles = http.get(f"{API}/styles").json()
    dilla = next(style for style in styles if style["id"] == "j_dilla")
    assert dilla["name"] == "J Dilla" and dilla["tempo_min"] < dilla["tempo_max"] and dilla["description"]
    health = http.get(f"{API}/health").json()
    assert health["status"] == "ok" and health["model"] == "fake-model" and health["model_loaded"]
    assert health["device"] == "cpu" and health["queue_depth"] == 0 and health["queue_size"] == 32
    assert health["midi_port"] == "memory" and health["jobs_run_by"] == "this process"
    assert health["version"] == "0.1.0" and health["protocol_version"] == 1


def test_unknown_tasks_and_paths_reach_no_file(
    start_http_daemon: HttpDaemonFactory, fake_engine: FakeEngine, tmp_path: Path,
) -> None:
    _, _, http = start_http_daemon(fake_engine)
    (tmp_path / "secret.mid").write_bytes(b"MThd")
    for path in (f"{API}/patterns/..%2Fsecret.mid", f"{API}/patterns/secret.mid", f"{API}/status/..%2F..",
                 "/static/../secret.mid", "/..%2Fsecret.mid", f"{API}/patterns/%2e%2e/secret.mid"):
        reply = http.get(path)
        assert reply.status == 404 and reply.body != b"MThd", path


def test_openapi_documents_every_endpoint_with_examples(
    start_http_daemon: HttpDaemonFactory, fake_engine: FakeEngine,
) -> None:
    _, _, http = start_http_daemon(fake_engine)
    document = http.get("/openapi.json").json()
    paths = document["paths"]
    assert {
        f"{API}/generate": "post", f"{API}/status/{{task_id}}": "get", f"{API}/tasks/{{task_id}}": "delete",
        f"{API}/patterns/{{task_id}}.mid": "get", f"{API}/styles": "get", f"{API}/health": "get",
        f"{API}/tasks/{{task_id}}/events": "get",
    }.items() <= {path: method for path, methods in paths.items() for method in methods}.items()
    body = paths[f"{API}/generate"]["post"]["requestBody"]["content"]["application/json"]
    assert body["examples"]["dilla"]["value"]["style"] == "j_dilla"
    assert {"422", "404", "503"} <= set(paths[f"{API}/generate"]["post"]["responses"])
    request = document["components"]["schemas"]["GenerationRequest"]["properties"]
    assert request["bars"]["maximum"] == 32 and request["bars"]["description"]
    docs = http.get("/docs")
    assert docs.status == 200 and b"swagger" in docs.body.lower()
