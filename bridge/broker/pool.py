"""Several of the daemon's Worker threads on one engine: with --broker, one per job in flight.

Locally one thread owns the model and jobs run one after another. With a broker the model runs on
the Celery workers, and a Worker thread only follows its job there; a few threads let the workers
run that many jobs at once while the job table keeps its one bounded queue.
"""

from __future__ import annotations

from pathlib import Path

from mididrumigen.bridge.dispatcher import Outbox
from mididrumigen.bridge.jobs import JobTable
from mididrumigen.bridge.playback import LivePlayback
from mididrumigen.bridge.worker import EngineSlot, Worker


class WorkerPool:
    """`size` Workers taking jobs from one table; start and stop like one Worker."""

    def __init__(self, size: int, slot: EngineSlot, jobs: JobTable, outbox: Outbox, output_dir: Path,
                 playback: LivePlayback) -> None:
        if size < 1:
            raise ValueError(f"size must be at least 1, got {size}")
        self.workers = [Worker(slot, jobs, outbox, output_dir, playback) for _ in range(size)]

    def start(self) -> None:
        for number, worker in enumerate(self.workers, start=1):
            worker.start(name=f"broker-follower-{number}")

    def stop(self, timeout_s: float = 10.0) -> bool:
        for worker in self.workers:  # all first: each wake-up may reach any of the threads
            worker.request_stop()
        return all([worker.stop(timeout_s) for worker in self.workers])
