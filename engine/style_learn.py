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

from mididrumigen.engine.clip_input import clip_bars_of, clip_grid, read_clip_file
from mididrumigen.engine.constants import DEFAULT_KIT, GHOST_VELOCITY_BELOW
from mididrumigen.engine.errors import RequestError
from mididrumigen.engine.evaluation.feel import pooled_swing, voice_push_ms
from mididrumigen.engine.humanize import ghost_candidates, is_ghost_note
from mididrumigen.engine.pattern import GridHit, Note
from mididrumigen.engine.presets import MAX_PROMPT_BARS, MAX_PROMPT_HITS, StylePreset

LEARN_MIN_NOTES: Final = 8
PROMPT_CLIPS: Final = 3
PLACED_VOICES: Final = ("kick", "snare", "closed_hat", "ride")
_DEFAULT_TEMPO_BPM: Final = 95.0


@dataclass(frozen=True)
class LearnedClip:
    """One clip read for learning: its drum notes with voices, tempo, bars and grid hits."""

    path: Path
    notes: tuple[Note, ...]
    tempo_bpm: float
    bars: int
    hits: tuple[GridHit, ...]


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
        grid = clip_grid(clip.notes, kit or DEFAULT_KIT, 4, 4, bars)
        notes = tuple(Note(n.pitch, n.start_beats, n.duration_beats, n.velocity, key[2]) for n, key in grid.drum_notes)
        clips.append(LearnedClip(path, notes, clip.tempo_bpm or _DEFAULT_TEMPO_BPM, bars, grid.hits))
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
        RequestError: the name or genres make an invalid preset (the sentence names the field).
    """
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
