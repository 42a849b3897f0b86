"""Turn the model's grid hits into notes in beats, either straight (`quantize`) or with a style's feel.

`humanize` keeps the model's own micro-timing (a real drummer's note-to-note push and drag,
learned from the Groove MIDI Dataset) and steers it to the preset's feel: the off-beat 16ths move
together until the clip swings as much as the preset declares, and each voice the preset places
(`voice_timing_ms`) moves together until its median on-beat note sits there against the grid.
Adding the preset's feel on top of the drummer's instead would count it twice (measured by
`mididrumigen eval`: 4-8 points of swing too many). Then gaussian jitter, velocity variation, ghost
notes and ornaments. Every result loops cleanly: notes lie inside the clip, are sorted by
(start, pitch) and never overlap another note of the same pitch.
"""

from __future__ import annotations

import logging
import math
import random
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Final

from mididrumigen.engine.constants import (
    GHOST_VELOCITY_BELOW,
    NOTE_DURATION_BEATS,
    STEPS_PER_BEAT,
    VOICE_INDEX,
    bar_length_beats,
    check_clip_shape,
    steps_per_bar,
)
from mididrumigen.engine.pattern import GridHit, Note
from mididrumigen.engine.presets import HumanizeSettings, Ornament, StylePreset
from mididrumigen.engine.swing import off_beat_lateness_steps
from mididrumigen.engine.units import ms_to_beats

log = logging.getLogger(__name__)

_EIGHTH_BEATS: Final = 0.5
_MIN_DURATION_BEATS: Final = 1 / 32
"""Two same-pitch hits closer than this are one stroke (a flam this tight is just a doubled note)."""
_JITTER_LIMIT_SIGMAS: Final = 3.0
"""Gaussian tails are cut here so one unlucky draw never turns into an audible flam."""
_GHOST_ANCHORS: Final = ("kick", "snare")


@dataclass(frozen=True)
class _Draft:
    """A note before clamping; `global_step` is set for grid hits so ornaments can find them."""

    start_beats: float
    velocity: int
    voice: str
    global_step: int | None = None
    bar: int = 0
    step: int = 0


def _check_clip(numerator: int, denominator: int, bars: int) -> int:
    """Check the clip shape and return steps per bar."""
    check_clip_shape(bars, numerator, denominator)
    return steps_per_bar(numerator, denominator)


def _checked_hits(hits: Iterable[GridHit], bars: int, steps: int) -> list[GridHit]:
    """Validate hits and sort them, so the result never depends on the order the caller gave."""
    checked = []
    for hit in hits:
        if hit.voice not in VOICE_INDEX:
            raise ValueError(f"voice must be one of {', '.join(VOICE_INDEX)}, got {hit.voice!r}")
        if not 0 <= hit.bar < bars:
            raise ValueError(f"bar must be in range 0..{bars - 1}, got {hit.bar}")
        if not 0 <= hit.step < steps:
            raise ValueError(f"step must be in range 0..{steps - 1}, got {hit.step}")
        if not 1 <= hit.velocity <= 127:
            raise ValueError(f"velocity must be in range 1..127, got {hit.velocity}")
        if not -0.5 <= hit.offset_steps <= 0.5:
            raise ValueError(f"offset_steps must be in range -0.5..0.5, got {hit.offset_steps}")
        checked.append(hit)
    return sorted(checked, key=lambda h: (h.bar, h.step, VOICE_INDEX[h.voice], h.velocity, h.offset_steps))


def _grid_beats(global_step: int) -> float:
    return global_step / STEPS_PER_BEAT


def swing_delay_beats(step: int, swing_percent: float) -> float:
    """How late swing puts the 16th at `step` (counted from the bar start), in beats.

    Only the second 16th of each 8th-note pair moves: from 50% to `swing_percent`% of the 8th.
    """
    if step % 2 == 0:
        return 0.0
    return (swing_percent / 100.0 - 0.5) * _EIGHTH_BEATS


def _gauss(rng: random.Random, sigma: float) -> float:
    if sigma <= 0:
        return 0.0
    limit = _JITTER_LIMIT_SIGMAS * sigma
    return max(-limit, min(limit, rng.gauss(0.0, sigma)))


def _clamp_velocity(velocity: float) -> int:
    return max(1, min(127, round(velocity)))


