"""serve --broker against a real redis-server and two real `mididrumigen worker` processes (tiny model):
jobs spread over both workers and each runs once, OSC and HTTP see no difference, cancel reaches the
worker, and a worker process killed mid-job fails its job with a clear sentence."""

from __future__ import annotations

import json
import os
import signal
import time
from typing import Any

import pytest

from tests.bridge.http.support import HttpTestClient
from tests.bridge.support import OscTestClient, is_at

redis = pytest.importorskip("redis", reason="celery and redis are not installed (pip install -e '.[broker]')")

API = "/api/v1"


def _task_metas(url: str) -> list[dict[str, Any]]:
    client = redis.Redis.from_url(url)
    return [json.loads(client.get(key) or b"{}") for key in client.scan_iter("celery-task-meta-*")]


def _runs(url: str) -> dict[str, int]:
    client = redis.Redis.from_url(url)
    return {key.decode(): int(client.get(key) or 0) for key in client.scan_iter("mididrumigen:runs:*")}


def _wait_for(what: str, check: Any, timeout_s: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"waited {timeout_s}s for {what}")


def test_jobs_spread_over_both_workers_and_each_runs_once(
    broker_daemon: tuple[HttpTestClient, int], redis_url: str,
) -> None:
    http, osc_port = broker_daemon
    before = _runs(redis_url)
    task_ids = [http.post(f"{API}/generate", {"style": "j_dilla", "bars": 8, "seed": seed}).json()["task_id"]
                for seed in range(6)]
    with OscTestClient(("127.0.0.1", osc_port)) as osc:
        since = osc.mark()
        [queued] = osc.query("/mdg/generate", "style", "questlove", "bars", 1, "seed", 9, "reply_port", osc.port,
                             reply="/mdg/queued", timeout_s=10)
        osc.wait(since, is_at("/mdg/done", queued.args[0]), timeout_s=30)
    statuses = [http.wait_done(task_id) for task_id in task_ids]
    assert [s["state"] for s in statuses] == ["done"] * 6
    assert [s["result"]["seed"] for s in statuses] == list(range(6)) and all(s["result"]["notes"] for s in statuses)
    assert http.get(f"{API}/status/{queued.args[0]}").json()["state"] == "done"  # the OSC job, seen over HTTP
    runs = {key: count for key, count in _runs(redis_url).items() if key not in before}
    assert len(runs) == 7 and set(runs.values()) == {1}  # every job ran, and ran once
    workers = {meta["result"]["worker"] for meta in _task_metas(redis_url)
               if meta.get("status") == "SUCCESS" and "worker" in (meta.get("result") or {})}
    assert len({worker.split(" pid ")[0] for worker in workers}) == 2  # both worker processes took jobs
    health = http.get(f"{API}/health").json()
    assert health["jobs_run_by"].startswith("celery workers via 127.0.0.1:") and health["model"].startswith("tiny@")


def _running_job(http: HttpTestClient, redis_url: str) -> tuple[str, dict[str, Any]]:
    """Queue a long job and wait until a worker process reports progress on it: (task id, its progress)."""
    known = {json.dumps(meta, sort_keys=True) for meta in _task_metas(redis_url)}
    task_id = http.post(f"{API}/generate", {"style": "metro_boomin", "bars": 32}).json()["task_id"]

    def progress() -> dict[str, Any] | None:
        for meta in _task_metas(redis_url):
            if meta.get("status") == "PROGRESS" and json.dumps(meta, sort_keys=True) not in known:
                return dict(meta["result"])
        return None

    return task_id, _wait_for("the job to run on a worker", progress)


def test_cancel_reaches_the_worker(broker_daemon: tuple[HttpTestClient, int], redis_url: str) -> None:
    http, _ = broker_daemon
    task_id, running = _running_job(http, redis_url)
    assert http.delete(f"{API}/tasks/{task_id}").json()["state"] == "cancelled"
    stopped = _wait_for("the worker to stop the job", lambda: [
        meta for meta in _task_metas(redis_url)
        if meta.get("status") == "SUCCESS" and (meta.get("result") or {}).get("cancelled")])
    assert stopped and http.get(f"{API}/status/{task_id}").json()["state"] == "cancelled"
    assert running["pid"] > 0


def test_a_worker_process_killed_mid_job_fails_the_job_clearly(
    broker_daemon: tuple[HttpTestClient, int], redis_url: str,
) -> None:
    http, _ = broker_daemon
    task_id, running = _running_job(http, redis_url)
    os.kill(int(running["pid"]), signal.SIGKILL)
    status = http.wait_done(task_id)
    assert status["state"] == "failed" and status["error"]["code"] == "generation_failed"
    assert "the Celery worker running it failed: WorkerLostError" in status["error"]["detail"]
    # The worker starts a new model process; the next job is served.
    again = http.post(f"{API}/generate", {"style": "j_dilla", "bars": 1}).json()["task_id"]
    assert http.wait_done(again)["state"] == "done"


def test_a_variations_job_runs_its_takes_on_the_workers(broker_daemon: tuple[HttpTestClient, int]) -> None:
    """Through --broker the takes run one task each (a task holds one pattern), still one job whose
    take k is the one-take job with seed + k."""
    http, _ = broker_daemon
    body = {"style": "questlove", "bars": 1, "seed": 20, "variations": 3}
    status = http.wait_done(http.post(f"{API}/generate", body).json()["task_id"])
    assert status["state"] == "done" and [take["seed"] for take in status["takes"]] == [20, 21, 22]
    one = {"style": "questlove", "bars": 1, "seed": 21}
    alone = http.wait_done(http.post(f"{API}/generate", one).json()["task_id"])
    assert status["takes"][1]["notes"] == alone["result"]["notes"]
