"""`mididrumigen train`: tokenize drum MIDI, train the transformer, evaluate on validation, save.

Reads top to bottom like nanoGPT's train.py; the pieces it reuses live in dataset.py and model.py.
The best checkpoint by validation loss is written atomically, so an interrupted run never leaves a
half-written model behind; at the end the kept checkpoint is exported for the ONNX runtime. Under `torchrun` the same command trains data-parallel (engine.distributed):
--batch-size is per process, and only rank 0 evaluates and saves.
"""

from __future__ import annotations

import itertools
import logging
import math
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import torch
from tqdm import tqdm

from mididrumigen.engine import distributed
from mididrumigen.engine.checkpoint import load_checkpoint, save_checkpoint
from mididrumigen.engine.constants import GENRES
from mididrumigen.engine.data import load_performances
from mididrumigen.engine.dataset import BarTable, CropSampler, bar_tables, energy_thresholds, validation_batches
from mididrumigen.engine.errors import CheckpointError
from mididrumigen.engine.export import export_checkpoint
from mididrumigen.engine.meter_augment import MeterAugmenter, evaluation_tables
from mididrumigen.engine.model import DrumTransformer, ModelConfig, build_model
from mididrumigen.engine.tokenizer import Tokenizer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainConfig:
    data: Path
    out: Path
    steps: int = 3000
    batch_size: int = 32
    learning_rate: float = 1e-3
    min_learning_rate: float = 1e-4
    warmup_steps: int = 100
    weight_decay: float = 0.1
    eval_every: int = 250
    max_minutes: float = 60.0
    seed: int = 1234
    device: str | None = None
    d_model: int = 192
    n_layer: int = 4
    n_head: int = 4
    context: int = 256
    dropout: float = 0.1
    limit_files: int = 0  # 0 = all; a small number makes a quick smoke run
    init_from: Path | None = None  # continue from this checkpoint's weights (same data, same model shape)
    genre_balance: float = 0.0  # 0: crops drawn per bar; > 0: small genres more often, and the best
    # checkpoint is chosen by the genre-balanced validation loss (see dataset.crop_weights)
    meter_features: bool = True  # the model's meter-position embeddings (model.MeterPosition)
    meter_share: float = 0.0  # > 0: this share of crops re-barred into other meters (engine.meter_augment);
    # a checkpoint is then kept only within REAL_LOSS_TOLERANCE of the start's real validation loss,
    # and chosen by the loss on validation takes re-barred in the measured meters


Batches = list[tuple[torch.Tensor, torch.Tensor]]

REAL_LOSS_TOLERANCE = 1.01
"""Meter training may cost the real (4/4) validation loss at most 1% (issue #11)."""
METER_VALIDATION_BARS = 4
"""Bars per re-barred validation take: enough to measure every meter, quick enough to run at each evaluation."""


@dataclass(frozen=True)
class EvalResult:
    loss_per_event: float  # nats per predicted event
    bits_per_hit: float  # total negative log-likelihood in bits, divided by the number of hits
    events: int
    hits: int
    balanced_loss_per_event: float = math.nan  # the mean over genres of each genre's nats per event


@torch.no_grad()
def evaluate(model: DrumTransformer, batches_by_genre: dict[str, Batches], device: torch.device) -> EvalResult:
    """Validation likelihood over every bar of the validation split, pooled and per genre."""
    model.eval()
    nats, events, hits = 0.0, 0, 0
    genre_losses = []
    for batches in batches_by_genre.values():
        genre_nats, genre_events = 0.0, 0
        for inputs, targets in batches:
            _, stats = model.loss(inputs.to(device), targets.to(device))
            genre_nats += float(stats["nats"])
            genre_events += int(stats["events"])
            hits += int(stats["hits"])
        nats += genre_nats
        events += genre_events
        if genre_events:
            genre_losses.append(genre_nats / genre_events)
    model.train()
    balanced = sum(genre_losses) / len(genre_losses) if genre_losses else math.nan
    return EvalResult(nats / max(events, 1), nats / max(hits, 1) / math.log(2), events, hits, balanced)


def _validation_by_genre(tables: list[BarTable], tokenizer: Tokenizer, config: TrainConfig, n_offsets: int
                         ) -> dict[str, Batches]:
    genres = sorted({t.performance.genre for t in tables})
    return {genre: validation_batches([t for t in tables if t.performance.genre == genre], tokenizer,
                                      config.context, config.batch_size, n_offsets) for genre in genres}