def is_ghost_note(hit: GridHit) -> bool:
    """A snare stroke off the beat and softer than GHOST_VELOCITY_BELOW: quiet on purpose."""
    return hit.voice == "snare" and hit.step % STEPS_PER_BEAT != 0 and hit.velocity < GHOST_VELOCITY_BELOW


def floored_velocity(hit: GridHit, velocity: int, floors: dict[str, int]) -> int:
    """`velocity` raised to the preset's floor for the hit's voice; ghost notes stay ghost notes."""
    floor = floors.get(hit.voice)
    if floor is None or is_ghost_note(hit):
        return velocity
    return max(velocity, floor)


@dataclass(frozen=True)
class TimingCorrection:
    """What moves the model's notes to the preset's feel, in 16th steps."""

    off_beat_steps: float
    """Added to every hit on an odd 16th: declared swing minus the swing the model played."""
    voice_steps: dict[str, float]
    """Per voice the preset places: declared position minus the median of its even-step offsets."""

    def of(self, hit: GridHit) -> float:
        return self.voice_steps.get(hit.voice, 0.0) + (self.off_beat_steps if hit.step % 2 else 0.0)


def timing_correction(hits: Sequence[GridHit], settings: HumanizeSettings, tempo_bpm: float) -> TimingCorrection:
    """Steer the clip's swing and each placed voice to the preset; the drummer's variation stays."""
    declared_swing = swing_delay_beats(1, settings.swing_percent) * STEPS_PER_BEAT
    voice_steps = {}
    for voice, ms in settings.voice_timing_ms.items():
        on_beat = [h.offset_steps for h in hits if h.voice == voice and h.step % 2 == 0]
        if on_beat:
            voice_steps[voice] = ms_to_beats(ms, tempo_bpm) * STEPS_PER_BEAT - statistics.median(on_beat)
    return TimingCorrection(declared_swing - off_beat_lateness_steps(hits), voice_steps)


def _place(hit: GridHit, steps: int, correction: TimingCorrection, jitter_beats: float, rng: random.Random) -> float:
    """Start of one model hit in beats: grid + the model's offset + the correction + jitter."""
    global_step = hit.bar * steps + hit.step
    return (
        _grid_beats(global_step)
        + (hit.offset_steps + correction.of(hit)) / STEPS_PER_BEAT
        + _gauss(rng, jitter_beats)
    )


def _place_added(
    hit: GridHit, steps: int, settings: HumanizeSettings, tempo_bpm: float, rng: random.Random
) -> float:
    """Start of a note the humanizer adds (a ghost): where the preset's feel puts its grid step."""
    return (
        _grid_beats(hit.bar * steps + hit.step)
        + swing_delay_beats(hit.step, settings.swing_percent)
        + ms_to_beats(settings.voice_timing_ms.get(hit.voice, 0.0), tempo_bpm)
        + _gauss(rng, ms_to_beats(settings.micro_timing_ms, tempo_bpm))
    )


def ghost_candidates(hits: Sequence[GridHit], steps: int, bars: int) -> list[int]:
    """Empty 16ths (global steps) right next to a kick or snare: where a ghost note may go."""
    occupied = {h.bar * steps + h.step for h in hits if h.voice in _GHOST_ANCHORS}
    neighbours = {s + d for s in occupied for d in (-1, 1)}
    return sorted(s for s in neighbours - occupied if 0 <= s < bars * steps)


def bars_with_own_ghosts(hits: Sequence[GridHit]) -> set[int]:
    """Bars where the model already plays a ghost note (a snare softer than GHOST_VELOCITY_BELOW)."""
    return {h.bar for h in hits if h.voice == "snare" and h.velocity < GHOST_VELOCITY_BELOW}


def _ghost_hits(
    hits: Sequence[GridHit], settings: HumanizeSettings, steps: int, bars: int, rng: random.Random
) -> list[GridHit]:
    """Soft snare strokes on empty 16ths right next to a kick or snare, as a drummer fills the gaps.

    Bars where the model already plays ghost notes of its own (learned from real drummers) get none
    added: stacking the preset's on top doubled the ghost rate (measured by `mididrumigen eval`).
    """
    if settings.ghost_note_probability <= 0:
        return []
    bars_with_ghosts = bars_with_own_ghosts(hits)
    low, high = settings.ghost_velocity
    ghosts = []
    for global_step in ghost_candidates(hits, steps, bars):
        bar, step = divmod(global_step, steps)
        if rng.random() < settings.ghost_note_probability and bar not in bars_with_ghosts:
            ghosts.append(GridHit(bar, step, "snare", rng.randint(low, high), 0.0))
    return ghosts


