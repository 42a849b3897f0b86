"""The transformer: the cached step matches a full forward pass, a tiny model overfits one groove, limits hold.

These tests are about the model class itself, so they build tiny seeded models directly.
"""

from __future__ import annotations

import pytest
import torch

from mididrumigen.engine.constants import OFFSET_BINS
from mididrumigen.engine.dataset import collate
from mididrumigen.engine.model import IGNORE_INDEX, DrumTransformer, ModelConfig, build_model, pick_device
from mididrumigen.engine.pattern import GridHit
from mididrumigen.engine.tokenizer import Conditioning, Event, Tokenizer

TOKENIZER = Tokenizer()
COND = Conditioning("funk", "beat", "mid", "4/4", "100-120")


def _model(context: int = 48, n_layer: int = 2, seed: int = 0) -> DrumTransformer:
    torch.manual_seed(seed)
    config = ModelConfig(n_special=TOKENIZER.n_special, context=context, n_layer=n_layer, n_head=2, d_model=32,
                         dropout=0.0)
    return build_model(config).eval()


def _groove(backbeat: tuple[GridHit, ...], bars: int = 2) -> list[Event]:
    hits = [GridHit(bar, h.step, h.voice, h.velocity, h.offset_steps) for bar in range(bars) for h in backbeat]
    return TOKENIZER.encode(COND, hits, bars)


def _tensor(events: list[Event]) -> torch.Tensor:
    return torch.tensor([events], dtype=torch.long)  # (1, T, 5)


def _empty_cache(model: DrumTransformer, rows: int = 1) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    c = model.config
    keys = torch.zeros(c.n_layer, rows, c.n_head, 1, c.head_dim)
    return keys, keys.clone(), torch.full((rows, 1), float("-inf"))


def _steps(model: DrumTransformer, events: torch.Tensor, chunks: list[int]) -> list[torch.Tensor]:
    """Feed `events` (1, T, 5) through `step` in chunks of the given sizes; the hidden state after each chunk."""
    keys, values, mask = _empty_cache(model)
    states, start = [], 0
    for size in chunks:
        positions = torch.arange(start, start + size)[None]
        h, _, new_keys, new_values = model.step(events[:, start:start + size], positions, keys, values, mask)
        keys, values = torch.cat([keys, new_keys], dim=3), torch.cat([values, new_values], dim=3)
        mask = torch.cat([mask, torch.zeros(1, size)], dim=1)
        states.append(h)
        start += size
    return states


def test_cached_steps_match_a_full_forward(backbeat: tuple[GridHit, ...]) -> None:
    model = _model()
    events = _tensor(_groove(backbeat))  # (1, 27, 5)
    with torch.no_grad():
        full = model.hidden(events)[0]  # (T, C)
        states = _steps(model, events, [6] + [1] * (events.shape[1] - 6))
    torch.testing.assert_close(torch.cat(states), full[5:], atol=1e-5, rtol=0)


def test_a_step_continues_with_several_events_at_once(backbeat: tuple[GridHit, ...]) -> None:
    # Several new events see the whole cache and, causally, each other.
    model = _model()
    events = _tensor(_groove(backbeat))
    with torch.no_grad():
        full = model.hidden(events)[0]
        first, rest = _steps(model, events, [6, events.shape[1] - 6])
    torch.testing.assert_close(torch.stack([first[0], rest[0]]), full[[5, -1]], atol=1e-5, rtol=0)


def test_rows_of_different_lengths_step_as_they_would_alone(backbeat: tuple[GridHit, ...]) -> None:
    # Row 0 has 10 cached events, row 1 only 4 (its last 6 slots masked): each row's step must equal
    # the full forward of its own sequence.
    model = _model()
    events = _tensor(_groove(backbeat))[0]
    c = model.config
    with torch.no_grad():
        full_keys = torch.zeros(c.n_layer, 2, c.n_head, 10, c.head_dim)
        full_values = torch.zeros_like(full_keys)
        mask = torch.full((2, 10), float("-inf"))
        for row, length in enumerate((10, 4)):
            keys, values, empty = _empty_cache(model)
            _, _, k, v = model.step(events[None, :length], torch.arange(length)[None], keys, values, empty)
            full_keys[:, row, :, :length], full_values[:, row, :, :length] = k[:, 0], v[:, 0]
            mask[row, :length] = 0.0
        nexts = torch.stack([events[10], events[4]])[:, None]  # (2, 1, 5)
        h, logits, _, _ = model.step(nexts, torch.tensor([[10], [4]]), full_keys, full_values, mask)
        expected = torch.stack([model.hidden(events[None, :11])[0, -1], model.hidden(events[None, :5])[0, -1]])
    torch.testing.assert_close(h, expected, atol=1e-5, rtol=0)
    torch.testing.assert_close(logits, model.step_logits(expected), atol=1e-5, rtol=0)


def test_tiny_model_overfits_one_groove(backbeat: tuple[GridHit, ...]) -> None:
    model = _model(n_layer=1, seed=1).train()
    events, targets = collate([_groove(backbeat)], TOKENIZER, OFFSET_BINS)  # (1, T, 5), (1, T, 3)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(150):
        loss, _ = model.loss(events, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    # Untrained: about ln(129) + ln(9) + ln(64) = 11.2 nats per event. Memorised: near zero.
    assert losses[0] > 8.0
    assert losses[-1] < 0.1 * losses[0]


def test_loss_counts_only_predicted_fields(backbeat: tuple[GridHit, ...]) -> None:
    model = _model()
    groove = _groove(backbeat)
    events, targets = collate([groove], TOKENIZER, OFFSET_BINS)
    with torch.no_grad():
        loss, stats = model.loss(events, targets)
        padded_events, padded_targets = collate([groove, groove + [TOKENIZER.bar_event()] * 5], TOKENIZER,
                                                OFFSET_BINS)
        _, padded_stats = model.loss(padded_events[:1], padded_targets[:1])
    hits = len(groove) - 5 - 3  # prefix and three BARs
    assert int(stats["hits"]) == hits
    assert int(stats["events"]) == hits + 3  # every BAR is predicted, the prefix is not
    assert loss.item() == pytest.approx(stats["nats"].item() / int(stats["events"]))
    assert padded_stats["nats"].item() == pytest.approx(stats["nats"].item(), rel=1e-5)  # padding adds nothing
    nothing = torch.full_like(targets, IGNORE_INDEX)
    empty_loss, _ = model.loss(events, nothing)
    assert empty_loss.item() == 0.0


def test_context_overflow_raises_value_error() -> None:
    model = _model(context=8)
    events = torch.zeros((1, 9, 5), dtype=torch.long)
    with pytest.raises(ValueError, match="sequence of 9 events exceeds context 8"):
        model.hidden(events)


def test_heads_have_the_documented_shapes() -> None:
    model = _model()
    h = torch.zeros(3, model.config.d_model)
    step = torch.tensor([0, 5, 127])
    voice = torch.tensor([0, 4, 8])
    assert model.step_logits(h).shape == (3, 129)
    assert model.voice_logits(h, step).shape == (3, 9)
    assert model.detail_logits(h, step, voice).shape == (3, 64)
    assert model.bar_class == 128
    assert model.num_parameters() == sum(p.numel() for p in model.parameters()) > 0


def test_config_round_trips_through_a_dict() -> None:
    config = _model().config
    assert ModelConfig(**config.to_dict()) == config


def test_pick_device_honours_a_preference() -> None:
    assert pick_device("cpu") == torch.device("cpu")
    assert pick_device().type in {"cpu", "cuda", "mps"}
