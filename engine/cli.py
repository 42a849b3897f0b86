"""`mididrumigen`: styles, generate, song, continue, groove, vary, train, bench and eval from the command line
(and `serve` from the bridge)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mididrumigen.engine.errors import EngineError
from mididrumigen.engine.messages import one_line, out_of_range


def add_checkpoint_flag(parser: argparse.ArgumentParser) -> None:
    """`--checkpoint` on every command that loads a model (`--model` kept as an alias)."""
    parser.add_argument("--checkpoint", "--model", dest="checkpoint", type=Path, default=None,
                        help="model checkpoint (default: $MIDIDRUMIGEN_MODEL, else the shipped model)")


def add_kit_flag(parser: argparse.ArgumentParser) -> None:
    """--kit FILE on the commands that write a new pattern (generate, song): the notes land on your pads."""
    parser.add_argument("--kit", type=Path, help="kit map YAML (voice: note, see kits/) to write the notes on "
                                                  "(default: the style's kit, General MIDI)")


def add_sampling_flags(parser: argparse.ArgumentParser) -> None:
    """--temperature, --top-k and --top-p, with the schema's ranges, on every command that samples."""
    from mididrumigen.engine.schema import field_help

    for flag, field, kind in (("--temperature", "temperature", float), ("--top-k", "top_k", int),
                              ("--top-p", "top_p", float)):
        parser.add_argument(flag, type=kind, help=field_help(field))


def add_presets_flag(parser: argparse.ArgumentParser) -> None:
    """`--presets` on every command that reads styles (`--presets-dir` kept as an alias)."""
    parser.add_argument("--presets", "--presets-dir", dest="presets", type=Path, action="append", metavar="DIR",
                        help="extra folder of style YAML files (repeatable)")


def _add_data_flag(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--data", type=Path, default=None,
                        help=f"{what} (default: the Groove MIDI Dataset that `mididrumigen data fetch` downloads, "
                             "or ../shared/data/groove beside a source checkout)")


def _cmd_train(args: argparse.Namespace) -> int:
    __import__("mididrumigen.engine.dependencies", fromlist=["require"]).require("train", "torch", "onnx", "tqdm")
    from mididrumigen.engine.data_location import resolve_data

    problem = out_of_range("genre-balance", args.genre_balance, 0, 1)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    data = resolve_data(args.data)
    from mididrumigen.engine.train import TrainConfig, train

    config = TrainConfig(
        data=data, out=args.out, steps=args.steps, batch_size=args.batch_size,
        learning_rate=args.learning_rate, eval_every=args.eval_every, max_minutes=args.max_minutes,
        seed=args.seed, device=args.device, d_model=args.d_model, n_layer=args.n_layer,
        n_head=args.n_head, context=args.context, limit_files=args.limit_files, init_from=args.init_from,
        genre_balance=args.genre_balance, meter_share=args.meter_share,
    )
    record = train(config)
    if record.get("rank", 0) != 0:  # under torchrun only rank 0 reports
        return 0
    validation = record.get("validation", {})
    print(f"wrote {config.out}: step {record.get('step')}, validation loss "
          f"{validation.get('loss_per_event', float('nan')):.4f} nats/event, "
          f"{validation.get('bits_per_hit', float('nan')):.3f} bits/hit, {record['total_minutes']:.1f} min")
    return 0


