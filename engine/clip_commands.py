"""`mididrumigen continue | groove | vary`: a producer's .mid clip in, a new .mid clip out.

Everything that can be wrong (the output path, the file, its length, the request, the kit, the style)
is checked before the model loads, and the result is written atomically at the very end, so a
mistake costs one line on stderr, exit status 2, and touches no file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mididrumigen.engine.commands import OutputPathError, load_registry
from mididrumigen.engine.errors import RequestError
from mididrumigen.engine.files import writable_target
from mididrumigen.engine.naming import bars_text
from mididrumigen.engine.schema import MAX_BARS, field_help, parse_time_signature

_HELP = {
    "continue": "write the bars that follow a clip, in a style (the clip is the model's prompt)",
    "groove": "play a stiff clip like a drummer of a style: same notes and steps, new velocity and timing",
    "vary": "regenerate a clip around the voices or bars you keep (kept notes stay byte for byte)",
}
"""The three clip modes (engine.clip.ClipMode), named here so `--help` does not import the clip reader."""


def add_clip_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add continue, groove and vary to the CLI."""
    from mididrumigen.engine.cli import (
        add_checkpoint_flag,
        add_presets_flag,
        add_runtime_argument,
        add_sampling_flags,
    )

    for mode in _HELP:
        p = subparsers.add_parser(mode, help=_HELP[mode], description=_HELP[mode])
        p.add_argument("--in", dest="input", type=Path, required=True, help="the clip: a .mid file (at most 32 bars)")
        p.add_argument("--out", type=Path, required=True, help="the .mid file to write")
        p.add_argument("--style", required=True, help=field_help("style"))
        p.add_argument("--kit", type=Path, help="kit map YAML (voice: note, see kits/) to read the clip and write "
                                                "the result (default: the style's kit, General MIDI)")
        p.add_argument("--tempo", type=float, help="BPM (default: the clip file's tempo, else 95)")
        p.add_argument("--time-signature", help="e.g. 4/4, 7/8 (default: the clip file's, else 4/4)")
        add_sampling_flags(p)
        p.add_argument("--seed", type=int, help=field_help("seed"))
        p.add_argument("--no-humanize", action="store_true", help="no style feel on what the model plays")
        if mode == "continue":
            p.add_argument("--bars", type=int, default=4, help=f"how many bars to add, 1-{MAX_BARS} (default 4)")
            p.add_argument("--include-input", action="store_true", help="write the clip followed by the new bars")
            p.add_argument("--no-fill", action="store_true", help="no fill in the last of 4 or more new bars")
        if mode == "vary":
            p.add_argument("--keep", default="", help="voices kept as they are, e.g. kick,snare")
            p.add_argument("--keep-bars", default="", help="bars kept whole, from 1, e.g. 1-3 or 1,2,4")
        add_checkpoint_flag(p)
        add_presets_flag(p)
        add_runtime_argument(p)
        p.set_defaults(func=cmd_clip, mode=mode)


def clip_values(args: argparse.Namespace, file_tempo: float | None, signature: tuple[int, int] | None,
                clip_bars: int) -> dict[str, Any]:
    """The request fields: what the user gave, else what the clip file says."""
    values: dict[str, Any] = {"style": args.style, "mode": args.mode, "clip_bars": clip_bars,
                              "humanize": not args.no_humanize}
    tempo = args.tempo if args.tempo is not None else file_tempo
    if tempo is not None:
        values["tempo"] = round(tempo, 3)
    if args.time_signature:
        values["numerator"], values["denominator"] = parse_time_signature(args.time_signature)
    elif signature is not None:
        values["numerator"], values["denominator"] = signature
    for field in ("temperature", "top_k", "top_p", "seed"):
        if getattr(args, field) is not None:
            values[field] = getattr(args, field)
    if args.mode == "continue":
        values.update(bars=args.bars, include_input=args.include_input, fill=not args.no_fill)
    if args.mode == "vary":
        values.update(keep=args.keep, keep_bars=args.keep_bars)
    return values


def cmd_clip(args: argparse.Namespace) -> int:
    from mididrumigen.engine.clip import check_clip_notes, parse_clip_request
    from mididrumigen.engine.clip_input import clip_bars_of, read_clip_file
    from mididrumigen.engine.kits import load_kit_file

    if args.out.is_dir():
        raise OutputPathError(f"--out names a folder: {args.out}; give a file name")
    writable_target(args.out)
    clip = read_clip_file(args.input)
    kit = load_kit_file(args.kit) if args.kit is not None else None
    numerator, denominator = (parse_time_signature(args.time_signature) if args.time_signature
                              else clip.signature or (4, 4))
    if (numerator * 16) % denominator:
        raise RequestError("time_signature", f"{numerator}/{denominator} bars do not fall on the 16th-note grid")
    bars = clip_bars_of(clip.notes, clip.length_beats, numerator, denominator)
    if bars > MAX_BARS:
        raise RequestError("clip", f"{args.input} is {bars} bars long, over the limit of {MAX_BARS} bars")
    values = clip_values(args, clip.tempo_bpm, clip.signature, bars)
    if kit is not None:
        values["kit"] = kit
    request = parse_clip_request(values)
    check_clip_notes(clip.notes, request)
    registry = load_registry(args)
    registry.resolve(args.style)  # an unknown style is refused before the model loads

    from mididrumigen.engine.generate import Engine
    from mididrumigen.engine.midi_export import write_midi
    from mididrumigen.engine.naming import clip_title

    engine = Engine(args.checkpoint, registry, runtime=args.runtime)
    result = engine.transform(request, clip.notes)
    pattern = result.pattern
    style = engine.presets.resolve(request.style)
    try:
        write_midi(pattern, args.out, clip_title(style.name, pattern), passthrough=result.passthrough)
    except OSError as error:
        raise OutputPathError(f"cannot write {args.out}: {error.strerror or error}") from error
    passed = f", {len(result.passthrough)} passed through" if result.passthrough else ""
    print(f"wrote {args.out}: {args.mode} of {bars_text(request.clip_bars)}, {len(pattern.notes)} notes{passed}, "
          f"{bars_text(pattern.bars)} of {pattern.numerator}/{pattern.denominator} at {pattern.tempo_bpm:g} BPM, "
          f"seed {pattern.seed}, {result.seconds:.3f} s")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.mode == "vary" and not request.keep and not request.keep_bars:
        print("warning: nothing kept (--keep, --keep-bars): the whole clip was regenerated", file=sys.stderr)
    return 0
