"""Every time signature filled (issue #11): does a generated bar play its whole meter?

For each measured meter, every style generates patterns of that meter (4 bars, the request's defaults,
tempos across the style's range), read on the model's grid hits with the meter's pulse (engine.pulse_check):

- last_beat: hits per beat in the bar's last pulse beat against the bar's mean hits per beat
  (mean over bars of each, then their ratio). Target 0.6-1.4; a model that closes the bar early scores 0.
- downbeat: share of bars with a kick or a crash on step 0. Target: at least the real-like bars' share
  less 0.10.
- empty_beat: share of bars with at least one whole pulse beat without any hit (7/8's closing eighth
  and 15/16's closing three 16ths are not whole beats; last_beat covers them). Target: at most 0.05.

Real-like: the same measures on validation takes re-barred into the meter from real bars
(engine.meter_augment), the bars the model is asked to resemble.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

from mididrumigen.engine.dataset import BarTable
from mididrumigen.engine.generate import Engine
from mididrumigen.engine.meter_augment import EVAL_METERS, augmented_table
from mididrumigen.engine.presets import StylePreset
from mididrumigen.engine.pulse_check import BarPulse, bar_pulse, bars_of
from mididrumigen.engine.schema import parse_request

LAST_BEAT_RANGE: Final = (0.6, 1.4)
MAX_EMPTY_BEAT: Final = 0.05
DOWNBEAT_SLACK: Final = 0.10
BARS: Final = 4


def summarise(bars: Sequence[BarPulse]) -> dict[str, float]:
    """The three measures over a set of bars (NaN where there are none)."""
    if not bars:
        return {"bars": 0, "last_beat": math.nan, "downbeat": math.nan, "empty_beat": math.nan}
    mean = sum(b.hits_per_beat for b in bars) / len(bars)
    last = sum(b.last_beat_hits_per_beat for b in bars) / len(bars)
    return {"bars": len(bars), "last_beat": last / mean if mean else math.nan,
            "downbeat": sum(b.accented_downbeat for b in bars) / len(bars),
            "empty_beat": sum(bool(b.empty_beats) for b in bars) / len(bars)}


def real_like(tables: Sequence[BarTable], numerator: int, denominator: int) -> dict[str, float]:
    """The measures on validation takes re-barred into the meter (4/4 takes only; compound from triplet takes)."""
    made = [augmented_table(t, numerator, denominator) for t in tables]
    return summarise([bar_pulse(bar, numerator, denominator) for t in made if t is not None for bar in t.bars])


def generated(engine: Engine, styles: Sequence[StylePreset], numerator: int, denominator: int, per_style: int,
              first_seed: int) -> dict[str, float]:
    pulses = []
    for style in styles:
        requests = []
        for index in range(per_style):
            fraction = index / (per_style - 1) if per_style > 1 else 0.5
            tempo = round(style.tempo_min + fraction * (style.tempo_max - style.tempo_min), 1)
            requests.append(parse_request({"style": style.id, "bars": BARS, "tempo": tempo, "seed": first_seed + index,
                                           "numerator": numerator, "denominator": denominator}))
        for result in engine.generate_batch(requests):
            pulses += [bar_pulse(bar, numerator, denominator) for bar in bars_of(result.model_hits, BARS)]
    return summarise(pulses)


def holds(measure: str, value: float, real: float) -> bool | None:
    if not math.isfinite(value):
        return None
    if measure == "last_beat":
        return LAST_BEAT_RANGE[0] <= value <= LAST_BEAT_RANGE[1]
    if measure == "downbeat":
        return not math.isfinite(real) or value >= real - DOWNBEAT_SLACK
    return value <= MAX_EMPTY_BEAT


def needed(measure: str, real: float) -> Any:
    if measure == "last_beat":
        return list(LAST_BEAT_RANGE)
    if measure == "downbeat":
        return max(0.0, real - DOWNBEAT_SLACK) if math.isfinite(real) else None
    return MAX_EMPTY_BEAT


MEASURES: Final = ("last_beat", "downbeat", "empty_beat")


def meter_metrics(engine: Engine, styles: Sequence[StylePreset], val_tables: Sequence[BarTable], per_style: int,
                  first_seed: int, meters: Sequence[tuple[int, int]] = EVAL_METERS) -> dict[str, Any]:
    """Per meter: generated and real-like measures, and whether each target holds."""
    result = {}
    for numerator, denominator in meters:
        made = generated(engine, styles, numerator, denominator, per_style, first_seed)
        real = real_like(val_tables, numerator, denominator)
        result[f"{numerator}/{denominator}"] = {
            "generated": made, "real_like": real,
            "holds": {m: holds(m, made[m], real[m]) for m in MEASURES},
            "needed": {m: needed(m, real[m]) for m in MEASURES},
        }
    return result


def target_rows(meters: dict[str, Any]) -> list[dict[str, Any]]:
    """One target row per meter and measure, in the report's targets table."""
    rows = []
    words = {"last_beat": "last beat's hits per beat / the bar's, in 0.6-1.4",
             "downbeat": "kick or crash on the downbeat, at least real-like - 0.10",
             "empty_beat": "bars with a silent pulse beat <= 5%"}
    for meter, row in meters.items():
        for measure in MEASURES:
            value, need = row["generated"][measure], row["needed"][measure]
            ok = row["holds"][measure]
            if ok is None:
                short = None
            elif measure == "last_beat":
                short = max(0.0, need[0] - value, value - need[1])
            elif measure == "downbeat":
                short = max(0.0, (need or 0.0) - value)
            else:
                short = max(0.0, value - need)
            rows.append({"target": f"meter {meter}: {words[measure]}", "value": value, "needed": need,
                         "holds": ok, "short_by": short})
    return rows
