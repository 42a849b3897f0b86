"""`mididrumigen serve`: the command-line entry point of the daemon."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from mididrumigen.bridge.config import BridgeConfig, add_serve_arguments, config_from_args
from mididrumigen.bridge.errors import ConfigError
from mididrumigen.engine.errors import EngineError
from mididrumigen.engine.messages import one_line

log = logging.getLogger(__name__)


def add_serve_command(subparsers: Any) -> argparse.ArgumentParser:
    """Add `serve` to the `mididrumigen` CLI; the parsed namespace's `func` runs it.

    Args:
        subparsers: what `ArgumentParser.add_subparsers()` returned.
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve", help="run the OSC daemon that Ableton Live talks to",
        description="Run the OSC daemon for the Max for Live device (protocol v1, see the README).",
    )
    add_serve_arguments(parser)
    parser.set_defaults(func=run_serve)
    return parser


def run_serve(args: argparse.Namespace) -> int:
    """Run `serve` from parsed arguments; returns the exit status (0 clean, 2 bad config or model)."""
    try:
        config = config_from_args(args)
    except ConfigError as error:
        sys.stderr.write(f"mididrumigen serve: {error}\n")
        return 2
    _configure_logging(config)
    from mididrumigen.bridge.daemon import serve  # after the flags are checked: a typo costs nothing

    try:
        return serve(config, announce=_print_line)
    except (EngineError, OSError) as error:
        sys.stderr.write(f"mididrumigen serve: {one_line(error)}\n")
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    """The `mididrumigen` command: the engine's commands, plus `serve`, plus the daemon's bench section."""
    from mididrumigen.engine import cli as engine_cli

    from mididrumigen.bridge.broker.worker_cli import add_worker_command  # imports no Celery until it runs

    return engine_cli.main(argv, extra_commands=[add_serve_command, add_worker_command, _add_daemon_bench])


def _add_daemon_bench(subparsers: Any) -> None:
    """After the engine's bench table, `mididrumigen bench` measures the daemon, then start-up times."""
    bench_parser: argparse.ArgumentParser = subparsers.choices["bench"]
    bench_parser.add_argument("--midi", action="store_true", help="time playback on the real virtual MIDI port")
    bench_parser.add_argument("--broker", action="store_true",
                              help="also time the Redis + Celery path (starts redis-server and two workers)")
    bench_parser.add_argument("--startup-runs", type=int, default=3,
                              help="new processes per start-up row (0 skips the start-up section)")
    engine_bench = bench_parser.get_default("func")

    def run_both(args: argparse.Namespace) -> int:
        from mididrumigen.bridge.bench import run_bench_section
        from mididrumigen.bridge.startup_bench import run_startup_section

        status = int(engine_bench(args))
        sys.stdout.write("\n")
        status = status or run_bench_section(args.checkpoint, args.midi)
        if not status and args.broker:
            from mididrumigen.bridge.broker.bench import run_broker_section

            sys.stdout.write("\n")
            status = run_broker_section(args.checkpoint)
        if status or args.startup_runs < 1:
            return status
        sys.stdout.write("\n")
        return run_startup_section(args.checkpoint, args.startup_runs)

    bench_parser.set_defaults(func=run_both)


def main_serve(argv: Sequence[str] | None = None) -> int:
    """`mididrumigen serve` on its own: parse `argv` (default sys.argv[1:]) and run."""
    parser = argparse.ArgumentParser(prog="mididrumigen serve", description="Run the OSC daemon for Ableton Live.")
    add_serve_arguments(parser)
    return run_serve(parser.parse_args(argv))


def _print_line(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _configure_logging(config: BridgeConfig) -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    # The `mididrumigen` front end may have configured logging already; the daemon's level still wins.
    logging.getLogger().setLevel(config.log_level)


if __name__ == "__main__":
    raise SystemExit(main_serve())
