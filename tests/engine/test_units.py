"""Unit conversions: ms and beats at a tempo, beats to seconds and ticks."""

from __future__ import annotations

import pytest

from mididrumigen.engine.units import beats_to_ms, beats_to_seconds, beats_to_ticks, ms_to_beats


def test_one_beat_at_120_bpm_is_500_ms() -> None:
    assert ms_to_beats(500, 120) == pytest.approx(1.0)
    assert beats_to_ms(1.0, 120) == pytest.approx(500.0)
    assert beats_to_seconds(4.0, 120) == pytest.approx(2.0)


def test_ms_to_beats_round_trips() -> None:
    for ms, tempo in ((18.0, 90.0), (-6.0, 140.0), (0.0, 60.0)):
        assert beats_to_ms(ms_to_beats(ms, tempo), tempo) == pytest.approx(ms)


def test_beats_to_ticks_rounds_to_nearest() -> None:
    assert beats_to_ticks(3.5, 480) == 1680
    assert beats_to_ticks(1 / 3, 480) == 160
    assert beats_to_ticks(0.0011, 480) == 1


@pytest.mark.parametrize("tempo", [0.0, -10.0])
def test_non_positive_tempo_is_rejected(tempo: float) -> None:
    with pytest.raises(ValueError, match="tempo_bpm"):
        ms_to_beats(10, tempo)
    with pytest.raises(ValueError, match="tempo_bpm"):
        beats_to_seconds(1, tempo)
