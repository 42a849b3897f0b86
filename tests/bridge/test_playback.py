"""bridge.playback: transport reports are checked; play needs a port and starts on the next bar."""

from __future__ import annotations

import pytest

from mididrumigen.bridge.midi.memory import MemoryOut
from mididrumigen.bridge.midi.player import Player
from mididrumigen.bridge.playback import LivePlayback, PlaybackUnavailableError
from mididrumigen.engine.pattern import Note, Pattern

PATTERN = Pattern((Note(36, 0.0, 0.125, 100, "kick"),), 1, 7, 8, 95.0, "s", "verse", 1, False)


def test_transport_values_are_checked() -> None:
    playback = LivePlayback(None, "none", clock=lambda: 5.0)
    state = playback.report_transport(2.5, 128.0, True)
    assert (state.beat, state.tempo_bpm, state.playing, state.received_s) == (2.5, 128.0, True, 5.0)
    for beat, tempo in ((float("inf"), 120.0), (0.0, 0.0), (0.0, float("nan")), (0.0, 5000.0)):
        with pytest.raises(ValueError):
            playback.report_transport(beat, tempo, True)


def test_play_uses_the_pattern_meter_and_live_tempo() -> None:
    now = [10.0]
    player = Player(MemoryOut(clock=lambda: now[0]), clock=lambda: now[0])
    playback = LivePlayback(player, clock=lambda: now[0])
    playback.report_transport(1.0, 60.0, True)  # 7/8 bars are 3.5 beats: the next starts 2.5 s later
    assert playback.play(PATTERN) == pytest.approx(2.5)
    assert player.run_once(now[0]) == pytest.approx(12.5)


def test_play_without_a_port() -> None:
    playback = LivePlayback(None, "no JACK server is running")
    with pytest.raises(PlaybackUnavailableError, match="no JACK server is running"):
        playback.play(PATTERN)
    assert playback.stop() == 0
