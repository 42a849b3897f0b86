"""The ONNX Runtime runtime: the exported graphs on the CPU, without torch in the process.

Measured on a 2-core machine (issue #16): 1.5 ms per event against 5.3 ms for torch eager, because a
graph runtime skips the Python inside the forward that dominates at this model size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from mididrumigen.engine.errors import MissingDependencyError
from mididrumigen.engine.runtime.base import Runtime, StepOutput
from mididrumigen.engine.runtime.bundle import ExportedModel, step_cache_inputs

INFERENCE_THREADS = 1
"""One event at a time is too small to split across cores, and next to a busy DAW a second thread
only spins against the first (the same finding as the torch runtime's one thread)."""


def _session(path: Path):  # type: ignore[no-untyped-def]
    try:
        import onnxruntime as ort
    except ImportError as error:
        raise MissingDependencyError("onnxruntime", "the ONNX runtime") from error
    options = ort.SessionOptions()
    options.intra_op_num_threads = INFERENCE_THREADS
    options.inter_op_num_threads = INFERENCE_THREADS
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class _Graph:
    """One session with its output names read once: every event calls three graphs (issue #16).

    Calling the session's private C-level `run` saved ~3 us of a 9 us head call (under 1% of an
    event): not worth leaning on onnxruntime internals. Feeding OrtValues (`run_with_ort_values`)
    was measured slower here: it pays for wrapping each output back."""

    def __init__(self, path: Path) -> None:
        self.session = _session(path)
        self._outputs = [node.name for node in self.session.get_outputs()]

    def __call__(self, feeds: dict[str, Any]) -> list[np.ndarray]:
        return self.session.run(self._outputs, feeds)


class OnnxRuntime(Runtime):
    name = "onnx"
    device = "cpu"

    def __init__(self, exported: ExportedModel) -> None:
        super().__init__(exported.info)
        self._step = _Graph(exported.graphs["step"])
        self._voice = _Graph(exported.graphs["voice"])
        self._detail = _Graph(exported.graphs["detail"])
        # A graph exported before events carried their meter reads five fields; it is given those.
        width = self._step.session.get_inputs()[0].shape[-1]
        self._event_width = width if isinstance(width, int) else None
        self._cache_inputs = step_cache_inputs(self.config.n_layer)

    def step(self, events: np.ndarray, positions: np.ndarray, past_keys: np.ndarray, past_values: np.ndarray,
             past_mask: np.ndarray) -> StepOutput:
        # Each layer's cache goes in as its own input: past_keys[layer] is a contiguous view, so
        # nothing is copied on the way in (see engine.export).
        feeds = dict(zip(self._cache_inputs, (*past_keys, *past_values), strict=True))
        if self._event_width is not None and events.shape[-1] != self._event_width:
            events = np.ascontiguousarray(events[..., :self._event_width])
        feeds["events"], feeds["positions"], feeds["past_mask"] = events, positions, past_mask
        return StepOutput(*self._step(feeds))

    def voice_logits(self, hidden: np.ndarray, steps: np.ndarray) -> np.ndarray:
        return self._voice({"hidden": hidden, "steps": steps})[0]

    def detail_logits(self, hidden: np.ndarray, steps: np.ndarray, voices: np.ndarray) -> np.ndarray:
        return self._detail({"hidden": hidden, "steps": steps, "voices": voices})[0]
