"""A small decoder-only transformer over compound drum events, with a KV cache for generation.

Read it top to bottom: config, attention (with cache), block, then the model. Each input event is
the sum of five embeddings (special token, step, voice, velocity bin, offset bin) plus a learned
position. From the hidden state at event t, three heads predict event t+1 one field at a time:

    step head    p(step or BAR | h)                      129 classes
    voice head   p(voice | h, step)                      9 classes
    detail head  p(velocity bin, offset bin | h, step, voice)   8 x 8 classes

so one transformer step costs one hit. Structure follows nanoGPT (Karpathy), kept in one file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

IGNORE_INDEX = -100


@dataclass(frozen=True)
class ModelConfig:
    """Everything needed to rebuild the network; stored in every checkpoint."""

    n_special: int
    n_steps: int = 128
    n_voices: int = 9
    n_velocities: int = 8
    n_offsets: int = 8
    context: int = 256
    n_layer: int = 4
    n_head: int = 4
    d_model: int = 192
    dropout: float = 0.1

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class KVCache:
    """Keys and values of every layer for the events seen so far, preallocated to the context."""

    def __init__(self, config: ModelConfig, device: torch.device, dtype: torch.dtype) -> None:
        head_dim = config.d_model // config.n_head
        shape = (config.n_layer, 1, config.n_head, config.context, head_dim)
        self.keys = torch.zeros(shape, device=device, dtype=dtype)
        self.values = torch.zeros(shape, device=device, dtype=dtype)
        self.length = 0

    def reset(self) -> None:
        self.length = 0


class CausalSelfAttention(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.n_head = config.n_head
        self.qkv = nn.Linear(config.d_model, 3 * config.d_model)
        self.proj = nn.Linear(config.d_model, config.d_model)
        self.dropout = config.dropout

    def forward(self, x: Tensor, cache: KVCache | None = None, layer: int = 0) -> Tensor:
        batch, length, width = x.shape  # (B, T, C)
        q, k, v = self.qkv(x).split(width, dim=2)
        q = q.view(batch, length, self.n_head, -1).transpose(1, 2)  # (B, H, T, D)
        k = k.view(batch, length, self.n_head, -1).transpose(1, 2)  # (B, H, T, D)
        v = v.view(batch, length, self.n_head, -1).transpose(1, 2)  # (B, H, T, D)
        if cache is None:
            dropout = self.dropout if self.training else 0.0
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=dropout)
        else:
            start = cache.length
            end = start + length
            cache.keys[layer, :, :, start:end] = k
            cache.values[layer, :, :, start:end] = v
            keys = cache.keys[layer, :, :, :end]  # (1, H, end, D)
            values = cache.values[layer, :, :, :end]
            # A single new event may look at everything before it; several new events each see the
            # cache plus the new events up to themselves (a causal mask aligned bottom-right).
            mask = None
            if length > 1:
                mask = torch.ones(length, end, dtype=torch.bool, device=x.device).tril(diagonal=start)
            y = F.scaled_dot_product_attention(q, keys, values, attn_mask=mask)
        y = y.transpose(1, 2).contiguous().view(batch, length, width)  # (B, T, C)
        return self.proj(y)


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

    def forward(self, x: Tensor, cache: KVCache | None = None, layer: int = 0) -> Tensor:
        x = x + self.attn(self.ln_1(x), cache, layer)
        return x + self.mlp(self.ln_2(x))


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
        self.apply(self._init_weights)

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

    def embed(self, events: Tensor, start_position: int = 0) -> Tensor:
        """(B, T, 5) integer events -> (B, T, C) input vectors."""
        length = events.shape[1]
        positions = torch.arange(start_position, start_position + length, device=events.device)
        x = (
            self.special_embedding(events[..., 0])
            + self.step_embedding(events[..., 1])
            + self.voice_embedding(events[..., 2])
            + self.velocity_embedding(events[..., 3])
            + self.offset_embedding(events[..., 4])
            + self.position_embedding(positions)
        )
        return self.drop(x)  # (B, T, C)

    def hidden(self, events: Tensor, cache: KVCache | None = None) -> Tensor:
        """Run the transformer; with a cache, `events` continue the cached sequence."""
        start = cache.length if cache is not None else 0
        if start + events.shape[1] > self.config.context:
            raise ValueError(f"sequence of {start + events.shape[1]} events exceeds context {self.config.context}")
        x = self.embed(events, start)
        for index, block in enumerate(self.blocks):
            x = block(x, cache, index)
        if cache is not None:
            cache.length = start + events.shape[1]
        return self.ln_f(x)  # (B, T, C)

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
            events: (B, T, 5) inputs.
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



