"""Pick and open a runtime: ONNX Runtime on the CPU when it is installed and the model is exported,
torch for a GPU device or when asked (`--runtime torch`). Importing this package imports no torch."""

from __future__ import annotations

import logging
from pathlib import Path

from mididrumigen.engine.dependencies import installed, require
from mididrumigen.engine.errors import RequestError
from mididrumigen.engine.runtime.base import RUNTIMES, ModelInfo, Runtime, StepOutput
from mididrumigen.engine.runtime.bundle import bundle_path

__all__ = ["RUNTIMES", "ModelInfo", "Runtime", "StepOutput", "choose_runtime", "installed", "open_runtime"]

log = logging.getLogger(__name__)


def choose_runtime(requested: str | None, device: str | None, model: Path) -> str:
    """The runtime to use: the one asked for, else ONNX on the CPU when it can run, else torch.

    Raises:
        RequestError: an unknown runtime, or ONNX asked to run on a GPU device.
    """
    if requested is not None and requested not in RUNTIMES:
        raise RequestError("runtime", f"runtime must be one of {', '.join(RUNTIMES)}, got {requested!r}")
    if requested == "onnx" and device not in (None, "cpu"):
        raise RequestError("runtime", f"the onnx runtime runs on the cpu; use --runtime torch for {device}")
    if requested is not None:
        return requested
    if device not in (None, "cpu"):
        return "torch"
    if installed("onnxruntime") and (bundle_path(model).is_file() or not installed("torch")):
        return "onnx"
    if installed("torch"):
        log.info("no exported model next to %s; generating with torch (run `mididrumigen export` to speed it up)",
                 model)
    return "torch"


def open_runtime(model: Path, runtime: str, device: str | None = None) -> Runtime:
    """Load `model` (a checkpoint or its export) into the named runtime.

    Raises:
        CheckpointError: the model files are missing, damaged or stale.
        MissingDependencyError: the runtime's package is not installed.
    """
    if runtime == "onnx":
        from mididrumigen.engine.runtime.bundle import read_bundle
        from mididrumigen.engine.runtime.onnx_runtime import OnnxRuntime

        return OnnxRuntime(read_bundle(model))
    require("the torch runtime", "torch")
    from mididrumigen.engine.checkpoint import load_checkpoint
    from mididrumigen.engine.model import pick_device
    from mididrumigen.engine.runtime.bundle import checkpoint_path
    from mididrumigen.engine.runtime.torch_runtime import TorchRuntime

    chosen = pick_device(device)
    if not _device_available(chosen.type):
        raise RequestError("device", f"device {device} is not available to this torch build on this machine")
    checkpoint = model if model.suffix == ".pt" else checkpoint_path(bundle_path(model))
    return TorchRuntime.from_loaded(load_checkpoint(checkpoint, str(chosen)))


def _device_available(kind: str) -> bool:
    import torch

    if kind == "cuda":
        return bool(torch.cuda.is_available())
    if kind == "mps":
        return getattr(torch.backends, "mps", None) is not None and bool(torch.backends.mps.is_available())
    return True
