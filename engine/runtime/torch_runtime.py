"""The torch runtime: the trained model itself, for GPU generation and as the reference the export is checked against."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from mididrumigen.engine.checkpoint import LoadedModel
from mididrumigen.engine.model import DrumTransformer
from mididrumigen.engine.tokenizer import Tokenizer
from mididrumigen.engine.runtime.base import ModelInfo, Runtime, StepOutput

INFERENCE_THREADS = 1
"""Torch intra-op threads for a process that generates on the CPU. One event at a time is too small
to split across cores, and where the cores are busy (a DAW, a training run) two threads spin against
each other: measured on 2 busy cores, 2.4 ms per event with one thread against 75 ms with two.
Changing the count back and forth costs 10-60 ms each time, so it is set once, for the process."""


class TorchRuntime(Runtime):
    name = "torch"

    def __init__(self, model: DrumTransformer, tokenizer: Tokenizer, training: dict[str, Any] | None = None,
                 source: Path = Path()) -> None:
        super().__init__(ModelInfo(model.config, tokenizer, dict(training or {}), source))
        self.model = model.eval()
        parameter = next(self.model.parameters())
        self.device = str(parameter.device)
        self._dtype = parameter.dtype
        if self.device == "cpu":
            torch.set_num_threads(INFERENCE_THREADS)

    @classmethod
    def from_loaded(cls, loaded: LoadedModel) -> TorchRuntime:
        return cls(loaded.model, loaded.tokenizer, loaded.training, loaded.path)

    def _tensor(self, array: np.ndarray) -> torch.Tensor:
        tensor = torch.from_numpy(np.ascontiguousarray(array)).to(self.device)
        return tensor if tensor.dtype == torch.int64 else tensor.to(self._dtype)

    @staticmethod
    def _array(tensor: torch.Tensor) -> np.ndarray:
        return tensor.float().cpu().numpy()

    @torch.inference_mode()
    def step(self, events: np.ndarray, positions: np.ndarray, past_keys: np.ndarray, past_values: np.ndarray,
             past_mask: np.ndarray) -> StepOutput:
        outputs = self.model.step(*(self._tensor(a) for a in (events, positions, past_keys, past_values, past_mask)))
        return StepOutput(*(self._array(t) for t in outputs))

    @torch.inference_mode()
    def voice_logits(self, hidden: np.ndarray, steps: np.ndarray) -> np.ndarray:
        return self._array(self.model.voice_logits(self._tensor(hidden), self._tensor(steps)))

    @torch.inference_mode()
    def detail_logits(self, hidden: np.ndarray, steps: np.ndarray, voices: np.ndarray) -> np.ndarray:
        return self._array(self.model.detail_logits(self._tensor(hidden), self._tensor(steps), self._tensor(voices)))
