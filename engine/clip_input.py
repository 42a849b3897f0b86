"""Reading a user's clip: a .mid file into ClipNotes, and ClipNotes onto the model's grid and voices.

A note is read through the kit (its pitch -> a voice) and snapped to the nearest 16th as engine.data
snaps the training takes, keeping what the player added as micro-timing, so the model reads a user's
clip exactly as it read real drummers. Notes that are not drums of the kit are kept aside, untouched,
to be passed through; nothing is dropped.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import mido

from mididrumigen.engine.constants import STEPS_PER_BEAT, bar_length_beats, steps_per_bar
from mididrumigen.engine.clip import ClipNote
from mididrumigen.engine.errors import RequestError
from mididrumigen.engine.kits import voice_of_pitch
from mididrumigen.engine.pattern import GridHit
from mididrumigen.engine.tokenizer import canonical_hits

MAX_CLIP_FILE_BYTES: Final = 1024 * 1024
"""A 32-bar drum clip is a few KB; a bigger file is not a clip."""
_BAR_EPSILON_BEATS: Final = 1e-6


class ClipFileError(RequestError):
    """A clip file that cannot be read as MIDI."""

    def __init__(self, message: str) -> None:
        super().__init__("in", message)


@dataclass(frozen=True)
class ClipFile:
    """A .mid file's notes, with its first tempo and time signature when it has them, and its length."""

    notes: tuple[ClipNote, ...]
    tempo_bpm: float | None
    signature: tuple[int, int] | None
    length_beats: float


def read_clip_file(path: Path) -> ClipFile:
    """Every note of a MIDI file (all channels, all tracks), paired note-on with note-off.

    Raises:
        ClipFileError: the file is missing, too big, or not a Standard MIDI File.
    """
    try:
        size = os.stat(path).st_size
    except OSError as error:
        raise ClipFileError(f"cannot read {path}: {error.strerror or error}") from error
    if size > MAX_CLIP_FILE_BYTES:
        raise ClipFileError(f"{path} is {size} bytes, over the {MAX_CLIP_FILE_BYTES}-byte limit for a clip")
    try:
        midi = mido.MidiFile(path)
        messages = _timed_messages(midi)
    except (OSError, EOFError, ValueError, KeyError, IndexError, TypeError) as error:
        raise ClipFileError(f"{path} is not a MIDI file ({str(error)[:60] or type(error).__name__})") from error
    tempo_bpm: float | None = None
    signature: tuple[int, int] | None = None
    open_notes: dict[tuple[int, int], list[tuple[int, int]]] = {}
    spans: list[tuple[int, int, int, int]] = []  # (on tick, pitch, velocity, off tick)
    end_tick = 0
    for tick, message in messages:
        end_tick = max(end_tick, tick)
        if message.type == "set_tempo" and tempo_bpm is None:
            tempo_bpm = float(mido.tempo2bpm(message.tempo))
        elif message.type == "time_signature" and signature is None:
            signature = (message.numerator, message.denominator)
        elif message.type == "note_on" and message.velocity > 0:
            open_notes.setdefault((message.channel, message.note), []).append((tick, message.velocity))
        elif message.type in ("note_off", "note_on"):
            started = open_notes.get((message.channel, message.note))
            if started:
                on, velocity = started.pop(0)
                spans.append((on, message.note, velocity, tick))
    for (_, pitch), started in open_notes.items():  # never closed: they last to the end of the file
        spans.extend((on, pitch, velocity, max(end_tick, on + 1)) for on, velocity in started)
    per_beat = midi.ticks_per_beat
    notes = tuple(ClipNote(pitch, on / per_beat, max(off - on, 1) / per_beat, velocity)
                  for on, pitch, velocity, off in sorted(spans))
    return ClipFile(notes, tempo_bpm, signature, end_tick / per_beat)


def _timed_messages(midi: mido.MidiFile) -> list[tuple[int, mido.Message]]:
    """Every message of every track with its absolute tick (tracks of a type-1 file play together)."""
    timed = []
    for track in midi.tracks:
        tick = 0
        for message in track:
            tick += message.time
            timed.append((tick, message))
    timed.sort(key=lambda item: item[0])
    return timed


def clip_bars_of(notes: Sequence[ClipNote], length_beats: float, numerator: int, denominator: int) -> int:
    """Whole bars the clip spans: its end (the file's last event), or past its last note start."""
    bar = bar_length_beats(numerator, denominator)
    last_start = max((n.start_beats for n in notes), default=0.0)
    by_end = math.ceil(length_beats / bar - _BAR_EPSILON_BEATS)
    return max(1, by_end, math.floor(last_start / bar) + 1)


@dataclass(frozen=True)
class ClipGrid:
    """A clip on the model's grid: its hits (one per bar, step and voice, the loudest), which hit each
    drum note became, and the notes that are not drums of the kit."""

    hits: tuple[GridHit, ...]
    drum_notes: tuple[tuple[ClipNote, tuple[int, int, str]], ...]  # (note, (bar, step, voice))
    passthrough: tuple[ClipNote, ...]


def clip_grid(notes: Sequence[ClipNote], kit: Mapping[str, int], numerator: int, denominator: int,
              bars: int) -> ClipGrid:
    """Read the clip's notes through the kit onto the 16th grid; a note pushed ahead of the clip's
    end belongs to its first downbeat, as the clip loops."""
    voices = voice_of_pitch(kit)
    bar_steps = steps_per_bar(numerator, denominator)
    hits, drum_notes, passthrough = [], [], []
    for note in notes:
        voice = voices.get(note.pitch)
        if voice is None:
            passthrough.append(note)
            continue
        position = note.start_beats * STEPS_PER_BEAT
        absolute = math.floor(position + 0.5)
        offset = position - absolute  # in [-0.5, 0.5)
        bar, step = divmod(absolute % (bars * bar_steps), bar_steps)
        hits.append(GridHit(bar, step, voice, note.velocity, offset))
        drum_notes.append((note, (bar, step, voice)))
    return ClipGrid(tuple(canonical_hits(hits)), tuple(drum_notes), tuple(passthrough))


def passthrough_warning(notes: Sequence[ClipNote]) -> str | None:
    """The one warning naming the pitches that were passed through untouched (None when there are none)."""
    if not notes:
        return None
    pitches = sorted({n.pitch for n in notes})
    shown = ", ".join(map(str, pitches[:8])) + (", ..." if len(pitches) > 8 else "")
    count = len(notes)
    return (f"{count} note{'s' if count != 1 else ''} on pitch{'es' if len(pitches) != 1 else ''} {shown} "
            f"{'are' if count != 1 else 'is'} not drums of the kit; passed through untouched")
