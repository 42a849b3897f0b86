"""Crafted checkpoints (issue 15): the declared config is checked against limits and the stored
tensors before any model is built; the CLI and `serve` answer each with one line and exit 2."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import torch

from mididrumigen.bridge.cli import main_serve
from mididrumigen.engine.checkpoint import load_checkpoint
from mididrumigen.engine.cli import main
from mididrumigen.engine.errors import CheckpointError


def crafted(tmp_path: Path, tiny_checkpoint: Path, change: Any, name: str = "crafted.pt") -> Path:
    payload = torch.load(tiny_checkpoint, map_location="cpu", weights_only=True)
    change(payload)
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def no_weights(**sizes: Any) -> Any:
    def change(payload: dict[str, Any]) -> None:
        payload["model_config"].update(sizes)
        payload["state_dict"] = {}
    return change


def set_config(**sizes: Any) -> Any:
    return lambda payload: payload["model_config"].update(sizes)


def poison_first_weight(payload: dict[str, Any]) -> None:
    name = next(iter(payload["state_dict"]))
    payload["state_dict"][name][0] = float("nan")


CASES = [
    (no_weights(d_model=4096, n_head=16), "model_config.d_model must be between 8 and 1024, got 4096"),
    (no_weights(d_model=1024, n_layer=32, n_head=16), "the declared model has about 402,653,184 parameters"),
    (no_weights(), "weights the declared model needs are missing"),
    (set_config(n_head=0), "model_config.n_head must be between 1 and 64, got 0"),
    (set_config(n_head=-2), "model_config.n_head must be between 1 and 64, got -2"),
    (set_config(n_head=3), "must be a multiple of n_head (3)"),
    (set_config(context=1), "model_config.context must be between 32 and 4096, got 1"),
    (set_config(n_layer=True), "model_config.n_layer must be a whole number, got bool"),
    (set_config(dropout=float("nan")), "model_config.dropout must be at least 0 and below 1, got nan"),
    (set_config(n_voices=3), "model_config.n_voices is 3, but its tokenizer needs 9"),
    (lambda payload: payload.__setitem__("model_config", [1, 2]), "model_config must be a mapping, got list"),
    (poison_first_weight, "holds NaN or infinite values"),
    (lambda payload: payload.__setitem__("training", ["step", 3]), "training must be a mapping, got list"),
]


@pytest.mark.parametrize(("change", "words"), CASES, ids=[words[:30] for _, words in CASES])
def test_crafted_configs_are_one_checkpoint_error(tmp_path: Path, tiny_checkpoint: Path, change: Any,
                                                  words: str) -> None:
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(crafted(tmp_path, tiny_checkpoint, change))
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_generate_and_serve_exit_2_with_one_line(tmp_path: Path, tiny_checkpoint: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = crafted(tmp_path, tiny_checkpoint, set_config(context=1))
    assert main(["generate", "--style", "j_dilla", "--model", str(path), "--out", str(tmp_path / "x.mid")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: model checkpoint {path}: model_config.context must be between 32 and 4096, got 1"
    training = crafted(tmp_path, tiny_checkpoint, lambda p: p.__setitem__("training", 7), "training.pt")
    assert main_serve(["--checkpoint", str(training), "--port", "0", "--no-midi", "--log-level", "ERROR",
                       "--output-dir", str(tmp_path / "clips")]) == 2
    err = capsys.readouterr().err
    assert f"mididrumigen serve: model checkpoint {training}: training must be a mapping, got int\n" in err
    assert "Traceback" not in err
