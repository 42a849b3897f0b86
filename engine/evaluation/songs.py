"""Songs: does a whole song follow its form, with fills at the seams and grooves that come back?

Songs of the default form (engine.song_form.DEFAULT_FORM) per style, seeds first_seed, first_seed+1,
..., read as a producer gets them (each section's humanized clip) on the 16th grid of
engine.evaluation.structure, ghost notes left out as its `repetition` leaves them out:
- section_end_fills: share of section ends (every section of 2 bars or more) whose last bar is a
  fill bar holding at least MIN_FILL_HITS model hits (or its last step: the grammar's one exception).
- downbeat_crashes: share of section starts after the first with a crash on the downbeat.
- returning: mean Jaccard overlap of each groove bar of a returning section (the second verse) with
  the same bar of its first appearance; compared with `repetition` of real beat takes of the style's
  genres (consecutive bars of one drummer's groove, structure.real_structure): at least as high.
- different: the same overlap between the first verse and the first chorus, bar by bar; "clearly
  lower" means at least DIFFERENT_MARGIN under `returning`.
- density: mean hits per groove bar of each section kind, and of each energy the kinds are declared
  at (engine.presets.PATTERN_ENERGY: intro and outro low, verse and bridge mid, chorus high);
  ordered means low < mid < high.
- within: structure.clip_structure of every section clip (its groove bars), each measure's mean
  over sections against the real takes' IQR, as the pattern rows of section 6.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Final

import numpy as np

from mididrumigen.engine.data import Performance
from mididrumigen.engine.evaluation.structure import (
    _backbone,
    _clip,
    _jaccard,
    _summary,
    clip_structure,
    compare,
    real_structure,
    MIN_REAL_TAKES,
)
from mididrumigen.engine.generate import Engine
from mididrumigen.engine.presets import PATTERN_ENERGY, StylePreset
from mididrumigen.engine.sampling import MIN_FILL_HITS
from mididrumigen.engine.schema import PatternType
from mididrumigen.engine.song import SongResult, SongSection
from mididrumigen.engine.song_form import DEFAULT_FORM, parse_song_request

DIFFERENT_MARGIN: Final = 0.1
WITHIN_MEASURES: Final = ("backbeat", "kick_downbeat", "repetition")
_ENERGY_ORDER: Final = {"low": 0, "mid": 1, "high": 2}


def compose_songs(engine: Engine, style: StylePreset, count: int, first_seed: int, form: str = DEFAULT_FORM,
                  on_song: Any = None) -> list[SongResult]:
    """`count` songs of `form` in `style`, at the middle of its tempo range."""
    tempo = (style.tempo_min + style.tempo_max) / 2
    songs = []
    for seed in range(first_seed, first_seed + count):
        songs.append(engine.compose_song(parse_song_request({"style": style.id, "form": form, "seed": seed,
                                                            "tempo": tempo})))
        if on_song is not None:
            on_song()
    return songs


def _grid_bars(section: SongSection) -> list[set[tuple[str, int]]]:
    clip = _clip(section.pattern.notes, section.plan.bars, range(section.plan.bars), loops=True)
    return [_backbone(bar) for bar in clip.bars]


def _groove_bars(section: SongSection) -> list[int]:
    return [b for b in range(section.plan.bars) if b not in section.plan.fill_bars]


def _bar_overlap(a: SongSection, b: SongSection) -> float:
    """Mean Jaccard of the groove bars a and b share by position (b's bar t against a's bar t mod a's bars)."""
    bars_a, bars_b = _grid_bars(a), _grid_bars(b)
    values = [_jaccard(bars_a[t % len(bars_a)], bars_b[t]) for t in _groove_bars(b)
              if t % len(bars_a) not in a.plan.fill_bars]
    kept = [v for v in values if math.isfinite(v)]
    return float(np.mean(kept)) if kept else math.nan


def _is_fill(section: SongSection, bar: int, steps: int) -> bool:
    hits = [h for h in section.model_hits if h.bar == bar]
    return bar in section.plan.fill_bars and (len(hits) >= MIN_FILL_HITS or any(h.step == steps - 1 for h in hits))


def _first(song: SongResult, kind: PatternType) -> SongSection | None:
    return next((s for s in song.sections if s.plan.kind is kind), None)


def song_measures(songs: Sequence[SongResult]) -> dict[str, Any]:
    """The generated side of every measure (see the module docstring)."""
    ends, fills, starts, crashes = 0, 0, 0, 0
    returning, different, within = [], [], []
    density: dict[str, list[float]] = defaultdict(list)
    for song in songs:
        steps = song.pattern.numerator * 16 // song.pattern.denominator
        for section in song.sections:
            if section.plan.bars >= 2:
                ends += 1
                fills += _is_fill(section, section.plan.bars - 1, steps)
            if section.plan.crash:
                starts += 1
                crashes += any(h.bar == 0 and h.step == 0 and h.voice == "crash" for h in section.model_hits)
            if section.plan.groove_from is not None and not section.plan.thinned:
                returning.append(_bar_overlap(song.sections[section.plan.groove_from], section))
            bars = _grid_bars(section)
            density[section.plan.kind.value] += [float(len(bars[b])) for b in _groove_bars(section)]
            groove = _groove_bars(section)
            within.append(clip_structure(_clip(section.pattern.notes, section.plan.bars, groove, loops=True)))
        verse, chorus = _first(song, PatternType.VERSE), _first(song, PatternType.CHORUS)
        if verse is not None and chorus is not None:
            different.append(_bar_overlap(verse, chorus))
    mean_density = {kind: float(np.mean(values)) for kind, values in density.items() if values}
    by_energy: dict[str, list[float]] = defaultdict(list)
    for kind, values in density.items():
        by_energy[PATTERN_ENERGY[PatternType(kind)]] += values
    energy_density = {energy: float(np.mean(by_energy[energy])) for energy in sorted(by_energy, key=_ENERGY_ORDER.get)}
    levels = list(energy_density.values())
    ordered = all(a < b for a, b in zip(levels, levels[1:]))
    return {
        "songs": len(songs),
        "section_end_fills": fills / ends if ends else math.nan,
        "downbeat_crashes": crashes / starts if starts else math.nan,
        "returning": _nanmean(returning),
        "different": _nanmean(different),
        "density": mean_density,
        "energy_density": energy_density,
        "density_ordered": ordered,
        "within_rows": within,
    }


def song_targets(style_id: str, songs: dict[str, Any]) -> list[dict[str, Any]]:
    """The target rows of issue 13 for one style's songs."""
    returning, real = songs["returning"], songs["real_repetition"]["mean"]

    def row(target: str, value: Any, needed: Any, holds: bool | None) -> dict[str, Any]:
        return {"target": f"{style_id}: songs, {target}", "value": value, "needed": needed, "holds": holds,
                "short_by": None}

    rows = [row("a fill at every section end", songs["section_end_fills"], 1.0, songs["section_end_fills"] == 1.0),
            row("a returning section as close to its first appearance as real consecutive bars", returning, real,
                songs["returning_holds"]),
            row(f"different sections at least {DIFFERENT_MARGIN:g} less alike than returning ones",
                songs["different"], returning - DIFFERENT_MARGIN, songs["different_holds"]),
            row("density ordered low < mid < high as the sections' energies declare",
                " / ".join(f"{v:.1f}" for v in songs["energy_density"].values()), "increasing",
                songs["density_ordered"])]
    for measure, figure in songs["within"].items():
        rows.append(row(f"{measure} inside every section, inside the real takes' IQR", figure["generated"]["mean"],
                        [figure["real"]["q1"], figure["real"]["q3"]], figure["holds"]))
    return rows


def _nanmean(values: Sequence[float]) -> float:
    kept = [v for v in values if math.isfinite(v)]
    return float(np.mean(kept)) if kept else math.nan


def song_metrics(songs: Sequence[SongResult], validation: Sequence[Performance], train: Sequence[Performance],
                 genres: Sequence[str]) -> dict[str, Any]:
    """Generated measures against the real takes of `genres` (validation, or with train when too few)."""
    measures = song_measures(songs)
    within_rows = measures.pop("within_rows")
    real_rows = real_structure(validation, genres)
    reference = "validation"
    if len(real_rows) < MIN_REAL_TAKES:
        real_rows += real_structure(train, genres)
        reference = "validation+train"
    real_repetition = _summary(real_rows, "repetition")
    within = {}
    for measure in WITHIN_MEASURES:
        generated, real = _summary(within_rows, measure), _summary(real_rows, measure)
        holds, margin = compare(generated, real)
        within[measure] = {"generated": generated, "real": real, "holds": holds, "margin": margin}
    returning, different = measures["returning"], measures["different"]
    return {
        **measures,
        "real_takes": len(real_rows),
        "reference_split": reference,
        "real_repetition": real_repetition,
        "returning_holds": (returning >= real_repetition["mean"]
                            if math.isfinite(returning) and math.isfinite(real_repetition["mean"]) else None),
        "different_holds": (different <= returning - DIFFERENT_MARGIN
                            if math.isfinite(returning) and math.isfinite(different) else None),
        "within": within,
    }