def _hat_rolls(
    drafts: list[_Draft],
    ornament: Ornament,
    settings: HumanizeSettings,
    *,
    steps: int,
    bars: int,
    tempo_bpm: float,
    rng: random.Random,
) -> list[_Draft]:
    """Replace some closed hats with rolls; at most one roll starts per beat and rolls never overlap."""
    total_steps = bars * steps
    hat_steps: dict[int, int] = {}  # draft index -> global step, for closed hats from the grid
    beats: dict[tuple[int, int], list[int]] = {}  # (bar, beat in bar) -> draft indices
    for index, draft in enumerate(drafts):
        if draft.voice == "closed_hat" and draft.global_step is not None:
            hat_steps[index] = draft.global_step
            beats.setdefault((draft.bar, draft.step // STEPS_PER_BEAT), []).append(index)
    push_beats = ms_to_beats(settings.voice_timing_ms.get("closed_hat", 0.0), tempo_bpm)
    removed: set[int] = set()
    rolls: list[_Draft] = []
    free_from_step = 0
    for key in sorted(beats):
        candidates = [i for i in beats[key] if hat_steps[i] >= free_from_step]
        if not candidates or rng.random() >= ornament.probability:
            continue
        first = rng.choice(candidates)
        divisions = rng.choice(ornament.divisions)
        start_step = hat_steps[first]
        end_step = min(start_step + ornament.span_steps, total_steps)
        count = math.floor((end_step - start_step) * divisions / STEPS_PER_BEAT)
        if count < 2:
            continue  # at the very end of the clip there is no room for a roll
        # A roll is programmed, not played: evenly spaced from the hat's grid slot, no swing or jitter.
        start_beats = _grid_beats(start_step) + push_beats
        velocity = drafts[first].velocity
        for i in range(count):
            ramp = ornament.ramp_from + (1.0 - ornament.ramp_from) * i / (count - 1)
            rolls.append(_Draft(start_beats + i / divisions, _clamp_velocity(velocity * ramp), "closed_hat"))
        removed.update(i for i, step in hat_steps.items() if start_step <= step < end_step)
        free_from_step = end_step
    return [d for i, d in enumerate(drafts) if i not in removed] + rolls


_ORNAMENTS: Final = {"hat_roll": _hat_rolls}
"""Ornament type -> function; the preset schema's `type` Literal lists the same names."""


def _finalize(drafts: Iterable[_Draft], kit: dict[str, int], length_beats: float) -> tuple[Note, ...]:
    """Clamp into the clip, sort by (start, pitch) and resolve same-pitch overlaps.

    Same-pitch notes closer than `_MIN_DURATION_BEATS` merge into the louder one; otherwise the
    earlier note is shortened to end where the next begins.
    """
    latest_start = length_beats - NOTE_DURATION_BEATS
    notes = sorted(
        (
            Note(
                pitch=kit[d.voice],
                start_beats=min(max(d.start_beats, 0.0), latest_start),
                duration_beats=NOTE_DURATION_BEATS,
                velocity=d.velocity,
                voice=d.voice,
            )
            for d in drafts
        ),
        key=lambda n: (n.start_beats, n.pitch, -n.velocity),
    )
    out: list[Note] = []
    last_index: dict[int, int] = {}
    for note in notes:
        index = last_index.get(note.pitch)
        if index is not None:
            previous = out[index]
            gap = note.start_beats - previous.start_beats
            if gap < _MIN_DURATION_BEATS:
                out[index] = replace(previous, velocity=max(previous.velocity, note.velocity))
                continue
            if previous.start_beats + previous.duration_beats > note.start_beats:
                out[index] = replace(previous, duration_beats=gap)
        last_index[note.pitch] = len(out)
        out.append(note)
    return tuple(out)


def quantize(
    hits: Sequence[GridHit], preset: StylePreset, *, numerator: int, denominator: int, bars: int
) -> tuple[Note, ...]:
    """Notes exactly on the 16th grid with the model's velocities (raised to the preset's floors);
    its micro-timing is dropped.

    Raises:
        ValueError: a hit or the clip shape is out of range (the message names the field).
    """
    steps = _check_clip(numerator, denominator, bars)
    floors = preset.humanize.velocity_floor
    drafts = (
        _Draft(_grid_beats(h.bar * steps + h.step), floored_velocity(h, h.velocity, floors), h.voice)
        for h in _checked_hits(hits, bars, steps)
    )
    return _finalize(drafts, preset.kit, bars * bar_length_beats(numerator, denominator))


def _played(checked: Sequence[GridHit], settings: HumanizeSettings, steps: int, tempo_bpm: float,
            seed: int) -> list[_Draft]:
    """One draft per hit, in the order given: the model's timing steered to the preset, plus jitter."""
    timing_rng = random.Random(f"{seed}:timing")
    velocity_rng = random.Random(f"{seed}:velocity")
    correction = timing_correction(checked, settings, tempo_bpm)
    jitter_beats = ms_to_beats(settings.micro_timing_ms, tempo_bpm)
    return [
        _Draft(
            start_beats=_place(h, steps, correction, jitter_beats, timing_rng),
            velocity=floored_velocity(
                h, _clamp_velocity(h.velocity + _gauss(velocity_rng, settings.velocity_variation)),
                settings.velocity_floor),
            voice=h.voice,
            global_step=h.bar * steps + h.step,
            bar=h.bar,
            step=h.step,
        )
        for h in checked
    ]


def steer_hits(hits: Sequence[GridHit], preset: StylePreset, *, numerator: int, denominator: int,
               tempo_bpm: float, bars: int, seed: int) -> list[tuple[GridHit, float, int]]:
    """(hit, start in beats, velocity) for every hit: the preset's feel steering the played timing and
    velocity, as `humanize` does, but adding and removing nothing (no ghosts, rolls or merges), so a
    clip's own notes can each be given their new timing (groove).

    Raises:
        ValueError: a hit, the clip shape or the tempo is out of range.
    """
    steps = _check_clip(numerator, denominator, bars)
    if not tempo_bpm > 0:
        raise ValueError(f"tempo_bpm must be greater than 0, got {tempo_bpm!r}")
    checked = _checked_hits(hits, bars, steps)
    drafts = _played(checked, preset.humanize, steps, tempo_bpm, seed)
    return [(hit, draft.start_beats, draft.velocity) for hit, draft in zip(checked, drafts)]


def humanize(
    hits: Sequence[GridHit],
    preset: StylePreset,
    *,
    numerator: int,
    denominator: int,
    tempo_bpm: float,
    bars: int,
    seed: int,
) -> tuple[Note, ...]:
    """Notes with the model's micro-timing plus the preset's feel; the same seed gives the same notes.

    Args:
        hits: the model's hits; their order does not matter.
        preset: supplies the kit notes, the humanize settings and the ornaments.
        tempo_bpm: needed because the preset's timings are in milliseconds.
        seed: seeds private RNG streams (one each for timing, velocity, ghosts and ornaments, so
            turning one feature on never reshuffles another's draws).

    Raises:
        ValueError: a hit, the clip shape or the tempo is out of range.
    """
    steps = _check_clip(numerator, denominator, bars)
    if not tempo_bpm > 0:
        raise ValueError(f"tempo_bpm must be greater than 0, got {tempo_bpm!r}")
    settings = preset.humanize
    checked = _checked_hits(hits, bars, steps)
    ghost_rng = random.Random(f"{seed}:ghost")
    drafts = _played(checked, settings, steps, tempo_bpm, seed)
    ghosts = _ghost_hits(checked, settings, steps, bars, ghost_rng)
    drafts += [
        _Draft(
            _place_added(g, steps, settings, tempo_bpm, ghost_rng),
            g.velocity,
            g.voice,
            global_step=g.bar * steps + g.step,
            bar=g.bar,
            step=g.step,
        )
        for g in ghosts
    ]
    for number, ornament in enumerate(preset.ornaments):
        ornament_rng = random.Random(f"{seed}:ornament:{number}")
        apply = _ORNAMENTS[ornament.type]
        drafts = apply(
            drafts, ornament, settings, steps=steps, bars=bars, tempo_bpm=tempo_bpm, rng=ornament_rng
        )
    notes = _finalize(drafts, preset.kit, bars * bar_length_beats(numerator, denominator))
    log.debug(
        "humanized %d hits (+%d ghosts) into %d notes for %s, seed %d",
        len(checked),
        len(ghosts),
        len(notes),
        preset.id,
        seed,
    )
    return notes
