"""Checkpoints: a saved model loads back identical; anything else is a CheckpointError, never a random model."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path
from typing import Any

import pytest
import torch

from mididrumigen.engine.checkpoint import CHECKPOINT_FORMAT, load_checkpoint, save_checkpoint
from mididrumigen.engine.errors import CheckpointError, EngineError
from mididrumigen.engine.model import ModelConfig, build_model
from mididrumigen.engine.tokenizer import TOKENIZER_VERSION, Tokenizer


class Payload:
    """A custom object whose unpickling would call os.mkdir(marker): code that weights_only loading must refuse."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(self.marker),))


def _payload(tiny_checkpoint: Path) -> dict[str, Any]:
    return torch.load(tiny_checkpoint, map_location="cpu", weights_only=True)


def _save(path: Path, obj: object) -> Path:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_round_trip_restores_weights_config_tokenizer_and_record(tmp_path: Path) -> None:
    tokenizer = Tokenizer(genres=("funk", "rock"), energy_thresholds=(7.0, 13.0))
    torch.manual_seed(3)
    model = build_model(ModelConfig(n_special=tokenizer.n_special, context=32, n_layer=1, n_head=2, d_model=16))
    path = save_checkpoint(tmp_path / "sub" / "model.pt", model, tokenizer, {"step": 42, "note": "test"})
    loaded = load_checkpoint(path)
    assert loaded.path == path
    assert loaded.model.config == model.config
    assert loaded.tokenizer.special_names == tokenizer.special_names
    assert loaded.tokenizer.energy_thresholds == (7.0, 13.0)
    assert loaded.training == {"step": 42, "note": "test"}
    assert not loaded.model.training  # ready for inference
    for name, tensor in model.state_dict().items():
        assert torch.equal(loaded.model.state_dict()[name], tensor), name


def test_tiny_checkpoint_loads(tiny_checkpoint: Path) -> None:
    loaded = load_checkpoint(tiny_checkpoint)
    assert loaded.model.config.context == 128
    assert loaded.training["step"] == 30


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="model checkpoint not found: .*nowhere.pt"):
        load_checkpoint(tmp_path / "nowhere.pt")


def test_a_folder_is_not_a_checkpoint(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="not found"):
        load_checkpoint(tmp_path)


def test_truncated_file(tmp_path: Path, tiny_checkpoint: Path) -> None:
    data = tiny_checkpoint.read_bytes()
    path = tmp_path / "truncated.pt"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="damaged or not a checkpoint"):
        load_checkpoint(path)


RANDOM_BYTES = bytes(random.Random(0).randrange(256) for _ in range(4096))


@pytest.mark.parametrize("content", [b"", b"not a checkpoint\n", RANDOM_BYTES], ids=["empty", "text", "random"])
def test_garbage_bytes(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "garbage.pt"
    path.write_bytes(content)
    with pytest.raises(CheckpointError, match="damaged or not a checkpoint"):
        load_checkpoint(path)


@pytest.mark.parametrize("obj", [{"a": 1}, [1, 2, 3], torch.zeros(3), {"format": "someone-else/1"}],
                         ids=["dict", "list", "tensor", "other-format"])
def test_a_torch_file_of_another_format(tmp_path: Path, obj: object) -> None:
    with pytest.raises(CheckpointError, match="not a MidiDrumiGen checkpoint"):
        load_checkpoint(_save(tmp_path / "other.pt", obj))


def test_pickled_code_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "code-ran"
    path = _save(tmp_path / "evil.pt", {"format": CHECKPOINT_FORMAT, "payload": Payload(marker)})
    with pytest.raises(CheckpointError, match="damaged or not a checkpoint.*[Ww]eights only"):
        load_checkpoint(path)
    assert not marker.exists()


def test_another_tokenizer_version(tmp_path: Path, tiny_checkpoint: Path) -> None:
    payload = _payload(tiny_checkpoint)
    payload["tokenizer"]["version"] = TOKENIZER_VERSION + 1
    with pytest.raises(CheckpointError, match=f"tokenizer version {TOKENIZER_VERSION + 1}"):
        load_checkpoint(_save(tmp_path / "future.pt", payload))


def test_weights_that_do_not_fit_the_config(tmp_path: Path, tiny_checkpoint: Path) -> None:
    payload = _payload(tiny_checkpoint)
    payload["model_config"]["d_model"] = 64
    with pytest.raises(CheckpointError, match="should have shape"):
        load_checkpoint(_save(tmp_path / "mismatch.pt", payload))


def test_unknown_config_field(tmp_path: Path, tiny_checkpoint: Path) -> None:
    payload = _payload(tiny_checkpoint)
    payload["model_config"]["rotary"] = True
    with pytest.raises(CheckpointError, match="model_config has an unknown field 'rotary'"):
        load_checkpoint(_save(tmp_path / "newer.pt", payload))


def test_model_and_tokenizer_vocabularies_disagree(tmp_path: Path, tiny_checkpoint: Path) -> None:
    payload = _payload(tiny_checkpoint)
    payload["tokenizer"]["genres"] = payload["tokenizer"]["genres"][:-1]
    with pytest.raises(CheckpointError, match="model_config.n_special is .*, but its tokenizer needs"):
        load_checkpoint(_save(tmp_path / "vocab.pt", payload))


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.pop("tokenizer"),
        lambda p: p["tokenizer"].pop("genres"),
        lambda p: p.__setitem__("tokenizer", [1]),
        lambda p: p.pop("model_config"),
        lambda p: p.pop("state_dict"),
    ],
    ids=["no-tokenizer", "tokenizer-without-genres", "tokenizer-not-a-dict", "no-config", "no-weights"],
)
def test_our_format_with_missing_parts(tmp_path: Path, tiny_checkpoint: Path, damage: Any) -> None:
    # Regression: the tokenizer was read outside the try block, so a file with our format tag but a
    # missing or malformed "tokenizer" raised a bare KeyError/AttributeError (a traceback from the CLI).
    payload = _payload(tiny_checkpoint)
    damage(payload)
    with pytest.raises(CheckpointError):
        load_checkpoint(_save(tmp_path / "partial.pt", payload))


def test_checkpoint_error_is_an_engine_error() -> None:
    assert issubclass(CheckpointError, EngineError)
