"""Issue #11: every time signature filled. The pulse, the meter-aware model, the re-barred data, the warnings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import torch

from mididrumigen.engine.checkpoint import load_checkpoint, save_checkpoint
from mididrumigen.engine.constants import OFFSET_BINS
from mididrumigen.engine.data import Performance
from mididrumigen.engine.dataset import BarTable, collate
from mididrumigen.engine.generate import SHIPPED_MODEL, Engine
from mididrumigen.engine.meter import is_compound, meter_id, meter_tables, pulse_starts, pulse_steps
from mididrumigen.engine.meter_augment import as_compound, augmented_table, is_triplet_felt, joined_bars
from mididrumigen.engine.model import ModelConfig, build_model
from mididrumigen.engine.pattern import GridHit
from mididrumigen.engine.pulse_check import bar_pulse, untrained_meter_warning
from mididrumigen.engine.schema import parse_request
from mididrumigen.engine.tokenizer import Conditioning, Tokenizer
from mididrumigen.engine.train import _load_initial_weights

TOKENIZER = Tokenizer()


@pytest.mark.parametrize(("numerator", "denominator"), [(12, 8), (5, 4)])
def test_the_shipped_model_puts_hits_in_every_beat_of_long_bars(numerator: int, denominator: int) -> None:
    """The model that never saw a step past 16 closed every 12/8 and 5/4 bar after beat 4."""
    engine = Engine(SHIPPED_MODEL, runtime="onnx")
    requests = [parse_request({"style": style, "bars": 4, "tempo": 100, "seed": seed, "numerator": numerator,
                               "denominator": denominator}) for style in ("questlove", "j_dilla") for seed in (0, 1)]
    for request, result in zip(requests, engine.generate_batch(requests)):
        for bar in range(4):
            pulse = bar_pulse([h for h in result.model_hits if h.bar == bar], numerator, denominator)
            assert pulse.empty_beats == (), f"{request.style} seed {request.seed} bar {bar + 1}: silent beats"
        assert not any("4/4 bars only" in w for w in result.warnings)


def test_the_pulse_is_quarters_or_dotted_quarters() -> None:
    assert [pulse_steps(*m) for m in ((4, 4), (5, 4), (7, 8), (6, 8), (9, 8), (12, 8), (3, 2))] == [4, 4, 4, 6, 6, 6, 4]
    assert is_compound(12, 8) and not is_compound(3, 8) and not is_compound(6, 4)
    assert pulse_starts(7, 8) == [0, 4, 8, 12]  # the last beat is an eighth
    bar_steps, pulse = meter_tables()
    assert (bar_steps[meter_id(12, 8)], pulse[meter_id(12, 8)]) == (24, 6)
    assert (bar_steps[0], bar_steps[meter_id(16, 2)]) == (0, 128)


def test_bar_pulse_counts_a_short_last_beat_for_its_length() -> None:
    hits = [GridHit(0, s, "closed_hat", 80, 0.0) for s in range(0, 14, 2)]  # 8ths across a 7/8 bar
    pulse = bar_pulse(hits, 7, 8)
    assert pulse.empty_beats == ()
    assert pulse.last_beat_hits_per_beat == pytest.approx(pulse.hits_per_beat)  # one 8th in a half beat
    closed_early = bar_pulse([h for h in hits if h.step < 8], 7, 8)
    assert closed_early.empty_beats == (2,) and closed_early.last_beat_hits_per_beat == 0  # beat 4 is not whole


def test_meter_features_start_at_zero_so_the_model_starts_where_it_was() -> None:
    config = ModelConfig(n_special=TOKENIZER.n_special, context=64, n_layer=1, n_head=2, d_model=32, dropout=0.0)
    torch.manual_seed(0)
    plain = build_model(config).eval()
    meter = build_model(replace(config, meter_features=True)).eval()
    missing, unexpected = meter.load_state_dict(plain.state_dict(), strict=False)
    assert not unexpected and missing and all(name.startswith("meter_position.") for name in missing)
    cond = Conditioning("funk", "beat", "mid", "12/8", "100-120")
    events = TOKENIZER.encode(cond, [GridHit(0, 20, "snare", 90, 0.0), GridHit(1, 3, "kick", 90, 0.0)], 2)
    inputs, targets = collate([events], TOKENIZER, OFFSET_BINS)
    assert torch.equal(meter.loss(inputs, targets)[0], plain.loss(inputs, targets)[0])
    torch.nn.init.normal_(meter.meter_position.steps_left.weight)  # once trained, the bar's end is heard
    assert not torch.equal(meter.loss(inputs, targets)[0], plain.loss(inputs, targets)[0])


def test_a_run_with_meter_features_can_start_from_a_checkpoint_without_them(tmp_path: Path) -> None:
    config = ModelConfig(n_special=TOKENIZER.n_special, context=64, n_layer=1, n_head=2, d_model=32)
    old = save_checkpoint(tmp_path / "old.pt", build_model(config), TOKENIZER, {})
    model = build_model(replace(config, meter_features=True))
    _load_initial_weights(model, TOKENIZER, old)
    assert torch.equal(model.blocks[0].attn.qkv.weight, load_checkpoint(old).model.blocks[0].attn.qkv.weight)
    assert float(model.meter_position.meter.weight.detach().abs().sum()) == 0.0


def _take(bars: list[list[GridHit]], numerator: int = 4) -> BarTable:
    perf = Performance(Path("take.mid"), "funk", "beat", 100.0, numerator, 4, "d", (), len(bars))
    return BarTable(perf, tuple(tuple(b) for b in bars))


def _numbered_bars(count: int) -> list[list[GridHit]]:
    """Bars whose every 16th holds a hit that says where it came from (velocity = 1 + bar * 16 + step)."""
    return [[GridHit(b, s, "closed_hat", 1 + b * 16 + s, 0.1) for s in range(16)] for b in range(count)]


def _sources(bar: tuple[GridHit, ...]) -> list[tuple[int, int]]:
    return [divmod(h.velocity - 1, 16) for h in bar]


def test_three_four_is_beats_one_two_and_four_of_a_real_bar() -> None:
    table = augmented_table(_take(_numbered_bars(3)), 3, 4)
    assert table is not None and len(table.bars) == 3
    assert _sources(table.bars[1]) == [(1, s) for s in (*range(8), *range(12, 16))]
    assert [h.step for h in table.bars[1]] == list(range(12))
    assert {h.offset_steps for b in table.bars for h in b} == {0.1}  # the player's timing is kept


def test_long_bars_open_on_a_downbeat_and_close_on_a_real_bar_ending() -> None:
    five = joined_bars(_numbered_bars(4), 16, 5, 4)
    assert len(five) == 2
    assert _sources(five[0]) == [(0, s) for s in range(12)] + [(1, s) for s in range(8, 16)]
    assert _sources(five[1])[0] == (2, 0)  # the next bar starts on the downbeat its predecessor led into
    seven_eighths = joined_bars(_numbered_bars(2), 16, 7, 2)
    assert _sources(seven_eighths[0]) == [(0, s) for s in (*range(8), *range(10, 16))]


def _triplet_take(bars: int) -> BarTable:
    """Kick on 1, snare on 4, hats on every triplet eighth (steps 0, 1.33, 2.67 of each beat)."""
    hits = []
    for b in range(bars):
        for beat in range(4):
            for third in range(3):
                position = beat * 4 + third * 4 / 3
                step = round(position)
                hits.append(GridHit(b, step, "closed_hat", 70, position - step))
        hits += [GridHit(b, 0, "kick", 100, 0.0), GridHit(b, 12, "snare", 100, 0.0)]
    return _take([[h for h in hits if h.bar == b] for b in range(bars)])


def test_compound_bars_come_from_triplet_takes_with_triplets_on_eighths() -> None:
    triplets, straight = _triplet_take(2), _take(_numbered_bars(2))
    assert is_triplet_felt(triplets) and not is_triplet_felt(straight)
    assert augmented_table(straight, 12, 8) is None
    twelve = as_compound(triplets)
    assert sorted({h.step for h in twelve[0] if h.voice == "closed_hat"}) == list(range(0, 24, 2))
    assert all(abs(h.offset_steps) < 1e-9 for b in twelve for h in b)
    table = augmented_table(triplets, 12, 8)
    assert table is not None and table.performance.tempo_bpm == 150.0  # the dotted quarter keeps the tempo
    six = augmented_table(triplets, 6, 8)
    assert six is not None and {h.step for h in six.bars[0] if h.voice == "snare"} == {6}  # beat 4 ends the bar


def test_requests_are_warned_where_the_model_cannot_be_trusted() -> None:
    assert untrained_meter_warning(5, 4, meter_trained=False)
    assert untrained_meter_warning(4, 4, meter_trained=False) is None
    assert untrained_meter_warning(5, 4, meter_trained=True) is None
    engine = Engine(SHIPPED_MODEL, runtime="onnx")
    assert engine.meter_trained  # the shipped model learned re-barred meters, so it gives no such warning


def test_a_forced_anchor_past_an_empty_beat_waits_for_that_beat(tiny_checkpoint: Path) -> None:
    """An anchor on beat 5 of a 7/4 bar once let the bar jump there over empty beats 1-4."""
    from mididrumigen.engine.runtime.torch_runtime import TorchRuntime
    from mididrumigen.engine.sampling import GridAnchor, PatternSampler, SamplingSettings
    from mididrumigen.engine.constants import VOICE_INDEX

    sampler = PatternSampler(TorchRuntime.from_loaded(load_checkpoint(tiny_checkpoint)))
    cond = Conditioning("hiphop", "beat", "mid", "7/4", "80-100")
    anchor = GridAnchor(16, VOICE_INDEX["snare"], True, 1.0)  # beat 5
    for seed in range(6):
        hits, _ = sampler.sample(cond, 3, 28, SamplingSettings(1.5, 0, 1.0), seed=seed, anchors=[anchor],
                                 fill_bars=frozenset())
        for bar in range(3):
            in_bar = [h for h in hits if h.bar == bar]
            assert (16, "snare") in {(h.step, h.voice) for h in in_bar}, f"seed {seed} bar {bar + 1}: no anchor"
            assert bar_pulse(in_bar, 7, 4).empty_beats == (), f"seed {seed} bar {bar + 1}: silent beats"