def _selection_loss(result: EvalResult, config: TrainConfig) -> float:
    """What picks the best checkpoint: the loss of the distribution the run trains on."""
    return result.balanced_loss_per_event if config.genre_balance > 0 else result.loss_per_event


def _meter_validation(tables: list[BarTable], tokenizer: Tokenizer, config: TrainConfig, n_offsets: int
                      ) -> dict[str, Batches]:
    """Validation takes re-barred in each measured meter, batched per meter (pooled like genres)."""
    by_meter = evaluation_tables(tables, max_bars=METER_VALIDATION_BARS)
    return {meter: validation_batches(found, tokenizer, config.context, config.batch_size, n_offsets)
            for meter, found in by_meter.items() if found}


def _better(result: EvalResult, meter: EvalResult | None, start_real: float, best: float,
            config: TrainConfig) -> float | None:
    """The new selection score if this evaluation should be kept, else None.

    With meter training, the score is the meter loss (mean over meters), but only while the real
    validation loss stays within REAL_LOSS_TOLERANCE of where the run started."""
    if meter is None:
        score = _selection_loss(result, config)
    elif _selection_loss(result, config) > start_real * REAL_LOSS_TOLERANCE:
        return None
    else:
        score = meter.balanced_loss_per_event
    return score if score < best else None


def _learning_rate(step: int, minutes: float, config: TrainConfig) -> float:
    """Linear warm-up, then cosine decay to the minimum over the step or time budget, whichever ends first."""
    if step < config.warmup_steps:
        return config.learning_rate * (step + 1) / config.warmup_steps
    by_steps = (step - config.warmup_steps) / max(1, config.steps - config.warmup_steps)
    progress = min(1.0, max(by_steps, minutes / config.max_minutes))
    return config.min_learning_rate + 0.5 * (1 + math.cos(math.pi * progress)) * (config.learning_rate - config.min_learning_rate)


def load_tables(config: TrainConfig, split: str) -> list[BarTable]:
    found = load_performances(config.data, split)
    performances = list(itertools.islice(found, config.limit_files) if config.limit_files else found)
    if not performances:
        raise ValueError(f"no {split} performances found under {config.data}")
    return bar_tables(performances)


def _load_initial_weights(model: DrumTransformer, tokenizer: Tokenizer, path: Path) -> None:
    """Copy a checkpoint's weights into `model`, refusing one built for other data or another shape.

    A checkpoint without the meter-position embeddings may start a run with them: they begin at zero,
    so the run starts from exactly the checkpoint's behaviour."""
    loaded = load_checkpoint(path)
    if loaded.tokenizer.to_dict() != tokenizer.to_dict():
        raise CheckpointError(f"{path} was trained with another vocabulary or energy thresholds than this data gives")
    gains_meter = not loaded.model.config.meter_features and model.config.meter_features
    if replace(loaded.model.config, meter_features=model.config.meter_features) != model.config:
        raise CheckpointError(f"{path} has model shape {loaded.model.config}, this run asks for {model.config}")
    missing, unexpected = model.load_state_dict(loaded.model.state_dict(), strict=not gains_meter)
    if unexpected or any(not name.startswith("meter_position.") for name in missing):
        raise CheckpointError(f"{path} does not match this model: missing {missing[:3]}, unexpected {unexpected[:3]}")


