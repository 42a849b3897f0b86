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

from mididrumigen.engine.checkpoint_checks import (
    MAX_CHECKPOINT_BYTES,
    check_model_config,
    check_state_dict,
    check_training,
)
from mididrumigen.engine.errors import CheckpointError
from mididrumigen.engine.files import atomic_write_bytes
from mididrumigen.engine.model import DrumTransformer
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
        CheckpointError: the file is missing, oversize, unreadable, not ours, from another tokenizer
            version, or declares a model that its weights or sane limits do not back (one line).
    """
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"model checkpoint not found: {path}")
    size = path.stat().st_size
    if size > MAX_CHECKPOINT_BYTES:
        raise CheckpointError(f"model checkpoint {path} is {size:,} bytes, over the {MAX_CHECKPOINT_BYTES:,}-byte limit")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises many types for a damaged file
        detail = " ".join(str(error).split())[:300]
        raise CheckpointError(f"model checkpoint {path} is damaged or not a checkpoint: {detail}") from error
    if not isinstance(payload, dict) or payload.get("format") != CHECKPOINT_FORMAT:
        raise CheckpointError(f"{path} is not a MidiDrumiGen checkpoint (expected format {CHECKPOINT_FORMAT})")
    where = f"model checkpoint {path}"
    try:
        tokenizer = Tokenizer.from_dict(payload["tokenizer"])
    except (TypeError, KeyError, ValueError, AttributeError) as error:
        raise CheckpointError(f"{where}: its tokenizer record is not valid ({type(error).__name__})") from error
    # Everything declared is checked before anything is built from it.
    config = check_model_config(payload.get("model_config"), tokenizer, where)
    check_state_dict(config, payload.get("state_dict"), where)
    training = check_training(payload.get("training"), where)
    try:
        model = DrumTransformer(config)
        model.load_state_dict(payload["state_dict"])
    except (TypeError, KeyError, AttributeError, RuntimeError) as error:
        raise CheckpointError(f"{where} does not match this engine's model: {error}") from error
    model.to(device).eval()
    log.info("loaded %s (%d parameters) on %s", path.name, model.num_parameters(), device)
    return LoadedModel(model=model, tokenizer=tokenizer, training=training, path=path)
