"""A style from the producer's own clips: measure their feel and write it as a validated preset.

The measures are the ones `mididrumigen eval` checks a preset's output with (engine.evaluation.feel),
so a learned preset declares what its clips played:
    swing_percent     pooled swing of every 4/4 clip (feel.pooled_swing), 50 when no voice plays pairs
    voice_timing_ms   per voice with LEARN_MIN_NOTES even-step notes or more: its median even-note
                      offset from the grid in ms (feel.voice_push_ms), e.g. a late snare
    velocity_floor    kick and snare: the 10th percentile of their main (non-ghost) strokes
    ghost rate        the share of ghost slots (empty 16ths next to a kick or snare) that hold a soft
                      snare in the clips: the preset's ghost_note_probability
The model keeps playing its own micro-timing and dynamics (micro_timing_ms and velocity_variation stay
0): the preset steers, it does not add noise. Tempo range: the clips' tempos +- 5 BPM.

The opening bars of up to PROMPT_CLIPS clips are kept in the preset as prompts: each 4/4 pattern of the
style starts from one of them (the model reads them as the bars before it), so it grows out of the
producer's own material without retraining.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import yaml

from mididrumigen.engine.clip import ClipNote
from mididrumigen.engine.clip_input import clip_bars_of, clip_grid, read_clip_file
from mididrumigen.engine.constants import DEFAULT_KIT, GHOST_VELOCITY_BELOW
from mididrumigen.engine.errors import RequestError
from mididrumigen.engine.evaluation.feel import pooled_swing, voice_push_ms
from mididrumigen.engine.files import atomic_write_bytes
from mididrumigen.engine.humanize import ghost_candidates, is_ghost_note
from mididrumigen.engine.pattern import GridHit, Note
from mididrumigen.engine.presets import MAX_PROMPT_BARS, MAX_PROMPT_HITS, StylePreset

LEARN_MIN_NOTES: Final = 8
MIN_STYLE_NOTES: Final = 16
"""The fewest drum notes a style is learned from (all clips together): one bar of sixteenths. Fewer
say nothing about a feel, and the preset would steer patterns by a handful of hits."""
MAX_NAME_CHARS: Final = 60
PROMPT_CLIPS: Final = 3
PLACED_VOICES: Final = ("kick", "snare", "closed_hat", "ride")
_DEFAULT_TEMPO_BPM: Final = 95.0


@dataclass(frozen=True)
class LearnedClip:
    """One clip read for learning: its drum notes with voices, tempo, bars and grid hits; `source`
    says where it came from (a file name, or an uploaded clip's id)."""

    source: str
    notes: tuple[Note, ...]
    tempo_bpm: float
    bars: int
    hits: tuple[GridHit, ...]


def learned_clip(notes: Sequence[ClipNote], tempo_bpm: float, bars: int, kit: Mapping[str, int] | None,
                 source: str) -> LearnedClip:
    """A 4/4 clip's notes read through the kit (General MIDI without one) onto the grid, for learning."""
    grid = clip_grid(notes, kit or DEFAULT_KIT, 4, 4, bars)
    drums = tuple(Note(n.pitch, n.start_beats, n.duration_beats, n.velocity, key[2]) for n, key in grid.drum_notes)
    return LearnedClip(source, drums, tempo_bpm, bars, grid.hits)


def check_style_name(name: str) -> str:
    """The name a learned style is given, stripped; its id is made from it (`style_id_of`).

    Raises:
        RequestError: an empty name, one over MAX_NAME_CHARS, or one with no letter or digit.
    """
    text = name.strip()
    if not text or len(text) > MAX_NAME_CHARS or not any(ch.isalnum() for ch in text) or not text.isprintable():
        raise RequestError("name", f"name must be 1 to {MAX_NAME_CHARS} printable characters with a letter or digit, "
                                   f"like \"Late Night\", got {text[:40]!r}")
    return text


def check_enough_notes(clips: Sequence[LearnedClip]) -> None:
    """Raises RequestError when the clips hold fewer than MIN_STYLE_NOTES drum notes together."""
    count = sum(len(clip.notes) for clip in clips)
    if count < MIN_STYLE_NOTES:
        raise RequestError("clip", f"too few notes to learn a style: {count} drum note{'s' * (count != 1)} in "
                                   f"{len(clips)} clip{'s' * (len(clips) != 1)}; give at least {MIN_STYLE_NOTES}")


def read_clips(folder: Path, kit: Mapping[str, int] | None = None) -> tuple[list[LearnedClip], list[str]]:
    """The folder's 4/4 .mid clips (others are listed as skipped).

    Raises:
        RequestError: not a folder, no .mid files, a file that is not MIDI, or no 4/4 clip with notes.
    """
    if not folder.is_dir():
        raise RequestError("folder", f"{folder} is not a folder of .mid clips")
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".mid", ".midi") and p.is_file())
    if not paths:
        raise RequestError("folder", f"{folder} holds no .mid files")
    clips, skipped = [], []
    for path in paths:
        clip = read_clip_file(path)
        if (clip.signature or (4, 4)) != (4, 4) or not clip.notes:
            skipped.append(f"{path.name}: {'no notes' if not clip.notes else 'not 4/4'}")
            continue
        bars = clip_bars_of(clip.notes, clip.length_beats, 4, 4)
        clips.append(learned_clip(clip.notes, clip.tempo_bpm or _DEFAULT_TEMPO_BPM, bars, kit, path.name))
    if not clips:
        raise RequestError("folder", f"{folder} holds no 4/4 clip with drum notes ({'; '.join(skipped)[:120]})")
    return clips, skipped


