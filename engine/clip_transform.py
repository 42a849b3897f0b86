"""Continue, groove and vary a producer's clip with the model: `Engine.transform` runs these.

All three read the clip onto the model's grid (engine.clip_input) and let the sampler's grammar do
the rest through a ClipGuide:
- continue: the clip is the prompt, its hits (micro-timing and velocity kept) are the history the
  model plays on from; the new bars are humanized like a generated pattern.
- groove: every hit of the clip is locked at its step and voice, but its velocity and micro-timing are
  left to the model's detail head (teacher-forced, as GrooVAE's humanize plays a fixed score), then the
  preset's feel steers them; every note keeps its own pitch and grid position. The model plays each hit
  at its expected velocity and timing rather than a draw (on 12 validation takes with an earlier model:
  velocity r 0.42 against 0.27, MAE 23.5 against 27.1; timing MAE 22.9 ms against 23.8), the timing
  scaled toward the grid by engine.groove_timing's calibrated factor; eval section 7 (b) measures both.
- vary: the kept voices and bars are locked exactly (velocity and timing bins too), the model plays the
  rest around them; kept notes are written back as they came, byte for byte.
The energy the model is told is measured on the clip (hits per bar), so a sparse clip is continued
sparse whatever the song section says.
"""

from __future__ import annotations

import math
import random
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from mididrumigen.engine.clip import ClipMode, ClipNote, ClipRequest, check_clip_notes, check_clip_request
from mididrumigen.engine.clip_input import ClipGrid, clip_grid, passthrough_warning
from mididrumigen.engine.constants import STEPS_PER_BEAT, VOICE_INDEX, steps_per_bar
from mididrumigen.engine.humanize import humanize, quantize, steer_hits
from mididrumigen.engine.kits import full_kit, unmapped_warning
from mididrumigen.engine.pattern import GenerationResult, GridHit, Note, Pattern, SamplingSettings
from mididrumigen.engine.presets import StylePreset
from mididrumigen.engine.schema import GenerationRequest
from mididrumigen.engine.groove_timing import scaled_timing
from mididrumigen.engine.guides import NO_GUIDE, ClipGuide, GridAnchor
from mididrumigen.engine.tokenizer import offset_to_bin

if TYPE_CHECKING:
    from mididrumigen.engine.generate import Engine

Progress = Callable[[int, str], None]
_TIE_BEATS = 1e-9
_MAX_PLAYED_OFFSET = 0.45
"""Groove moves a note at most this many 16ths off its step, so it still reads back on the same step
(a late preset voice on top of a late drummer can otherwise push a snare onto the next 16th)."""


@dataclass(frozen=True)
class _Job:
    """Everything the three modes share, worked out once from the request."""

    request: ClipRequest
    style: StylePreset  # with the output kit
    grid: ClipGrid
    seed: int
    steps: int
    settings: SamplingSettings


