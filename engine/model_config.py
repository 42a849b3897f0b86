"""The network's shape, kept apart from the torch model so that a torch-free runtime can read it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class ModelConfig:
    """Everything needed to rebuild the network; stored in every checkpoint and exported model."""

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
    meter_features: bool = False  # embeddings of each event's place against the meter's pulse and the bar's end

    @property
    def head_dim(self) -> int:
        return self.d_model // self.n_head

    @property
    def bar_class(self) -> int:
        """The step head's extra class after the last step: end the bar here."""
        return self.n_steps

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
