"""The one small interface both runtimes implement: a batched, cached model step and two heads.

As mido puts its MIDI backends behind `send`, the sampler talks to a runtime only through `step`,
`voice_logits` and `detail_logits`, with numpy arrays in and out. Everything above it (grammar,
draws, humanizer, MIDI) is shared; a runtime only turns arrays into logits.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from mididrumigen.engine.model_config import ModelConfig
from mididrumigen.engine.tokenizer import Tokenizer

RUNTIMES = ("onnx", "torch")


class StepOutput(NamedTuple):
    """What one step returns, per row: the last hidden state, its step logits, and the new keys/values."""

    hidden: np.ndarray  # (B, C) float32
    step_logits: np.ndarray  # (B, n_steps + 1) float32
    keys: np.ndarray  # (L, B, H, T, D) float32
    values: np.ndarray  # (L, B, H, T, D) float32


@dataclass(frozen=True)
class ModelInfo:
    """What every runtime knows about the model it runs, whatever file it came from."""

    config: ModelConfig
    tokenizer: Tokenizer
    training: dict[str, Any] = field(default_factory=dict)
    source: Path = Path()


class Runtime(ABC):
    """A loaded model that computes logits for the sampler; see the module docstring."""

    name: str
    device: str

    def __init__(self, info: ModelInfo) -> None:
        self.info = info

    @property
    def config(self) -> ModelConfig:
        return self.info.config

    @property
    def tokenizer(self) -> Tokenizer:
        return self.info.tokenizer

    @abstractmethod
    def step(self, events: np.ndarray, positions: np.ndarray, past_keys: np.ndarray, past_values: np.ndarray,
             past_mask: np.ndarray) -> StepOutput:
        """Run new events (B, T, 6) int64 at positions (B, T) against each row's cache (L, B, H, P, D),
        with past_mask (B, P) 0 where a row has an event and -inf where not."""

    @abstractmethod
    def voice_logits(self, hidden: np.ndarray, steps: np.ndarray) -> np.ndarray:
        """(B, C) hidden states and (B,) chosen steps -> (B, n_voices) logits."""

    @abstractmethod
    def detail_logits(self, hidden: np.ndarray, steps: np.ndarray, voices: np.ndarray) -> np.ndarray:
        """(B, C), (B,) steps, (B,) voices -> (B, n_velocities * n_offsets) logits."""
