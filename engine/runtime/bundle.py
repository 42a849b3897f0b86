"""An exported model on disk: the ONNX graphs plus a JSON file with the config and tokenizer.

Files sit next to the checkpoint they came from and share its stem (models/mididrumigen.pt ->
mididrumigen.json, mididrumigen.onnx, mididrumigen.voice.onnx, mididrumigen.detail.onnx), so
`--model` names either file. The JSON records the checkpoint's SHA-256: an export older than its
checkpoint is refused rather than silently generating from stale weights. Reading it needs no torch.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from mididrumigen.engine.errors import CheckpointError
from mididrumigen.engine.model_config import ModelConfig
from mididrumigen.engine.runtime.base import ModelInfo
from mididrumigen.engine.tokenizer import Tokenizer

BUNDLE_FORMAT: Final = "mididrumigen-onnx/2"
"""/2: the step graph takes each layer's cache as its own input (step_cache_inputs); /1 took them stacked."""
GRAPHS: Final = ("step", "voice", "detail")
"""The step graph runs the transformer and the step head; the two head graphs run after each draw."""


def step_cache_inputs(n_layer: int) -> list[str]:
    """The step graph's cache inputs, in order: every layer's keys, then every layer's values."""
    return [f"past_keys_{layer}" for layer in range(n_layer)] + [f"past_values_{layer}" for layer in range(n_layer)]


def bundle_path(model: Path) -> Path:
    """The JSON file of the export that belongs to a checkpoint (or to any of its exported files)."""
    model = Path(model)
    stem = model.name.split(".")[0]
    return model.with_name(f"{stem}.json")


def graph_path(bundle: Path, graph: str) -> Path:
    stem = bundle.name.split(".")[0]
    return bundle.with_name(f"{stem}.onnx" if graph == "step" else f"{stem}.{graph}.onnx")


def checkpoint_path(bundle: Path) -> Path:
    return bundle.with_suffix(".pt")


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def bundle_document(info: ModelInfo, checkpoint_sha256: str) -> dict[str, Any]:
    """The JSON written next to the graphs."""
    return {
        "format": BUNDLE_FORMAT,
        "model_config": info.config.to_dict(),
        "tokenizer": info.tokenizer.to_dict(),
        "training": info.training,
        "checkpoint_sha256": checkpoint_sha256,
        "graphs": {graph: graph_path(Path(info.source), graph).name for graph in GRAPHS},
    }


@dataclass(frozen=True)
class ExportedModel:
    info: ModelInfo
    graphs: dict[str, Path]


def read_bundle(model: Path) -> ExportedModel:
    """Read the export for `model` (a checkpoint, the JSON or one of the .onnx files).

    Raises:
        CheckpointError: no export, a damaged one, or one made from a different checkpoint.
    """
    path = bundle_path(model)
    if not path.is_file():
        raise CheckpointError(f"no exported model at {path}: run `mididrumigen export --model "
                              f"{checkpoint_path(path)}` (needs torch) or use --runtime torch")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if str(document.get("format", "")).startswith("mididrumigen-onnx/") and document["format"] != BUNDLE_FORMAT:
            raise CheckpointError(f"exported model {path} is of an older format ({document['format']}): run "
                                  f"`mididrumigen export --model {checkpoint_path(path)}` (needs torch) or use "
                                  "--runtime torch")
        if document.get("format") != BUNDLE_FORMAT:
            raise ValueError(f"format is {document.get('format')!r}, expected {BUNDLE_FORMAT}")
        config = ModelConfig(**document["model_config"])
        tokenizer = Tokenizer.from_dict(document["tokenizer"])
        graphs = {graph: path.with_name(document["graphs"][graph]) for graph in GRAPHS}
        training = dict(document.get("training", {}))
        sha = str(document["checkpoint_sha256"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
        raise CheckpointError(f"exported model {path} is damaged: {error}") from error
    missing = [str(p) for p in graphs.values() if not p.is_file()]
    if missing:
        raise CheckpointError(f"exported model {path} lacks {', '.join(missing)}: run `mididrumigen export` again")
    checkpoint = checkpoint_path(path)
    if checkpoint.is_file() and file_sha256(checkpoint) != sha:
        raise CheckpointError(f"exported model {path} was made from another version of {checkpoint.name}: "
                              f"run `mididrumigen export --model {checkpoint}`")
    return ExportedModel(ModelInfo(config, tokenizer, training, path), graphs)
