"""Does a bar fill its meter? The measures of issue #11 (`eval`, tests), and the request's warning for a model
that never learned meters other than 4/4.

Read on the model's grid hits (before humanizing), with the meter's pulse (engine.meter): quarter
notes, dotted quarters in compound meters; a bar whose length is not a whole number of pulses (7/8,
15/16) ends with a shorter beat, which counts for its length in the last-beat density and is not a
whole pulse that must hold a hit (a real 7/8 bar's last eighth is often a breath).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from mididrumigen.engine.constants import steps_per_bar
from mididrumigen.engine.meter import pulse_starts, pulse_steps
from mididrumigen.engine.pattern import GridHit

ACCENT_VOICES: Final = frozenset({"kick", "crash"})
"""What marks a downbeat: the kick, or a crash where a drummer opens the bar with a cymbal."""

TRUSTED_WITHOUT_METER_TRAINING: Final = frozenset({(4, 4)})


@dataclass(frozen=True)
class BarPulse:
    """One bar against its meter's pulse."""

    hits_per_beat: float  # the bar's hits per pulse beat
    last_beat_hits_per_beat: float  # hits in the bar's last pulse beat, per beat of its length
    accented_downbeat: bool
    empty_beats: tuple[int, ...]  # 0-based whole pulse beats without any hit (a short last beat is not one)


def bar_pulse(hits: Iterable[GridHit], numerator: int, denominator: int) -> BarPulse:
    """The pulse measures of one bar's hits (their `bar` field is ignored)."""
    bar_steps = steps_per_bar(numerator, denominator)
    pulse = pulse_steps(numerator, denominator)
    starts = pulse_starts(numerator, denominator)
    counts = [0] * len(starts)
    accented = False
    for hit in hits:
        counts[min(hit.step // pulse, len(starts) - 1)] += 1
        accented |= hit.step == 0 and hit.voice in ACCENT_VOICES
    last_length = (bar_steps - starts[-1]) / pulse
    whole = len(starts) if last_length == 1 else len(starts) - 1
    return BarPulse(sum(counts) / (bar_steps / pulse), counts[-1] / last_length, accented,
                    tuple(i for i, c in enumerate(counts[:whole]) if c == 0))


def bars_of(hits: Sequence[GridHit], bars: int) -> list[list[GridHit]]:
    by_bar: list[list[GridHit]] = [[] for _ in range(bars)]
    for hit in hits:
        if 0 <= hit.bar < bars:
            by_bar[hit.bar].append(hit)
    return by_bar


def untrained_meter_warning(numerator: int, denominator: int, meter_trained: bool) -> str | None:
    """A warning for a meter the model never learned (a model trained on 4/4 bars only)."""
    if meter_trained or (numerator, denominator) in TRUSTED_WITHOUT_METER_TRAINING:
        return None
    return (f"this model was trained on 4/4 bars only: its {numerator}/{denominator} bars may fall silent after "
            f"the 16th step")
