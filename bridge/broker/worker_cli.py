"""`mididrumigen worker`: a Celery worker process that loads the model and runs the daemon's jobs."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any, Final

_BROKER_URL: Final = re.compile(r"^rediss?://\S+$")


def add_worker_command(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "worker", help="run a Celery worker for `serve --broker` (one model per process)",
        description="Run generation jobs sent by `mididrumigen serve --broker URL`, from the queue gpu_generation.",
    )
    parser.add_argument("--broker", required=True, metavar="URL", help="the Redis URL the daemon was given")
    parser.add_argument("--concurrency", type=int, default=1,
                        help="worker processes, each loading the model once (default 1: one per GPU)")
    parser.add_argument("--checkpoint", "--model", dest="checkpoint", type=Path,
                        help="model checkpoint (default: $MIDIDRUMIGEN_MODEL, else the shipped model)")
    parser.add_argument("--device", help="cuda, mps or cpu (default: the best available)")
    parser.add_argument("--presets", "--presets-dir", dest="preset_dirs", action="append", type=Path, default=[],
                        metavar="DIR", help="extra folder of style YAML files (repeatable; as given to serve)")
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING or ERROR (default INFO)")
    parser.set_defaults(func=run_worker)
    return parser


def run_worker(args: argparse.Namespace) -> int:
    """Start the Celery worker; returns its exit status (2 for a bad flag)."""
    if not _BROKER_URL.match(args.broker):
        sys.stderr.write(f"mididrumigen worker: --broker must be a Redis URL, e.g. redis://localhost:6379/0, "
                         f"got {args.broker!r}\n")
        return 2
    if not 1 <= args.concurrency <= 64:
        sys.stderr.write(f"mididrumigen worker: --concurrency must be between 1 and 64, got {args.concurrency}\n")
        return 2
    if args.device not in (None, "cuda", "mps", "cpu"):
        sys.stderr.write(f"mididrumigen worker: --device must be one of cuda, mps, cpu, got {args.device!r}\n")
        return 2
    from mididrumigen.bridge.broker.app import QUEUE, make_app
    from mididrumigen.bridge.broker.tasks import EngineSettings, register_tasks

    # The model code is imported once here, before Celery forks its processes, so each of them starts
    # with it imported and only loads the weights (on its own device: nothing is loaded before the fork).
    import mididrumigen.engine.generate  # noqa: F401

    app = make_app(args.broker)
    register_tasks(app, EngineSettings(args.checkpoint, tuple(args.preset_dirs), args.device))
    app.worker_main([
        "worker", "--loglevel", str(args.log_level).upper(), "--queues", QUEUE,
        "--concurrency", str(args.concurrency), "--prefetch-multiplier", "1", "--pool", "prefork",
        "--hostname", f"mididrumigen-{os.getpid()}@%h", "--without-gossip", "--without-mingle",
    ])
    return 0
