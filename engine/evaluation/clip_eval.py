"""Clip jobs measured against real drummers, on validation takes the model never trained on.

Takes: 4/4 beat takes of the split with at least 6 bars, of genres with at least two such takes, at
most `per_genre` per genre. Each is conditioned on its own genre through a dry preset (no feel), except
where a row says it uses the feel preset.

(a) Continue. The take's first 2 bars are the prompt; the model writes 4 bars. Each clip's 4 bars are
    summarised by the mean of their per-bar features (engine.evaluation.features: hits, the five
    families, syncopation, velocity mean and spread, timing spread, swing, ghost rate), each feature
    divided by its standard deviation over every real bar of the takes. `own` is the distance from the
    continuation to the take's own bars 3-6, `others` the mean distance to bars 3-6 of the other takes of
    its genre; the ratio own / others is below 1 when the continuation follows its take more than its
    genre. Baselines: the same model generating 4 bars without the prompt (same genre, seed, settings),
    and copying the prompt's 2 bars twice (what a loop pedal would do).
(b) Groove. The take's first 4 bars are stripped to the grid at velocity 100 and grooved. Velocity and
    timing (note start minus its 16th step, in ms) are compared note by note with the real performance:
    Pearson correlation per take (averaged), mean absolute error over all notes, the spread (standard
    deviation) of the played timing, how much closer than the grid the timing lands (grid MAE minus
    the row's MAE, with a 95% bootstrap interval over takes: above 0 beats the grid, and the share of
    takes it plays closer than the grid), and the MAE of the
    timing around each take's own mean (played and real each centred per take: the feel, whatever
    constant distance a drummer kept from the click, which a stiff clip cannot tell). Rows: `model`, the
    model alone as groove plays it (its own genre, no humanization: its expected velocity and micro-timing
    for each hit, the timing scaled by engine.groove_timing's calibrated factor); `model_unscaled`, the
    same expected timing before that factor; `model_and_preset`, the model told the feel preset's genre
    and steered by its feel (what `groove --style questlove` writes; the preset's feel, not these
    drummers', so it is expected to sit further from them); `preset_only`, the humanizer's timing and
    velocity steering applied to the stiff notes; `none`, the stiff notes; `none_shifted`, every stiff
    note moved by the median timing of these very takes (an oracle constant: what no clip can know, the
    bar a timing model has to clear to add more than "play N ms early").
(c) Vary. The take's first 4 bars with kick and snare kept, then with bars 1-3 kept: the share of kept
    notes written back byte-identical (start, duration, pitch, velocity), and the share of takes whose
    unkept hits differ from the take's.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Final

import numpy as np

from mididrumigen.engine.clip import ClipNote, parse_clip_request
from mididrumigen.engine.clip_transform import fit_notes
from mididrumigen.engine.constants import DEFAULT_KIT, STEPS_PER_BEAT
from mididrumigen.engine.data import Performance
from mididrumigen.engine.evaluation.corpus import hits_to_notes, is_four_four
from mididrumigen.engine.evaluation.features import FEATURES, STEPS_PER_BAR, clip_features
from mididrumigen.engine.generate import Engine
from mididrumigen.engine.humanize import steer_hits
from mididrumigen.engine.pattern import GenerationResult, GridHit, Note
from mididrumigen.engine.presets import PresetRegistry, StylePreset
from mididrumigen.engine.schema import parse_request
from mididrumigen.engine.units import beats_to_ms, ms_to_beats

PROMPT_BARS: Final = 2
CONTINUED_BARS: Final = 4
CLIP_BARS: Final = 4
CLIP_TAKES_PER_GENRE_MAX: Final = 8
"""Section 7 measures at most this many takes of a genre (or --per-style, when smaller); the groove
calibration uses only takes it never measures."""
BOOTSTRAP_RESAMPLES: Final = 2000
STIFF_VELOCITY: Final = 100
STIFF_DURATION_BEATS: Final = 0.125
FEEL_STYLE: Final = "questlove"
"""The feel preset of the groove rows: the built-in style whose genres (hiphop, soul, funk) the
validation split holds most takes of."""
_MEASURED: Final = tuple(f for f in FEATURES if f != "repetition")


def eval_styles(genres: Sequence[str]) -> tuple[StylePreset, ...]:
    """One dry preset per genre, so the model is told the take's own genre and nothing moves its notes."""
    return tuple(StylePreset.model_validate({
        "id": f"eval_{genre}", "name": f"Eval {genre}", "description": f"Dry {genre} for the clip eval.",
        "tempo_min": 60, "tempo_max": 200, "genres": [genre]}) for genre in genres)


