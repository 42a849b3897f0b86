"""What `mididrumigen styles` and `mididrumigen generate` do, as plain functions the CLI calls.

Only what a command needs is imported, and the model stack (torch) only once a request has been
validated and its output paths checked: a typo or a wrong folder costs nothing and touches nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mididrumigen.engine.dependencies import require
from mididrumigen.engine.errors import EngineError
from mididrumigen.engine.files import writable_target
from mididrumigen.engine.messages import out_of_range
from mididrumigen.engine.naming import bars_text
from mididrumigen.engine.presets import PresetRegistry, load_presets
from mididrumigen.engine.schema import parse_request, parse_time_signature, variation_seeds

MAX_VARIATIONS = 64


class OutputPathError(EngineError):
    """An output path the CLI cannot write a clip to (a folder, a device, a read-only place)."""


class PresetFolderError(EngineError):
    """A --presets folder that does not exist: a typo would otherwise silently give the built-ins only."""


def load_registry(args: argparse.Namespace) -> PresetRegistry:
    """The presets the command asked for; each broken preset file is reported once, here.

    Raises:
        PresetFolderError: a --presets folder is missing.
    """
    for folder in args.presets or ():
        if not folder.is_dir():
            problem = "is not a folder" if folder.exists() else "not found"
            raise PresetFolderError(f"preset folder {problem}: {folder}")
    registry = load_presets(args.presets or None)
    for problem in registry.problems:
        print(f"warning: preset not loaded: {problem}", file=sys.stderr)
    return registry


def cmd_styles(args: argparse.Namespace) -> int:
    for style in load_registry(args).styles:
        print(f"{style.id:<16} {style.name:<16} {style.tempo_min}-{style.tempo_max} BPM  "
              f"genres: {', '.join(style.genres)}\n{'':<17}{style.description}")
    return 0


def request_values(args: argparse.Namespace, seed: int | None) -> dict[str, Any]:
    """The request fields the user gave; anything left out takes the schema's default."""
    values: dict[str, Any] = {"style": args.style, "humanize": not args.no_humanize, "fill": not args.no_fill}
    for field in ("bars", "tempo", "pattern_type", "temperature", "top_k", "top_p"):
        if getattr(args, field) is not None:
            values[field] = getattr(args, field)
    if args.time_signature:
        values["numerator"], values["denominator"] = parse_time_signature(args.time_signature)
    if seed is not None:
        values["seed"] = seed
    return {**values, **kit_values(args)}


def kit_values(args: argparse.Namespace) -> dict[str, Any]:
    """{"kit": the --kit file's map}, or nothing when --kit is not given.

    Raises:
        KitError: an unreadable or invalid kit file, in one line naming it.
    """
    if getattr(args, "kit", None) is None:
        return {}
    from mididrumigen.engine.kits import load_kit_file

    return {"kit": load_kit_file(args.kit)}


def output_paths(out: Path | None, out_dir: Path | None, count: int) -> list[Path | None]:
    """Explicit paths for --out (f.mid, or f_1.mid ... f_N.mid for variations); None means
    'name it from the pattern' in --out-dir (or the current folder).

    Raises:
        OutputPathError: both --out and --out-dir, or --out names a folder or a special file.
    """
    if out is not None and out_dir is not None:
        raise OutputPathError("give --out (a file) or --out-dir (a folder), not both")
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        raise OutputPathError(f"--out-dir is not a folder: {out_dir}")
    if out is None:
        return [None] * count
    if out.is_dir():
        raise OutputPathError(f"--out names a folder: {out}; give a file name, or use --out-dir {out}")
    paths: list[Path | None] = (
        [out] if count == 1 else [out.with_name(f"{out.stem}_{i + 1}{out.suffix or '.mid'}") for i in range(count)]
    )
    for path in paths:
        if path is not None:
            writable_target(path)  # a device, FIFO or link loop is refused before the model loads
    return paths


def _write(write: Any, target: Path, *details: Any) -> Path:
    """Run one atomic file write; an OSError becomes one line naming the file."""
    try:
        return Path(write(*details))
    except OSError as error:
        raise OutputPathError(f"cannot write {target}: {error.strerror or error}") from error


def cmd_generate(args: argparse.Namespace) -> int:
    problem = out_of_range("variations", args.variations, 1, MAX_VARIATIONS)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if args.plot:
        require("--plot", "matplotlib")
    # Validate every variation's request and the output paths before loading the model.
    seeds = variation_seeds(args.seed, args.variations)
    requests = [parse_request(request_values(args, seed)) for seed in seeds]
    paths = output_paths(args.out, args.out_dir, args.variations)

    from mididrumigen.engine.constants import bar_length_beats
    from mididrumigen.engine.generate import Engine
    from mididrumigen.engine.midi_export import write_midi
    from mididrumigen.engine.naming import clip_file_stem, clip_title
    from mididrumigen.engine.units import beats_to_seconds

    registry = load_registry(args)
    registry.resolve(args.style)  # an unknown style is refused before the model loads
    engine = Engine(args.checkpoint, registry, device=args.device, runtime=args.runtime)
    out_dir: Path = args.out_dir or Path.cwd()
    results = engine.generate_batch(requests)  # one lock-step pass; each equals its seed made alone
    for request, path, result in zip(requests, paths, results):
        pattern = result.pattern
        style = engine.presets.resolve(request.style)
        target = path or out_dir / f"{clip_file_stem(pattern)}.mid"
        _write(write_midi, target, pattern, target, clip_title(style.name, pattern))
        music_seconds = beats_to_seconds(pattern.bars * bar_length_beats(pattern.numerator, pattern.denominator),
                                         pattern.tempo_bpm)
        print(f"wrote {target}: {len(pattern.notes)} notes, {bars_text(pattern.bars)} of "
              f"{pattern.numerator}/{pattern.denominator} at {pattern.tempo_bpm:g} BPM "
              f"({music_seconds:.2f} s), seed {pattern.seed}, generated in {result.seconds:.3f} s")
        if args.plot:
            from mididrumigen.engine.plot import save_piano_roll

            png = target.with_suffix(".png")
            print(f"wrote {_write(save_piano_roll, png, pattern, png)}")
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    return 0