def _ghost_rate(clips: Sequence[LearnedClip]) -> float:
    """Share of ghost slots (empty 16ths next to a main kick or snare) that hold a ghost snare."""
    slots = filled = 0
    for clip in clips:
        main = [h for h in clip.hits if not is_ghost_note(h)]
        ghosts = {h.bar * 16 + h.step for h in clip.hits if is_ghost_note(h)}
        candidates = ghost_candidates(main, 16, clip.bars)
        slots += len(candidates)
        filled += sum(slot in ghosts for slot in candidates)
    return filled / slots if slots else 0.0


def _prompts(clips: Sequence[LearnedClip]) -> list[dict[str, Any]]:
    """The opening MAX_PROMPT_BARS bars of the first PROMPT_CLIPS clips that fit a prompt."""
    prompts: list[dict[str, Any]] = []
    for clip in clips:
        bars = min(clip.bars, MAX_PROMPT_BARS)
        hits = [[h.bar, h.step, h.voice, h.velocity, round(h.offset_steps, 3)] for h in clip.hits if h.bar < bars]
        if hits and len(hits) <= MAX_PROMPT_HITS:
            prompts.append({"bars": bars, "hits": hits})
        if len(prompts) == PROMPT_CLIPS:
            break
    return prompts


def style_id_of(name: str) -> str:
    """"Late Night" -> "late_night": a preset id (lowercase, starting with a letter)."""
    key = re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")[:56]
    return key if key[:1].isalpha() else f"style_{key}"[:64]


def learn_preset(clips: Sequence[LearnedClip], name: str, genres: Sequence[str],
                 kit: Mapping[str, int] | None = None) -> StylePreset:
    """Measure the clips (see the module docstring) into a validated preset.

    Raises:
        RequestError: a bad name, too few notes, or genres that make an invalid preset (the sentence
            names the field).
    """
    name = check_style_name(name)
    check_enough_notes(clips)
    measured = [(clip.notes, clip.tempo_bpm, clip.bars) for clip in clips]
    swing = pooled_swing(measured)
    timing = {}
    for voice in PLACED_VOICES:
        even = sum(1 for c in clips for h in c.hits if h.voice == voice and h.step % 2 == 0)
        if even >= LEARN_MIN_NOTES:
            timing[voice] = round(max(-50.0, min(50.0, voice_push_ms(measured, voice))), 1)
    floors = {}
    for voice in ("kick", "snare"):
        strokes = [h.velocity for c in clips for h in c.hits if h.voice == voice and not is_ghost_note(h)]
        if len(strokes) >= LEARN_MIN_NOTES:
            floors[voice] = int(max(GHOST_VELOCITY_BELOW, np.percentile(strokes, 10)))
    ghost_rate = _ghost_rate(clips)
    tempos = [round(clip.tempo_bpm, 1) for clip in clips]  # a file stores 95 BPM as 94.99998
    raw: dict[str, Any] = {
        "id": style_id_of(name), "name": name.strip(),
        "description": (f"Learned from {len(clips)} clip{'s' if len(clips) != 1 else ''}: swing "
                        f"{50.0 if math.isnan(swing) else swing:.1f}%, ghost rate {ghost_rate:.0%}."),
        "tempo_min": int(max(60, min(200, math.floor(min(tempos) - 5)))),
        "tempo_max": int(max(60, min(200, math.ceil(max(tempos) + 5)))),
        "genres": list(genres),
        "kit": dict(kit or DEFAULT_KIT),
        "humanize": {"swing_percent": round(max(50.0, min(75.0, 50.0 if math.isnan(swing) else swing)), 1),
                     "voice_timing_ms": timing, "ghost_note_probability": round(ghost_rate, 3),
                     "velocity_floor": floors},
        "prompts": _prompts(clips),
    }
    try:
        return StylePreset.model_validate(raw)
    except ValueError as error:
        first = getattr(error, "errors", lambda: [{"loc": ("preset",), "msg": str(error)}])()[0]
        field = ".".join(str(p) for p in first["loc"]) or "preset"
        raise RequestError(field, f"the learned preset's {field}: {first['msg']}") from error


def preset_yaml(preset: StylePreset, source: str) -> str:
    """The preset as YAML, with a header saying where it came from."""
    data = preset.model_dump(mode="json", exclude={"ornaments", "anchors"})
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=120)
    return f"# Learned by `mididrumigen style learn` from {source}.\n{body}"


def write_preset(preset: StylePreset, target: Path, source: str) -> None:
    """Write the learned preset as YAML, atomically, after checking that the text loads back as the same
    preset: a preset file is either the whole valid preset or not there (an old one stays as it was).

    Raises:
        OSError: the folder cannot be made or written.
    """
    text = preset_yaml(preset, source)
    StylePreset.model_validate(yaml.safe_load(text))
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, text.encode())


def learned_summary(preset: StylePreset, clip_count: int) -> str:
    """One line on what was learned, for the CLI's output and the daemon's reply."""
    h = preset.humanize
    return (f"{preset.name} ({preset.id}) from {clip_count} clip{'s' if clip_count != 1 else ''}, swing "
            f"{h.swing_percent:g}%, voice timing {h.voice_timing_ms or 'none'} ms, ghost rate "
            f"{h.ghost_note_probability:.0%}, tempo {preset.tempo_min}-{preset.tempo_max} BPM")