def clip_takes(performances: Sequence[Performance], per_genre: int) -> dict[str, list[Performance]]:
    """The takes measured, by genre (see the module docstring)."""
    by_genre: dict[str, list[Performance]] = defaultdict(list)
    for take in performances:
        if is_four_four(take) and take.feel == "beat" and take.bars >= PROMPT_BARS + CONTINUED_BARS:
            by_genre[take.genre].append(take)
    return {genre: takes[:per_genre] for genre, takes in sorted(by_genre.items()) if len(takes) >= 2}


def take_bars(hits: Sequence[GridHit], first: int, count: int) -> list[GridHit]:
    """Bars first .. first+count-1 of a take, renumbered from 0."""
    return [GridHit(h.bar - first, h.step, h.voice, h.velocity, h.offset_steps) for h in hits
            if first <= h.bar < first + count]


def _clip_notes(hits: Sequence[GridHit], bars: int) -> list[ClipNote]:
    """A take's hits as a producer's clip: General MIDI notes at their recorded time, inside the clip and
    never overlapping one of their pitch (as a DAW's clip holds them)."""
    notes = fit_notes(hits_to_notes(hits), bars * 4.0)
    return [ClipNote(n.pitch, n.start_beats, n.duration_beats, n.velocity) for n in notes]


def _profile(notes: Sequence[Note], tempo_bpm: float, bars: int) -> np.ndarray:
    """Mean feature row of a clip's bars (NaN where no bar has the feature)."""
    table = clip_features(notes, tempo_bpm, bars, "x")
    if not len(table):
        return np.full(len(_MEASURED), np.nan)
    columns = [FEATURES.index(f) for f in _MEASURED]
    with np.errstate(all="ignore"):
        return np.array([np.nanmean(table.values[:, c]) if np.isfinite(table.values[:, c]).any() else np.nan
                         for c in columns])


def _distance(a: np.ndarray, b: np.ndarray, scale: np.ndarray) -> float:
    both = np.isfinite(a) & np.isfinite(b) & (scale > 0)
    return float(np.sqrt(np.mean(((a[both] - b[both]) / scale[both]) ** 2))) if both.any() else math.nan


def _scale(takes: Sequence[Performance]) -> np.ndarray:
    """Standard deviation of each measured feature over every real bar of the takes."""
    rows = [clip_features(hits_to_notes(t.hits), t.tempo_bpm, t.bars, "x").values for t in takes]
    values = np.concatenate([r for r in rows if len(r)])[:, [FEATURES.index(f) for f in _MEASURED]]
    with np.errstate(all="ignore"):
        return np.nanstd(values, axis=0)


def continue_metrics(engine: Engine, takes: dict[str, list[Performance]], seed: int) -> dict[str, Any]:
    every = [t for group in takes.values() for t in group]
    scale = _scale(every)
    targets = {t.path: _profile(hits_to_notes(take_bars(t.hits, PROMPT_BARS, CONTINUED_BARS)), t.tempo_bpm,
                                CONTINUED_BARS) for t in every}
    ratios: dict[str, list[float]] = defaultdict(list)
    for genre, group in takes.items():
        for index, take in enumerate(group):
            prompt = take_bars(take.hits, 0, PROMPT_BARS)
            common = {"style": f"eval_{genre}", "tempo": round(take.tempo_bpm, 2), "seed": seed + index,
                      "fill": False, "humanize": False}
            request = parse_clip_request({**common, "mode": "continue", "clip_bars": PROMPT_BARS,
                                          "bars": CONTINUED_BARS})
            continued = engine.transform(request, _clip_notes(prompt, PROMPT_BARS))
            plain = engine.generate(parse_request({**common, "bars": CONTINUED_BARS}))
            looped = prompt + [GridHit(h.bar + PROMPT_BARS, h.step, h.voice, h.velocity, h.offset_steps)
                               for h in prompt]
            for name, hits in (("continue", continued.model_hits), ("no_prompt", plain.model_hits),
                               ("prompt_looped", looped)):
                profile = _profile(hits_to_notes(hits), take.tempo_bpm, CONTINUED_BARS)
                own = _distance(profile, targets[take.path], scale)
                others = [_distance(profile, targets[o.path], scale) for o in group if o is not take]
                ratios[name].append(own / statistics.fmean(others))
    return {name: {"mean_ratio": statistics.fmean(values), "median_ratio": statistics.median(values),
                   "closer_to_own_take": sum(v < 1 for v in values) / len(values), "takes": len(values)}
            for name, values in ratios.items()}


