"""`mididrumigen bench`: the runtimes side by side in one run (ms per event, 4 and 32 bars, a 64-bar
song, continue and groove of a 4-bar clip against a plain 4-bar pattern, 8 variations batched against
one after another, process start to first pattern, installed size).

Runs are interleaved between runtimes so that both see the same background load; the ratios are the
figures to trust on a shared machine. Prints a table; medians of several runs.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

from mididrumigen.engine.clip import ClipNote, ClipRequest, parse_clip_request
from mididrumigen.engine.generate import Engine, default_checkpoint
from mididrumigen.engine.install_size import PACKAGE, install_size
from mididrumigen.engine.dependencies import installed
from mididrumigen.engine.runtime import RUNTIMES, open_runtime
from mididrumigen.engine.schema import GenerationRequest, parse_request
from mididrumigen.engine.song_form import SongRequest, parse_song_request

Key = TypeVar("Key", bound=Hashable)

BENCH_STYLE = "j_dilla"
BENCH_SONG_FORM = "intro:4 verse:8 chorus:8 verse:8 chorus:8 bridge:8 chorus:8 verse:8 outro:4"
"""64 bars: the song row, against the 32-bar pattern (issue 13's target: within 2.2x)."""
SONG_TARGET_RATIO = 2.2
VARIATIONS = 8
BATCH_TARGET_RATIO = 2.2
TODAY_TARGET_RATIO = 0.35
"""Issue 16's targets: 8 variations batched within 2.2x one pattern; 4 bars within 0.35x today's path."""
RUNTIME_EXTRAS = {"onnx": (), "torch": ("train",)}
"""The install each runtime needs: the default one for ONNX Runtime, `[train]` for torch."""
INSTALL_TARGET_MB = 150


def _request(bars: int, seed: int) -> GenerationRequest:
    return parse_request({"style": BENCH_STYLE, "bars": bars, "seed": seed})


def _bench_clip(engine: Engine) -> list[ClipNote]:
    """A 4-bar clip to continue and groove: a generated pattern, as a producer would bring one."""
    pattern = engine.generate(_request(4, 999)).pattern
    return [ClipNote(n.pitch, n.start_beats, n.duration_beats, n.velocity) for n in pattern.notes]


def _clip_request(mode: str, seed: int) -> ClipRequest:
    bars = {"bars": 4} if mode == "continue" else {}
    return parse_clip_request({"style": BENCH_STYLE, "mode": mode, "clip_bars": 4, "seed": seed, **bars})


def _song_request(seed: int) -> SongRequest:
    return parse_song_request({"style": BENCH_STYLE, "form": BENCH_SONG_FORM, "seed": seed})


def _time(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _paired(actions: dict[Key, Callable[[int], object]], runs: int) -> dict[Key, list[float]]:
    """Seconds of each action per run, the actions taking turns within every run, so that a ratio of
    two of them can be taken run by run (both saw the same moment's load) and its median reported."""
    times: dict[Key, list[float]] = {name: [] for name in actions}
    for run in range(runs):
        for name, action in actions.items():
            times[name].append(_time(lambda: action(run)))  # noqa: B023 - called at once
    return times


def _turns(engines: dict[str, Engine], kinds: dict[str, Callable[[Engine, int], object]],
           runs: int) -> dict[str, dict[str, list[float]]]:
    """Seconds per kind of work and runtime, every kind on every runtime taking turns within each run,
    so that a ratio of two kinds (a song against 32 bars, a batch against one pattern) is taken within
    a run: both saw the same moment's load."""
    times = _paired({(kind, name): (lambda s, work=work, engine=engine: work(engine, s))
                     for kind, work in kinds.items() for name, engine in engines.items()}, runs)
    return {kind: {name: times[kind, name] for name in engines} for kind in kinds}


def _medians(times: dict[str, list[float]]) -> dict[str, float]:
    return {name: statistics.median(values) for name, values in times.items()}


def _median_ratio(numerators: list[float], denominators: list[float]) -> float:
    return statistics.median(n / d for n, d in zip(numerators, denominators, strict=True))


def _process_start_to_file(runtime: str, model: Path, runs: int) -> float:
    """Seconds from starting a `mididrumigen generate` process to its exit with a 1-bar file written."""
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(runs):
            command = [sys.executable, "-c", "import sys; from mididrumigen.bridge.cli import main; sys.exit(main())",
                       "generate", "--style", BENCH_STYLE, "--bars", "1", "--seed", str(run), "--runtime", runtime,
                       "--model", str(model), "--out", str(Path(folder) / f"start_{runtime}_{run}.mid")]
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def _print_installs() -> None:
    """What the install-size row is made of: every distribution `pip install` brings besides this package."""
    default = install_size()
    print(f"\n`pip install {PACKAGE}` brings {len(default.sizes)} distributions, {default.total / 1e6:.2f} MB "
          f"(largest, MB: {default.largest(6)}); the package itself (code, presets, shipped model) comes on top")
    train = install_size(("train",), beyond=default.sizes)
    if train.sizes:
        print(f"`[train]` adds {len(train.sizes)}, {train.total / 1e6:.1f} MB (largest, MB: {train.largest(3)})")


def run(model: Path | None = None, runs: int = 7, runtimes: tuple[str, ...] = RUNTIMES,
        today: str | None = None) -> int:
    """Print the table. `today`: also time today's path (bench_today; "" for its default ref)."""
    path = Path(model or default_checkpoint())
    available = [name for name in runtimes if installed("onnxruntime" if name == "onnx" else "torch")]
    engines = {name: Engine(path, runtime=name, device="cpu") for name in available}
    print(f"machine: {platform.machine()} {platform.processor() or ''}, {os.cpu_count()} cores, "
          f"python {platform.python_version()}; runtimes: {', '.join(available)} (one thread each)")
    config = next(iter(engines.values())).runtime.config
    print(f"model: {path.name}, {config.n_layer} layers of {config.d_model}, context {config.context}")
    load = {name: statistics.median(_time(lambda: open_runtime(path, name, "cpu")) for _ in range(3))  # noqa: B023
            for name in available}
    for engine in engines.values():
        engine.generate(_request(4, 0))  # warm-up
    events_4 = {name: sum(e.generate(_request(4, s)).tokens_generated for s in range(runs))
                for name, e in engines.items()}
    clips = {name: _bench_clip(e) for name, e in engines.items()}
    short = _turns(engines, {
        "four": lambda e, s: e.generate(_request(4, s)),
        "continue": lambda e, s: e.transform(_clip_request("continue", s), clips[e.runtime.name]),
        "groove": lambda e, s: e.transform(_clip_request("groove", s), clips[e.runtime.name])}, runs)
    four, continued, grooved = (_medians(short[kind]) for kind in ("four", "continue", "groove"))
    per_event = {name: sum(short["four"][name]) / events_4[name] for name in available}
    long = _turns(engines, {"32 bars": lambda e, s: e.generate(_request(32, s)),
                            "song": lambda e, s: e.compose_song(_song_request(s))}, max(3, runs // 2))
    thirty_two, song = _medians(long["32 bars"]), _medians(long["song"])
    batch = [_request(4, 100 + i) for i in range(VARIATIONS)]
    variations = _turns(engines, {"one": lambda e, s: e.generate(_request(4, 100 + s % VARIATIONS)),
                                  "batch": lambda e, s: e.generate_batch(batch)}, runs)
    one, batched = _medians(variations["one"]), _medians(variations["batch"])

    def ratio(times: dict[str, dict[str, list[float]]], numerator: str, denominator: str) -> dict[str, float]:
        return {n: _median_ratio(times[numerator][n], times[denominator][n]) for n in available}

    sequential = _medians(_turns(engines, {"one by one": lambda e, s: [e.generate(r) for r in batch]},
                                 max(3, runs // 2))["one by one"])
    start = {name: _process_start_to_file(name, path, max(3, runs // 2)) for name in available}

    print()
    header = f"{'measure':<40}" + "".join(f"{name:>12}" for name in available)
    print(header)
    print("-" * len(header))

    def row(label: str, values: dict[str, float], unit: str, scale: float = 1000.0) -> None:
        print(f"{label:<40}" + "".join(f"{values[n] * scale:>9.1f} {unit:<2}" for n in available))

    row("model load", load, "ms")
    row("ms per event (4 bars)", per_event, "ms")
    row("4 bars", four, "ms")
    row("32 bars", thirty_two, "ms")
    row("64-bar song (9 sections)", song, "ms")
    row(f"64-bar song / 32 bars (target <= {SONG_TARGET_RATIO:g}x)", ratio(long, "song", "32 bars"), "x", 1.0)
    row("continue a 4-bar clip by 4 bars", continued, "ms")
    row("groove a 4-bar clip", grooved, "ms")
    row("continue / 4 bars", ratio(short, "continue", "four"), "x", 1.0)
    row("groove / 4 bars", ratio(short, "groove", "four"), "x", 1.0)
    row("one pattern (4 bars, other seeds)", one, "ms")
    row(f"{VARIATIONS} variations batched", batched, "ms")
    row(f"{VARIATIONS} variations one after another", sequential, "ms")
    row(f"batched / one pattern (target <= {BATCH_TARGET_RATIO:g}x)", ratio(variations, "batch", "one"), "x", 1.0)
    row("process start to written file (1 bar)", start, "s", 1.0)
    installs = {n: install_size(RUNTIME_EXTRAS[n]) for n in available}
    row(f"installed (target <= {INSTALL_TARGET_MB} MB)", {n: installs[n].total for n in available},
        "MB", 1e-6)
    _print_installs()
    if {"onnx", "torch"} <= set(available):
        print()
        print(f"onnx / torch: 4 bars {four['onnx'] / four['torch']:.2f}x, 32 bars "
              f"{thirty_two['onnx'] / thirty_two['torch']:.2f}x, process start {start['onnx'] / start['torch']:.2f}x")
    if today is not None:
        _print_today(engines, today, runs)
    return 0


def _print_today(engines: dict[str, Engine], ref: str, runs: int) -> None:
    """Today's path against each runtime, 4 bars, taking turns within every run: ms per event (the
    two models sample different numbers of events) and the median of the per-run ratios."""
    from mididrumigen.engine.bench_today import TODAY_REF, TodayPath

    today = TodayPath(ref or TODAY_REF)
    try:
        today.generate(BENCH_STYLE, 4, 0)  # warm-up
        counted: dict[str, list[int]] = {name: [] for name in [*engines, "today"]}
        actions: dict[str, Callable[[int], object]] = {
            name: (lambda s, e=e, name=name: counted[name].append(e.generate(_request(4, s)).tokens_generated))
            for name, e in engines.items()}
        actions["today"] = lambda s: counted["today"].append(today.generate(BENCH_STYLE, 4, s))
        times = _paired(actions, runs)
    finally:
        today.close()
    per_event = {name: [t / n for t, n in zip(times[name], counted[name], strict=True)] for name in times}
    print(f"\ntoday's path ({today.ref}: torch eager, inference_mode, one thread, torch draws, its own model), "
          f"4 bars, {runs} runs taking turns with the runtimes:")
    print(f"  today {1000 * statistics.median(per_event['today']):.2f} ms per event, "
          f"{1000 * statistics.median(times['today']):.1f} ms per pattern")
    for name in engines:
        target = f" (target <= {TODAY_TARGET_RATIO:g}x)" if name == "onnx" else ""
        print(f"  {name}  {1000 * statistics.median(per_event[name]):.2f} ms per event, "
              f"{1000 * statistics.median(times[name]):.1f} ms per pattern: "
              f"{_median_ratio(per_event[name], per_event['today']):.2f}x today per event{target}")
