"""Saving and loading model checkpoints: weights plus everything needed to rebuild them.

Loading uses `torch.load(weights_only=True)`, so a checkpoint can hold tensors and plain data but
never code. A missing, truncated or foreign file raises CheckpointError: the engine never falls
back to an untrained model.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from mididrumigen.engine.errors import CheckpointError
from mididrumigen.engine.files import atomic_write_bytes
from mididrumigen.engine.model import DrumTransformer, ModelConfig
from mididrumigen.engine.tokenizer import Tokenizer

log = logging.getLogger(__name__)

CHECKPOINT_FORMAT = "mididrumigen-checkpoint/1"


@dataclass(frozen=True)
class LoadedModel:
    model: DrumTransformer
    tokenizer: Tokenizer
    training: dict[str, Any]
    path: Path


def save_checkpoint(path: Path, model: DrumTransformer, tokenizer: Tokenizer, training: dict[str, Any]) -> Path:
    """Write the checkpoint atomically, with its weights stored in float32 on the CPU."""
    state = {name: tensor.detach().to("cpu", torch.float32).clone() for name, tensor in model.state_dict().items()}
    payload = {
        "format": CHECKPOINT_FORMAT,
        "model_config": model.config.to_dict(),
        "tokenizer": tokenizer.to_dict(),
        "training": training,
        "state_dict": state,
    }
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    return atomic_write_bytes(path, buffer.getvalue())


def load_checkpoint(path: Path, device: torch.device | str = "cpu") -> LoadedModel:
    """Rebuild the model from a checkpoint.

    Raises:
        CheckpointError: the file is missing, unreadable, not ours, or from another tokenizer version.
    """
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"model checkpoint not found: {path}")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises many types for a damaged file
        raise CheckpointError(f"model checkpoint {path} is damaged or not a checkpoint: {error}") from error
    if not isinstance(payload, dict) or payload.get("format") != CHECKPOINT_FORMAT:
        raise CheckpointError(f"{path} is not a MidiDrumiGen checkpoint (expected format {CHECKPOINT_FORMAT})")
    try:
        tokenizer = Tokenizer.from_dict(payload["tokenizer"])
        config = ModelConfig(**payload["model_config"])
        model = DrumTransformer(config)
        model.load_state_dict(payload["state_dict"])
    except (TypeError, KeyError, AttributeError, RuntimeError) as error:
        raise CheckpointError(f"model checkpoint {path} does not match this engine's model: {error}") from error
    if config.n_special != tokenizer.n_special:
        raise CheckpointError(f"model checkpoint {path} disagrees with its own tokenizer vocabulary")
    model.to(device).eval()
    log.info("loaded %s (%d parameters) on %s", path.name, model.num_parameters(), device)
    return LoadedModel(model=model, tokenizer=tokenizer, training=dict(payload.get("training", {})), path=path)