def _timing_ms(start_beats: float, tempo_bpm: float) -> float:
    step = math.floor(start_beats * STEPS_PER_BEAT + 0.5)
    return beats_to_ms(start_beats - step / STEPS_PER_BEAT, tempo_bpm)


Keyed = dict[tuple[int, int], tuple[float, int]]
"""A clip's notes by (pitch, 16th step): (start in beats, velocity)."""


def _compare(played: Keyed, real: Keyed, tempo_bpm: float) -> dict[str, Any]:
    """Per-note velocity and timing of `played` against the real take, matched by (pitch, 16th step)."""
    keys = sorted(set(played) & set(real))
    timing = [(_timing_ms(played[k][0], tempo_bpm), _timing_ms(real[k][0], tempo_bpm)) for k in keys]
    velocity = [(played[k][1], real[k][1]) for k in keys]

    def correlation(pairs: list[tuple[float, float]]) -> float:
        a, b = np.array(pairs, dtype=float).T
        return float(np.corrcoef(a, b)[0, 1]) if len(pairs) > 2 and a.std() > 0 and b.std() > 0 else math.nan

    played_centre = statistics.fmean(p for p, _ in timing) if timing else 0.0
    real_centre = statistics.fmean(r for _, r in timing) if timing else 0.0
    return {"velocity_errors": [abs(p - r) for p, r in velocity], "timing_errors": [abs(p - r) for p, r in timing],
            "centred_timing_errors": [abs((p - played_centre) - (r - real_centre)) for p, r in timing],
            "played_timing": [p for p, _ in timing], "velocity_r": correlation(velocity),
            "timing_r": correlation(timing)}


def _keyed(notes: Sequence[Note]) -> Keyed:
    return {(n.pitch, math.floor(n.start_beats * STEPS_PER_BEAT + 0.5)): (n.start_beats, n.velocity) for n in notes}


def stiff_clip(real_hits: Sequence[GridHit]) -> list[ClipNote]:
    """A real take's hits stripped to their 16th steps at velocity 100: what a producer programs."""
    return [ClipNote(DEFAULT_KIT[h.voice], (h.bar * STEPS_PER_BAR + h.step) / STEPS_PER_BEAT, STIFF_DURATION_BEATS,
                     STIFF_VELOCITY) for h in real_hits]


def model_groove(engine: Engine, genre: str, real_hits: Sequence[GridHit], tempo_bpm: float,
                 seed: int) -> GenerationResult:
    """The model alone grooving a stiff 4-bar take: its own genre's dry preset, no humanization."""
    request = parse_clip_request({"mode": "groove", "clip_bars": CLIP_BARS, "tempo": round(tempo_bpm, 2),
                                  "seed": seed, "style": f"eval_{genre}", "humanize": False})
    return engine.transform(request, stiff_clip(real_hits))


