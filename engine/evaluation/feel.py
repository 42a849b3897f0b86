"""Feel checks: does a style's generated output show the swing, push/drag, jitter, ghost notes and
ornaments its preset declares?

Each figure is measured on the style's generated patterns as a producer gets them (humanized), and,
for attribution, on the same patterns' model hits alone ("model only": the model's own
micro-timing, none of the preset's feel) and on the real validation bars of the style's genres.
Notes are read on the 16th grid as in engine.evaluation.features; "even" notes sit on 8th-note
steps, which swing never moves.

    swing        swing_percent (features.py) over all notes of all patterns pooled, voice against
                 itself. Range: the preset's swing_percent +- SWING_TOLERANCE_POINTS (4 points of
                 the 8th-note pair, 13 ms at 90 BPM).
    kick vs grid the median offset from the grid, in ms at each pattern's tempo, of the kick's even
                 notes: where the groove sits against the DAW's grid. Range: the preset's kick
                 timing (0 when it names none) +- PUSH_TOLERANCE_MS.
    push/drag    per other voice the preset names in voice_timing_ms: that voice's median even-note
                 offset minus the kick's (so a groove played early or late as a whole does not
                 count). Range: declared voice timing minus declared kick timing +-
                 PUSH_TOLERANCE_MS.
    jitter       the standard deviation (ms) of even notes' offsets after subtracting their voice's
                 mean offset. The humanizer adds gaussian jitter of micro_timing_ms on top of the
                 model's own (human) timing, so the range is [micro_timing_ms, JITTER_SLACK x
                 sqrt(micro_timing_ms^2 + real^2)], real being the same spread in the real bars:
                 at least the jitter the preset adds, at most that on top of a real drummer's.
    ghosts       the share of ghost slots filled: slots are the empty 16ths next to a model kick or
                 snare, in bars where the model plays no ghost note itself (where the humanizer may
                 add one), filled when the output has a snare there
                 with a velocity inside the preset's ghost_velocity. Range: ghost_note_probability
                 +- max(0.03, 3 binomial standard errors).
    hat rolls    rolls per beat that holds a model closed hat; a roll is a run of 3 or more closed
                 hats each at most ROLL_GAP_BEATS after the last. Range: the hat_roll probability
                 +- max(0.05, 3 binomial standard errors); with no hat_roll declared, at most
                 NO_ROLL_RATE. And at least 90% of rolls use a declared division (1 / median gap,
                 rounded, in notes per beat).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Final

import numpy as np

from mididrumigen.engine.constants import STEPS_PER_BEAT
from mididrumigen.engine.evaluation.corpus import GeneratedPattern
from mididrumigen.engine.evaluation.features import STEPS_PER_BAR, GridNote, NoteLike, swing_percent, to_grid
from mididrumigen.engine.humanize import bars_with_own_ghosts, ghost_candidates
from mididrumigen.engine.presets import StylePreset
from mididrumigen.engine.units import beats_to_ms

SWING_TOLERANCE_POINTS: Final = 4.0
PUSH_TOLERANCE_MS: Final = 8.0
JITTER_SLACK: Final = 1.2
ROLL_GAP_BEATS: Final = 0.2
NO_ROLL_RATE: Final = 0.02
DIVISION_SHARE: Final = 0.9

Clip = tuple[Sequence[NoteLike], float, int | None]
"""(notes, tempo in BPM, bars for a looping clip or None)."""


@dataclass(frozen=True)
class FeelCheck:
    figure: str
    unit: str
    declared: float
    low: float
    high: float
    measured: float
    model_only: float | None
    real: float | None

    @property
    def ok(self) -> bool:
        return self.low <= self.measured <= self.high

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def _timed(clips: Sequence[Clip]) -> list[tuple[GridNote, float]]:
    """Every note on the grid, with its offset in ms at its clip's tempo."""
    return [(n, beats_to_ms(n.offset_steps / STEPS_PER_BEAT, tempo)) for notes, tempo, bars in clips
            for n in to_grid(notes, bars)]


def pooled_swing(clips: Sequence[Clip]) -> float:
    return swing_percent([n for n, _ in _timed(clips)])


def voice_push_ms(clips: Sequence[Clip], voice: str) -> float:
    offsets = [ms for n, ms in _timed(clips) if n.voice == voice and n.step % 2 == 0]
    return float(np.median(offsets)) if offsets else math.nan


def _versus_kick(clips: Sequence[Clip], voice: str) -> float:
    return voice_push_ms(clips, voice) - voice_push_ms(clips, "kick")


def jitter_ms(clips: Sequence[Clip]) -> float:
    by_voice: dict[str, list[float]] = {}
    for n, ms in _timed(clips):
        if n.step % 2 == 0:
            by_voice.setdefault(n.voice, []).append(ms)
    centred = [ms - float(np.mean(v)) for v in by_voice.values() for ms in v]
    return float(np.std(centred)) if len(centred) >= 2 else math.nan


