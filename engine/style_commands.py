"""`mididrumigen style learn FOLDER --name NAME`: a style preset from the producer's own clips.

The preset is measured (engine.style_learn), validated, and written atomically as `<id>.yaml` into the
user preset folder (or --out-dir); an existing file is kept unless --force. With --check N the new
style generates N patterns and `eval`'s feel checks say whether they play the feel the clips played.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mididrumigen.engine.commands import OutputPathError, load_registry

if TYPE_CHECKING:
    from mididrumigen.engine.presets import StylePreset
    from mididrumigen.engine.style_learn import LearnedClip


def add_style_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from mididrumigen.engine.cli import add_checkpoint_flag, add_presets_flag

    p = subparsers.add_parser("style", help="make a style from your own clips (style learn)")
    actions = p.add_subparsers(dest="style_command", required=True)
    learn = actions.add_parser("learn", help="measure a folder of .mid clips and write a style preset",
                               description=__doc__)
    learn.add_argument("folder", type=Path, help="folder of 4/4 .mid drum clips")
    learn.add_argument("--name", required=True, help='the style\'s name, e.g. "Late Night"')
    learn.add_argument("--genre", action="append", default=None,
                       help="training genre(s) the model is conditioned on (repeatable; default hiphop)")
    learn.add_argument("--kit", type=Path, help="kit map YAML the clips were played on (default General MIDI)")
    learn.add_argument("--out-dir", type=Path, help="where to write the preset (default: the user preset folder)")
    learn.add_argument("--force", action="store_true", help="replace a preset file of the same id")
    learn.add_argument("--check", type=int, default=0, metavar="N",
                       help="generate N patterns in the new style and check their feel against the clips")
    add_checkpoint_flag(learn)
    add_presets_flag(learn)
    learn.set_defaults(func=cmd_style_learn)


def cmd_style_learn(args: argparse.Namespace) -> int:
    from mididrumigen.engine.kits import load_kit_file
    from mididrumigen.engine.presets import default_user_dirs, load_preset_file
    from mididrumigen.engine.style_learn import learn_preset, learned_summary, read_clips, write_preset

    kit = load_kit_file(args.kit) if args.kit is not None else None
    clips, skipped = read_clips(args.folder, kit)
    preset = learn_preset(clips, args.name, args.genre or ["hiphop"], kit)
    target = (args.out_dir or default_user_dirs()[0]) / f"{preset.id}.yaml"
    if target.exists() and not args.force:
        raise OutputPathError(f"{target} exists; give --force to replace it, or another --name")
    try:
        write_preset(preset, target, f"{len(clips)} clips in {args.folder}")
    except OSError as error:
        raise OutputPathError(f"cannot write {target}: {error.strerror or error}") from error
    load_preset_file(target)  # what was written loads back as a valid preset
    print(f"wrote {target}: {learned_summary(preset, len(clips))}")
    for line in skipped:
        print(f"warning: skipped {line}", file=sys.stderr)
    if args.check > 0:
        return _check(args, preset, clips)
    return 0


def _check(args: argparse.Namespace, preset: StylePreset, clips: Sequence[LearnedClip]) -> int:
    """Generate in the new style and run eval's feel checks with the clips as the real reference."""
    from mididrumigen.engine.evaluation.corpus import generate_patterns
    from mididrumigen.engine.evaluation.feel import check_feel
    from mididrumigen.engine.generate import Engine
    from mididrumigen.engine.presets import PresetRegistry

    registry = load_registry(args)
    engine = Engine(args.checkpoint, PresetRegistry((*registry.styles, preset)))
    patterns = generate_patterns(engine, preset, args.check, 0)
    checks = check_feel(preset, patterns, [(c.notes, c.tempo_bpm, c.bars) for c in clips])
    for check in checks:
        print(f"  {check.figure:<24} declared {check.declared:7.2f} {check.unit:<3} measured {check.measured:7.2f} "
              f"(range {check.low:.2f}..{check.high:.2f}) {'ok' if check.ok else 'OUTSIDE'}")
    print(f"feel check: {sum(c.ok for c in checks)} of {len(checks)} figures inside their range "
          f"on {len(patterns)} patterns")
    return 0
