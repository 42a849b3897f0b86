"""Write a Pattern as a type-0 Standard MIDI File that is exactly `bars` long, so it loops in any DAW."""

from __future__ import annotations

import io
import logging
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import mido

from mididrumigen.engine.constants import DRUM_CHANNEL, TICKS_PER_BEAT, check_clip_shape
from mididrumigen.engine.files import atomic_write_bytes
from mididrumigen.engine.pattern import Note, Pattern
from mididrumigen.engine.units import beats_to_ticks

log = logging.getLogger(__name__)

_MAX_TEMPO_US: Final = 0xFFFFFF
"""set_tempo stores microseconds per beat in 3 bytes."""
_MARKER: Final = -1
_NOTE_OFF: Final = 0
_NOTE_ON: Final = 1
"""Event order at equal ticks: a marker first (a section starts before its notes), then a note-off,
so a note ending where the next one starts never cuts it."""

Marker = tuple[float, str]
"""(start in beats, text): a MIDI marker meta event, e.g. a song section's name where it starts."""


def _length_ticks(pattern: Pattern) -> int:
    """Clip length in ticks, computed in integers so the end is exact (7/8 x 3 bars = 5040 ticks)."""
    ticks = pattern.bars * pattern.numerator * 4 * TICKS_PER_BEAT
    assert ticks % pattern.denominator == 0, "every allowed denominator divides 4 * TICKS_PER_BEAT"
    return ticks // pattern.denominator


def _check_pattern(pattern: Pattern) -> None:
    check_clip_shape(pattern.bars, pattern.numerator, pattern.denominator)
    if not pattern.tempo_bpm > 0 or mido.bpm2tempo(pattern.tempo_bpm) > _MAX_TEMPO_US:
        raise ValueError(f"tempo_bpm must be greater than 3.6, got {pattern.tempo_bpm}")


def _check_note(note: Note, length_beats: float) -> None:
    half_tick_beats = 0.5 / TICKS_PER_BEAT
    if not 0 <= note.pitch <= 127:
        raise ValueError(f"pitch must be in range 0..127, got {note.pitch}")
    if not 1 <= note.velocity <= 127:
        raise ValueError(f"velocity must be in range 1..127, got {note.velocity}")
    if not note.duration_beats > 0:
        raise ValueError(f"duration_beats must be greater than 0, got {note.duration_beats}")
    if note.start_beats < 0 or note.start_beats + note.duration_beats > length_beats + half_tick_beats:
        raise ValueError(
            f"note at start_beats {note.start_beats} must lie inside the clip (0..{length_beats} beats)"
        )


def _note_ticks(notes: tuple[Note, ...], end_tick: int) -> list[tuple[int, int, Note]]:
    """(on_tick, off_tick, note) per note; same-pitch notes must not overlap after rounding to ticks."""
    by_pitch: dict[int, list[tuple[int, int, Note]]] = defaultdict(list)
    for note in notes:
        on = beats_to_ticks(note.start_beats, TICKS_PER_BEAT)
        off = min(beats_to_ticks(note.start_beats + note.duration_beats, TICKS_PER_BEAT), end_tick)
        by_pitch[note.pitch].append((on, off, note))
    spans = []
    for pitch in sorted(by_pitch):
        same = sorted(by_pitch[pitch], key=lambda span: span[0])
        for i, (on, off, note) in enumerate(same):
            next_on = same[i + 1][0] if i + 1 < len(same) else None
            if next_on is not None and off > next_on:
                if off - next_on > 1:
                    raise ValueError(f"notes of pitch {pitch} overlap at beat {note.start_beats:g}")
                off = next_on  # float rounding put the end one tick past the next start
            if off <= on:
                raise ValueError(
                    f"note of pitch {pitch} at beat {note.start_beats:g} is shorter than one tick"
                )
            spans.append((on, off, note))
    return spans


def _latin1(text: str) -> str:
    """mido writes meta text as latin-1; replace anything else rather than fail on a style name."""
    return text.encode("latin-1", "replace").decode("latin-1")


def _marker_events(markers: Sequence[Marker], end_tick: int) -> list[tuple[int, int, int, int, str]]:
    events = []
    for beats, text in markers:
        tick = beats_to_ticks(beats, TICKS_PER_BEAT)
        if not 0 <= tick < end_tick:
            raise ValueError(f"marker {text[:40]!r} at beat {beats:g} must lie inside the clip")
        events.append((tick, _MARKER, 0, 0, _latin1(text)))
    return events


def pattern_to_midifile(pattern: Pattern, track_name: str, markers: Sequence[Marker] = (),
                        passthrough: Sequence[Note] = ()) -> mido.MidiFile:
    """Build the MIDI file: one track with name, time signature, tempo, then the notes on DRUM_CHANNEL
    (with `passthrough`: a user clip's notes that are not drums of the kit, written as they came)
    and any `markers` (a song's sections) as marker meta events.

    Raises:
        ValueError: a note lies outside the clip, overlaps one of its own pitch, or a field is out of range.
    """
    _check_pattern(pattern)
    notes = (*pattern.notes, *passthrough)
    for note in notes:
        _check_note(note, pattern.length_beats)
    end_tick = _length_ticks(pattern)
    events = _marker_events(markers, end_tick)
    for on, off, note in _note_ticks(notes, end_tick):
        events.append((on, _NOTE_ON, note.pitch, note.velocity, ""))
        events.append((off, _NOTE_OFF, note.pitch, 0, ""))
    events.sort()

    safe_name = _latin1(track_name)
    track = mido.MidiTrack(
        [
            mido.MetaMessage("track_name", name=safe_name, time=0),
            mido.MetaMessage(
                "time_signature", numerator=pattern.numerator, denominator=pattern.denominator, time=0
            ),
            mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(pattern.tempo_bpm), time=0),
        ]
    )
    now = 0
    for tick, kind, pitch, velocity, text in events:
        if kind == _MARKER:
            track.append(mido.MetaMessage("marker", text=text, time=tick - now))
        else:
            message_type = "note_on" if kind == _NOTE_ON else "note_off"
            track.append(
                mido.Message(message_type, channel=DRUM_CHANNEL, note=pitch, velocity=velocity, time=tick - now)
            )
        now = tick
    # The end of track sits exactly at the clip length, so the DAW loops it bar-exact.
    track.append(mido.MetaMessage("end_of_track", time=end_tick - now))
    midi = mido.MidiFile(type=0, ticks_per_beat=TICKS_PER_BEAT)
    midi.tracks.append(track)
    return midi


def write_midi(pattern: Pattern, path: Path, track_name: str | None = None, markers: Sequence[Marker] = (),
               passthrough: Sequence[Note] = ()) -> Path:
    """Write `pattern` to `path` atomically; the parent folder is created if needed.

    Args:
        track_name: defaults to "<style_id> <pattern_type>".
        markers: (beats, text) marker meta events, e.g. a song's section starts.
        passthrough: notes written as well, untouched (GenerationResult.passthrough of a clip job).

    Returns:
        `path`.

    Raises:
        ValueError: the pattern is invalid; nothing is written and an existing file is kept.
    """
    name = track_name if track_name is not None else f"{pattern.style_id} {pattern.pattern_type}"
    buffer = io.BytesIO()
    pattern_to_midifile(pattern, name, markers, passthrough).save(file=buffer)
    atomic_write_bytes(Path(path), buffer.getvalue())
    log.info("wrote %s: %d notes, %d bars", path, len(pattern.notes), pattern.bars)
    return Path(path)
