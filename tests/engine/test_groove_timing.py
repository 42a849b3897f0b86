"""Groove plays each hit at the model's expected offset scaled by the calibrated factor, in ms at any tempo."""

from __future__ import annotations

import pytest

from mididrumigen.engine.clip import ClipNote, parse_clip_request
from mididrumigen.engine.constants import DEFAULT_KIT, STEPS_PER_BEAT
from mididrumigen.engine.generate import SHIPPED_MODEL, Engine
from mididrumigen.engine.groove_timing import GROOVE_TIMING_SHRINK, scaled_timing
from mididrumigen.engine.pattern import GridHit
from mididrumigen.engine.presets import PresetRegistry

STIFF_BAR = [(beat / 2, 42) for beat in range(8)] + [(0.0, 36), (2.5, 36), (1.0, 38), (3.0, 38)]


def test_scaling_keeps_every_hit_but_its_offset() -> None:
    hits = [GridHit(0, 4, "snare", 90, 0.2), GridHit(1, 0, "kick", 110, -0.4)]
    assert scaled_timing(hits, 0.5) == [GridHit(0, 4, "snare", 90, 0.1), GridHit(1, 0, "kick", 110, -0.2)]
    assert scaled_timing(hits, 1.0) == hits
    with pytest.raises(ValueError, match="shrink must be in range 0..1"):
        scaled_timing(hits, 1.2)


def test_the_calibrated_factor_pulls_toward_the_grid() -> None:
    assert 0.0 < GROOVE_TIMING_SHRINK < 1.0


@pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason=f"the shipped model {SHIPPED_MODEL} is not present")
@pytest.mark.parametrize("tempo_bpm", [80, 160])
def test_a_grooved_note_lands_at_the_scaled_expected_offset_in_ms(registry: PresetRegistry, tempo_bpm: int) -> None:
    engine = Engine(SHIPPED_MODEL, presets=registry, runtime="onnx")  # the tiny model barely leaves the grid
    stiff = [ClipNote(pitch, bar * 4 + beat, 0.1, 100) for bar in range(2) for beat, pitch in STIFF_BAR]
    request = parse_clip_request({"mode": "groove", "style": "questlove", "clip_bars": 2, "tempo": tempo_bpm,
                                  "seed": 3, "humanize": False})
    result = engine.transform(request, stiff)
    step_ms = 60_000 / tempo_bpm / STEPS_PER_BEAT
    offsets = {(h.bar * 16 + h.step, DEFAULT_KIT[h.voice]): h.offset_steps for h in result.model_hits}
    assert any(abs(offset) > 0.01 for offset in offsets.values())  # the model did move hits off the grid
    checked = 0
    for note in result.pattern.notes:
        step = round(note.start_beats * STEPS_PER_BEAT)
        offset_steps = offsets[(step, note.pitch)]
        if step == 0 and offset_steps < 0:
            continue  # pushed ahead of the clip's start: held at 0
        played_ms = (note.start_beats * STEPS_PER_BEAT - step) * step_ms
        assert played_ms == pytest.approx(GROOVE_TIMING_SHRINK * offset_steps * step_ms, abs=1e-6)
        checked += 1
    assert checked >= len(stiff) - sum(n.start_beats == 0 for n in stiff)