def train(config: TrainConfig, show_progress: bool = True) -> dict[str, Any]:
    """Train a model and save its best checkpoint to `config.out`. Returns the training record.

    Under torchrun every rank returns its record; rank 0's is the one saved, and each adds
    world_size, its rank and every rank's weight digest (see engine.distributed).
    """
    context = distributed.from_environment()
    torch.manual_seed(config.seed)  # the same on every rank, so every rank starts from the same weights
    device = distributed.setup(context, config.device)
    if context.is_main:
        log.info("training config: %s", asdict(config))
    train_tables = load_tables(config, "train")
    val_tables = load_tables(config, "validation")
    # Every known genre gets a token, so presets can name any of them whatever the data subset.
    genres = sorted(set(GENRES) | {t.performance.genre for t in train_tables + val_tables})
    tokenizer = Tokenizer(genres=genres, energy_thresholds=energy_thresholds(train_tables))
    model_config = ModelConfig(
        n_special=tokenizer.n_special, context=config.context, n_layer=config.n_layer,
        n_head=config.n_head, d_model=config.d_model, dropout=config.dropout, meter_features=config.meter_features,
    )
    model = build_model(model_config).to(device)
    if config.init_from is not None:
        _load_initial_weights(model, tokenizer, config.init_from)
    if context.is_main:
        log.info("model: %d parameters, device %s, %d process(es)", model.num_parameters(), device, context.world_size)
    compute_loss = distributed.loss_function(model, context, device)
    # Each rank draws its own crops; rank 0's stream is the single-process run's.
    sampler = CropSampler(train_tables, tokenizer, config.context, config.seed + context.rank,
                          genre_balance=config.genre_balance,
                          reshaped=lambda rng: MeterAugmenter(train_tables, rng, config.genre_balance).draw, reshaped_share=config.meter_share)
    val_batches = (_validation_by_genre(val_tables, tokenizer, config, model_config.n_offsets)
                   if context.is_main else {})
    meter_batches = (_meter_validation(val_tables, tokenizer, config, model_config.n_offsets)
                     if context.is_main and config.meter_share > 0 else {})

    def evaluate_meters() -> EvalResult | None:
        return evaluate(model, meter_batches, device) if meter_batches else None

    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate,
                                  weight_decay=config.weight_decay, betas=(0.9, 0.95))
    record: dict[str, Any] = {
        "train_config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
        "train_files": len(train_tables),
        "validation_files": len(val_tables),
        "parameters": model.num_parameters(),
        "device": str(device),
        "torch": str(torch.__version__),
    }
    if context.enabled:
        record["world_size"] = context.world_size
    best, start_real = math.inf, math.inf
    if config.init_from is not None and context.is_main:
        # A continued run only ever saves weights better than the ones it started from.
        start = evaluate(model, val_batches, device)
        start_meter = evaluate_meters()
        start_real = _selection_loss(start, config)
        best = start_meter.balanced_loss_per_event if start_meter is not None else start_real
        record["init_from"] = {"path": str(config.init_from), "validation": asdict(start)}
        if start_meter is not None:
            record["init_from"]["meter_validation"] = asdict(start_meter)
        log.info("continuing from %s: validation %.4f nats/event (selection %.4f)", config.init_from,
                 start.loss_per_event, best)
    started = time.monotonic()
    model.train()
    progress = tqdm(range(config.steps), desc="training", disable=not (show_progress and context.is_main), unit="step")
    for step in progress:
        # Every rank must use the same learning rate and stop at the same step: they agree on the time.
        minutes = distributed.agree_max((time.monotonic() - started) / 60, context)
        for group in optimizer.param_groups:
            group["lr"] = _learning_rate(step, minutes, config)
        inputs, targets = sampler.batch(config.batch_size, model_config.n_offsets)
        loss, _ = compute_loss(inputs.to(device), targets.to(device))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        progress.set_postfix(loss=f"{loss.item():.3f}")
        last_step = step == config.steps - 1 or minutes >= config.max_minutes
        if ((step + 1) % config.eval_every == 0 or last_step) and context.is_main:
            result = evaluate(model, val_batches, device)
            meter = evaluate_meters()
            log.info("step %d: validation %.4f nats/event, %.3f bits/hit, genre-balanced %.4f nats/event%s", step + 1,
                     result.loss_per_event, result.bits_per_hit, result.balanced_loss_per_event,
                     f", meters {meter.balanced_loss_per_event:.4f} nats/event" if meter is not None else "")
            selection = _better(result, meter, start_real, best, config)
            if selection is not None:
                best = selection
                record.update(step=step + 1, minutes=round(minutes, 2), validation=asdict(result))
                if meter is not None:
                    record["meter_validation"] = asdict(meter)
                save_checkpoint(config.out, model, tokenizer, record)
        if last_step:
            break
    record["total_minutes"] = round((time.monotonic() - started) / 60, 2)
    if context.enabled:
        record.update(distributed.summary(model, context))
        del compute_loss  # the DDP wrapper must go before its process group (see distributed.teardown)
        distributed.teardown(context)
    if context.is_main and config.out.is_file():  # the kept checkpoint, ready for the ONNX runtime
        export_checkpoint(config.out)
    return record
