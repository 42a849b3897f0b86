"""A small decoder-only transformer over compound drum events, with a cached step for generation.

Read it top to bottom: attention (whole sequence, or one cached step), block, then the model. Each input event is
the sum of five embeddings (special token, step, voice, velocity bin, offset bin) plus a learned
position, plus (with `meter_features`) four embeddings the model derives from the event's step and its
bar's signature (the event's sixth field): the signature, the step's phase in the meter's pulse, and the
steps and pulse beats left to the end of the bar (issue #11). From the hidden state at event t, three heads predict event t+1 one field at a time:

    step head    p(step or BAR | h)                      129 classes
    voice head   p(voice | h, step)                      9 classes
    detail head  p(velocity bin, offset bin | h, step, voice)   8 x 8 classes

so one transformer step costs one hit. Structure follows nanoGPT (Karpathy), kept in one file.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mididrumigen.engine.meter import N_METER_IDS, meter_tables
from mididrumigen.engine.model_config import ModelConfig

__all__ = ["EVENT_FIELDS", "IGNORE_INDEX", "DrumTransformer", "ModelConfig", "build_model", "pick_device"]

IGNORE_INDEX = -100

EVENT_FIELDS = 6
"""special, step, voice, velocity bin, offset bin, meter id (see tokenizer.Event)."""
MAX_STEPS_LEFT = 32
"""Steps left to the bar's end are told exactly up to this many (two 4/4 beats' worth of detail and more)."""
MAX_BEATS_LEFT = 16


class MeterPosition(nn.Module):
    """Where an event stands in its bar, from its step and its bar's signature id, as one summed embedding.

    Derived inside the model so that the exported step graph needs no other input. Every table starts
    at zero, so a model given these features behaves exactly as it did without them until trained,
    and row 0 (an unknown meter, the prefix) stays zero.
    """

    def __init__(self, d_model: int) -> None:
        super().__init__()
        bar_steps, pulse = meter_tables()
        self.register_buffer("bar_steps", torch.tensor(bar_steps, dtype=torch.long), persistent=False)
        self.register_buffer("pulse", torch.tensor(pulse, dtype=torch.long), persistent=False)
        self.meter = nn.Embedding(N_METER_IDS, d_model, padding_idx=0)
        self.phase = nn.Embedding(1 + 4 + 6, d_model, padding_idx=0)  # phase in a 4-step or a 6-step pulse
        self.steps_left = nn.Embedding(2 + MAX_STEPS_LEFT, d_model, padding_idx=0)
        self.beats_left = nn.Embedding(2 + MAX_BEATS_LEFT, d_model, padding_idx=0)

    def zero(self) -> None:
        for table in (self.meter, self.phase, self.steps_left, self.beats_left):
            nn.init.zeros_(table.weight)

    def forward(self, step_field: Tensor, meter: Tensor) -> Tensor:
        """(B, T) 1-based step fields (0 for BAR) and meter ids -> (B, T, C)."""
        known = meter > 0
        bar_steps = self.bar_steps[meter]
        pulse = self.pulse[meter]
        position = step_field - 1  # -1: a BAR, before the bar's first step
        left = (bar_steps - 1 - position).clamp(min=0)  # steps after this event to the bar's end
        compound = (pulse == 6).long()
        phase = torch.where(known & (position >= 0), 1 + 4 * compound + torch.remainder(position.clamp(min=0), pulse), 0)
        steps_left = torch.where(known, 1 + left.clamp(max=MAX_STEPS_LEFT), 0)
        beats_left = torch.where(known, 1 + torch.div(left, pulse, rounding_mode="floor").clamp(max=MAX_BEATS_LEFT), 0)
        return self.meter(meter) + self.phase(phase) + self.steps_left(steps_left) + self.beats_left(beats_left)


class CausalSelfAttention(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.n_head = config.n_head
        self.qkv = nn.Linear(config.d_model, 3 * config.d_model)
        self.proj = nn.Linear(config.d_model, config.d_model)
        self.dropout = config.dropout

    def forward(self, x: Tensor) -> Tensor:
        """Causal self-attention over a whole sequence (training, likelihood)."""
        batch, length, width = x.shape  # (B, T, C)
        q, k, v = self._heads(x)
        dropout = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=dropout)
        return self.proj(y.transpose(1, 2).reshape(batch, length, width))

    def step(self, x: Tensor, past_keys: Tensor, past_values: Tensor, past_mask: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """Attend from new events to a row-wise cache plus themselves; returns output and the new keys/values.

        The cache is an input rather than state, so the same code runs in torch and as an exported ONNX
        graph, and every row of a batch may hold a different number of events (`past_mask` is 0 where a
        row has an event and -inf where it has none). The scores against the cache and against the new
        events are computed apart and softmaxed together, so the cache is never copied.

        Args:
            x: (B, T, C) new events; past_keys, past_values: (B, H, P, D); past_mask: (B, P).
        """
        batch, length, width = x.shape
        q, k, v = self._heads(x)  # each (B, H, T, D)
        scale = q.shape[-1] ** -0.5
        past_scores = (q @ past_keys.transpose(-1, -2)) * scale + past_mask[:, None, None, :]  # (B, H, T, P)
        causal = torch.full((length, length), float("-inf"), device=x.device, dtype=x.dtype).triu(1)
        new_scores = (q @ k.transpose(-1, -2)) * scale + causal  # (B, H, T, T)
        weights = torch.softmax(torch.cat([past_scores, new_scores], dim=-1), dim=-1)
        n_past = past_keys.shape[2]
        y = weights[..., :n_past] @ past_values + weights[..., n_past:] @ v  # (B, H, T, D)
        return self.proj(y.transpose(1, 2).reshape(batch, length, width)), k, v

    def _heads(self, x: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        batch, length, width = x.shape
        q, k, v = self.qkv(x).split(width, dim=2)
        return tuple(t.view(batch, length, self.n_head, -1).transpose(1, 2) for t in (q, k, v))  # type: ignore[return-value]


class Block(nn.Module):
    """Pre-norm transformer block: attention then MLP, each with a residual."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.d_model)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.d_model)
        self.mlp = nn.Sequential(
            nn.Linear(config.d_model, 4 * config.d_model),
            nn.GELU(),
            nn.Linear(4 * config.d_model, config.d_model),
            nn.Dropout(config.dropout),
        )

    def forward(self, x: Tensor) -> Tensor:
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))

    def step(self, x: Tensor, past_keys: Tensor, past_values: Tensor, past_mask: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        attended, keys, values = self.attn.step(self.ln_1(x), past_keys, past_values, past_mask)
        x = x + attended
        return x + self.mlp(self.ln_2(x)), keys, values


class _Head(nn.Module):
    """A two-layer MLP head, so the predicted field can depend on the fields chosen before it."""

    def __init__(self, d_model: int, n_out: int) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d_model, d_model), nn.GELU(), nn.Linear(d_model, n_out))

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)


