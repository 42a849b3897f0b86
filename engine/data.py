"""Reading drum performances from MIDI files (the Groove MIDI Dataset or any folder of drum MIDI).

A performance becomes grid hits: each note-on is snapped to the nearest 16th-note step, and what
the player added or took away from the grid is kept as the micro-timing offset in steps.
"""

from __future__ import annotations

import csv
import logging
import math
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import mido

from mididrumigen.engine.constants import PITCH_TO_VOICE, STEPS_PER_BEAT, steps_per_bar
from mididrumigen.engine.pattern import GridHit
from mididrumigen.engine.tokenizer import canonical_hits

log = logging.getLogger(__name__)

_SPLITS = ("train", "validation", "test")


@dataclass(frozen=True)
class Performance:
    """One recorded take: its labels and its hits on the grid."""

    path: Path
    genre: str
    feel: str  # "beat" or "fill"
    tempo_bpm: float
    numerator: int
    denominator: int
    drummer: str
    hits: tuple[GridHit, ...]
    bars: int


def read_drum_midi(path: Path) -> tuple[list[tuple[float, int, int]], float | None, tuple[int, int] | None]:
    """Note-ons of a MIDI file as (beat, pitch, velocity), plus its first tempo and time signature."""
    midi = mido.MidiFile(path)
    tempo_bpm: float | None = None
    signature: tuple[int, int] | None = None
    notes: list[tuple[float, int, int]] = []
    for track in midi.tracks:
        tick = 0
        for message in track:
            tick += message.time
            if message.type == "set_tempo" and tempo_bpm is None:
                tempo_bpm = mido.tempo2bpm(message.tempo)
            elif message.type == "time_signature" and signature is None:
                signature = (message.numerator, message.denominator)
            elif message.type == "note_on" and message.velocity > 0:
                notes.append((tick / midi.ticks_per_beat, message.note, message.velocity))
    notes.sort()
    return notes, tempo_bpm, signature


def notes_to_hits(notes: list[tuple[float, int, int]], numerator: int, denominator: int) -> tuple[list[GridHit], int]:
    """Snap note-ons to the 16th grid; unknown pitches are dropped. Returns hits and bar count."""
    bar_steps = steps_per_bar(numerator, denominator)
    hits: list[GridHit] = []
    for beat, pitch, velocity in notes:
        voice = PITCH_TO_VOICE.get(pitch)
        if voice is None:
            continue
        position = beat * STEPS_PER_BEAT
        absolute_step = math.floor(position + 0.5)
        offset = position - absolute_step  # in [-0.5, 0.5)
        bar, step = divmod(absolute_step, bar_steps)
        hits.append(GridHit(bar=bar, step=step, voice=voice, velocity=velocity, offset_steps=offset))
    bars = (max(h.bar for h in hits) + 1) if hits else 0
    return canonical_hits(hits), bars


def _split_of(path: Path) -> str:
    """Stable 90/10 train/validation split for folders without a split file."""
    return "validation" if zlib.crc32(path.name.encode()) % 10 == 0 else "train"


def load_performances(root: Path, split: str, default_genre: str = "hiphop") -> Iterator[Performance]:
    """Yield the performances of one split.

    With a Groove-style `info.csv` the split, genre, feel and tempo come from it; otherwise every
    `*.mid` under `root` is read, labelled `default_genre`, and split by a hash of its name.
    """
    if split not in _SPLITS:
        raise ValueError(f"split must be one of {', '.join(_SPLITS)}, got {split!r}")
    info = root / "info.csv"
    if info.exists():
        with info.open(newline="") as handle:
            rows = [row for row in csv.DictReader(handle) if row["split"] == split]
        for row in rows:
            path = root / row["midi_filename"]
            if not path.exists():
                log.warning("listed in info.csv but missing: %s", path)
                continue
            numerator, denominator = (int(x) for x in row["time_signature"].split("-"))
            yield _performance(path, row["style"].split("/")[0], row["beat_type"], float(row["bpm"]),
                               (numerator, denominator), row["drummer"])
        return
    for path in sorted(root.rglob("*.mid")):
        if _split_of(path) == split:
            yield _performance(path, default_genre, "beat", None, None, "unknown")


def _performance(path: Path, genre: str, feel: str, tempo_bpm: float | None,
                 signature: tuple[int, int] | None, drummer: str) -> Performance:
    notes, file_tempo, file_signature = read_drum_midi(path)
    numerator, denominator = signature or file_signature or (4, 4)
    if (numerator * 16) % denominator:
        log.warning("skipped %s: its %d/%d bars do not fall on the 16th-note grid", path, numerator, denominator)
        return Performance(path, genre, feel, float(tempo_bpm or file_tempo or 120.0), numerator, denominator,
                           drummer, (), 0)
    hits, bars = notes_to_hits(notes, numerator, denominator)
    return Performance(path, genre, feel, float(tempo_bpm or file_tempo or 120.0), numerator, denominator,
                       drummer, tuple(hits), bars)
