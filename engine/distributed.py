"""Data-parallel training under `torchrun`: which process this is, and the few collectives train.py needs.

`torchrun --nproc_per_node N -m mididrumigen.engine.cli train ...` (or `mididrumigen train` under torchrun) starts
N copies of the same command with WORLD_SIZE, RANK and LOCAL_RANK set. Each copy builds the same
model from the same seed, draws its own training crops (the crop sampler is seeded with seed + rank),
and PyTorch DistributedDataParallel averages the gradients, so every rank takes the same optimizer
step and ends with the same weights. Only rank 0 evaluates, saves and reports. Without those
variables (or with WORLD_SIZE=1) nothing here does anything and training is the single-process run.
Backend: NCCL on CUDA, gloo on the CPU.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
import torch.distributed as dist
from torch import Tensor, nn
from torch.nn.parallel import DistributedDataParallel

from mididrumigen.engine.model import DrumTransformer, pick_device

LossFn = Callable[[Tensor, Tensor], tuple[Tensor, dict[str, Tensor]]]


@dataclass(frozen=True)
class DistributedContext:
    rank: int = 0
    local_rank: int = 0
    world_size: int = 1

    @property
    def enabled(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def from_environment() -> DistributedContext:
    """The context torchrun describes in WORLD_SIZE, RANK and LOCAL_RANK (single process when unset).

    Raises:
        ValueError: the variables are not whole numbers, or RANK is outside 0..WORLD_SIZE-1.
    """
    try:
        world_size = int(os.environ.get("WORLD_SIZE", "1"))
        rank = int(os.environ.get("RANK", "0"))
        local_rank = int(os.environ.get("LOCAL_RANK", str(rank)))
    except ValueError as error:
        raise ValueError(f"WORLD_SIZE, RANK and LOCAL_RANK must be whole numbers: {error}") from error
    if world_size < 1 or not 0 <= rank < world_size:
        raise ValueError(f"RANK must be in range 0..{world_size - 1} for WORLD_SIZE {world_size}, got {rank}")
    return DistributedContext(rank=rank, local_rank=local_rank, world_size=world_size)


def setup(context: DistributedContext, preferred_device: str | None) -> torch.device:
    """Join the process group (when distributed) and pick this rank's device."""
    device = pick_device(preferred_device)
    if not context.enabled:
        return device
    if device.type == "cuda":
        device = torch.device("cuda", context.local_rank)
        torch.cuda.set_device(device)
    if not dist.is_initialized():
        dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo",
                                rank=context.rank, world_size=context.world_size)
    return device


class _Loss(nn.Module):
    """DDP synchronises gradients of what runs through forward(), so the loss method goes there."""

    def __init__(self, model: DrumTransformer) -> None:
        super().__init__()
        self.model = model

    def forward(self, events: Tensor, targets: Tensor) -> tuple[Tensor, dict[str, Tensor]]:
        return self.model.loss(events, targets)


def loss_function(model: DrumTransformer, context: DistributedContext, device: torch.device) -> LossFn:
    """model.loss itself, or the same loss through DistributedDataParallel when distributed."""
    if not context.enabled:
        return model.loss
    wrapped = DistributedDataParallel(_Loss(model), device_ids=[device.index] if device.type == "cuda" else None)
    return wrapped  # type: ignore[return-value]  # calling it runs _Loss.forward


def agree_max(value: float, context: DistributedContext) -> float:
    """The largest `value` over all ranks, so time-based decisions (learning rate, stop) agree."""
    if not context.enabled:
        return value
    tensor = torch.tensor([value], dtype=torch.float64)
    if dist.get_backend() == "nccl":
        tensor = tensor.cuda()
    dist.all_reduce(tensor, op=dist.ReduceOp.MAX)
    return float(tensor.item())


def weights_digest(model: nn.Module) -> str:
    """SHA-256 of every tensor of the state dict, in order: equal digests mean equal weights."""
    digest = hashlib.sha256()
    for name, tensor in model.state_dict().items():
        digest.update(name.encode())
        digest.update(tensor.detach().to("cpu", torch.float32).contiguous().numpy().tobytes())
    return digest.hexdigest()


def summary(model: nn.Module, context: DistributedContext) -> dict[str, Any]:
    """World size, this rank, and every rank's weight digest (all ranks must agree)."""
    digests: list[Any] = [None] * context.world_size
    dist.all_gather_object(digests, weights_digest(model))
    return {"world_size": context.world_size, "rank": context.rank, "weights_sha256": digests}


def teardown(context: DistributedContext) -> None:
    """Leave the process group; the barrier keeps one rank from tearing down while another still talks.

    Call it after dropping the DistributedDataParallel wrapper: a wrapper collected after its gloo
    group is destroyed aborted the process at exit ("terminate called without an active exception",
    about 1 run in 6 of tests/engine/test_train_distributed.py).
    """
    if context.enabled and dist.is_initialized():
        gc.collect()  # DDP holds reference cycles: collect a dropped wrapper now, while its group lives
        dist.barrier()
        dist.destroy_process_group()