def groove_metrics(engine: Engine, takes: dict[str, list[Performance]], seed: int) -> dict[str, Any]:
    """Section (b): one row per way of playing the stiff takes (see the module docstring)."""
    feel = engine.presets.resolve(FEEL_STYLE)
    played_by_take: list[tuple[str, Performance, Keyed, dict[str, Keyed]]] = []
    for genre, group in takes.items():
        for index, take in enumerate(group):
            real_hits = take_bars(take.hits, 0, CLIP_BARS)
            stiff_hits = [GridHit(h.bar, h.step, h.voice, STIFF_VELOCITY, 0.0) for h in real_hits]
            tempo = round(take.tempo_bpm, 2)
            model = model_groove(engine, genre, real_hits, take.tempo_bpm, seed + index)
            steered = engine.transform(parse_clip_request({"mode": "groove", "clip_bars": CLIP_BARS, "tempo": tempo,
                                                           "seed": seed + index, "style": FEEL_STYLE}),
                                       stiff_clip(real_hits))
            preset_only = [Note(DEFAULT_KIT[h.voice], start, STIFF_DURATION_BEATS, velocity, h.voice)
                           for h, start, velocity in steer_hits(stiff_hits, feel, numerator=4, denominator=4,
                                                                tempo_bpm=tempo, bars=CLIP_BARS, seed=seed + index)]
            unscaled = fit_notes(hits_to_notes(model.model_hits), CLIP_BARS * 4.0)  # as groove fits its notes
            played = {"model": model.pattern.notes, "model_unscaled": unscaled,
                      "model_and_preset": steered.pattern.notes, "preset_only": preset_only,
                      "none": [Note(n.pitch, n.start_beats, STIFF_DURATION_BEATS, STIFF_VELOCITY, "")
                               for n in stiff_clip(real_hits)]}
            played_by_take.append((genre, take, _keyed(hits_to_notes(real_hits)),
                                   {name: _keyed(notes) for name, notes in played.items()}))
    real_ms = [_timing_ms(start, take.tempo_bpm) for _, take, real, _ in played_by_take for start, _ in real.values()]
    shift_ms = statistics.median(real_ms)
    rows: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for genre, take, real, played_keyed in played_by_take:
        shifted = {key: (start + ms_to_beats(shift_ms, take.tempo_bpm), velocity)
                   for key, (start, velocity) in played_keyed["none"].items()}
        for name, keyed in {**played_keyed, "none_shifted": shifted}.items():
            rows[name].append((genre, _compare(keyed, real, take.tempo_bpm)))
    summary: dict[str, Any] = {}
    for name, takes_rows in rows.items():
        summary[name] = _groove_row(takes_rows)
        summary[name].update(_gain_over_grid([row for _, row in takes_rows], [row for _, row in rows["none"]], seed))
    summary["none_shifted"]["shift_ms"] = shift_ms
    return summary


def real_timing_spread_ms(takes: dict[str, list[Performance]]) -> float:
    """Standard deviation of the real takes' timing in section (b)'s bars, in ms: what a groove's spread
    would be if it played as loosely as the drummers."""
    return statistics.pstdev([beats_to_ms(h.offset_steps / STEPS_PER_BEAT, take.tempo_bpm)
                              for group in takes.values() for take in group
                              for h in take_bars(take.hits, 0, CLIP_BARS)])


def _gain_over_grid(played: Sequence[dict[str, Any]], grid: Sequence[dict[str, Any]], seed: int) -> dict[str, Any]:
    """Grid timing MAE minus the row's over all notes, its 95% bootstrap interval resampling takes, and the
    share of takes the row plays closer than the grid."""
    played_sums = np.array([sum(row["timing_errors"]) for row in played])
    grid_sums = np.array([sum(row["timing_errors"]) for row in grid])
    counts = np.array([len(row["timing_errors"]) for row in played])
    picks = np.random.default_rng(seed).integers(0, len(played), size=(BOOTSTRAP_RESAMPLES, len(played)))
    gains = (grid_sums[picks].sum(axis=1) - played_sums[picks].sum(axis=1)) / counts[picks].sum(axis=1)
    low, high = np.percentile(gains, [2.5, 97.5])
    return {"timing_gain_ms": float((grid_sums.sum() - played_sums.sum()) / counts.sum()),
            "timing_gain_interval_ms": (float(low), float(high)),
            "takes_closer_than_grid": float(np.mean(played_sums < grid_sums))}