def _slots(g: GeneratedPattern) -> tuple[set[int], int]:
    """Ghost slots of one pattern (global steps) and its length in steps, as the humanizer finds them."""
    total = g.pattern.bars * STEPS_PER_BAR
    # The humanizer adds none in bars where the model already plays ghost notes of its own.
    ghost_bars = bars_with_own_ghosts(g.model_hits)
    slots = ghost_candidates(g.model_hits, STEPS_PER_BAR, g.pattern.bars)
    return {s for s in slots if s // STEPS_PER_BAR not in ghost_bars}, total


def ghost_fill(patterns: Sequence[GeneratedPattern], velocity_range: tuple[int, int]) -> tuple[float, int]:
    """Share of ghost slots the output fills with a snare in `velocity_range`; and the number of slots."""
    low, high = velocity_range
    filled = slots = 0
    for g in patterns:
        candidates, _ = _slots(g)
        bars = g.pattern.bars
        ghosts = {n.bar * STEPS_PER_BAR + n.step for n in to_grid(g.pattern.notes, bars)
                  if n.voice == "snare" and low <= n.velocity <= high}
        filled += len(candidates & ghosts)
        slots += len(candidates)
    return (filled / slots if slots else math.nan), slots


def hat_rolls(patterns: Sequence[GeneratedPattern]) -> tuple[float, int, list[int]]:
    """Rolls per beat holding a model closed hat; the number of such beats; each roll's division."""
    rolls: list[int] = []
    beats = 0
    for g in patterns:
        beats += len({(h.bar, h.step // STEPS_PER_BEAT) for h in g.model_hits if h.voice == "closed_hat"})
        starts = sorted(n.start_beats for n in g.pattern.notes if n.voice == "closed_hat")
        if not starts:
            continue
        run = [starts[0]]
        for start in [*starts[1:], math.inf]:
            if start - run[-1] <= ROLL_GAP_BEATS:
                run.append(start)
                continue
            if len(run) >= 3:
                rolls.append(round(1.0 / float(np.median(np.diff(run)))))
            run = [start]
    return (len(rolls) / beats if beats else math.nan), beats, rolls


def _binomial_range(p: float, n: int, floor: float) -> tuple[float, float]:
    half = max(floor, 3.0 * math.sqrt(p * (1.0 - p) / n)) if n else floor
    return max(0.0, p - half), min(1.0, p + half)


def check_feel(style: StylePreset, patterns: Sequence[GeneratedPattern], real: Sequence[Clip]) -> list[FeelCheck]:
    """Every feel check of one style (see the module docstring)."""
    settings = style.humanize
    output: list[Clip] = [(g.pattern.notes, g.pattern.tempo_bpm, g.pattern.bars) for g in patterns]
    model: list[Clip] = [(g.model_notes, g.pattern.tempo_bpm, g.pattern.bars) for g in patterns]
    swing = settings.swing_percent
    checks = [FeelCheck("swing", "% of 8th", swing, swing - SWING_TOLERANCE_POINTS, swing + SWING_TOLERANCE_POINTS,
                        pooled_swing(output), pooled_swing(model), pooled_swing(real) if real else None)]
    kick = settings.voice_timing_ms.get("kick", 0.0)
    checks.append(FeelCheck("kick vs grid", "ms", kick, kick - PUSH_TOLERANCE_MS, kick + PUSH_TOLERANCE_MS,
                            voice_push_ms(output, "kick"), voice_push_ms(model, "kick"),
                            voice_push_ms(real, "kick") if real else None))
    for voice, declared in settings.voice_timing_ms.items():
        if voice == "kick":
            continue
        relative = declared - kick
        checks.append(FeelCheck(f"push/drag {voice} vs kick", "ms", relative, relative - PUSH_TOLERANCE_MS,
                                relative + PUSH_TOLERANCE_MS, _versus_kick(output, voice), _versus_kick(model, voice),
                                _versus_kick(real, voice) if real else None))
    real_jitter = jitter_ms(real) if real else math.nan
    ceiling = JITTER_SLACK * math.hypot(settings.micro_timing_ms, real_jitter if math.isfinite(real_jitter) else 0.0)
    checks.append(FeelCheck("jitter", "ms", settings.micro_timing_ms, settings.micro_timing_ms, ceiling,
                            jitter_ms(output), jitter_ms(model), real_jitter))
    fill, slots = ghost_fill(patterns, settings.ghost_velocity)
    low, high = _binomial_range(settings.ghost_note_probability, slots, 0.03)
    # Model-only output fills no slot by construction (slots are where the model put no kick or snare).
    checks.append(FeelCheck("ghost slots filled", "share", settings.ghost_note_probability, low, high, fill,
                            None, None))
    rate, beats, divisions = hat_rolls(patterns)
    rolls = [o for o in style.ornaments if o.type == "hat_roll"]
    if rolls:
        p = rolls[0].probability
        low, high = _binomial_range(p, beats, 0.05)
        checks.append(FeelCheck("hat rolls per hat beat", "share", p, low, high, rate, None, None))
        declared_divisions = set(rolls[0].divisions)
        share = sum(d in declared_divisions for d in divisions) / len(divisions) if divisions else 0.0
        checks.append(FeelCheck("rolls in declared divisions", "share", 1.0, DIVISION_SHARE, 1.0, share, None, None))
    else:
        checks.append(FeelCheck("hat rolls per hat beat", "share", 0.0, 0.0, NO_ROLL_RATE, rate, None, None))
    return checks
