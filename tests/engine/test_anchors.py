"""Style anchors: the grammar forces or forbids a voice on a step of every groove bar, the model plays
the rest; validated like every preset field. Run through the real sampler with the tiny trained model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from mididrumigen.engine.generate import Engine
from mididrumigen.engine.presets import PresetRegistry, StylePreset
from mididrumigen.engine.schema import parse_request

BASE: dict[str, Any] = {"id": "anchored", "name": "Anchored", "description": "Test style.", "tempo_min": 60,
                        "tempo_max": 200, "genres": ["hiphop"]}


def _engine(tiny_checkpoint: Path, anchors: list[dict[str, Any]]) -> Engine:
    styles = (StylePreset.model_validate({**BASE, "anchors": anchors}),
              StylePreset.model_validate({**BASE, "id": "free", "name": "Free"}))
    return Engine(checkpoint=tiny_checkpoint, presets=PresetRegistry(styles), device="cpu")


def _hits(engine: Engine, style: str, seed: int, bars: int = 4, **values: Any) -> list[Any]:
    request = parse_request({"style": style, "bars": bars, "seed": seed, "tempo": 90, "temperature": 1.5, **values})
    return list(engine.generate(request).model_hits)


def test_a_forced_anchor_plays_in_every_groove_bar_inside_its_velocity(tiny_checkpoint: Path) -> None:
    # A crash on the "and" of 2 at 100-127: the tiny model would almost never play it there by itself.
    engine = _engine(tiny_checkpoint, [{"voice": "crash", "beat": 2.5, "velocity": [100, 127]}])
    for seed in range(6):
        hits = _hits(engine, "anchored", seed)
        for bar in range(3):  # bar 3 is the fill: free
            crashes = [h for h in hits if h.bar == bar and h.voice == "crash" and h.step == 6]
            assert len(crashes) == 1, (seed, bar)
            assert crashes[0].velocity >= 100
    free = [h for seed in range(6) for h in _hits(engine, "free", seed) if h.voice == "crash" and h.step == 6]
    assert len(free) < 6  # the anchor, not the model, put them there


def test_forbidden_anchors_keep_a_voice_off_its_steps(tiny_checkpoint: Path) -> None:
    engine = _engine(tiny_checkpoint, [{"voice": "snare", "beat": 2, "rule": "forbid"},
                                       {"voice": "snare", "beat": 4, "rule": "forbid"},
                                       {"voice": "snare", "beat": 3}])
    free_backbeats = 0
    for seed in range(6):
        hits = _hits(engine, "anchored", seed, fill=False)
        assert not [h for h in hits if h.voice == "snare" and h.step in (4, 12)], seed
        assert {h.bar for h in hits if h.voice == "snare" and h.step == 8} == {0, 1, 2, 3}
        free_backbeats += sum(h.voice == "snare" and h.step in (4, 12) for h in _hits(engine, "free", seed, fill=False))
    assert free_backbeats > 0  # without the anchors the model does play snares there


def test_anchors_that_never_fire_change_nothing(tiny_checkpoint: Path) -> None:
    never = _engine(tiny_checkpoint, [{"voice": "crash", "beat": 1, "probability": 0.0},
                                      {"voice": "kick", "beat": 1, "rule": "forbid", "probability": 0.0}])
    for seed in range(3):
        assert _hits(never, "anchored", seed) == _hits(never, "free", seed)


def test_an_anchor_past_a_short_bar_is_skipped(tiny_checkpoint: Path) -> None:
    engine = _engine(tiny_checkpoint, [{"voice": "crash", "beat": 4}])  # 3/4 has no beat 4
    hits = _hits(engine, "anchored", 1, bars=2, numerator=3, denominator=4)
    assert all(h.step < 12 for h in hits)


@pytest.mark.parametrize(("anchor", "words"), [
    ({"voice": "cowbell", "beat": 1}, "cowbell"),
    ({"voice": "snare", "beat": 2.1}, "16th grid"),
    ({"voice": "snare", "beat": 0.5}, "greater than or equal to 1"),
    ({"voice": "snare", "beat": 3, "velocity": [110, 90]}, "low <= high"),
    ({"voice": "snare", "beat": 3, "rule": "forbid", "velocity": [90, 110]}, "forced anchor"),
    ({"voice": "snare", "beat": 3, "probability": 1.5}, "less than or equal to 1"),
    ({"voice": "snare", "beat": 3, "when": "always"}, "Extra inputs"),
])
def test_bad_anchors_are_refused_at_load(anchor: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError) as info:
        StylePreset.model_validate({**BASE, "anchors": [anchor]})
    assert words in str(info.value)


def test_two_anchors_on_one_voice_and_beat_are_refused() -> None:
    with pytest.raises(ValidationError, match="two anchors for snare on beat 3"):
        StylePreset.model_validate({**BASE, "anchors": [{"voice": "snare", "beat": 3},
                                                        {"voice": "snare", "beat": 3, "rule": "forbid"}]})


def test_metro_boomin_declares_its_half_time_backbeat(registry: PresetRegistry) -> None:
    metro = registry.resolve("metro_boomin")
    rules = {(a.voice, a.beat, a.rule) for a in metro.anchors}
    assert {("snare", 3.0, "force"), ("snare", 2.0, "forbid"), ("snare", 4.0, "forbid")} <= rules
