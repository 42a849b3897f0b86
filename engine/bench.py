"""`mididrumigen bench`: model load time, events per second with and without the KV cache, and
request-to-file latency for 1, 4, 16 and 32 bars. Prints a table; medians of several runs."""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import torch

from mididrumigen.engine.checkpoint import load_checkpoint
from mididrumigen.engine.generate import Engine, default_checkpoint
from mididrumigen.engine.midi_export import write_midi
from mididrumigen.engine.sampling import SamplingSettings
from mididrumigen.engine.schema import parse_request

BENCH_STYLE = "j_dilla"
BAR_COUNTS = (1, 4, 16, 32)


def _median_seconds(action, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _events_per_second(engine: Engine, use_cache: bool, bars: int, runs: int) -> float:
    request = parse_request({"style": BENCH_STYLE, "bars": bars, "seed": 1})
    style = engine.presets.resolve(request.style)
    cond = engine.conditioning(request, style, 1)
    rates = []
    for seed in range(runs):
        started = time.perf_counter()
        _, events = engine.sampler.sample(cond, bars, 16, SamplingSettings(), seed, use_cache=use_cache)
        rates.append(events / (time.perf_counter() - started))
    return statistics.median(rates)


def run(model: Path | None = None, runs: int = 7) -> int:
    path = Path(model or default_checkpoint())
    load_seconds = _median_seconds(lambda: load_checkpoint(path, "cpu"), max(3, runs // 2))
    engine = Engine(path, device="cpu")
    print(f"machine: {platform.machine()} {platform.processor() or ''}, {os.cpu_count()} cores, "
          f"torch {torch.__version__}, {torch.get_num_threads()} inference thread(s), python {platform.python_version()}")
    engine.generate(parse_request({"style": BENCH_STYLE, "bars": 4, "seed": 0}))  # warm-up
    print(f"model: {path.name}, {engine.loaded.model.num_parameters():,} parameters")
    print()
    print(f"{'measure':<34}{'median':>12}")
    print("-" * 46)
    print(f"{'model load':<34}{load_seconds * 1000:>9.1f} ms")
    with_cache = _events_per_second(engine, True, 4, runs)
    without_cache = _events_per_second(engine, False, 4, max(3, runs // 2))
    print(f"{'events/s with KV cache (4 bars)':<34}{with_cache:>9.0f} /s")
    print(f"{'events/s without cache (4 bars)':<34}{without_cache:>9.0f} /s")
    print(f"{'speed-up from the cache':<34}{with_cache / without_cache:>10.1f} x")
    print()
    print(f"{'request to .mid file':<22}{'median':>10}{'per bar':>12}{'events':>9}")
    print("-" * 53)
    with tempfile.TemporaryDirectory() as folder:
        for bars in BAR_COUNTS:
            times, events = [], []
            for seed in range(runs):
                request = parse_request({"style": BENCH_STYLE, "bars": bars, "seed": seed})
                started = time.perf_counter()
                result = engine.generate(request)
                write_midi(result.pattern, Path(folder) / f"bench_{bars}_{seed}.mid")
                times.append(time.perf_counter() - started)
                events.append(result.tokens_generated)
            median = statistics.median(times)
            print(f"{bars:>3} bars{'':<14}{median * 1000:>7.1f} ms{median * 1000 / bars:>9.1f} ms"
                  f"{statistics.median(events):>9.0f}")
    return 0
