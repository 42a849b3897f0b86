"""`mididrumigen song`: a whole song from a form as one .mid with section markers, and one loopable
clip per section with --clips-dir.

Like `generate`, every value and output path is checked before the model loads.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mididrumigen.engine.commands import (
    OutputPathError,
    _write,
    kit_values,
    load_registry,
    output_paths,
    variation_seeds,
)
from mididrumigen.engine.naming import bars_text, clip_title, safe_token
from mididrumigen.engine.schema import field_help, field_rule, parse_time_signature
from mididrumigen.engine.song_form import DEFAULT_FORM, FORM_RULE, SongRequest, form_text, parse_song_request


def add_song(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register `song` (called by engine.cli.build_parser)."""
    from mididrumigen.engine.cli import (
        add_checkpoint_flag,
        add_kit_flag,
        add_presets_flag,
        add_runtime_argument,
        add_sampling_flags,
    )

    p = subparsers.add_parser("song", help="generate a whole song from a form: sections, fills at the seams, "
                                           "grooves that come back")
    p.add_argument("--style", required=True, help=field_help("style"))
    p.add_argument("--form", default=DEFAULT_FORM, help=f"{FORM_RULE} (default {DEFAULT_FORM!r})")
    p.add_argument("--tempo", type=float, help=field_help("tempo"))
    p.add_argument("--time-signature", help=f"e.g. 4/4, 7/8: numerator {field_rule('numerator')}, "
                                            f"denominator {field_rule('denominator')} (default 4/4)")
    add_sampling_flags(p)
    p.add_argument("--seed", type=int, help=field_help("seed") + "; the same seed gives the same song byte for byte")
    p.add_argument("--no-humanize", action="store_true", help="keep the song on the grid, without the style's feel")
    p.add_argument("--no-fill", action="store_true", help="no fills at phrase and section ends")
    add_kit_flag(p)
    p.add_argument("--out", type=Path, required=True, help="the song's .mid file (a marker at each section start)")
    p.add_argument("--clips-dir", type=Path, help="also write one loopable .mid clip per section into this folder")
    add_checkpoint_flag(p)
    add_presets_flag(p)
    add_runtime_argument(p)
    p.add_argument("--device", default=None, help="cuda or mps: generate with torch on that GPU (default: the cpu)")
    p.set_defaults(func=cmd_song)


def song_values(args: argparse.Namespace, seed: int) -> dict[str, Any]:
    """The request fields the user gave, plus the form and the (drawn or given) seed."""
    values: dict[str, Any] = {"style": args.style, "form": args.form, "seed": seed,
                              "humanize": not args.no_humanize, "fill": not args.no_fill}
    for field in ("tempo", "temperature", "top_k", "top_p"):
        if getattr(args, field) is not None:
            values[field] = getattr(args, field)
    if args.time_signature:
        values["numerator"], values["denominator"] = parse_time_signature(args.time_signature)
    return {**values, **kit_values(args)}


def clip_paths(clips_dir: Path, request: SongRequest) -> list[Path]:
    """01_intro.mid, 02_verse.mid, ...: in form order, named only from validated section names."""
    return [clips_dir / f"{index + 1:02d}_{safe_token(section.kind.value)}.mid"
            for index, section in enumerate(request.form)]


def cmd_song(args: argparse.Namespace) -> int:
    request = parse_song_request(song_values(args, variation_seeds(args.seed, 1)[0]))
    output_paths(args.out, None, 1)  # a folder or special file is refused before the model loads
    if args.clips_dir is not None and args.clips_dir.exists() and not args.clips_dir.is_dir():
        raise OutputPathError(f"--clips-dir is not a folder: {args.clips_dir}")

    from mididrumigen.engine.generate import Engine
    from mididrumigen.engine.midi_export import write_midi

    registry = load_registry(args)
    style = registry.resolve(request.pattern.style)
    engine = Engine(args.checkpoint, registry, device=args.device, runtime=args.runtime)
    song = engine.compose_song(request)
    pattern = song.pattern
    _write(write_midi, args.out, pattern, args.out, clip_title(style.name, pattern), song.markers())
    print(f"wrote {args.out}: {form_text(request.form)}, {bars_text(pattern.bars)} of "
          f"{pattern.numerator}/{pattern.denominator} at {pattern.tempo_bpm:g} BPM, {len(pattern.notes)} notes, "
          f"seed {pattern.seed}, generated in {song.seconds:.3f} s")
    if args.clips_dir is not None:
        for section, path in zip(song.sections, clip_paths(args.clips_dir, request), strict=True):
            title = f"{style.name} · {section.name} · {bars_text(section.plan.bars)} · seed {pattern.seed}"
            _write(write_midi, path, section.pattern, path, title)
        print(f"wrote {len(song.sections)} section clips into {args.clips_dir}")
    for warning in song.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0
