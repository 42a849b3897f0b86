"""The start-up section of `mididrumigen bench`: how long a producer waits before anything happens.

Each row runs real processes (`--help`, `styles`, a refused value, `serve` until its first pong and
its first pattern) and is shown beside `python -c "import torch"` timed the same way, so the ratio
stays comparable on a slower or busier machine. Targets (issue 10): `--help` under 0.3 s, the
first pong under 1 s and the first pattern under 2.5 s after the command.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from mididrumigen.bridge.bench import missed_flag
from mididrumigen.bridge.osc.message import OscMessage, build_message, parse_message

CLI: Final = ("-c", "import sys; from mididrumigen.bridge.cli import main; sys.exit(main())")
"""The `mididrumigen` entry point, run by this interpreter (so it is the same install)."""

REFERENCE: Final = "import torch"
SERVE_TIMEOUT_S: Final = 120.0


@dataclass(frozen=True)
class StartupRow:
    """A median over runs, in seconds, and the target it must stay under (None: no target)."""

    name: str
    seconds: float
    target_s: float | None = None


def _run_seconds(args: Sequence[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve_first_replies(checkpoint: Path | None) -> tuple[float, float, str]:
    """Start `mididrumigen serve`; seconds from the command to its first pong and to its first
    pattern's /mdg/done, and the model field of that first pong ("loading" while it loads)."""
    port = _free_udp_port()
    with tempfile.TemporaryDirectory() as folder, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
        client.bind(("127.0.0.1", 0))
        client.settimeout(0.02)
        reply_port = client.getsockname()[1]
        command = [*CLI, "serve", "--port", str(port), "--no-midi", "--output-dir", folder, "--log-level", "ERROR"]
        if checkpoint is not None:
            command += ["--checkpoint", str(checkpoint)]
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, *command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            ping = build_message(OscMessage("/mdg/ping", (reply_port,)))
            first_pong = _wait_for(client, "/mdg/pong", started, lambda: client.sendto(ping, ("127.0.0.1", port)))
            pong_s, pong = first_pong
            generate = build_message(OscMessage("/mdg/generate", ("style", "j_dilla", "bars", 4, "seed", 1,
                                                                  "reply_port", reply_port)))
            client.sendto(generate, ("127.0.0.1", port))
            done_s, _ = _wait_for(client, "/mdg/done", started, lambda: None)
        finally:
            process.terminate()
            process.wait(timeout=30)
    return pong_s, done_s, str(pong.args[1])


def _wait_for(client: socket.socket, address: str, started: float, poke: object) -> tuple[float, OscMessage]:
    """Read replies (calling `poke` between reads) until `address` arrives; seconds since `started`."""
    while time.perf_counter() - started < SERVE_TIMEOUT_S:
        poke()  # type: ignore[operator]
        try:
            message = parse_message(client.recvfrom(65536)[0], max_arguments=4096)
        except (TimeoutError, ConnectionResetError):  # Windows reports an unreachable port as a reset
            continue
        if message.address == address:
            return time.perf_counter() - started, message
        if message.address == "/mdg/error":
            raise RuntimeError(f"the daemon refused a bench request: {message.args}")
    raise TimeoutError(f"no {address} within {SERVE_TIMEOUT_S:.0f} s")


def measure_startup(checkpoint: Path | None = None, runs: int = 3) -> tuple[list[StartupRow], str]:
    """Every start-up row (medians over `runs`) and the first pong's model field."""
    reference = statistics.median(_run_seconds(("-c", REFERENCE)) for _ in range(runs))
    rows = [StartupRow(f'python -c "{REFERENCE}" (reference)', reference)]
    commands: list[tuple[str, tuple[str, ...], float | None]] = [
        ("mididrumigen --help", ("--help",), 0.3),
        ("mididrumigen styles", ("styles",), 0.3),
        ("refused value (--bars 99)", ("generate", "--style", "j_dilla", "--bars", "99"), 0.3),
    ]
    for name, args, target in commands:
        rows.append(StartupRow(name, statistics.median(_run_seconds((*CLI, *args)) for _ in range(runs)), target))
    serves = [serve_first_replies(checkpoint) for _ in range(runs)]
    rows.append(StartupRow("serve: first /mdg/pong", statistics.median(s[0] for s in serves), 1.0))
    rows.append(StartupRow("serve: first 4-bar pattern (/mdg/done)", statistics.median(s[1] for s in serves), 2.5))
    return rows, serves[0][2]


def startup_lines(rows: Sequence[StartupRow], first_pong_model: str) -> list[str]:
    """The section as table rows: median seconds, ratio to `import torch`, and each missed target."""
    reference = rows[0].seconds
    lines = [f"{'start-up (a new process each run)':<42}{'median':>9}{'x torch':>9}  target", "-" * 74]
    for row in rows:
        target = "" if row.target_s is None else f"< {row.target_s:g} s"
        flag = "" if row.target_s is None else missed_flag(row.seconds, row.target_s)
        lines.append(f"{row.name:<42}{row.seconds:>7.2f} s{row.seconds / reference:>8.2f}x  {target}{flag}")
    lines.append(f"  first pong's model field: {first_pong_model!r}")
    return lines


def run_startup_section(checkpoint: Path | None, runs: int = 3) -> int:
    """Print the start-up section; exit status 0 (a missed target is flagged in the table, not fatal)."""
    rows, first_model = measure_startup(checkpoint, runs)
    sys.stdout.write("\n".join(startup_lines(rows, first_model)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(run_startup_section(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