def _add_train(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("train", help="train a model on a folder of drum MIDI (default: the Groove MIDI Dataset)")
    _add_data_flag(p, "Groove-style folder with info.csv, or any folder of .mid")
    p.add_argument("--out", type=Path, default=Path("models/mididrumigen.pt"))
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--learning-rate", type=float, default=1e-3)
    p.add_argument("--eval-every", type=int, default=250)
    p.add_argument("--max-minutes", type=float, default=60.0, help="stop (and keep the best checkpoint) after this long")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--device", default=None, help="cuda, mps or cpu (default: the best available)")
    p.add_argument("--d-model", type=int, default=192)
    p.add_argument("--n-layer", type=int, default=4)
    p.add_argument("--n-head", type=int, default=4)
    p.add_argument("--context", type=int, default=256)
    p.add_argument("--limit-files", type=int, default=0, help="use only the first N files of each split (smoke runs)")
    p.add_argument("--init-from", type=Path, default=None,
                   help="continue from this checkpoint (same data and model shape); saves only weights that beat it")
    p.add_argument("--genre-balance", type=float, default=0.0,
                   help="0 (default) draws crops per bar; 0.5 or 1 draws small genres more often and picks the "
                        "checkpoint by the genre-balanced validation loss")
    p.add_argument("--meter-share", type=float, default=0.0,
                   help="share of crops re-barred from real 4/4 takes into other meters (engine.meter_augment); "
                        "> 0 keeps a checkpoint only if its real validation loss stays within 1%% of the start "
                        "and picks it by the loss on validation takes re-barred in the measured meters")
    p.set_defaults(func=_cmd_train)


def _add_styles(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from mididrumigen.engine.commands import cmd_styles

    p = subparsers.add_parser("styles", help="list the styles you can generate")
    add_presets_flag(p)
    p.set_defaults(func=cmd_styles)


def _add_generate(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from mididrumigen.engine.commands import MAX_VARIATIONS, cmd_generate
    from mididrumigen.engine.schema import field_default, field_help, field_rule

    p = subparsers.add_parser("generate", help="generate a drum pattern and write it as a .mid clip")
    p.add_argument("--style", required=True, help=field_help("style"))
    p.add_argument("--bars", type=int, help=field_help("bars"))
    p.add_argument("--tempo", type=float, help=field_help("tempo"))
    p.add_argument("--time-signature", help=f"e.g. 4/4, 7/8, 12/8: numerator {field_rule('numerator')}, denominator "
                   f"{field_rule('denominator')} (default {field_default('numerator')}/{field_default('denominator')})")
    p.add_argument("--pattern-type", help=field_help("pattern_type"))
    add_sampling_flags(p)
    p.add_argument("--seed", type=int, help=field_help("seed") + "; variations use seed, seed+1, ...")
    p.add_argument("--no-humanize", action="store_true", help="keep the pattern on the grid, without the style's feel")
    p.add_argument("--no-fill", action="store_true", help="no fill in the last bar of a 4+ bar pattern: a seamless loop")
    add_kit_flag(p)
    p.add_argument("--variations", type=int, default=1,
                   help=f"how many patterns to make, 1-{MAX_VARIATIONS}, with seeds seed, seed+1, ... "
                        "(with --out f.mid they are written as f_1.mid ... f_N.mid)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--out", type=Path, help="output .mid file")
    out.add_argument("--out-dir", type=Path,
                     help="folder for the files (created if needed), named from style, section, bars, tempo and seed")
    p.add_argument("--plot", action="store_true", help="also save a piano-roll PNG next to each file")
    add_checkpoint_flag(p)
    add_presets_flag(p)
    add_runtime_argument(p)
    p.add_argument("--device", default=None, help="cuda or mps: generate with torch on that GPU (default: the cpu)")
    p.set_defaults(func=cmd_generate)


def _add_bench(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("bench", help="time model load, tokens per second and request-to-file latency")
    add_checkpoint_flag(p)
    p.add_argument("--runs", type=int, default=7, help="runs per row; the table shows the median")
    add_runtime_argument(p, "compare only this runtime (default: every installed one)")
    p.add_argument("--today", nargs="?", const="", default=None, metavar="REF",
                   help="also time the generation path from before ONNX Runtime, from this checkout's git "
                        "history (default ref: main before issue 16), in the same run (needs git and torch)")
    p.set_defaults(func=_cmd_bench)


def _cmd_bench(args: argparse.Namespace) -> int:
    from mididrumigen.engine.bench import run
    from mididrumigen.engine.runtime import RUNTIMES

    return run(args.checkpoint, args.runs, (args.runtime,) if args.runtime else RUNTIMES, today=args.today)


def add_runtime_argument(p: argparse.ArgumentParser, help_text: str | None = None) -> None:
    p.add_argument("--runtime", choices=("onnx", "torch"), default=None,
                   help=help_text or "onnx (ONNX Runtime, cpu) or torch (default: onnx when installed, torch on a GPU)")


def _cmd_export(args: argparse.Namespace) -> int:
    from mididrumigen.engine.dependencies import require

    require("export", "torch", "onnx")
    from mididrumigen.engine.export import export_checkpoint
    from mididrumigen.engine.generate import default_checkpoint

    print(f"wrote {export_checkpoint(args.checkpoint or default_checkpoint())} and its .onnx graphs")
    return 0


def _add_export(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("export", help="write a checkpoint's ONNX graphs and JSON config next to it")
    add_checkpoint_flag(p)
    p.set_defaults(func=_cmd_export)


def _cmd_eval(args: argparse.Namespace) -> int:
    # Every section reads checkpoints and draws tqdm's progress bar (the `[train]` extra); all but `clip` plot.
    needed = ("torch", "tqdm") if args.section == "clip" else ("torch", "matplotlib", "tqdm")
    __import__("mididrumigen.engine.dependencies", fromlist=["require"]).require("eval", *needed)
    from mididrumigen.engine.commands import load_registry
    from mididrumigen.engine.data_location import resolve_data

    if args.per_style < 1 or args.songs < 0:
        problem = (f"per-style must be at least 1, got {args.per_style}" if args.per_style < 1
                   else f"songs must be 0 or more, got {args.songs}")
        print(f"error: {problem}", file=sys.stderr)
        return 2
    data = resolve_data(args.data)
    registry = load_registry(args)
    from mididrumigen.engine.evaluation.run import EvalConfig, run_clip_eval, run_eval

    config = EvalConfig(data=data, out=args.out, split=args.split, model=args.checkpoint, per_style=args.per_style,
                        limit_files=args.limit_files, first_seed=args.seed, ngram_order=args.ngram_order,
                        runtime=args.runtime, songs=args.songs)
    if args.section == "clip":
        clip = run_clip_eval(config, registry)
        ratio = clip["continue"]["continue"]["mean_ratio"]
        print(f"wrote {config.out / 'clip_report.md'}: continue ratio {ratio:.2f} (no prompt "
              f"{clip['continue']['no_prompt']['mean_ratio']:.2f}), groove velocity r "
              f"{clip['groove']['model']['velocity_r']:.2f}, timing MAE {clip['groove']['model']['timing_mae_ms']:.1f} "
              f"ms (grid {clip['groove']['none']['timing_mae_ms']:.1f}), {clip['seconds']:.0f} s")
        return 0
    metrics = run_eval(config, registry)
    likelihood = metrics["likelihood"]
    print(f"wrote {config.out / 'report.md'}: model {likelihood['model_bits_per_hit']:.3f} bits/hit, best n-gram "
          f"{likelihood['best_ngram'][2]:.3f}, {sum(bool(t['holds']) for t in metrics['targets'])} of "
          f"{len(metrics['targets'])} targets hold, {metrics['seconds']:.0f} s")
    return 0


def _add_eval(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("eval", help="measure a model: likelihood vs baselines, groove match, style fidelity, feel")
    _add_data_flag(p, "Groove-style folder with info.csv")
    p.add_argument("--split", default="validation", choices=("validation", "test"), help="the real bars to compare with")
    p.add_argument("--out", type=Path, default=Path("report"), help="folder for report.md, metrics.json and plots")
    add_checkpoint_flag(p)
    p.add_argument("--per-style", type=int, default=128, help="patterns of 4 bars to generate per style (default 128)")
    p.add_argument("--limit-files", type=int, default=0, help="use only the first N files of each split (smoke runs)")
    p.add_argument("--seed", type=int, default=0, help="seed of each style's first pattern; the others follow")
    p.add_argument("--ngram-order", type=int, default=4, help="n-gram baselines of every order up to this")
    p.add_argument("--section", choices=("all", "clip"), default="all",
                   help="clip: only section 7 (continue, groove, vary against the takes; no plots)")
    p.add_argument("--songs", type=int, default=32,
                   help="songs of the default form per style for the songs section (default 32; 0 leaves it out)")
    add_presets_flag(p)
    add_runtime_argument(p, "the runtime that generates the patterns (default: onnx when installed)")
    p.set_defaults(func=_cmd_eval)


def _cmd_data_fetch(args: argparse.Namespace) -> int:
    from mididrumigen.engine.data_fetch import GROOVE_URL, fetch_groove
    from mididrumigen.engine.data_location import user_data_dir

    folder = fetch_groove(args.dest or user_data_dir(), url=args.url or GROOVE_URL)
    print(f"Groove MIDI Dataset (CC BY 4.0) in {folder}: train and eval find it there")
    return 0


def _add_data(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from mididrumigen.engine.data_location import DATA_DIR_ENV

    p = subparsers.add_parser("data", help="get the training data")
    actions = p.add_subparsers(dest="data_command", required=True)
    fetch = actions.add_parser(
        "fetch", help="download the Groove MIDI Dataset (MIDI only, about 3 MB, CC BY 4.0), check it, unpack it",
        description="Download the Groove MIDI Dataset's MIDI-only release, check its SHA-256 and unpack it into "
                    f"the user data folder (${DATA_DIR_ENV} overrides it). An interrupted download resumes.")
    fetch.add_argument("--dest", type=Path, default=None, help="folder to put groove/ in (default: the user data folder)")
    fetch.add_argument("--url", default=None, help="download from this mirror instead (same archive, same checksum)")
    fetch.set_defaults(func=_cmd_data_fetch)


AddCommands = Callable[[Any], object]
"""Adds more subcommands (the daemon's `serve`) without the engine importing the bridge."""


def build_parser(extra_commands: Sequence[AddCommands] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mididrumigen", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    subparsers = parser.add_subparsers(dest="command", required=True)
    _add_styles(subparsers)
    _add_generate(subparsers)
    _add_train(subparsers)
    _add_bench(subparsers)
    _add_eval(subparsers)
    _add_data(subparsers)
    _add_export(subparsers)
    __import__("mididrumigen.engine.song_command", fromlist=["add_song"]).add_song(subparsers)
    __import__("mididrumigen.engine.clip_commands", fromlist=["add_clip_commands"]).add_clip_commands(subparsers)
    __import__("mididrumigen.engine.style_commands", fromlist=["add_style_commands"]).add_style_commands(subparsers)
    for add in extra_commands:
        add(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, extra_commands: Sequence[AddCommands] = ()) -> int:
    args = build_parser(extra_commands).parse_args(argv)
    if args.command == "serve":  # the daemon configures its own logging
        return int(args.func(args))
    logging.basicConfig(level=logging.INFO if args.verbose or args.command == "train" else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not args.verbose:  # the commands print each broken preset once themselves
        logging.getLogger("mididrumigen.engine.presets").setLevel(logging.ERROR)
    try:
        return int(args.func(args))
    except EngineError as error:
        print(f"error: {one_line(error)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
