"""`mididrumigen export`: write a checkpoint's ONNX graphs and JSON next to it (see runtime.bundle).

Three graphs, because each field of an event is drawn before the next is predicted: the step graph
(transformer plus step head, with each row's cache as inputs and the new keys/values as outputs),
then the voice head and the detail head. The step graph takes each layer's cache as an input of its
own: one stacked input is split into layers inside the graph, and ONNX Runtime's Split copies the whole
cache at every step (20% of a step for 8 rows of 96 events; the outputs are bit-identical either way). Uses torch's TorchScript exporter (it needs the `onnx`
package, part of the `[train]` extra); tests check the graphs in ONNX Runtime against the torch model.
"""

from __future__ import annotations

import io
import json
import logging
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from mididrumigen.engine.checkpoint import LoadedModel, load_checkpoint
from mididrumigen.engine.files import atomic_write_bytes
from mididrumigen.engine.model import EVENT_FIELDS, DrumTransformer
from mididrumigen.engine.runtime.base import ModelInfo
from mididrumigen.engine.runtime.bundle import bundle_document, bundle_path, file_sha256, graph_path, step_cache_inputs

log = logging.getLogger(__name__)

OPSET = 17


class _StepGraph(nn.Module):
    """model.step with the cache as 2 x n_layer inputs (past_keys_0.., past_values_0..), then the mask."""

    def __init__(self, model: DrumTransformer) -> None:
        super().__init__()
        self.model = model

    def forward(self, events: Tensor, positions: Tensor,
                *cache_and_mask: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        n_layer = self.model.config.n_layer
        keys, values = list(cache_and_mask[:n_layer]), list(cache_and_mask[n_layer:2 * n_layer])
        return self.model.step(events, positions, keys, values, cache_and_mask[-1])


class _VoiceGraph(nn.Module):
    def __init__(self, model: DrumTransformer) -> None:
        super().__init__()
        self.model = model

    def forward(self, hidden: Tensor, steps: Tensor) -> Tensor:
        return self.model.voice_logits(hidden, steps)


class _DetailGraph(nn.Module):
    def __init__(self, model: DrumTransformer) -> None:
        super().__init__()
        self.model = model

    def forward(self, hidden: Tensor, steps: Tensor, voices: Tensor) -> Tensor:
        return self.model.detail_logits(hidden, steps, voices)


def _onnx_bytes(module: nn.Module, inputs: tuple[Tensor, ...], input_names: list[str], output_names: list[str],
                dynamic_axes: dict[str, dict[int, str]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():  # the TorchScript exporter announces its own deprecation
        warnings.simplefilter("ignore")
        torch.onnx.export(module, inputs, buffer, input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes, opset_version=OPSET, dynamo=False)
    return buffer.getvalue()


def _graphs(model: DrumTransformer) -> dict[str, bytes]:
    config = model.config
    rows, new, past = 2, 3, 5
    events = torch.zeros(rows, new, EVENT_FIELDS, dtype=torch.long)
    positions = torch.arange(new).repeat(rows, 1)
    layer_cache = torch.zeros(rows, config.n_head, past, config.head_dim)
    cache_names = step_cache_inputs(config.n_layer)
    mask = torch.zeros(rows, past)
    hidden = torch.zeros(rows, config.d_model)
    steps = torch.zeros(rows, dtype=torch.long)
    batch = {0: "rows"}
    return {
        "step": _onnx_bytes(
            _StepGraph(model), (events, positions, *[layer_cache] * len(cache_names), mask),
            ["events", "positions", *cache_names, "past_mask"],
            ["hidden", "step_logits", "keys", "values"],
            {"events": {0: "rows", 1: "new"}, "positions": {0: "rows", 1: "new"},
             **{name: {0: "rows", 2: "past"} for name in cache_names},
             "past_mask": {0: "rows", 1: "past"}, "hidden": batch, "step_logits": batch,
             "keys": {1: "rows", 3: "new"}, "values": {1: "rows", 3: "new"}}),
        "voice": _onnx_bytes(_VoiceGraph(model), (hidden, steps), ["hidden", "steps"], ["voice_logits"],
                             {"hidden": batch, "steps": batch, "voice_logits": batch}),
        "detail": _onnx_bytes(_DetailGraph(model), (hidden, steps, steps), ["hidden", "steps", "voices"],
                              ["detail_logits"], {"hidden": batch, "steps": batch, "voices": batch,
                                                  "detail_logits": batch}),
    }


def export_loaded(loaded: LoadedModel, checkpoint: Path) -> Path:
    """Export a loaded checkpoint next to `checkpoint`; returns the JSON path.

    The graphs are written first and the JSON last, each atomically, so a reader never finds a JSON
    pointing at graphs from another export.
    """
    model = loaded.model.to("cpu").eval()
    bundle = bundle_path(checkpoint)
    for graph, data in _graphs(model).items():
        atomic_write_bytes(graph_path(bundle, graph), data)
    info = ModelInfo(model.config, loaded.tokenizer, _plain(loaded.training), bundle)
    document = bundle_document(info, file_sha256(checkpoint))
    atomic_write_bytes(bundle, (json.dumps(document, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    log.info("exported %s to %s", checkpoint.name, bundle.with_suffix(".onnx"))
    return bundle


def export_checkpoint(checkpoint: Path) -> Path:
    """Load a checkpoint and export it next to itself; returns the JSON path."""
    return export_loaded(load_checkpoint(checkpoint, "cpu"), Path(checkpoint))


def _plain(value: Any) -> Any:
    """Training records may hold numpy or torch scalars; JSON wants plain numbers."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, torch.Tensor | np.generic):
        return value.item()
    return value