def _groove_row(takes_rows: Sequence[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """One row of the groove table: errors over every note, correlations averaged over takes."""
    velocity_errors = [e for _, row in takes_rows for e in row["velocity_errors"]]
    timing_errors = [e for _, row in takes_rows for e in row["timing_errors"]]
    velocity_r = [row["velocity_r"] for _, row in takes_rows if math.isfinite(row["velocity_r"])]
    timing_r = [row["timing_r"] for _, row in takes_rows if math.isfinite(row["timing_r"])]
    by_genre: dict[str, list[float]] = defaultdict(list)
    for genre, row in takes_rows:
        by_genre[genre].extend(row["timing_errors"])
    return {"velocity_mae": statistics.fmean(velocity_errors),
            "timing_mae_ms": statistics.fmean(timing_errors),
            "centred_timing_mae_ms": statistics.fmean(e for _, row in takes_rows for e in row["centred_timing_errors"]),
            "velocity_r": statistics.fmean(velocity_r) if velocity_r else math.nan,
            "timing_r": statistics.fmean(timing_r) if timing_r else math.nan,
            "timing_spread_ms": statistics.pstdev([t for _, row in takes_rows for t in row["played_timing"]]),
            "timing_mae_ms_by_genre": {genre: statistics.fmean(errors) for genre, errors in sorted(by_genre.items())},
            "notes": len(velocity_errors), "takes": len(takes_rows)}


def vary_metrics(engine: Engine, takes: dict[str, list[Performance]], seed: int) -> dict[str, Any]:
    results: dict[str, dict[str, float]] = {}
    for name, extra in (("keep kick,snare", {"keep": "kick,snare"}), ("keep bars 1-3", {"keep_bars": "1-3"})):
        kept_same = kept_total = differ = total = 0
        for genre, group in takes.items():
            for index, take in enumerate(group):
                clip = _clip_notes(take_bars(take.hits, 0, CLIP_BARS), CLIP_BARS)
                request = parse_clip_request({"mode": "vary", "style": f"eval_{genre}", "clip_bars": CLIP_BARS,
                                              "tempo": round(take.tempo_bpm, 2), "seed": seed + index, **extra})
                out = engine.transform(request, clip).pattern.notes

                def is_kept(note: Note | ClipNote) -> bool:
                    step = math.floor(note.start_beats * STEPS_PER_BEAT + 0.5)
                    voice = {36: "kick", 38: "snare"}.get(note.pitch, "")
                    return voice in request.keep or (step // 16) % CLIP_BARS + 1 in request.keep_bars

                wanted = sorted((n.pitch, n.start_beats, n.duration_beats, n.velocity) for n in clip if is_kept(n))
                written = sorted((n.pitch, n.start_beats, n.duration_beats, n.velocity) for n in out if is_kept(n))
                kept_total += len(wanted)
                kept_same += sum(min(wanted.count(w), written.count(w)) for w in set(wanted))
                free_in = {(n.pitch, math.floor(n.start_beats * 4 + 0.5)) for n in clip if not is_kept(n)}
                free_out = {(n.pitch, math.floor(n.start_beats * 4 + 0.5)) for n in out if not is_kept(n)}
                differ += free_in != free_out
                total += 1
        results[name] = {"kept_identical": kept_same / kept_total if kept_total else math.nan,
                         "kept_notes": kept_total, "unkept_differ": differ / total, "takes": total}
    return results


def clip_eval(engine: Engine, performances: Sequence[Performance], per_genre: int, seed: int) -> dict[str, Any]:
    """Sections (a), (b) and (c) of the module docstring; `engine` must hold eval_styles() and FEEL_STYLE."""
    takes = clip_takes(performances, per_genre)
    if not takes:
        raise ValueError("no genre has two 4/4 beat takes of 6 bars or more in this split")
    return {"takes": {genre: len(group) for genre, group in takes.items()},
            "continue": continue_metrics(engine, takes, seed),
            "groove": groove_metrics(engine, takes, seed),
            "groove_real_timing_spread_ms": real_timing_spread_ms(takes),
            "vary": vary_metrics(engine, takes, seed)}


def clip_registry(base: PresetRegistry, performances: Sequence[Performance]) -> PresetRegistry:
    """The loaded styles plus a dry preset for each genre of the takes."""
    genres = sorted({p.genre for p in performances})
    return PresetRegistry(base.styles + eval_styles(genres), base.problems)
