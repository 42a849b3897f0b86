"""A whole song from a form: each section at its energy, fills at the seams, grooves that come back.

The plan decides, before any sampling, what each section is made of:
- its energy from PATTERN_ENERGY (intro sparse, chorus full) and its fill bars: the end of every
  phrase (the style's `phrase_bars`) and its own last bar, which leads into the next section;
- a crash on its downbeat when a section comes before it, forced through a one-bar anchor;
- the groove it keeps: a section that comes back (the second verse) keeps the first appearance's
  kick and snare (and most of its hats) bar by bar as forced anchors while the model varies the rest, so it is the same
  beat played again, not a new one; an intro or outro that first appears keeps only the on-beat
  kicks and the backbeat of the verse (intro) or chorus (outro) groove, at its own low energy:
  that groove thinned out.

Sections are sampled with the one loaded model (a section never reloads it, and the sampler's cost
is linear in bars), each from its own seed derived from the song's, so a seed gives the same song
byte for byte. Sections that need nothing from each other and have the same length are sampled as
one lock-step batch (the first verse, chorus and bridge together; then the sections built on them),
which the sampler guarantees gives each the same bars it gives alone: a 64-bar song costs three
passes, not nine. Each section is humanized as its own loopable clip; the song is those clips end
to end.
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final

from mididrumigen.engine.constants import GHOST_VELOCITY_BELOW, VOICE_INDEX, bar_length_beats, steps_per_bar
from mididrumigen.engine.humanize import humanize, quantize
from mididrumigen.engine.kits import on_kit, unmapped_warning
from mididrumigen.engine.pattern import GridHit, Note, Pattern, SamplingSettings
from mididrumigen.engine.presets import PATTERN_ENERGY, StylePreset, phrase_fill_bars
from mididrumigen.engine.sampling import GridAnchor
from mididrumigen.engine.schema import PatternType
from mididrumigen.engine.song_form import SongRequest

if TYPE_CHECKING:
    from mididrumigen.engine.generate import Engine, ProgressCallback

MIN_BARS_FOR_SECTION_FILL: Final = 2
"""A one-bar section is all groove: a fill needs a groove bar before it to lead out of."""
CRASH_VELOCITY: Final = (96, 127)
BACKBONE_VOICES: Final[dict[str, float]] = {"kick": 1.0, "snare": 1.0, "closed_hat": 0.8, "open_hat": 0.8,
                                             "ride": 0.8}
"""The voices a returning section keeps from its first appearance, with the chance per bar that each
hit is kept: kick and snare always (the beat itself), the time-keeping cymbals mostly (kick and snare
alone measured 0.41-0.46 bar overlap with the first appearance in `mididrumigen eval`, under real
drummers' 0.55 from one bar to the next: the model redrew the hats); toms and crashes stay free."""
BACKBONE_VELOCITY_SPREAD: Final = 16
"""A kept hit may be this much softer or louder than the first time (MIDI velocity): the same beat
played again, not a copy."""
GROOVE_SOURCES: Final[dict[PatternType, tuple[PatternType, ...]]] = {
    PatternType.INTRO: (PatternType.VERSE, PatternType.CHORUS),
    PatternType.OUTRO: (PatternType.CHORUS, PatternType.VERSE),
}
"""Where a first intro or outro takes its thinned groove from, first choice first."""


@dataclass(frozen=True)
class PlannedSection:
    """One section as the plan fixes it. Bars count from the song's start (`start_bar`) or from the
    section's own start (`fill_bars`)."""

    index: int
    kind: PatternType
    start_bar: int
    bars: int
    fill_bars: frozenset[int]
    crash: bool
    groove_from: int | None  # the section whose kick and snare this one keeps
    thinned: bool  # keeps only the on-beat kicks and the backbeat of that groove
    seed: int

    @property
    def label(self) -> str:
        return self.kind.value.capitalize()


@dataclass(frozen=True)
class SongSection:
    """A composed section: its plan, its loopable clip and the model's hits before humanization."""

    plan: PlannedSection
    pattern: Pattern
    model_hits: tuple[GridHit, ...]
    name: str  # the marker text: "Verse", then "Verse 2" when it comes back


@dataclass(frozen=True)
class SongResult:
    """The song as one pattern (every section end to end) and section by section."""

    pattern: Pattern
    sections: tuple[SongSection, ...]
    seconds: float
    tokens_generated: int
    genre: str
    warnings: tuple[str, ...] = ()

    def markers(self) -> tuple[tuple[float, str], ...]:
        """(start in beats, name) of each section: the song file's marker meta events."""
        bar_beats = bar_length_beats(self.pattern.numerator, self.pattern.denominator)
        return tuple((s.plan.start_bar * bar_beats, s.name) for s in self.sections)


def section_seed(song_seed: int, index: int) -> int:
    """Each section's own seed, fixed by the song's seed and its place in the form."""
    return random.Random(f"{song_seed}:section:{index}").getrandbits(32)


def _groove_source(kind: PatternType, index: int, kinds: list[PatternType]) -> tuple[int | None, bool]:
    first = kinds.index(kind)
    if first < index:
        return first, False
    for source in GROOVE_SOURCES.get(kind, ()):
        if source in kinds:
            return kinds.index(source), True
    return None, False


def plan_song(request: SongRequest, style: StylePreset, song_seed: int) -> tuple[PlannedSection, ...]:
    """Fix every section's bars, energy, fills, crash, groove source and seed before sampling."""
    kinds = [section.kind for section in request.form]
    plan, start = [], 0
    for index, section in enumerate(request.form):
        fills: frozenset[int] = frozenset()
        if request.pattern.fill and section.bars >= MIN_BARS_FOR_SECTION_FILL:
            fills = phrase_fill_bars(section.bars, style.phrase_bars)
        groove_from, thinned = _groove_source(section.kind, index, kinds)
        plan.append(PlannedSection(index, section.kind, start, section.bars, fills, index > 0, groove_from, thinned,
                                   section_seed(song_seed, index)))
        start += section.bars
    return tuple(plan)


def _depth(section: PlannedSection, plan: tuple[PlannedSection, ...]) -> int:
    return 0 if section.groove_from is None else 1 + _depth(plan[section.groove_from], plan)


def composition_order(plan: tuple[PlannedSection, ...]) -> list[PlannedSection]:
    """Sections whose groove others keep come first (the first verse before the intro built from it)."""
    return sorted(plan, key=lambda section: (_depth(section, plan), section.index))


def composition_batches(plan: tuple[PlannedSection, ...]) -> list[list[PlannedSection]]:
    """The sections in lock-step batches: same depth (nothing in a batch waits on another) and same bars."""
    batches: dict[tuple[int, int], list[PlannedSection]] = {}
    for section in composition_order(plan):
        batches.setdefault((_depth(section, plan), section.bars), []).append(section)
    return [batches[key] for key in sorted(batches)]


def _kept(hit: GridHit, thinned: bool) -> bool:
    """A hit the section keeps: a thinned one only the on-beat kicks and the snares."""
    if hit.voice not in BACKBONE_VOICES or (hit.voice == "snare" and hit.velocity < GHOST_VELOCITY_BELOW):
        return False
    if thinned:
        return hit.voice == "snare" or (hit.voice == "kick" and hit.step % 4 == 0)
    return True


def backbone_anchors(section: PlannedSection, source: PlannedSection,
                     source_hits: tuple[GridHit, ...]) -> list[GridAnchor]:
    """The source's backbone (BACKBONE_VOICES), bar by bar, as one-bar forced anchors of `section`'s groove bars.
    Bar t keeps source bar t (cycling when the section is longer); a source fill bar is skipped back
    to the groove bar before it."""
    anchors = []
    for bar in range(section.bars):
        if bar in section.fill_bars:
            continue
        source_bar = bar % source.bars
        while source_bar in source.fill_bars and source_bar > 0:
            source_bar -= 1
        for hit in source_hits:
            if hit.bar == source_bar and _kept(hit, section.thinned):
                low = max(1, hit.velocity - BACKBONE_VELOCITY_SPREAD)
                high = min(127, hit.velocity + BACKBONE_VELOCITY_SPREAD)
                anchors.append(GridAnchor(hit.step, VOICE_INDEX[hit.voice], True, BACKBONE_VOICES[hit.voice],
                                          (low, high), bar=bar))
    return anchors


def _shifted(notes: tuple[Note, ...], beats: float) -> list[Note]:
    return [replace(note, start_beats=note.start_beats + beats) for note in notes]


def compose_song(engine: Engine, request: SongRequest, progress: ProgressCallback | None = None) -> SongResult:
    """Compose the whole song with `engine`'s model, section by section.

    Raises:
        UnknownStyleError, GenerationError: as Engine.generate.
    """
    from mididrumigen.engine.generate import grid_anchors

    started = time.perf_counter()
    report = progress or (lambda percent, stage: None)
    base = request.pattern
    style = on_kit(engine.presets.resolve(base.style), base.kit)
    song_seed = base.seed if base.seed is not None else secrets.randbelow(2**32)
    report(0, "starting")
    cond = engine.conditioning(base, style, song_seed)
    settings = SamplingSettings(base.temperature, base.top_k, base.top_p)
    steps = steps_per_bar(base.numerator, base.denominator)
    plan = plan_song(request, style, song_seed)
    style_anchors = grid_anchors(style)
    hits_of: dict[int, tuple[GridHit, ...]] = {}
    tokens, bars_done, total = 0, 0, request.bars
    for batch in composition_batches(plan):
        stage = "section " + ", ".join(f"{s.index + 1}/{len(plan)} {s.kind.value}" for s in batch)
        report(5 + 85 * bars_done // total, stage)

        def on_bar(done: int, offset: int = bars_done, stage: str = stage) -> None:
            report(5 + 85 * (offset + done) // total, stage)

        sampled = engine.sampler.sample_batch(
            [(replace(cond, energy=PATTERN_ENERGY[s.kind]), s.seed) for s in batch], batch[0].bars, steps, settings,
            on_bar, anchors=[_anchors(s, plan, hits_of, style_anchors) for s in batch],
            fill_bars=[s.fill_bars for s in batch], variations=[style.variation] * len(batch))
        for section, (hits, events) in zip(batch, sampled, strict=True):
            hits_of[section.index] = tuple(hits)
            tokens += events
            bars_done += section.bars
    report(92, "humanizing" if base.humanize else "quantizing")
    sections = tuple(_section_clip(section, hits_of[section.index], request, style, plan) for section in plan)
    bar_beats = bar_length_beats(base.numerator, base.denominator)
    notes = sorted((note for s in sections for note in _shifted(s.pattern.notes, s.plan.start_bar * bar_beats)),
                   key=lambda n: (n.start_beats, n.pitch))
    song = Pattern(notes=tuple(notes), bars=total, numerator=base.numerator, denominator=base.denominator,
                   tempo_bpm=base.tempo, style_id=style.id, pattern_type="song", seed=song_seed,
                   humanized=base.humanize)
    warnings = tuple(w for w in (style.tempo_warning(base.tempo), unmapped_warning(base.kit)) if w)
    report(100, "done")
    return SongResult(song, sections, time.perf_counter() - started, tokens, cond.genre, warnings)


def _anchors(section: PlannedSection, plan: tuple[PlannedSection, ...], hits_of: dict[int, tuple[GridHit, ...]],
             style_anchors: tuple[GridAnchor, ...]) -> list[GridAnchor]:
    """The style's anchors, the crash on a seam's downbeat, and the backbone kept from another section."""
    anchors = list(style_anchors)
    if section.crash:
        anchors.append(GridAnchor(0, VOICE_INDEX["crash"], True, 1.0, CRASH_VELOCITY, bar=0))
    if section.groove_from is not None:
        source = plan[section.groove_from]
        anchors += backbone_anchors(section, source, hits_of[source.index])
    return anchors


def _section_clip(section: PlannedSection, hits: tuple[GridHit, ...], request: SongRequest, style: StylePreset,
                  plan: tuple[PlannedSection, ...]) -> SongSection:
    base = request.pattern
    shape = {"numerator": base.numerator, "denominator": base.denominator, "bars": section.bars}
    if base.humanize:
        notes = humanize(hits, style, tempo_bpm=base.tempo, seed=section.seed, **shape)
    else:
        notes = quantize(hits, style, **shape)
    pattern = Pattern(notes=notes, bars=section.bars, numerator=base.numerator, denominator=base.denominator,
                      tempo_bpm=base.tempo, style_id=style.id, pattern_type=section.kind.value, seed=section.seed,
                      humanized=base.humanize)
    occurrence = sum(1 for other in plan[: section.index] if other.kind is section.kind) + 1
    name = section.label if occurrence == 1 else f"{section.label} {occurrence}"
    return SongSection(section, pattern, hits, name)
