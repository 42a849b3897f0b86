"""bridge.midi.player: the schedule, stepped with run_once(now=...), and one run on the real thread."""

from __future__ import annotations

import logging
import time

import pytest

from mididrumigen.bridge.midi.memory import MemoryOut
from mididrumigen.bridge.midi.player import Player
from mididrumigen.engine.pattern import Note, Pattern


def pattern(beats: tuple[float, ...] = (0.0, 1.0, 2.0, 3.0), bars: int = 1) -> Pattern:
    notes = tuple(Note(36 + i, b, 0.25, 100, "kick") for i, b in enumerate(beats))
    return Pattern(notes, bars, 4, 4, 120.0, "s", "verse", 1, False)


def stepped() -> tuple[Player, MemoryOut, list[float]]:
    now = [0.0]
    out = MemoryOut(clock=lambda: now[0])
    return Player(out, clock=lambda: now[0]), out, now


def sent(out: MemoryOut) -> list[tuple[float, str, int]]:
    return [(round(s.time_s, 6), s.message.type, s.message.note) for s in out.sent]


def test_notes_go_out_at_their_times() -> None:
    player, out, now = stepped()
    player.play(pattern(), start_s=1.0, tempo_bpm=120.0)  # a beat is 0.5 s
    for t in (0.99, 1.0, 1.125, 1.5, 3.0):
        now[0] = t
        player.run_once(t)
    assert sent(out) == [
        (1.0, "note_on", 36), (1.125, "note_off", 36), (1.5, "note_on", 37), (3.0, "note_off", 37),
        (3.0, "note_on", 38), (3.0, "note_off", 38), (3.0, "note_on", 39), (3.0, "note_off", 39),
    ]
    assert len(out.sent) == 8
    assert player.run_once(3.0) is None


def test_run_once_returns_the_next_due_time() -> None:
    player, _, _ = stepped()
    player.play(pattern(), start_s=2.0, tempo_bpm=60.0)
    assert player.run_once(0.0) == 2.0


def test_loop_keeps_queueing_passes() -> None:
    player, out, now = stepped()
    player.play(pattern(beats=(0.0,)), start_s=0.0, tempo_bpm=240.0, loop=True)  # a 4/4 bar is 1 s
    for step in range(0, 4001):
        now[0] = step / 1000
        player.run_once(now[0])
    ons = [t for t, kind, _ in sent(out) if kind == "note_on"]
    assert ons == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_new_play_replaces_at_its_start_and_cuts_sounding_notes() -> None:
    player, out, now = stepped()
    long_note = Pattern((Note(40, 0.0, 4.0, 100, "crash"),), 2, 4, 4, 60.0, "s", "verse", 1, False)
    player.play(long_note, start_s=0.0, tempo_bpm=60.0, loop=True)
    player.play(pattern(beats=(0.0,)), start_s=2.0, tempo_bpm=60.0)
    for t in (0.0, 2.0, 10.0):
        now[0] = t
        player.run_once(t)
    assert sent(out) == [
        (0.0, "note_on", 40), (2.0, "note_off", 40), (2.0, "note_on", 36), (10.0, "note_off", 36),
    ]


def test_stop_silences_and_clears() -> None:
    player, out, now = stepped()
    player.play(pattern(), start_s=0.0, tempo_bpm=120.0, loop=True)
    player.run_once(0.0)
    assert out.sounding == {(9, 36)}
    assert player.stop() == 1
    assert out.sounding == frozenset() and player.pending == 0
    assert sent(out)[-1] == (0.0, "note_off", 36)


def test_bad_tempo_is_refused() -> None:
    player, _, _ = stepped()
    with pytest.raises(ValueError, match="tempo"):
        player.play(pattern(), 0.0, 0.0)


def test_thread_sends_on_time() -> None:
    out = MemoryOut()
    player = Player(out)
    player.start()
    try:
        start = time.monotonic() + 0.05
        beats = tuple(i * 0.25 for i in range(16))  # 16 notes, 16ths at 240 bpm: 62.5 ms apart
        player.play(pattern(beats=beats), start, tempo_bpm=240.0)
        assert out.wait_for(32, timeout_s=5)
        ons = [s.time_s - start for s in out.sent if s.message.type == "note_on"]
        errors = sorted(actual - i * 0.0625 for i, actual in enumerate(ons))
        assert [s.message.note for s in out.sent if s.message.type == "note_on"] == [36 + i for i in range(16)]
        # Never early; late by well under a millisecond typically (bridge.bench measures p99). The
        # loose maximum only allows for a CI machine that is busy with other work.
        assert errors[0] >= 0.0 and errors[len(errors) // 2] < 0.002 and errors[-1] < 0.025
        assert len(player.timing_errors_s()) == 32
    finally:
        player.close()


def test_a_closed_port_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    player, out, now = stepped()
    out.close()
    player.play(pattern(), start_s=0.0, tempo_bpm=120.0)
    player.run_once(10.0)
    assert player.pending == 0
    failures = [r for r in caplog.records if "MIDI send failed" in r.getMessage()]
    assert len(failures) == 1  # rate-limited: one line, not one per note
