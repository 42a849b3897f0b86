"""Helpers for engine tests: small drum MIDI files written with mido, for folders without an info.csv."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path

import mido

TICKS_PER_BEAT = 480
BACKBEAT: tuple[tuple[float, int, int], ...] = tuple(
    [(b / 2, 42, 80) for b in range(8)] + [(0.0, 36, 110), (2.5, 36, 100), (1.0, 38, 105), (3.0, 38, 105)]
)
"""One bar of 4/4 as (beat, General MIDI pitch, velocity): 8th hats, kick on 1 and the "and" of 3, snare 2 and 4."""


def write_drum_file(
    path: Path,
    notes: Sequence[tuple[float, int, int]] = BACKBEAT,
    bars: int = 1,
    bar_beats: float = 4.0,
    tempo_bpm: float | None = 100.0,
    signature: tuple[int, int] | None = (4, 4),
) -> Path:
    """Write `notes` (beat, pitch, velocity), repeated for `bars` bars, as a type-0 file on channel 10."""
    events: list[tuple[int, int, mido.Message]] = []
    for bar in range(bars):
        for beat, pitch, velocity in notes:
            on = round((bar * bar_beats + beat) * TICKS_PER_BEAT)
            events.append((on, 1, mido.Message("note_on", channel=9, note=pitch, velocity=velocity)))
            events.append((on + 60, 0, mido.Message("note_off", channel=9, note=pitch, velocity=0)))
    events.sort(key=lambda e: (e[0], e[1]))
    track = mido.MidiTrack()
    if tempo_bpm is not None:
        track.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(tempo_bpm), time=0))
    if signature is not None:
        track.append(mido.MetaMessage("time_signature", numerator=signature[0], denominator=signature[1], time=0))
    now = 0
    for tick, _, message in events:
        track.append(message.copy(time=tick - now))
        now = tick
    track.append(mido.MetaMessage("end_of_track", time=0))
    midi = mido.MidiFile(type=0, ticks_per_beat=TICKS_PER_BEAT)
    midi.tracks.append(track)
    path.parent.mkdir(parents=True, exist_ok=True)
    midi.save(path)
    return path


def names_in_split(split: str, count: int, prefix: str = "take") -> list[str]:
    """File names that engine.data's hash split (crc32 of the name, 1 in 10 to validation) puts in `split`."""
    wanted_validation = split == "validation"
    names = []
    index = 0
    while len(names) < count:
        name = f"{prefix}_{index}.mid"
        if (zlib.crc32(name.encode()) % 10 == 0) == wanted_validation:
            names.append(name)
        index += 1
    return names


def plain_midi_folder(root: Path) -> Path:
    """A folder of drum .mid files without info.csv: four train takes and one validation take."""
    for name in names_in_split("train", 4):
        write_drum_file(root / name, bars=4, tempo_bpm=96.0)
    for name in names_in_split("validation", 1):
        write_drum_file(root / name, bars=2, tempo_bpm=96.0)
    return root


def note_ons(path: Path) -> list[tuple[int, int, int]]:
    """(tick, pitch, velocity) of every note-on of a type-0 file, as a test reads a written clip back."""
    tick, notes = 0, []
    for message in mido.MidiFile(path).tracks[0]:
        tick += message.time
        if message.type == "note_on" and message.velocity > 0:
            notes.append((tick, message.note, message.velocity))
    return notes
