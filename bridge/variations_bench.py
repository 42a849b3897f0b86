"""The daemon's variations rows of `mididrumigen bench`: N takes in one OSC request against N requests.

A real daemon on 127.0.0.1, talked to over UDP as a device does. Interleaved per run: one pattern,
one `/mdg/generate ... variations N` (the worker's one batched engine pass), and N one-take
requests sent at once (the worker runs them one after another); each from send to the last
/mdg/done. It also checks, over the wire, that take k of the batch is the notes of the one-take
request with seed + k (the ratios mean nothing if the batch made other patterns).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from mididrumigen.bridge.bench import BENCH_STYLE, _Client
from mididrumigen.bridge.config import BridgeConfig
from mididrumigen.bridge.daemon import Daemon
from mididrumigen.bridge.engine_api import PatternEngine
from mididrumigen.bridge.midi.memory import MemoryOut
from mididrumigen.bridge.osc.message import OscArg, parse_message

TAKES: Final = 8
BARS: Final = 4

Notes = tuple[OscArg, ...]


@dataclass(frozen=True)
class VariationsBench:
    """Medians in milliseconds, from sending to the last /mdg/done."""

    takes: int
    bars: int
    runs: int
    one_ms: float
    batched_ms: float
    separate_ms: float
    same_patterns: bool

    def lines(self) -> list[str]:
        return [
            f"{f'OSC variations: {self.takes} takes of {self.bars} bars (median of {self.runs})':<48}"
            f"{'ms':>10}{'vs one':>9}",
            "-" * 67,
            f"{'one pattern':<48}{self.one_ms:>10.1f}{1.0:>8.2f}x",
            f"{f'{self.takes} takes, one request (one batched pass)':<48}{self.batched_ms:>10.1f}"
            f"{self.batched_ms / self.one_ms:>8.2f}x",
            f"{f'{self.takes} one-take requests, sent at once':<48}{self.separate_ms:>10.1f}"
            f"{self.separate_ms / self.one_ms:>8.2f}x",
            f"{'batched / separate':<48}{self.batched_ms / self.separate_ms:>18.2f}x",
            f"take k equals the one-take request with seed + k: {'yes' if self.same_patterns else 'NO'}",
        ]


def _collect(client: _Client, jobs: int) -> dict[str, list[Notes]]:
    """Read replies until `jobs` jobs are done: each job's note chunks (plain, or take index first),
    in arrival order, by the request_id it was sent with."""
    request_of: dict[str, str] = {}
    notes: dict[str, list[Notes]] = {}
    done = 0
    while done < jobs:
        message = parse_message(client.sock.recvfrom(65536)[0], max_arguments=4096)
        job = str(message.args[0]) if message.args else ""
        if message.address == "/mdg/error":
            raise RuntimeError(f"the daemon refused a bench request: {message.args}")
        if message.address == "/mdg/queued":
            request_of[job] = str(message.args[1])
        elif message.address == "/mdg/notes":
            notes.setdefault(request_of[job], []).append(message.args[3:])
        elif message.address == "/mdg/take/notes":
            notes.setdefault(request_of[job], []).append(message.args[1:2] + message.args[4:])
        elif message.address == "/mdg/done":
            done += 1
    return notes


def _generate(client: _Client, seed: int, variations: int) -> None:
    client.send("/mdg/generate", "style", BENCH_STYLE, "bars", BARS, "seed", seed, "variations", variations,
                "request_id", str(seed), "reply_port", client.port)


def run_variations_bench(engine: PatternEngine, runs: int = 5, takes: int = TAKES) -> VariationsBench:
    """Measure one daemon built on `engine`, the three cases interleaved run by run."""
    one, batched, separate = [], [], []
    same = True
    with tempfile.TemporaryDirectory() as folder:
        daemon = Daemon(BridgeConfig(port=0, output_dir=Path(folder), midi=False, queue_size=64), engine,
                        MemoryOut("memory"))
        client = _Client(daemon.address)
        try:
            daemon.start()
            _generate(client, 0, 1)  # warm up (and wait for the model to load)
            _collect(client, 1)
            for run in range(runs):
                seed = 1000 * (run + 1)
                started = time.perf_counter()
                _generate(client, seed, 1)
                _collect(client, 1)
                one.append(time.perf_counter() - started)
                started = time.perf_counter()
                _generate(client, seed, takes)
                [batch] = _collect(client, 1).values()
                batched.append(time.perf_counter() - started)
                started = time.perf_counter()
                for k in range(takes):
                    _generate(client, seed + k, 1)
                alone = _collect(client, takes)
                separate.append(time.perf_counter() - started)
                per_take = [[chunk[1:] for chunk in batch if chunk[0] == k] for k in range(takes)]
                same = same and per_take == [alone[str(seed + k)] for k in range(takes)]
        finally:
            client.close()
            daemon.stop()
    ms = [statistics.median(values) * 1000 for values in (one, batched, separate)]
    return VariationsBench(takes, BARS, runs, ms[0], ms[1], ms[2], same)


def main() -> int:
    """`python -m mididrumigen.bridge.variations_bench`: these rows alone, on the shipped model."""
    from mididrumigen.bridge.engine_api import load_engine

    print("\n".join(run_variations_bench(load_engine(None, (), "cpu")).lines()))  # noqa: T201  (a bench prints)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
