"""The Celery application both sides build from the same broker URL, with the settings that matter.

- queue `gpu_generation`: jobs go there and workers read only it;
- prefetch 1: a worker holds no job it is not running, so a free worker gets the next one;
- acks late: a job is acknowledged when done, and its state is STARTED while a worker runs it;
- Redis is both broker and result backend: the daemon reads state and progress back from it.
"""

from __future__ import annotations

from typing import Final

from celery import Celery

QUEUE: Final = "gpu_generation"
TASK_NAME: Final = "mididrumigen.generate"
CANCEL_KEY: Final = "mididrumigen:cancel:{job_id}"
RUNS_KEY: Final = "mididrumigen:runs:{job_id}"
KEY_TTL_S: Final = 24 * 3600


def make_app(broker_url: str) -> Celery:
    """A Celery app on `broker_url` (redis://...), configured as the module docstring says."""
    app = Celery("mididrumigen", broker=broker_url, backend=broker_url, set_as_current=False)
    app.conf.update(
        task_default_queue=QUEUE,
        task_routes={TASK_NAME: {"queue": QUEUE}},
        worker_prefetch_multiplier=1,
        task_acks_late=True,
        task_track_started=True,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=KEY_TTL_S,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
    )
    return app
