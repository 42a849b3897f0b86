"""A style's variation: its groove bars' step and voice draws are made hotter (request temperature x
variation), fills are not, a seed still gives the same pattern alone or in a batch and in both runtimes,
and a bad value is refused in one line. Run through the real sampler with the shipped model: the tiny
test model is near uniform, and a near-uniform distribution heated draws the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mididrumigen.engine.constants import VOICE_INDEX
from mididrumigen.engine.errors import PresetError
from mididrumigen.engine.generate import SHIPPED_MODEL, Engine
from mididrumigen.engine.guides import GridAnchor
from mididrumigen.engine.pattern import GridHit, SamplingSettings
from mididrumigen.engine.presets import PresetRegistry, StylePreset, load_preset_file
from mididrumigen.engine.runtime import Runtime, open_runtime
from mididrumigen.engine.sampling import PatternSampler
from mididrumigen.engine.schema import parse_request
from mididrumigen.engine.tokenizer import Conditioning

COND = Conditioning("hiphop", "beat", "mid", "4/4", "80-100")
PRODUCER = SamplingSettings(temperature=0.9, top_k=0, top_p=0.95)
BASE: dict[str, Any] = {"id": "varied", "name": "Varied", "description": "Test style.", "tempo_min": 60,
                        "tempo_max": 200, "genres": ["hiphop"]}


@pytest.fixture(scope="module")
def runtimes() -> dict[str, Runtime]:
    return {name: open_runtime(SHIPPED_MODEL, name, "cpu") for name in ("onnx", "torch")}


def _bar_sets(hits: list[GridHit], bars: int) -> list[set[tuple[int, str]]]:
    return [{(h.step, h.voice) for h in hits if h.bar == bar} for bar in range(bars)]


def _overlap(hits: list[GridHit], bars: int) -> float:
    sets = _bar_sets(hits, bars)
    pairs = [(a, b) for a, b in zip(sets, sets[1:]) if a | b]
    return sum(len(a & b) / len(a | b) for a, b in pairs) / len(pairs)


def test_variation_makes_groove_bars_stray_further_from_the_last(runtimes: dict[str, Runtime]) -> None:
    sampler = PatternSampler(runtimes["onnx"])
    steady = [sampler.sample(COND, 6, 16, PRODUCER, seed, variation=0.6)[0] for seed in range(8)]
    varied = [sampler.sample(COND, 6, 16, PRODUCER, seed, variation=1.8)[0] for seed in range(8)]
    assert steady != varied
    assert sum(_overlap(h, 6) for h in varied) < sum(_overlap(h, 6) for h in steady)


def test_fill_bars_are_not_heated(runtimes: dict[str, Runtime]) -> None:
    # Every bar a fill: the variation has nothing to heat, so the pattern is exactly the unvaried one.
    sampler = PatternSampler(runtimes["onnx"])
    every_bar = {0, 1, 2, 3}
    for seed in range(3):
        assert (sampler.sample(COND, 4, 16, PRODUCER, seed, fill_bars=every_bar, variation=1.7)
                == sampler.sample(COND, 4, 16, PRODUCER, seed, fill_bars=every_bar))


@pytest.mark.parametrize("name", ["onnx", "torch"])
def test_a_seed_gives_the_same_varied_pattern_alone_and_in_a_batch(runtimes: dict[str, Runtime], name: str) -> None:
    sampler = PatternSampler(runtimes[name])
    rows, variations = [(COND, 7), (COND, 3), (COND, 7)], [1.4, 1.0, 1.0]
    batch = sampler.sample_batch(rows, 4, 16, PRODUCER, fill=True, variations=variations)
    alone = [sampler.sample(cond, 4, 16, PRODUCER, seed, fill=True, variation=v)
             for (cond, seed), v in zip(rows, variations, strict=True)]
    assert batch == alone
    assert batch[0] != batch[2]  # the same seed, varied and not


def test_the_runtimes_give_the_same_varied_patterns(runtimes: dict[str, Runtime]) -> None:
    onnx, torch_ = PatternSampler(runtimes["onnx"]), PatternSampler(runtimes["torch"])
    for seed in range(3):
        assert (onnx.sample(COND, 4, 16, PRODUCER, seed, fill=True, variation=1.3)
                == torch_.sample(COND, 4, 16, PRODUCER, seed, fill=True, variation=1.3))


def test_a_preset_variation_reaches_generate() -> None:
    styles = (StylePreset.model_validate({**BASE, "variation": 1.6}),
              StylePreset.model_validate({**BASE, "id": "plain", "name": "Plain"}))
    engine = Engine(checkpoint=SHIPPED_MODEL, presets=PresetRegistry(styles), runtime="onnx")

    def hits(style: str) -> tuple[GridHit, ...]:
        return engine.generate(parse_request({"style": style, "bars": 4, "seed": 5, "tempo": 90})).model_hits

    assert styles[1].variation == 1.0
    assert hits("varied") != hits("plain")


@pytest.mark.parametrize(("value", "words"), [
    ("3", "variation: Input should be less than or equal to 2"),
    ("0.2", "variation: Input should be greater than or equal to 0.5"),
    ("hot", "variation: Input should be a valid number"),
])
def test_a_bad_variation_is_refused_in_one_line(tmp_path: Path, value: str, words: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: bad\nname: Bad\ndescription: x\ntempo_min: 80\ntempo_max: 100\ngenres: [soul]\n"
                    f"variation: {value}\n")
    with pytest.raises(PresetError) as info:
        load_preset_file(path)
    assert words in str(info.value)
    assert "\n" not in str(info.value)


def test_a_hit_owed_to_two_anchors_that_disagree_keeps_the_first_ones_velocity(runtimes: dict[str, Runtime]) -> None:
    # A song's kept snare (velocity 1-30) and the style's backbeat (100-127) on one step: before, the
    # draw had no velocity left and played the softest bin.
    snare = VOICE_INDEX["snare"]
    anchors = [GridAnchor(4, snare, True, 1.0, (100, 127)), GridAnchor(4, snare, True, 1.0, (1, 30))]
    sampler = PatternSampler(runtimes["onnx"])
    for seed in range(3):
        hits, _ = sampler.sample(COND, 2, 16, PRODUCER, seed, anchors=anchors)
        owed = [h for h in hits if h.step == 4 and h.voice == "snare"]
        assert len(owed) == 2
        assert all(h.velocity >= 100 for h in owed), owed