class DrumTransformer(nn.Module):
    """Decoder-only transformer over drum events (see module docstring)."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        d = config.d_model
        # Index 0 of every hit field means "not a hit", so fields are stored 1-based.
        self.special_embedding = nn.Embedding(config.n_special, d)
        self.step_embedding = nn.Embedding(config.n_steps + 1, d)
        self.voice_embedding = nn.Embedding(config.n_voices + 1, d)
        self.velocity_embedding = nn.Embedding(config.n_velocities + 1, d)
        self.offset_embedding = nn.Embedding(config.n_offsets + 1, d)
        self.position_embedding = nn.Embedding(config.context, d)
        self.drop = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.n_layer))
        self.ln_f = nn.LayerNorm(d)
        # The step head has one extra class: BAR (end the bar here).
        self.step_head = _Head(d, config.n_steps + 1)
        self.voice_head = _Head(d, config.n_voices)
        self.detail_head = _Head(d, config.n_velocities * config.n_offsets)
        # Embeddings of the fields chosen so far, fed to the later heads.
        self.chosen_step = nn.Embedding(config.n_steps + 1, d)
        self.chosen_voice = nn.Embedding(config.n_voices, d)
        self.meter_position = MeterPosition(d) if config.meter_features else None
        self.apply(self._init_weights)
        if self.meter_position is not None:
            self.meter_position.zero()

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    @property
    def bar_class(self) -> int:
        return self.config.n_steps

    def embed(self, events: Tensor, positions: Tensor | None = None) -> Tensor:
        """(B, T, 6) integer events at (B, T) or (T,) positions (default 0..T-1) -> (B, T, C) input vectors.

        Events of five fields (no meter) are read as of an unknown meter."""
        if positions is None:
            positions = torch.arange(events.shape[1], device=events.device)
        x = (
            self.special_embedding(events[..., 0])
            + self.step_embedding(events[..., 1])
            + self.voice_embedding(events[..., 2])
            + self.velocity_embedding(events[..., 3])
            + self.offset_embedding(events[..., 4])
            + self.position_embedding(positions)
        )
        if self.meter_position is not None and events.shape[-1] >= EVENT_FIELDS:
            x = x + self.meter_position(events[..., 1], events[..., 5])
        return self.drop(x)  # (B, T, C)

    def hidden(self, events: Tensor) -> Tensor:
        """Run the transformer over whole sequences: (B, T, 6) -> (B, T, C)."""
        if events.shape[1] > self.config.context:
            raise ValueError(f"sequence of {events.shape[1]} events exceeds context {self.config.context}")
        x = self.embed(events)
        for block in self.blocks:
            x = block(x)
        return self.ln_f(x)  # (B, T, C)

    def step(self, events: Tensor, positions: Tensor, past_keys: Tensor | Sequence[Tensor],
             past_values: Tensor | Sequence[Tensor], past_mask: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        """One generation step for a batch of rows, each with its own cache (see CausalSelfAttention.step).

        This is the graph `mididrumigen export` writes; the torch runtime calls it directly.

        Args:
            events: (B, T, 6) new events; positions: (B, T) their places in each row's window.
            past_keys, past_values: (L, B, H, P, D), or L tensors of (B, H, P, D) (the exported graph's
                inputs, one per layer); past_mask: (B, P), 0 where a row has an event, -inf not.

        Returns:
            The last new event's hidden state (B, C), its step logits (B, n_steps + 1), and the new
            events' keys and values (L, B, H, T, D) for the caller to append to its cache.
        """
        x = self.embed(events, positions)
        keys, values = [], []
        for index, block in enumerate(self.blocks):
            x, k, v = block.step(x, past_keys[index], past_values[index], past_mask)
            keys.append(k)
            values.append(v)
        h = self.ln_f(x[:, -1])
        return h, self.step_logits(h), torch.stack(keys), torch.stack(values)

    # --- the three heads, used the same way in training and sampling ----------------------------
    def step_logits(self, h: Tensor) -> Tensor:
        return self.step_head(h)  # (..., n_steps + 1)

    def voice_logits(self, h: Tensor, step: Tensor) -> Tensor:
        return self.voice_head(h + self.chosen_step(step))  # (..., n_voices)

    def detail_logits(self, h: Tensor, step: Tensor, voice: Tensor) -> Tensor:
        return self.detail_head(h + self.chosen_step(step) + self.chosen_voice(voice))  # (..., V * O)

    def loss(self, events: Tensor, targets: Tensor) -> tuple[Tensor, dict[str, Tensor]]:
        """Summed cross-entropy of the three heads.

        Args:
            events: (B, T, 6) inputs.
            targets: (B, T, 3) next-event step class (or BAR), voice, detail class; IGNORE_INDEX
                where a field is not predicted (after the prefix, or voice/detail of a BAR).

        Returns:
            The mean loss per predicted event (nats), and summed nats and counts per head.
        """
        h = self.hidden(events)  # (B, T, C)
        step_t, voice_t, detail_t = targets.unbind(-1)  # each (B, T)
        safe_step = step_t.clamp(min=0)
        safe_voice = voice_t.clamp(min=0)
        step_loss = F.cross_entropy(self.step_logits(h).flatten(0, 1), step_t.flatten(),
                                    ignore_index=IGNORE_INDEX, reduction="sum")
        voice_loss = F.cross_entropy(self.voice_logits(h, safe_step).flatten(0, 1), voice_t.flatten(),
                                     ignore_index=IGNORE_INDEX, reduction="sum")
        detail_loss = F.cross_entropy(self.detail_logits(h, safe_step, safe_voice).flatten(0, 1),
                                      detail_t.flatten(), ignore_index=IGNORE_INDEX, reduction="sum")
        n_events = (step_t != IGNORE_INDEX).sum()
        n_hits = (voice_t != IGNORE_INDEX).sum()
        total = step_loss + voice_loss + detail_loss
        stats = {"nats": total.detach(), "events": n_events, "hits": n_hits}
        return total / n_events.clamp(min=1), stats

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())


def build_model(config: ModelConfig) -> DrumTransformer:
    """Build a freshly initialised model (seed torch first for reproducible weights)."""
    return DrumTransformer(config)


def pick_device(preferred: str | None = None) -> torch.device:
    """cuda if present, then Apple's mps, else cpu; `preferred` overrides."""
    if preferred:
        return torch.device(preferred)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")



