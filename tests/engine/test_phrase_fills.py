"""Fill bars as a set (phrase fills) and one-bar anchors, through the real sampler with the tiny model."""

from __future__ import annotations

from pathlib import Path

import pytest

from mididrumigen.engine.checkpoint import LoadedModel, load_checkpoint
from mididrumigen.engine.constants import VOICE_INDEX
from mididrumigen.engine.meter import meter_id
from mididrumigen.engine.presets import phrase_fill_bars
from mididrumigen.engine.runtime.torch_runtime import TorchRuntime
from mididrumigen.engine.sampling import FILL_ENERGY, GridAnchor, PatternSampler, SamplingSettings
from mididrumigen.engine.tokenizer import Conditioning
from tests.engine.test_sampling import _WindowRecorder

COND = Conditioning("hiphop", "beat", "mid", "4/4", "80-100")
HOT = SamplingSettings(2.0, 0, 1.0)


@pytest.fixture(scope="module")
def loaded(tiny_checkpoint: Path) -> LoadedModel:
    return load_checkpoint(tiny_checkpoint)


@pytest.mark.parametrize(("bars", "phrase", "expected"), [
    (4, 4, {3}), (8, 4, {3, 7}), (8, 8, {7}), (16, 8, {7, 15}), (10, 4, {3, 7, 9}), (2, 4, {1}), (1, 4, {0}),
])
def test_phrase_fill_bars_end_every_phrase_and_the_pattern(bars: int, phrase: int, expected: set[int]) -> None:
    assert phrase_fill_bars(bars, phrase) == expected
    assert phrase_fill_bars(bars, phrase, last=False) == expected - {bars - 1}


def test_a_phrase_fill_opens_a_fill_take_and_the_groove_window_comes_back(loaded: LoadedModel) -> None:
    recorder = _WindowRecorder(loaded)
    sampler = PatternSampler(recorder)
    groove, _ = sampler.sample(COND, 8, 16, HOT, seed=4)
    recorder.windows.clear()
    filled, _ = sampler.sample(COND, 8, 16, HOT, seed=4, fill_bars={3, 7})
    assert [h for h in filled if h.bar < 3] == [h for h in groove if h.bar < 3]  # same draws until the fill
    # The second phrase fill opens the same fill window as the first: it is run once and kept.
    opening, fill, back = recorder.windows
    tokenizer = sampler.tokenizer
    fill_prefix = [*tokenizer.prefix(Conditioning("hiphop", "fill", FILL_ENERGY, "4/4", "80-100")),
                   tokenizer.bar_event(meter_id(4, 4))]
    assert fill == fill_prefix
    # After the phrase fill the groove resumes from its own window: the beat prefix and the groove
    # bars before the fill (not the fill's bar), then a new bar.
    assert back[: len(opening)] == opening
    assert back[-1] == tuple(tokenizer.bar_event(meter_id(4, 4)))
    assert tuple(tokenizer.prefix(COND)[0]) == back[0]


def test_a_one_bar_anchor_holds_in_its_own_bar(loaded: LoadedModel) -> None:
    sampler = PatternSampler(TorchRuntime.from_loaded(loaded))
    crash = VOICE_INDEX["crash"]
    anchors = [GridAnchor(6, crash, True, 1.0, (100, 127), bar=1), GridAnchor(10, crash, True, bar=2)]
    for seed in range(5):
        hits, _ = sampler.sample(COND, 4, 16, HOT, seed=seed, anchors=anchors)
        played = {(h.bar, h.step) for h in hits if h.voice == "crash"}
        assert (1, 6) in played and (2, 10) in played, seed
        assert [h.velocity for h in hits if (h.bar, h.step, h.voice) == (1, 6, "crash")][0] >= 100
    free = [h for seed in range(5) for h in sampler.sample(COND, 4, 16, HOT, seed=seed)[0]
            if h.voice == "crash" and (h.bar, h.step) in ((1, 6), (2, 10))]
    assert len(free) < 5  # the anchors, not the model, put them there
