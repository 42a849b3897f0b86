"""The pulse of a bar: where its beats fall and how long it is, for every signature a request allows.

The model reads a hit's place in the bar relative to the meter's pulse and to the end of the bar, not
only its absolute 16th step (issue #11: a model that saw only 4/4 closed every longer bar after step 16).
The pulse is the quarter note, or the dotted quarter in compound meters (6/8, 9/8, 12/8, 15/8), as a
drummer counts them. Each signature has a small id that travels in every event (Event.meter), so the
exported step graph can derive the pulse features from its inputs alone.
"""

from __future__ import annotations

from typing import Final

from mididrumigen.engine.constants import ALLOWED_DENOMINATORS, MAX_NUMERATOR, STEPS_PER_BEAT, steps_per_bar

UNKNOWN_METER: Final = 0
"""Meter id of an event whose bar is not known (the prefix, or events from before meters were tracked):
the model adds nothing for it, which is how it behaved before."""

N_METER_IDS: Final = 1 + MAX_NUMERATOR * len(ALLOWED_DENOMINATORS)

COMPOUND_PULSE_STEPS: Final = 6
"""A dotted quarter: three eighths of two 16th steps."""


def is_compound(numerator: int, denominator: int) -> bool:
    """6/8, 9/8, 12/8, 15/8: counted in dotted quarters (groups of three eighths)."""
    return denominator == 8 and numerator % 3 == 0 and numerator >= 6


def pulse_steps(numerator: int, denominator: int) -> int:
    """Steps in one beat of the meter's pulse: 6 in compound meters, else a quarter note's 4."""
    return COMPOUND_PULSE_STEPS if is_compound(numerator, denominator) else STEPS_PER_BEAT


def meter_id(numerator: int, denominator: int) -> int:
    """1..N_METER_IDS-1 for an allowed signature; raises ValueError for any other."""
    if not 1 <= numerator <= MAX_NUMERATOR or denominator not in ALLOWED_DENOMINATORS:
        raise ValueError(f"{numerator}/{denominator} is not a time signature a request allows")
    return 1 + (numerator - 1) * len(ALLOWED_DENOMINATORS) + ALLOWED_DENOMINATORS.index(denominator)


def parse_meter(name: str) -> tuple[int, int] | None:
    """'12/8' -> (12, 8); None for a meter family name such as 'other'."""
    numerator, _, denominator = name.partition("/")
    if not (numerator.isdigit() and denominator.isdigit()):
        return None
    return int(numerator), int(denominator)


def meter_id_of(name: str) -> int:
    """The id of a signature written 'n/d', or UNKNOWN_METER for a family name or a signature not allowed."""
    parsed = parse_meter(name)
    if parsed is None:
        return UNKNOWN_METER
    try:
        return meter_id(*parsed)
    except ValueError:
        return UNKNOWN_METER


def meter_tables() -> tuple[list[int], list[int]]:
    """Bar length and pulse length in steps, indexed by meter id (0 for UNKNOWN_METER)."""
    bar, pulse = [0] * N_METER_IDS, [STEPS_PER_BEAT] * N_METER_IDS
    for numerator in range(1, MAX_NUMERATOR + 1):
        for denominator in ALLOWED_DENOMINATORS:
            index = meter_id(numerator, denominator)
            bar[index] = steps_per_bar(numerator, denominator)
            pulse[index] = pulse_steps(numerator, denominator)
    return bar, pulse


def pulse_starts(numerator: int, denominator: int) -> list[int]:
    """The step of each pulse beat in a bar; the last may be shorter (7/8's last beat is an eighth)."""
    return list(range(0, steps_per_bar(numerator, denominator), pulse_steps(numerator, denominator)))
