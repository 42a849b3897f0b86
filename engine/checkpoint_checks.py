"""What a checkpoint declares, checked before anything is built from it.

A checkpoint is data from anywhere. Its `model_config` decides how much memory building the model
takes (a 1.9 KB file declaring d_model=4096 and no weights took 12 s and 2 GB before it failed), so
the declared sizes are checked against sane limits, then against the shapes of the tensors actually
stored, on torch's meta device (shapes only, no memory), before a real model is built. Every
failure is one CheckpointError line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any, Final

import torch

from mididrumigen.engine.errors import CheckpointError
from mididrumigen.engine.model import DrumTransformer, ModelConfig
from mididrumigen.engine.tokenizer import Tokenizer

MAX_CHECKPOINT_BYTES: Final = 1 << 30
"""The largest checkpoint file read (the shipped model is a few MB)."""

SIZE_LIMITS: Final[dict[str, tuple[int, int]]] = {
    "context": (32, 4096),
    "n_layer": (1, 32),
    "n_head": (1, 64),
    "d_model": (8, 1024),
}
"""The free sizes of a model: a context shorter than 32 events cannot hold a bar of drums."""

MAX_PARAMETERS: Final = 50_000_000
"""About 200 MB of float32 weights: far above any model this engine trains."""

TOKENIZER_SIZES: Final = ("n_special", "n_steps", "n_voices", "n_velocities", "n_offsets")
"""Sizes fixed by the token layout: they must equal the checkpoint's own tokenizer's."""


def check_model_config(raw: Any, tokenizer: Tokenizer, where: str) -> ModelConfig:
    """The declared config, if every field is present, of the right kind and within the limits.

    Raises:
        CheckpointError: naming the first field that is wrong.
    """
    if not isinstance(raw, Mapping):
        raise CheckpointError(f"{where}: model_config must be a mapping, got {type(raw).__name__}")
    names = [field.name for field in fields(ModelConfig)]
    unknown = sorted(set(map(str, raw)) - set(names))
    if unknown:
        raise CheckpointError(f"{where}: model_config has an unknown field {unknown[0][:40]!r}")
    values = {name: raw.get(name, getattr(ModelConfig, name, None)) for name in names}
    for name in (*TOKENIZER_SIZES, *SIZE_LIMITS):
        value = values[name]
        if isinstance(value, bool) or not isinstance(value, int):
            raise CheckpointError(f"{where}: model_config.{name} must be a whole number, got {type(value).__name__}")
    for name in TOKENIZER_SIZES:
        if values[name] != getattr(tokenizer, name):
            raise CheckpointError(
                f"{where}: model_config.{name} is {values[name]}, but its tokenizer needs {getattr(tokenizer, name)}"
            )
    for name, (low, high) in SIZE_LIMITS.items():
        if not low <= values[name] <= high:
            raise CheckpointError(f"{where}: model_config.{name} must be between {low} and {high}, got {values[name]}")
    if values["d_model"] % values["n_head"]:
        raise CheckpointError(f"{where}: model_config.d_model ({values['d_model']}) must be a multiple of n_head "
                              f"({values['n_head']})")
    dropout = values["dropout"]
    if isinstance(dropout, bool) or not isinstance(dropout, int | float) or not 0.0 <= dropout < 1.0:
        raise CheckpointError(f"{where}: model_config.dropout must be at least 0 and below 1, got {dropout!r}")
    estimate = 12 * values["n_layer"] * values["d_model"] ** 2
    if estimate > MAX_PARAMETERS:
        raise CheckpointError(f"{where}: the declared model has about {estimate:,} parameters, over the "
                              f"{MAX_PARAMETERS:,} this engine loads")
    return ModelConfig(**values)


def check_state_dict(config: ModelConfig, state: Any, where: str) -> None:
    """The stored tensors must be exactly the ones `config` builds, shape for shape, and finite.

    Raises:
        CheckpointError: a missing, extra, misshapen or non-finite tensor.
    """
    if not isinstance(state, Mapping):
        raise CheckpointError(f"{where}: state_dict must be a mapping of tensors, got {type(state).__name__}")
    with torch.device("meta"):  # shapes only: nothing is allocated
        expected = {name: tuple(t.shape) for name, t in DrumTransformer(config).state_dict().items()}
    missing = sorted(set(expected) - set(state))
    if missing:
        raise CheckpointError(f"{where}: {len(missing)} weights the declared model needs are missing, "
                              f"e.g. {missing[0][:60]}")
    extra = sorted(str(name) for name in set(state) - set(expected))
    if extra:
        raise CheckpointError(f"{where}: holds weights the declared model does not have, e.g. {extra[0][:60]}")
    for name, shape in expected.items():
        tensor = state[name]
        if not isinstance(tensor, torch.Tensor) or tuple(tensor.shape) != shape:
            got = tuple(tensor.shape) if isinstance(tensor, torch.Tensor) else type(tensor).__name__
            raise CheckpointError(f"{where}: weight {name} should have shape {shape}, got {got}")
        if tensor.is_floating_point() and not bool(torch.isfinite(tensor).all()):
            raise CheckpointError(f"{where}: weight {name} holds NaN or infinite values")


def check_training(raw: Any, where: str) -> dict[str, Any]:
    """The training record: a mapping (it names the model in replies), or nothing."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise CheckpointError(f"{where}: training must be a mapping, got {type(raw).__name__}")
    return dict(raw)
