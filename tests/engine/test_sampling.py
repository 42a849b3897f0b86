"""Grammar-constrained sampling with the tiny trained model: valid bars in every meter, seeded, windowed."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from mididrumigen.engine.meter import meter_id
import pytest
import torch

from mididrumigen.engine.checkpoint import LoadedModel, load_checkpoint
from mididrumigen.engine.constants import VOICE_INDEX, VOICES, steps_per_bar
from mididrumigen.engine.model import DrumTransformer, ModelConfig, build_model
from mididrumigen.engine.pattern import GridHit
from mididrumigen.engine.pulse_check import bar_pulse
from mididrumigen.engine.runtime.torch_runtime import TorchRuntime
from mididrumigen.engine.sampling import (
    FILL_ENERGY,
    MAX_HITS_PER_BAR,
    MIN_BARS_FOR_FILL,
    MIN_FILL_HITS,
    PatternSampler,
    SamplingSettings,
    filtered_probabilities,
)
from mididrumigen.engine.tokenizer import Conditioning, Tokenizer, meter_of

COND = Conditioning("hiphop", "beat", "mid", "4/4", "80-100")


def _settings(temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0) -> SamplingSettings:
    return SamplingSettings(temperature, top_k, top_p)


HOT = _settings(temperature=2.0)
"""A flat distribution, so the tiny model plays many hits and the grammar has work to do."""


@pytest.fixture(scope="module")
def loaded(tiny_checkpoint: Path) -> LoadedModel:
    return load_checkpoint(tiny_checkpoint)


@pytest.fixture(scope="module")
def sampler(loaded: LoadedModel) -> PatternSampler:
    return PatternSampler(TorchRuntime.from_loaded(loaded))


def _assert_valid(hits: list[GridHit], bars: int, steps_in_bar: int) -> None:
    for hit in hits:
        assert 0 <= hit.bar < bars
        assert 0 <= hit.step < steps_in_bar
        assert 1 <= hit.velocity <= 127
        assert -0.5 <= hit.offset_steps < 0.5
    for bar in range(bars):
        keys = [(h.step, VOICE_INDEX[h.voice]) for h in hits if h.bar == bar]
        assert all(a < b for a, b in zip(keys, keys[1:])), f"bar {bar} is not in strict (step, voice) order"
        assert len(keys) <= MAX_HITS_PER_BAR


@pytest.mark.parametrize(("numerator", "denominator", "bars"),
                         [(4, 4, 2), (3, 4, 2), (6, 8, 2), (7, 8, 3), (12, 8, 1), (5, 16, 4), (16, 2, 1)])
@pytest.mark.parametrize("settings", [_settings(), HOT], ids=["plain", "hot"])
def test_every_meter_gives_exactly_the_requested_bars(
    sampler: PatternSampler, numerator: int, denominator: int, bars: int, settings: SamplingSettings
) -> None:
    steps = steps_per_bar(numerator, denominator)
    cond = Conditioning("hiphop", "beat", "mid", meter_of(numerator, denominator), "80-100")
    finished: list[int] = []
    hits, generated = sampler.sample(cond, bars, steps, settings, seed=11, on_bar=finished.append)
    assert finished == list(range(1, bars + 1))
    assert generated == len(hits) + bars  # one event per hit, plus each bar's closing BAR
    _assert_valid(hits, bars, steps)


def test_hot_sampling_plays_hits(sampler: PatternSampler) -> None:
    # Guards the tests here against passing vacuously on empty bars (the tiny model is barely trained).
    hits = [h for seed in range(4) for h in sampler.sample(COND, 4, 16, HOT, seed=seed)[0]]
    assert len(hits) >= 8
    assert len({h.voice for h in hits}) >= 2


def test_same_seed_same_hits(sampler: PatternSampler) -> None:
    first = sampler.sample(COND, 4, 16, HOT, seed=1234)
    assert sampler.sample(COND, 4, 16, HOT, seed=1234) == first


def test_different_seeds_give_different_hits(sampler: PatternSampler) -> None:
    patterns = [tuple(sampler.sample(COND, 4, 16, HOT, seed=seed)[0]) for seed in range(4)]
    assert len(set(patterns)) == len(patterns)


def test_top_k_one_is_greedy_whatever_the_seed(sampler: PatternSampler) -> None:
    greedy = _settings(top_k=1)
    assert sampler.sample(COND, 2, 16, greedy, seed=1) == sampler.sample(COND, 2, 16, greedy, seed=2)


def test_sliding_window_reaches_32_bars(sampler: PatternSampler) -> None:
    finished: list[int] = []
    hits, generated = sampler.sample(COND, 32, 16, HOT, seed=5, on_bar=finished.append)
    assert finished == list(range(1, 33))
    assert generated == len(hits) + 32
    _assert_valid(hits, 32, 16)


def test_slide_keeps_the_prefix_and_the_latest_whole_bars(sampler: PatternSampler) -> None:
    tokenizer = sampler.tokenizer
    prefix = tokenizer.prefix(COND)
    history = [*prefix]
    bar_starts = []
    for _ in range(13):  # 13 bars of 9 hits: 5 + 13 * 10 = 135 events > context 128
        bar_starts.append(len(history))
        history.append(tokenizer.bar_event())
        history += [tokenizer.hit_event(step, 0, 3, 4) for step in range(9)]
    kept, kept_starts = sampler._slide(history, bar_starts, len(prefix))
    assert kept[:5] == prefix
    assert kept[5:] == history[bar_starts[7]:]  # the last 6 bars: 60 events, within half the context (64)
    assert kept_starts == [5 + 10 * i for i in range(6)]
    assert all(kept[s] == tokenizer.bar_event() for s in kept_starts)



class _WindowRecorder(TorchRuntime):
    """The real torch runtime, noting every window the sampler rebuilds a cache from."""

    def __init__(self, loaded: LoadedModel) -> None:
        super().__init__(loaded.model, loaded.tokenizer)
        self.windows: list[list[tuple[int, ...]]] = []

    def step(self, events, positions, past_keys, past_values, past_mask):  # type: ignore[no-untyped-def]
        if events.shape[1] > 1:
            self.windows.append([tuple(e) for e in events[0].tolist()])
        return super().step(events, positions, past_keys, past_values, past_mask)


def test_the_last_bar_of_a_phrase_opens_a_fill_take(loaded: LoadedModel) -> None:
    recorder = _WindowRecorder(loaded)
    sampler = PatternSampler(recorder)
    groove, _ = sampler.sample(COND, 4, 16, HOT, seed=5)
    assert len(recorder.windows) == 1  # the opening prefix only
    recorder.windows.clear()
    filled, _ = sampler.sample(COND, 4, 16, HOT, seed=5, fill=True)
    assert [h for h in filled if h.bar < 3] == [h for h in groove if h.bar < 3]  # same draws until then
    _assert_valid(filled, 4, 16)
    assert sum(h.bar == 3 for h in filled) >= MIN_FILL_HITS
    _opening, fill_window = recorder.windows
    tokenizer = sampler.tokenizer
    fill_prefix = tokenizer.prefix(Conditioning("hiphop", "fill", FILL_ENERGY, "4/4", "80-100"))
    assert fill_window == [*fill_prefix, tokenizer.bar_event(meter_id(4, 4))]


def test_patterns_shorter_than_a_phrase_get_no_fill(sampler: PatternSampler) -> None:
    bars = MIN_BARS_FOR_FILL - 1
    assert sampler.sample(COND, bars, 16, _settings(), seed=3, fill=True) == sampler.sample(
        COND, bars, 16, _settings(), seed=3)


def _rigged_model(context: int, late: bool = False, bar_first: bool = False) -> DrumTransformer:
    """A model with fixed preferences, so the grammar's output is known exactly.

    Eager (default): always the lowest open step and voice, never BAR: the densest possible bars.
    Late: the highest step first, then the lowest voice; BAR only when nothing else is allowed.
    Bar first: BAR whenever allowed, else as eager.
    """
    torch.manual_seed(0)
    model = build_model(ModelConfig(n_special=Tokenizer().n_special, context=context, n_layer=1, n_head=2,
                                    d_model=16, dropout=0.0))
    steps = torch.arange(model.config.n_steps + 1, dtype=torch.float32)
    step_bias = 10.0 * steps if late else -10.0 * steps
    step_bias[model.bar_class] = 1e4 if bar_first else -1e4  # BAR first or last of all
    with torch.no_grad():
        for head, bias in ((model.step_head, step_bias),
                           (model.voice_head, -10.0 * torch.arange(model.config.n_voices, dtype=torch.float32))):
            head.net[-1].weight.zero_()
            head.net[-1].bias.copy_(bias)
    return model.eval()


@pytest.mark.parametrize(("numerator", "denominator"),
                         [(4, 4), (3, 4), (6, 8), (7, 8), (12, 8), (5, 16), (16, 2), (1, 16)])
def test_the_grammar_blocks_steps_past_the_bar(numerator: int, denominator: int) -> None:
    # The late model wants step 127 most; the grammar must hold it to the bar's last step, where all
    # nine voices play once in order before only BAR is left.
    steps = steps_per_bar(numerator, denominator)
    sampler = PatternSampler(TorchRuntime(_rigged_model(context=128, late=True), Tokenizer()))
    hits, generated = sampler.sample(COND, 2, steps, _settings(), seed=0)
    assert [(h.bar, h.step, h.voice) for h in hits] == [(bar, steps - 1, v) for bar in range(2) for v in VOICES]
    assert generated == 2 * (len(VOICES) + 1)


def test_the_window_slides_many_times_and_keeps_the_grammar() -> None:
    # 32 bars of 10 events each is 320 events through a 32-event window.
    sampler = PatternSampler(TorchRuntime(_rigged_model(context=32, late=True), Tokenizer()))
    finished: list[int] = []
    hits, generated = sampler.sample(COND, 32, 16, _settings(), seed=0, on_bar=finished.append)
    assert finished == list(range(1, 33))
    assert generated == 32 * 10
    assert [(h.bar, h.step, h.voice) for h in hits] == [(bar, 15, v) for bar in range(32) for v in VOICES]


def test_a_fill_bar_is_kept_open_until_it_holds_enough_hits() -> None:
    # A model that would close every bar at once: the groove bars stay empty, the fill bar may not.
    sampler = PatternSampler(TorchRuntime(_rigged_model(context=128, bar_first=True), Tokenizer()))
    hits, _ = sampler.sample(COND, MIN_BARS_FOR_FILL, 16, _settings(), seed=0, fill=True)
    assert [(h.bar, h.step, h.voice) for h in hits] == [(MIN_BARS_FOR_FILL - 1, 0, v) for v in VOICES[:MIN_FILL_HITS]]
    # A model that plays the bar's last slot first (last step, last voice): then nothing is left to
    # play, and BAR must stay open however few hits the fill holds.
    model = _rigged_model(context=128, late=True)
    with torch.no_grad():
        model.voice_head.net[-1].bias.mul_(-1)
    hits, _ = PatternSampler(TorchRuntime(model, Tokenizer())).sample(COND, MIN_BARS_FOR_FILL, 16, _settings(), seed=0,
                                                        fill=True)
    assert [(h.step, h.voice) for h in hits if h.bar == MIN_BARS_FOR_FILL - 1] == [(15, VOICES[-1])]


def test_a_full_bar_is_closed_by_the_safety_valve() -> None:
    # Lowest step first, all nine voices per step: 16 steps x 9 voices would be 144 hits.
    sampler = PatternSampler(TorchRuntime(_rigged_model(context=128), Tokenizer()))
    hits, generated = sampler.sample(COND, 1, 16, _settings(), seed=0)
    assert len(hits) == MAX_HITS_PER_BAR
    assert generated == MAX_HITS_PER_BAR + 1
    assert [(h.step, h.voice) for h in hits[:10]] == [(0, v) for v in VOICES] + [(1, "kick")]
    _assert_valid(hits, 1, 16)


def test_a_bar_longer_than_the_window_keeps_sampling() -> None:
    # Regression: with a context under ~100 events a full bar does not fit half the window, `_slide`
    # keeps the bar's tail and returns no bar starts, and the next slide read bar_starts[-1] of an
    # empty list (IndexError) instead of sliding the tail again.
    sampler = PatternSampler(TorchRuntime(_rigged_model(context=32), Tokenizer()))
    hits, _ = sampler.sample(COND, 2, 16, _settings(), seed=0)
    assert [sum(h.bar == b for h in hits) for b in range(2)] == [MAX_HITS_PER_BAR] * 2
    _assert_valid(hits, 2, 16)
    # A fill after such a bar: only the bar's tail is left in the window to carry into the fill.
    hits, _ = sampler.sample(COND, MIN_BARS_FOR_FILL, 16, _settings(), seed=0, fill=True)
    _assert_valid(hits, MIN_BARS_FOR_FILL, 16)


# --- filtered_probabilities ------------------------------------------------------------------------------------
LOGITS = np.array([1.0, 5.0, 3.0, 4.0, 2.0])


def _kept(probabilities: np.ndarray) -> set[int]:
    return {i for i, value in enumerate(probabilities.tolist()) if value > 0}


def _softmax(logits: np.ndarray) -> np.ndarray:
    weights = np.exp(logits - logits.max())
    return weights / weights.sum()


def test_temperature_scales_the_logits() -> None:
    for temperature in (2.0, 1.0, 0.5):
        probabilities = filtered_probabilities(LOGITS[None], _settings(temperature=temperature))[0]
        np.testing.assert_allclose(probabilities / probabilities.sum(), _softmax(LOGITS / temperature))


@pytest.mark.parametrize(("k", "kept"), [(1, {1}), (3, {1, 2, 3}), (0, {0, 1, 2, 3, 4}), (5, {0, 1, 2, 3, 4}),
                                         (100, {0, 1, 2, 3, 4})])
def test_top_k_keeps_the_k_best(k: int, kept: set[int]) -> None:
    filtered = filtered_probabilities(LOGITS[None], _settings(top_k=k))[0]
    assert _kept(filtered) == kept
    assert filtered[1] == 1.0  # kept classes keep their relative weight (the best one is 1)


PROBABILITIES = np.array([0.05, 0.5, 0.15, 0.3])
"""Out of order on purpose: sorted, the nucleus grows 0.5, 0.8, 0.95, 1.0."""


@pytest.mark.parametrize(("top_p", "kept"), [(1e-6, {1}), (0.45, {1}), (0.55, {1, 3}), (0.79, {1, 3}),
                                             (0.85, {1, 2, 3}), (0.99, {0, 1, 2, 3}), (1.0, {0, 1, 2, 3})])
def test_top_p_keeps_the_smallest_nucleus(top_p: float, kept: set[int]) -> None:
    filtered = filtered_probabilities(np.log(PROBABILITIES)[None], _settings(top_p=top_p))[0]
    assert _kept(filtered) == kept


def test_top_p_always_keeps_the_best_even_among_masked_logits() -> None:
    logits = np.array([-math.inf, 0.2, -math.inf, 0.1])
    assert _kept(filtered_probabilities(logits[None], _settings(top_p=1e-9))[0]) == {1}
    assert _kept(filtered_probabilities(logits[None], _settings(top_k=3, top_p=0.999))[0]) == {1, 3}


def test_settings_apply_temperature_before_top_p() -> None:
    # At temperature 0.5 the best of [0, ln 2] holds 80% of the mass, so top_p 0.75 keeps it alone;
    # at temperature 1 it holds 67% and its runner-up stays.
    logits = np.array([0.0, math.log(2.0)])
    assert _kept(filtered_probabilities(logits[None], _settings(top_p=0.75))[0]) == {0, 1}
    assert _kept(filtered_probabilities(logits[None], _settings(temperature=0.5, top_p=0.75))[0]) == {1}


@pytest.mark.parametrize(("numerator", "denominator"), [(5, 4), (12, 8), (7, 8), (6, 4)])
def test_groove_bars_outside_four_four_skip_no_beat(sampler: PatternSampler, numerator: int, denominator: int) -> None:
    """The tiny model closes bars early and leaves beats silent; the pulse guard never lets it skip one."""
    steps = steps_per_bar(numerator, denominator)
    cond = Conditioning("hiphop", "beat", "low", meter_of(numerator, denominator), "80-100")
    for seed in range(4):
        hits, _ = sampler.sample(cond, 3, steps, _settings(temperature=0.7), seed=seed)
        _assert_valid(hits, 3, steps)
        for bar in range(3):
            assert bar_pulse([h for h in hits if h.bar == bar], numerator, denominator).empty_beats == ()


def test_four_four_is_left_to_the_model(sampler: PatternSampler) -> None:
    silent = [bar_pulse([h for h in sampler.sample(COND, 2, 16, _settings(temperature=0.7), seed=seed)[0]
                         if h.bar == bar], 4, 4).empty_beats for seed in range(8) for bar in range(2)]
    assert any(silent)  # the tiny model leaves beats empty in 4/4, and nothing forces them there


def test_a_batch_runs_a_shared_window_once(loaded: LoadedModel) -> None:
    """Variations share their opening and their fill window: each is run once per batch, not once per
    row, and every row still plays what it plays alone."""
    recorder = _WindowRecorder(loaded)
    sampler = PatternSampler(recorder)
    seeds = [11, 12, 13, 14]
    together = sampler.sample_batch([(COND, seed) for seed in seeds], 4, 16, HOT, fill=True)
    assert len(recorder.windows) == 2  # the opening prefix and the fill prefix, for all four rows
    assert together == [sampler.sample(COND, 4, 16, HOT, seed, fill=True) for seed in seeds]
