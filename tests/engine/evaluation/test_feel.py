"""Feel checks measure what the humanizer declares: swing, push/drag, ghost slots and hat rolls."""

from __future__ import annotations

import pytest

from mididrumigen.engine.evaluation.corpus import GeneratedPattern
from mididrumigen.engine.evaluation.feel import check_feel, ghost_fill, hat_rolls, pooled_swing, voice_push_ms
from mididrumigen.engine.humanize import humanize
from mididrumigen.engine.pattern import GridHit, Pattern
from mididrumigen.engine.presets import StylePreset

from ..conftest import PresetFactory


def _generated(hits: list[GridHit], preset: StylePreset, seed: int, bars: int = 4,
               tempo: float = 90.0) -> GeneratedPattern:
    notes = humanize(hits, preset, numerator=4, denominator=4, tempo_bpm=tempo, bars=bars, seed=seed)
    pattern = Pattern(notes=notes, bars=bars, numerator=4, denominator=4, tempo_bpm=tempo, style_id=preset.id,
                      pattern_type="verse", seed=seed, humanized=True)
    return GeneratedPattern(pattern, tuple(hits), "rock")


def _groove(bars: int = 4) -> list[GridHit]:
    hits = []
    for bar in range(bars):
        hits += [GridHit(bar, step, "closed_hat", 80, 0.0) for step in range(16)]
        hits += [GridHit(bar, 0, "kick", 110, 0.0), GridHit(bar, 8, "kick", 100, 0.0)]
        hits += [GridHit(bar, 4, "snare", 105, 0.0), GridHit(bar, 12, "snare", 105, 0.0)]
    return hits


def test_swing_and_a_late_snare_come_out_as_declared(make_preset: PresetFactory) -> None:
    preset = make_preset(swing_percent=60, voice_timing_ms={"snare": 20.0})
    patterns = [_generated(_groove(), preset, seed) for seed in range(3)]
    clips = [(g.pattern.notes, g.pattern.tempo_bpm, g.pattern.bars) for g in patterns]
    assert pooled_swing(clips) == pytest.approx(60.0, abs=0.01)
    assert voice_push_ms(clips, "snare") == pytest.approx(20.0, abs=0.01)
    assert voice_push_ms(clips, "kick") == pytest.approx(0.0, abs=0.01)
    checks = {c.figure: c for c in check_feel(preset, patterns, real=[])}
    assert checks["swing"].ok and checks["push/drag snare vs kick"].ok and checks["kick vs grid"].ok
    assert checks["swing"].model_only == pytest.approx(50.0)


def test_ghost_slots_fill_at_the_declared_rate(make_preset: PresetFactory) -> None:
    sparse = [h for h in _groove() if h.voice != "closed_hat"]
    always = make_preset(ghost_note_probability=1.0, ghost_velocity=(20, 30))
    fill, slots = ghost_fill([_generated(sparse, always, 1)], (20, 30))
    assert slots == 4 * 8 - 1 and fill == 1.0  # two neighbours per kick and snare; the clip's first step has one
    never = make_preset()
    assert ghost_fill([_generated(sparse, never, 1)], (20, 30))[0] == 0.0


def test_hat_rolls_are_counted_per_beat_with_their_division(make_preset: PresetFactory) -> None:
    preset = make_preset(ornaments=({"type": "hat_roll", "probability": 1.0, "divisions": [8], "span_steps": 2},))
    rate, beats, divisions = hat_rolls([_generated(_groove(), preset, 3)])
    assert beats == 16
    assert divisions and set(divisions) == {8}
    assert 0.4 <= rate <= 1.0  # a roll spans half a beat, so at most one starts per beat
    assert hat_rolls([_generated(_groove(), make_preset(), 3)])[0] == 0.0
