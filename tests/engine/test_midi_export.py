"""MIDI export: files read back through mido with the right length, channel, tempo, meter and note pairs."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import mido
import pytest

from mididrumigen.engine.constants import DRUM_CHANNEL, NOTE_DURATION_BEATS, TICKS_PER_BEAT
from mididrumigen.engine.humanize import humanize
from mididrumigen.engine.midi_export import pattern_to_midifile, write_midi
from mididrumigen.engine.pattern import GridHit, Note, Pattern
from mididrumigen.engine.presets import PresetRegistry
from mididrumigen.engine.units import beats_to_seconds


def _pattern(
    notes: tuple[Note, ...] = (),
    bars: int = 2,
    numerator: int = 4,
    denominator: int = 4,
    tempo_bpm: float = 92.0,
) -> Pattern:
    return Pattern(
        notes=notes,
        bars=bars,
        numerator=numerator,
        denominator=denominator,
        tempo_bpm=tempo_bpm,
        style_id="j_dilla",
        pattern_type="verse",
        seed=1,
        humanized=True,
    )


def _note(start: float, pitch: int = 36, velocity: int = 100, duration: float = NOTE_DURATION_BEATS) -> Note:
    return Note(pitch=pitch, start_beats=start, duration_beats=duration, velocity=velocity, voice="kick")


def _absolute(track: mido.MidiTrack) -> list[tuple[int, mido.Message | mido.MetaMessage]]:
    now, out = 0, []
    for message in track:
        now += message.time
        out.append((now, message))
    return out


def _check_file(path: Path, pattern: Pattern) -> list[tuple[int, mido.Message]]:
    """Read `path` back and check everything a DAW relies on; returns the channel messages."""
    midi = mido.MidiFile(path)
    assert midi.type == 0 and midi.ticks_per_beat == TICKS_PER_BEAT and len(midi.tracks) == 1
    events = _absolute(midi.tracks[0])
    metas = {m.type: m for _, m in events if m.is_meta}
    assert metas["set_tempo"].tempo == mido.bpm2tempo(pattern.tempo_bpm)
    assert (metas["time_signature"].numerator, metas["time_signature"].denominator) == (
        pattern.numerator,
        pattern.denominator,
    )
    end_tick, end = events[-1]
    assert end.type == "end_of_track"
    assert end_tick == round(pattern.length_beats * TICKS_PER_BEAT)
    assert midi.length == pytest.approx(beats_to_seconds(pattern.length_beats, pattern.tempo_bpm))

    notes = [(t, m) for t, m in events if not m.is_meta]
    assert all(m.channel == DRUM_CHANNEL for _, m in notes)
    sounding: dict[int, int] = {}
    pairs: dict[int, int] = defaultdict(int)
    for tick, message in notes:
        if message.type == "note_on":
            assert message.velocity > 0
            assert message.note not in sounding, f"note {message.note} starts again before it ended"
            sounding[message.note] = tick
        else:
            assert message.type == "note_off"
            assert sounding.pop(message.note) < tick
            pairs[message.note] += 1
    assert sounding == {}
    assert sum(pairs.values()) == len(pattern.notes)
    return notes


def test_round_trip_through_mido(tmp_path: Path) -> None:
    notes = (_note(0.0), _note(1.0, pitch=38, velocity=90), _note(1.0, pitch=42, velocity=70), _note(7.875))
    pattern = _pattern(notes)
    path = write_midi(pattern, tmp_path / "out" / "clip.mid", track_name="Dilla verse")
    channel = _check_file(path, pattern)
    ons = [(t, m.note, m.velocity) for t, m in channel if m.type == "note_on"]
    assert ons == [(0, 36, 100), (480, 38, 90), (480, 42, 70), (3780, 36, 100)]
    assert mido.MidiFile(path).tracks[0][0].name == "Dilla verse"


def test_end_of_track_sits_exactly_at_the_clip_length_in_odd_meters(tmp_path: Path) -> None:
    pattern = _pattern((_note(0.0),), bars=3, numerator=7, denominator=8)
    _check_file(write_midi(pattern, tmp_path / "seven.mid"), pattern)
    assert _absolute(mido.MidiFile(tmp_path / "seven.mid").tracks[0])[-1][0] == 3 * 1680
    empty = _pattern((), bars=1, numerator=5, denominator=16)
    _check_file(write_midi(empty, tmp_path / "empty.mid"), empty)


def test_note_off_comes_before_note_on_at_the_same_tick() -> None:
    midi = pattern_to_midifile(_pattern((_note(0.0, duration=0.5), _note(0.5))), "t")
    at_240 = [m.type for t, m in _absolute(midi.tracks[0]) if t == 240 and not m.is_meta]
    assert at_240 == ["note_off", "note_on"]


def test_same_pattern_same_bytes_and_default_track_name(tmp_path: Path) -> None:
    pattern = _pattern((_note(0.0), _note(2.5, pitch=38)))
    first = write_midi(pattern, tmp_path / "a.mid").read_bytes()
    second = write_midi(pattern, tmp_path / "b.mid").read_bytes()
    assert first == second
    assert mido.MidiFile(tmp_path / "a.mid").tracks[0][0].name == "j_dilla verse"


@pytest.mark.parametrize(
    ("notes", "words"),
    [
        ((_note(0.0, velocity=0),), "velocity"),
        ((_note(0.0, pitch=128),), "pitch"),
        ((_note(-0.1),), "inside the clip"),
        ((_note(7.9),), "inside the clip"),
        ((_note(1.0, duration=0.5), _note(1.25)), "overlap"),
        ((_note(1.0), _note(1.0)), "overlap"),
    ],
)
def test_invalid_pattern_raises_and_keeps_the_old_file(
    tmp_path: Path, notes: tuple[Note, ...], words: str
) -> None:
    path = tmp_path / "clip.mid"
    good = _pattern((_note(0.0),))
    old = write_midi(good, path).read_bytes()
    with pytest.raises(ValueError, match=words):
        write_midi(_pattern(notes), path)
    assert path.read_bytes() == old
    assert list(tmp_path.iterdir()) == [path]


def test_every_preset_humanized_pattern_exports_cleanly(registry: PresetRegistry, tmp_path: Path) -> None:
    hits = [GridHit(bar, step, "closed_hat", 85, 0.1) for bar in range(4) for step in range(16)]
    hits += [GridHit(bar, step, "kick", 110, -0.2) for bar in range(4) for step in (0, 10)]
    hits += [GridHit(bar, step, "snare", 100, 0.3) for bar in range(4) for step in (4, 12)]
    for style in registry.styles:
        tempo = (style.tempo_min + style.tempo_max) / 2
        notes = humanize(hits, style, numerator=4, denominator=4, tempo_bpm=tempo, bars=4, seed=5)
        pattern = _pattern(notes, bars=4, tempo_bpm=tempo)
        _check_file(write_midi(pattern, tmp_path / f"{style.id}.mid"), pattern)
