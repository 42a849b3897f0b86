"""What `mididrumigen styles` and `mididrumigen generate` do, as plain functions the CLI calls."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mididrumigen.engine.constants import bar_length_beats
from mididrumigen.engine.dependencies import require
from mididrumigen.engine.generate import Engine
from mididrumigen.engine.midi_export import write_midi
from mididrumigen.engine.naming import clip_file_stem, clip_title
from mididrumigen.engine.presets import load_presets
from mididrumigen.engine.schema import parse_request, parse_time_signature
from mididrumigen.engine.units import beats_to_seconds


def _registry(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return load_presets(args.presets_dir or None)


def cmd_styles(args: argparse.Namespace) -> int:
    registry = _registry(args)
    for style in registry.styles:
        print(f"{style.id:<16} {style.name:<16} {style.tempo_min}-{style.tempo_max} BPM  "
              f"genres: {', '.join(style.genres)}\n{'':<17}{style.description}")
    for problem in registry.problems:
        print(f"warning: preset not loaded: {problem}", file=sys.stderr)
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
    return values


def _output_paths(args: argparse.Namespace, count: int) -> list[Path | None]:
    """Explicit paths for --out; None means 'name it from the pattern' (in --out-dir or here)."""
    if args.out is None:
        return [None] * count
    if count == 1:
        return [args.out]
    return [args.out.with_name(f"{args.out.stem}_{i + 1}{args.out.suffix or '.mid'}") for i in range(count)]


def cmd_generate(args: argparse.Namespace) -> int:
    if args.variations < 1 or args.variations > 64:
        print(f"error: variations must be between 1 and 64, got {args.variations}", file=sys.stderr)
        return 2
    if args.plot:
        require("--plot", "matplotlib")
    # Validate before loading the model, so a typo costs nothing.
    parse_request(request_values(args, args.seed))
    if args.seed is not None:  # the last variation's seed must be valid too, before anything is written
        parse_request(request_values(args, args.seed + args.variations - 1))
    engine = Engine(args.model, _registry(args), device=args.device, runtime=args.runtime)
    out_dir: Path = args.out_dir or Path.cwd()
    requests = [parse_request(request_values(args, None if args.seed is None else args.seed + index))
                for index in range(args.variations)]
    results = engine.generate_batch(requests)  # one lock-step pass; each equals its seed made alone
    for path, request, result in zip(_output_paths(args, args.variations), requests, results):
        pattern = result.pattern
        style = engine.presets.resolve(request.style)
        target = path or out_dir / f"{clip_file_stem(pattern)}.mid"
        write_midi(pattern, target, clip_title(style.name, pattern))
        music_seconds = beats_to_seconds(pattern.bars * bar_length_beats(pattern.numerator, pattern.denominator),
                                         pattern.tempo_bpm)
        print(f"wrote {target}: {len(pattern.notes)} notes, {pattern.bars} bars of "
              f"{pattern.numerator}/{pattern.denominator} at {pattern.tempo_bpm:g} BPM "
              f"({music_seconds:.2f} s), seed {pattern.seed}, generated in {result.seconds:.3f} s")
        if args.plot:
            from mididrumigen.engine.plot import save_piano_roll

            print(f"wrote {save_piano_roll(pattern, target.with_suffix('.png'))}")
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    return 0
