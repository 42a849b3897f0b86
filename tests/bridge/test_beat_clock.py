"""bridge.beat_clock: where the next bar of Live's transport starts, in monotonic seconds."""

from __future__ import annotations

import pytest

from mididrumigen.bridge.beat_clock import TransportState, next_bar_start_s, transport_beat_at


def test_no_transport_or_stopped_starts_now_at_the_pattern_tempo() -> None:
    assert next_bar_start_s(None, 10.0, 4.0, 95.0) == (10.0, 95.0)
    stopped = TransportState(beat=3.0, tempo_bpm=120.0, playing=False, received_s=0.0)
    assert next_bar_start_s(stopped, 10.0, 4.0, 95.0) == (10.0, 95.0)


def test_playing_transport_is_extrapolated() -> None:
    state = TransportState(beat=1.0, tempo_bpm=120.0, playing=True, received_s=100.0)
    assert transport_beat_at(state, 100.5) == pytest.approx(2.0)


def test_next_bar_at_live_tempo() -> None:
    # At 120 bpm a beat is 0.5 s; beat 5.0 at t=100 -> next 4/4 bar at beat 8, 1.5 s later.
    state = TransportState(beat=5.0, tempo_bpm=120.0, playing=True, received_s=100.0)
    start_s, tempo = next_bar_start_s(state, 100.0, 4.0, 95.0)
    assert start_s == pytest.approx(101.5) and tempo == 120.0


def test_on_a_bar_line_starts_now() -> None:
    state = TransportState(beat=8.0, tempo_bpm=100.0, playing=True, received_s=50.0)
    assert next_bar_start_s(state, 50.0, 4.0, 95.0)[0] == pytest.approx(50.0)


def test_odd_meter_and_count_in() -> None:
    # 7/8 bars are 3.5 beats; from beat -1 (count-in) the next bar line is beat 0.
    state = TransportState(beat=-1.0, tempo_bpm=60.0, playing=True, received_s=0.0)
    assert next_bar_start_s(state, 0.0, 3.5, 95.0)[0] == pytest.approx(1.0)
    state = TransportState(beat=4.0, tempo_bpm=60.0, playing=True, received_s=0.0)
    assert next_bar_start_s(state, 0.0, 3.5, 95.0)[0] == pytest.approx(3.0)
