"""Drum performances <-> event sequences the model reads and writes.

One hit costs one event: a compound of (16th-note step in the bar, voice, velocity bin, micro-timing
bin), in the spirit of the Compound Word Transformer (Hsiao et al., 2021). The model embeds the four
fields and sums them, and predicts them one after another from one hidden state, so a 4-bar groove of
~130 hits costs ~135 transformer steps instead of ~500 with one token per field.

A sequence is the conditioning prefix, then `BAR` before every bar and once after the last:

    genre:hiphop feel:beat energy:mid meter:4/4 tempo:80-100 BAR hit hit ... BAR hit ... BAR

Every BAR and hit also carries its bar's signature id (Event.meter, see engine.meter), from which the
model derives where the event stands against the meter's pulse and the end of the bar.

Inside a bar, hits are sorted by (step, voice) and a (step, voice) pair occurs at most once (the
loudest wins); that canonical order is what the sampler's grammar enforces.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

from mididrumigen.engine.constants import (
    GENRES,
    MAX_STEPS_PER_BAR,
    OFFSET_BINS,
    VELOCITY_BINS,
    VOICE_INDEX,
    VOICES,
)
from mididrumigen.engine.errors import CheckpointError
from mididrumigen.engine.meter import UNKNOWN_METER, meter_id_of
from mididrumigen.engine.pattern import GridHit

TOKENIZER_VERSION: Final = 1

FEELS: Final = ("beat", "fill")
ENERGIES: Final = ("low", "mid", "high")
METERS: Final = ("4/4", "3/4", "6/8", "other")
TEMPO_BANDS: Final = ("<80", "80-100", "100-120", "120-140", ">=140")
_TEMPO_EDGES: Final = (80.0, 100.0, 120.0, 140.0)

NONE: Final = 0
"""Field value for 'not a hit'; real field values are stored +1 so that 0 can mean absent."""


class Event(NamedTuple):
    """One model input: a special token, or a hit whose four fields are stored 1-based."""

    special: int
    step: int = NONE
    voice: int = NONE
    velocity: int = NONE
    offset: int = NONE
    meter: int = NONE  # the bar's signature (engine.meter.meter_id); NONE (UNKNOWN_METER) in the prefix


@dataclass(frozen=True)
class Conditioning:
    """What the model is told before it plays: the prefix of every sequence."""

    genre: str
    feel: str
    energy: str
    meter: str
    tempo_band: str


def velocity_to_bin(velocity: int) -> int:
    """MIDI velocity 1..127 -> bin 0..VELOCITY_BINS-1 (equal widths)."""
    return min(VELOCITY_BINS - 1, max(0, (velocity - 1) * VELOCITY_BINS // 127))


def bin_to_velocity(velocity_bin: int) -> int:
    """Centre velocity of a bin; velocity_to_bin(bin_to_velocity(b)) == b."""
    return int(1 + (velocity_bin + 0.5) * 127 / VELOCITY_BINS)


def offset_to_bin(offset_steps: float) -> int:
    """Micro-timing in [-0.5, 0.5) steps -> bin 0..OFFSET_BINS-1."""
    index = int((offset_steps + 0.5) * OFFSET_BINS)
    return min(OFFSET_BINS - 1, max(0, index))


def bin_to_offset(offset_bin: int) -> float:
    """Centre of an offset bin, in steps."""
    return -0.5 + (offset_bin + 0.5) / OFFSET_BINS


def meter_of(numerator: int, denominator: int) -> str:
    """The signature as conditioning carries it ('12/8'): every event of a bar is told its meter."""
    return f"{numerator}/{denominator}"


def meter_token(meter: str) -> str:
    """The meter family the prefix names: a signature rarer in the data shares 'other'; a name that is
    neither a family nor an allowed signature stays as it is (and is not in the vocabulary)."""
    if meter in METERS or meter_id_of(meter) == UNKNOWN_METER:
        return meter
    return "other"


def tempo_band_of(tempo_bpm: float) -> str:
    """Tempo band token for a tempo in BPM."""
    for edge, band in zip(_TEMPO_EDGES, TEMPO_BANDS):
        if tempo_bpm < edge:
            return band
    return TEMPO_BANDS[-1]


def canonical_hits(hits: Iterable[GridHit]) -> list[GridHit]:
    """Sort by (bar, step, voice) and keep the loudest hit where a voice repeats on one step."""
    loudest: dict[tuple[int, int, str], GridHit] = {}
    for hit in hits:
        key = (hit.bar, hit.step, hit.voice)
        if key not in loudest or hit.velocity > loudest[key].velocity:
            loudest[key] = hit
    return sorted(loudest.values(), key=lambda h: (h.bar, h.step, VOICE_INDEX[h.voice]))


class Tokenizer:
    """Maps conditioning and hits to events and back. Its vocabulary travels inside each checkpoint."""

    def __init__(self, genres: Sequence[str] = GENRES, energy_thresholds: Sequence[float] = (8.0, 14.0)):
        self.genres = tuple(genres)
        self.energy_thresholds = tuple(float(t) for t in energy_thresholds)
        names = ["<pad>", "<hit>", "<bar>"]
        names += [f"genre:{g}" for g in self.genres]
        names += [f"feel:{f}" for f in FEELS]
        names += [f"energy:{e}" for e in ENERGIES]
        names += [f"meter:{m}" for m in METERS]
        names += [f"tempo:{t}" for t in TEMPO_BANDS]
        self.special_names = tuple(names)
        self._special_id = {name: i for i, name in enumerate(names)}
        self.pad_id = 0
        self.hit_id = 1
        self.bar_id = 2

    # --- sizes the model is built from -------------------------------------------------------
    @property
    def n_special(self) -> int:
        return len(self.special_names)

    n_steps: Final = MAX_STEPS_PER_BAR
    n_voices: Final = len(VOICES)
    n_velocities: Final = VELOCITY_BINS
    n_offsets: Final = OFFSET_BINS

    # --- conditioning ------------------------------------------------------------------------
    def energy_of(self, hits_per_bar: float) -> str:
        """Energy level from density, using tertiles measured on the training data."""
        low, high = self.energy_thresholds
        return "low" if hits_per_bar < low else "mid" if hits_per_bar < high else "high"

    def prefix(self, cond: Conditioning) -> list[Event]:
        """The conditioning events that open every sequence."""
        keys = (
            f"genre:{cond.genre}",
            f"feel:{cond.feel}",
            f"energy:{cond.energy}",
            f"meter:{meter_token(cond.meter)}",
            f"tempo:{cond.tempo_band}",
        )
        missing = [k for k in keys if k not in self._special_id]
        if missing:
            raise ValueError(f"conditioning {missing[0]!r} is not in this tokenizer's vocabulary")
        return [Event(self._special_id[k]) for k in keys]

    # --- hits ----------------------------------------------------------------------------------
    def hit_event(self, step: int, voice_index: int, velocity_bin: int, offset_bin: int,
                  meter: int = NONE) -> Event:
        """A hit in a bar of signature id `meter` (engine.meter.meter_id; NONE when not known)."""
        return Event(self.hit_id, step + 1, voice_index + 1, velocity_bin + 1, offset_bin + 1, meter)

    def bar_event(self, meter: int = NONE) -> Event:
        """The BAR that opens a bar of signature id `meter`, or closes the last one."""
        return Event(self.bar_id, meter=meter)

    def encode(self, cond: Conditioning, hits: Iterable[GridHit], bars: int) -> list[Event]:
        """Prefix, then BAR + the bar's hits for each of `bars` bars, then a closing BAR."""
        by_bar: list[list[GridHit]] = [[] for _ in range(bars)]
        for hit in canonical_hits(hits):
            if not 0 <= hit.bar < bars:
                raise ValueError(f"hit in bar {hit.bar} outside 0..{bars - 1}")
            by_bar[hit.bar].append(hit)
        meter = meter_id_of(cond.meter)
        events = self.prefix(cond)
        for bar_hits in by_bar:
            events.append(self.bar_event(meter))
            for hit in bar_hits:
                events.append(
                    self.hit_event(
                        hit.step,
                        VOICE_INDEX[hit.voice],
                        velocity_to_bin(hit.velocity),
                        offset_to_bin(hit.offset_steps),
                        meter,
                    )
                )
        events.append(self.bar_event(meter))
        return events

    def decode_hits(self, events: Iterable[Event]) -> tuple[list[GridHit], int]:
        """Hits (bin centres) and the number of complete bars; conditioning events are skipped."""
        hits: list[GridHit] = []
        bar = -1
        for event in events:
            if event.special == self.bar_id:
                bar += 1
            elif event.special == self.hit_id:
                hits.append(
                    GridHit(
                        bar=max(bar, 0),
                        step=event.step - 1,
                        voice=VOICES[event.voice - 1],
                        velocity=bin_to_velocity(event.velocity - 1),
                        offset_steps=bin_to_offset(event.offset - 1),
                    )
                )
        return hits, max(bar, 0)

    def decode_conditioning(self, events: Sequence[Event]) -> Conditioning:
        names = [self.special_names[e.special].split(":", 1) for e in events[:5]]
        fields = {key: value for key, value in names}
        return Conditioning(fields["genre"], fields["feel"], fields["energy"], fields["meter"], fields["tempo"])

    # --- persistence ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "version": TOKENIZER_VERSION,
            "genres": list(self.genres),
            "energy_thresholds": list(self.energy_thresholds),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tokenizer:
        version = data.get("version")
        if version != TOKENIZER_VERSION:
            raise CheckpointError(
                f"checkpoint was written for tokenizer version {version}, this engine reads {TOKENIZER_VERSION}"
            )
        return cls(genres=data["genres"], energy_thresholds=data["energy_thresholds"])
