"""Training: tiny real runs on Groove and on a plain folder of .mid files write a usable checkpoint."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from mididrumigen.engine.checkpoint import load_checkpoint
from mididrumigen.engine.cli import main
from mididrumigen.engine.constants import GENRES
from mididrumigen.engine.errors import CheckpointError
from mididrumigen.engine.train import TrainConfig, _learning_rate, train

from .support import plain_midi_folder


def test_groove_run_records_validation_bits_per_hit(tiny_checkpoint: Path, groove_dir: Path) -> None:
    # tiny_checkpoint is itself the tiny Groove run (limit_files=12, 30 steps).
    loaded = load_checkpoint(tiny_checkpoint)
    record = loaded.training
    assert record["step"] == 30
    assert record["train_files"] == 12 and record["validation_files"] == 12
    validation = record["validation"]
    assert math.isfinite(validation["bits_per_hit"]) and validation["bits_per_hit"] > 0
    assert math.isfinite(validation["loss_per_event"]) and validation["loss_per_event"] > 0
    assert validation["hits"] > 0 and validation["events"] > validation["hits"]
    assert record["train_config"]["data"] == str(groove_dir)
    assert record["parameters"] == loaded.model.num_parameters()
    # Every known genre has a token, whatever the 12 files covered.
    assert set(GENRES) <= set(loaded.tokenizer.genres)


def test_a_plain_folder_trains_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = plain_midi_folder(tmp_path / "midi")
    out = tmp_path / "models" / "plain.pt"
    code = main(["train", "--data", str(data), "--out", str(out), "--steps", "4", "--batch-size", "4",
                 "--eval-every", "2", "--d-model", "16", "--n-layer", "1", "--n-head", "2", "--context", "64",
                 "--seed", "3", "--device", "cpu"])
    assert code == 0
    loaded = load_checkpoint(out)
    record = loaded.training
    assert record["train_files"] == 4 and record["validation_files"] == 1
    assert record["step"] in (2, 4)
    assert record["validation"]["bits_per_hit"] > 0
    assert loaded.model.config.context == 64
    assert "hiphop" in loaded.tokenizer.genres  # the default label of unlabelled files
    assert f"wrote {out}: step {record['step']}" in capsys.readouterr().out


def test_genre_balance_outside_0_to_1_is_refused_before_training(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "never.pt"
    assert main(["train", "--data", str(tmp_path), "--out", str(out), "--genre-balance", "-0.5"]) == 2
    assert "genre-balance must be between 0 and 1, got -0.5" in capsys.readouterr().err
    assert not out.exists()


def test_training_is_seeded(tmp_path: Path) -> None:
    data = plain_midi_folder(tmp_path / "midi")
    records = [
        train(TrainConfig(data=data, out=tmp_path / f"{i}.pt", steps=3, batch_size=4, eval_every=3, d_model=16,
                          n_layer=1, n_head=2, context=64, seed=9, device="cpu"), show_progress=False)
        for i in range(2)
    ]
    assert records[0]["validation"] == records[1]["validation"]


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no train performances found under"):
        train(TrainConfig(data=tmp_path, out=tmp_path / "x.pt", steps=1), show_progress=False)
    assert not (tmp_path / "x.pt").exists()


def test_learning_rate_warms_up_then_decays_to_the_minimum() -> None:
    config = TrainConfig(data=Path("."), out=Path("x.pt"), steps=1100, warmup_steps=100, learning_rate=1e-3,
                         min_learning_rate=1e-4, max_minutes=60)
    assert _learning_rate(0, 0.0, config) == pytest.approx(1e-5)
    assert _learning_rate(99, 0.0, config) == pytest.approx(1e-3)
    assert _learning_rate(600, 0.0, config) == pytest.approx(5.5e-4)  # half way down the cosine
    assert _learning_rate(1100, 0.0, config) == pytest.approx(1e-4)
    # The time budget ends the schedule too: at the last minute the rate is already the minimum.
    assert _learning_rate(200, 60.0, config) == pytest.approx(1e-4)
    rates = [_learning_rate(step, 0.0, config) for step in range(100, 1100, 50)]
    assert rates == sorted(rates, reverse=True)


def _tiny_config(data: Path, out: Path, **changes: object) -> TrainConfig:
    settings: dict[str, object] = dict(data=data, out=out, steps=4, batch_size=4, eval_every=2, d_model=16,
                                       n_layer=1, n_head=2, context=64, seed=9, device="cpu")
    settings.update(changes)
    return TrainConfig(**settings)  # type: ignore[arg-type]


def test_a_continued_run_starts_from_the_checkpoint_and_never_saves_worse(tmp_path: Path) -> None:
    data = plain_midi_folder(tmp_path / "midi")
    first = tmp_path / "first.pt"
    record = train(_tiny_config(data, first), show_progress=False)
    second = tmp_path / "second.pt"
    continued = train(_tiny_config(data, second, init_from=first, learning_rate=1e-4), show_progress=False)
    start = continued["init_from"]["validation"]["loss_per_event"]
    assert start == pytest.approx(record["validation"]["loss_per_event"])  # the same weights, scored again
    if second.exists():  # written only when some evaluation beat the starting point
        assert load_checkpoint(second).training["validation"]["loss_per_event"] < start


def test_a_genre_balanced_run_is_judged_by_the_genre_balanced_loss(tmp_path: Path) -> None:
    data = plain_midi_folder(tmp_path / "midi")
    record = train(_tiny_config(data, tmp_path / "balanced.pt", genre_balance=0.5), show_progress=False)
    validation = record["validation"]
    assert math.isfinite(validation["balanced_loss_per_event"]) and validation["balanced_loss_per_event"] > 0
    assert load_checkpoint(tmp_path / "balanced.pt").training["train_config"]["genre_balance"] == 0.5


def test_a_continued_run_refuses_another_model_shape(tmp_path: Path) -> None:
    data = plain_midi_folder(tmp_path / "midi")
    first = tmp_path / "first.pt"
    train(_tiny_config(data, first), show_progress=False)
    with pytest.raises(CheckpointError, match="model shape"):
        train(_tiny_config(data, tmp_path / "second.pt", init_from=first, d_model=32), show_progress=False)
    assert not (tmp_path / "second.pt").exists()