def transform(engine: Engine, request: ClipRequest, notes: Sequence[ClipNote],
              progress: Progress | None) -> GenerationResult:
    """Continue, groove or vary `notes` as `request` asks; see the module docstring.

    Raises:
        RequestError: the request's fields disagree, or the clip is empty, too long or out of range.
        UnknownStyleError, GenerationError: as Engine.generate.
    """
    check_clip_request(request)
    check_clip_notes(notes, request)
    started = time.perf_counter()
    report = progress or (lambda percent, stage: None)
    report(0, "reading the clip")
    style = engine.presets.resolve(request.style)
    read_kit = request.kit if request.kit is not None else style.kit
    grid = clip_grid(notes, read_kit, request.numerator, request.denominator, request.clip_bars)
    seed = request.seed if request.seed is not None else secrets.randbelow(2**32)
    job = _Job(request, style.model_copy(update={"kit": full_kit(read_kit)}), grid, seed,
               steps_per_bar(request.numerator, request.denominator),
               SamplingSettings(request.temperature, request.top_k, request.top_p))
    cond = replace(engine.conditioning(request, style, seed),
                   energy=engine.runtime.tokenizer.energy_of(len(grid.hits) / request.clip_bars))
    total_bars = request.bars

    def on_bar(done: int) -> None:
        report(5 + 85 * min(done, total_bars) // total_bars, f"bar {min(done, total_bars)}/{total_bars}")

    guide, anchors, fill = _guide(job, grid_anchors(style))
    hits, events = engine.sampler.sample(cond, request.bars, job.steps, job.settings, seed, on_bar=on_bar, fill=fill,
                                         anchors=anchors, guide=guide, variation=style.variation)
    report(92, "humanizing" if request.humanize else "quantizing")
    if request.mode is ClipMode.CONTINUE:
        out_notes, passthrough = _continued(job, hits)
    elif request.mode is ClipMode.GROOVE:
        out_notes, passthrough = _grooved(job, hits)
    else:
        out_notes, passthrough = _varied(job, hits)
    pattern = Pattern(notes=out_notes, bars=request.output_bars, numerator=request.numerator,
                      denominator=request.denominator, tempo_bpm=request.tempo, style_id=style.id,
                      pattern_type=request.pattern_type.value, seed=seed, humanized=request.humanize)
    result = GenerationResult(pattern, events, time.perf_counter() - started, _warnings(job), tuple(hits),
                              cond.genre, job.settings, engine.runtime.name, passthrough)
    report(100, "done")
    return result


def grid_anchors(style: StylePreset) -> tuple[GridAnchor, ...]:
    """The style's anchors as the sampler's grammar reads them."""
    return tuple(GridAnchor(a.step, VOICE_INDEX[a.voice], a.rule == "force", a.probability, a.velocity)
                 for a in style.anchors)


def style_prompt(style: StylePreset, request: GenerationRequest, seed: int) -> ClipGuide:
    """A learned style's pattern starts from one of its own clips (picked by seed) when it is 4/4; a
    style without prompts, or another meter, samples as before (NO_GUIDE)."""
    if not style.prompts or (request.numerator, request.denominator) != (4, 4):
        return NO_GUIDE
    prompt = style.prompts[random.Random(f"{seed}:prompt").randrange(len(style.prompts))]
    hits = tuple(GridHit(bar, step, voice, velocity, offset) for bar, step, voice, velocity, offset in prompt.hits)
    return ClipGuide(prompt=hits, prompt_bars=prompt.bars)


def _guide(job: _Job, style_anchors: tuple[GridAnchor, ...]) -> tuple[ClipGuide, tuple[GridAnchor, ...], bool]:
    """The sampler's guide, the style anchors that still apply, and whether the last bar is a fill."""
    request, hits = job.request, job.grid.hits
    if request.mode is ClipMode.CONTINUE:
        return ClipGuide(prompt=hits, prompt_bars=request.clip_bars), style_anchors, request.fill
    every_bar = frozenset(range(request.clip_bars))
    if request.mode is ClipMode.GROOVE:  # the clip's steps and voices, the model's velocity and timing
        return ClipGuide(locks=_locks(hits, exact=False), locked_bars=every_bar, expected_detail=True), (), False
    kept_voices = frozenset(VOICE_INDEX[voice] for voice in request.keep)
    kept_bars = frozenset(bar - 1 for bar in request.keep_bars)
    kept = [h for h in hits if VOICE_INDEX[h.voice] in kept_voices or h.bar in kept_bars]
    free_anchors = tuple(a for a in style_anchors if a.voice not in kept_voices)
    guide = ClipGuide(locks=_locks(kept, exact=True), locked_voices=kept_voices, locked_bars=kept_bars)
    return guide, free_anchors, False


def _locks(hits: Sequence[GridHit], exact: bool) -> dict[int, tuple[GridAnchor, ...]]:
    """Each hit as a forced anchor of its bar; `exact` also forces its velocity and micro-timing bins."""
    locks: dict[int, list[GridAnchor]] = {}
    for hit in hits:
        velocity = (hit.velocity, hit.velocity) if exact else None
        offset = offset_to_bin(hit.offset_steps) if exact else None
        locks.setdefault(hit.bar, []).append(GridAnchor(hit.step, VOICE_INDEX[hit.voice], True, 1.0, velocity, offset))
    return {bar: tuple(bar_locks) for bar, bar_locks in locks.items()}


def _played(job: _Job, hits: Sequence[GridHit], bars: int) -> tuple[Note, ...]:
    """The model's hits as notes on the output kit: humanized with the style, or on the grid."""
    shape = {"numerator": job.request.numerator, "denominator": job.request.denominator, "bars": bars}
    if job.request.humanize:
        return humanize(hits, job.style, tempo_bpm=job.request.tempo, seed=job.seed, **shape)
    return quantize(hits, job.style, **shape)


def _as_note(note: ClipNote, voice: str, shift_beats: float = 0.0) -> Note:
    return Note(note.pitch, note.start_beats + shift_beats, note.duration_beats, note.velocity, voice)


def _continued(job: _Job, hits: Sequence[GridHit]) -> tuple[tuple[Note, ...], tuple[Note, ...]]:
    """The new bars, after the clip as it came when the request includes it."""
    request = job.request
    new = _played(job, hits, request.bars)
    if not request.include_input:
        return new, ()
    shift = request.clip_length_beats
    clip = [_as_note(note, key[2]) for note, key in job.grid.drum_notes]
    moved = [replace(note, start_beats=note.start_beats + shift) for note in new]
    length = request.clip_length_beats + request.bars * (request.clip_length_beats / request.clip_bars)
    return fit_notes([*clip, *moved], length), _passthrough(job, length)


def _grooved(job: _Job, hits: Sequence[GridHit]) -> tuple[tuple[Note, ...], tuple[Note, ...]]:
    """Every clip note at its own pitch and grid step, with the velocity and timing its hit was played at."""
    request = job.request
    shape = {"numerator": request.numerator, "denominator": request.denominator, "bars": request.clip_bars}
    hits = scaled_timing(hits)
    if request.humanize:
        played = steer_hits(hits, job.style, tempo_bpm=request.tempo, seed=job.seed, **shape)
    else:
        played = [(h, (h.bar * job.steps + h.step + h.offset_steps) / STEPS_PER_BEAT, h.velocity) for h in hits]
    # Each note moves as its hit moved and scales its velocity as its hit's did, so a flam or a doubled
    # stroke read as one hit stays two notes; a note pushed ahead of the clip's end (read on the first
    # downbeat, as the clip loops) moves from where it is.
    source = {(h.bar, h.step, h.voice): h for h in job.grid.hits}
    moved = {(h.bar, h.step, h.voice): (start - (h.bar * job.steps + h.step) / STEPS_PER_BEAT, velocity)
             for h, start, velocity in played}
    notes = []
    for note, key in job.grid.drum_notes:
        shift, velocity = moved[key]
        heard = source[key]
        start = note.start_beats + shift - heard.offset_steps / STEPS_PER_BEAT
        own_step = math.floor(note.start_beats * STEPS_PER_BEAT + 0.5)
        start = min(max(start * STEPS_PER_BEAT, own_step - _MAX_PLAYED_OFFSET), own_step + _MAX_PLAYED_OFFSET)
        start /= STEPS_PER_BEAT
        scaled = max(1, min(127, round(velocity * note.velocity / heard.velocity)))
        notes.append(Note(note.pitch, start, note.duration_beats, scaled, key[2]))
    length = request.clip_length_beats
    return fit_notes(notes, length), _passthrough(job, length)


def _varied(job: _Job, hits: Sequence[GridHit]) -> tuple[tuple[Note, ...], tuple[Note, ...]]:
    """The model's new notes where nothing is kept, the kept notes exactly as they came."""
    request = job.request
    kept_bars = {bar - 1 for bar in request.keep_bars}

    def is_kept(voice: str, bar: int) -> bool:
        return voice in request.keep or bar in kept_bars

    new = [note for note in _played(job, hits, request.clip_bars)
           if not is_kept(note.voice, _bar_of(note.start_beats, job.steps, request.clip_bars))]
    kept = [_as_note(note, key[2]) for note, key in job.grid.drum_notes if is_kept(key[2], key[0])]
    length = request.clip_length_beats
    return fit_notes([*kept, *new], length, keep=set(kept)), _passthrough(job, length)


def _passthrough(job: _Job, length_beats: float) -> tuple[Note, ...]:
    """The clip's notes that are not drums of the kit, as they came (only fitted inside the clip)."""
    return fit_notes([_as_note(n, "") for n in job.grid.passthrough], length_beats)


def _bar_of(start_beats: float, steps: int, bars: int) -> int:
    """The bar a note's nearest 16th falls in (a pushed downbeat belongs to the bar it leads into)."""
    return (int(start_beats * STEPS_PER_BEAT + 0.5) % (bars * steps)) // steps


def fit_notes(notes: Sequence[Note], length_beats: float, keep: set[Note] | None = None) -> tuple[Note, ...]:
    """Notes inside the clip, sorted by (start, pitch), none overlapping another of its pitch.

    A note is shortened to end where the next of its pitch starts, or at the clip's end; two of one
    pitch at the same instant are one stroke (the louder, or the one in `keep`). A note in `keep` is never
    changed: a new note of its pitch that starts while it sounds starts when it ends instead.
    """
    protected = keep or set()
    ordered = sorted(notes, key=lambda n: (n.start_beats, n.pitch, n not in protected, -n.velocity))
    out: list[Note] = []
    last: dict[int, int] = {}
    for note in ordered:
        start = min(max(note.start_beats, 0.0), length_beats - 1 / 64)
        note = note if start == note.start_beats else replace(note, start_beats=start)
        index = last.get(note.pitch)
        if index is not None:
            previous = out[index]
            previous_end = previous.start_beats + previous.duration_beats
            if note.start_beats - previous.start_beats < _TIE_BEATS:
                continue  # the same stroke twice
            if previous in protected and note not in protected and previous_end > note.start_beats:
                if previous_end >= length_beats:
                    continue  # no room after a kept note that lasts to the end
                note = replace(note, start_beats=previous_end)  # a kept note is never cut short
            elif previous_end > note.start_beats:
                out[index] = replace(previous, duration_beats=note.start_beats - previous.start_beats)
        end = min(note.start_beats + note.duration_beats, length_beats)
        if end < note.start_beats + note.duration_beats:
            note = replace(note, duration_beats=end - note.start_beats)
        last[note.pitch] = len(out)
        out.append(note)
    return tuple(sorted(out, key=lambda n: (n.start_beats, n.pitch)))


def _warnings(job: _Job) -> tuple[str, ...]:
    """Tempo out of the style's range, notes passed through, voices the kit has no pad for."""
    request = job.request
    found = [job.style.tempo_warning(request.tempo)]
    passed = passthrough_warning(job.grid.passthrough)
    if passed and request.mode is ClipMode.CONTINUE and not request.include_input:
        passed = passed.replace("passed through untouched", "they stay in your clip, not in the new bars")
    found.append(passed)
    found.append(unmapped_warning(request.kit))
    return tuple(w for w in found if w)
