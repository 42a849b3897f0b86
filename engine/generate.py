"""The engine's front door: `generate(request, progress)` -> a humanized pattern and its metadata.

Used by the CLI and by the daemon's worker thread. The model is loaded once per (checkpoint,
device) and cached; writing a file is a separate step (engine.midi_export).
"""

from __future__ import annotations

import functools
import logging
import os
import random
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path

import torch

from mididrumigen.engine.checkpoint import LoadedModel, load_checkpoint
from mididrumigen.engine.constants import steps_per_bar
from mididrumigen.engine.errors import GenerationError
from mididrumigen.engine.humanize import humanize, quantize
from mididrumigen.engine.model import pick_device
from mididrumigen.engine.pattern import GenerationResult, Pattern
from mididrumigen.engine.presets import PATTERN_ENERGY, PresetRegistry, StylePreset, load_presets
from mididrumigen.engine.sampling import PatternSampler, SamplingSettings
from mididrumigen.engine.schema import GenerationRequest
from mididrumigen.engine.tokenizer import Conditioning, meter_of, tempo_band_of

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, str], None]
"""progress(percent 0-100, stage). It may raise to abort the job; the engine lets that propagate."""

MODEL_ENV = "MIDIDRUMIGEN_MODEL"
SHIPPED_MODEL = Path(__file__).resolve().parent.parent / "models" / "mididrumigen.pt"

INFERENCE_THREADS = 1
"""Torch intra-op threads for a process that generates. One event at a time is too small to split
across cores, and where the cores are busy (a DAW, a training run) two threads spin against each
other: measured on 2 busy cores, 2.4 ms per event with one thread against 75 ms with two. Changing
the count back and forth costs 10-60 ms each time, so the engine sets it once, for the process."""


def default_checkpoint() -> Path:
    """$MIDIDRUMIGEN_MODEL when set, else the model shipped in the repository."""
    return Path(os.environ.get(MODEL_ENV) or SHIPPED_MODEL)


@functools.lru_cache(maxsize=4)
def _load_cached(path: Path, device: str) -> LoadedModel:
    return load_checkpoint(path, device)


class Engine:
    """A loaded model plus the style presets: everything `generate` needs."""

    def __init__(self, checkpoint: Path | None = None, presets: PresetRegistry | None = None,
                 device: str | None = None) -> None:
        self.checkpoint = Path(checkpoint or default_checkpoint()).resolve()
        self.device = str(pick_device(device))
        if self.device == "cpu":
            torch.set_num_threads(INFERENCE_THREADS)
        self.loaded = _load_cached(self.checkpoint, self.device)
        self.presets = presets if presets is not None else load_presets()
        self.sampler = PatternSampler(self.loaded.model, self.loaded.tokenizer)
        self.model_name = f"{self.checkpoint.stem}@{self.loaded.training.get('step', '?')}"

    def conditioning(self, request: GenerationRequest, style: StylePreset, seed: int) -> Conditioning:
        """The prefix for this request; a style with several genres picks one by seed."""
        genres = [g for g in style.genres if g in self.loaded.tokenizer.genres]
        if not genres:
            raise GenerationError(f"style {style.name!r} conditions on genres {list(style.genres)} "
                                  f"that the model {self.model_name} was not trained on")
        genre = random.Random(f"{seed}:genre").choice(genres)
        return Conditioning(
            genre=genre,
            feel="beat",
            energy=PATTERN_ENERGY[request.pattern_type],
            meter=meter_of(request.numerator, request.denominator),
            tempo_band=tempo_band_of(request.tempo),
        )

    def generate(self, request: GenerationRequest, progress: ProgressCallback | None = None) -> GenerationResult:
        """Generate one pattern.

        Raises:
            UnknownStyleError: the style is not loaded.
            GenerationError: the model cannot serve this style.
        """
        started = time.perf_counter()
        report = progress or (lambda percent, stage: None)
        style = self.presets.resolve(request.style)
        seed = request.seed if request.seed is not None else secrets.randbelow(2**32)
        warnings = [w for w in (style.tempo_warning(request.tempo),) if w]
        report(0, "starting")
        cond = self.conditioning(request, style, seed)
        settings = SamplingSettings(request.temperature, request.top_k, request.top_p)

        def on_bar(bar: int) -> None:
            report(5 + 85 * bar // request.bars, f"bar {bar}/{request.bars}")

        hits, events = self.sampler.sample(
            cond, request.bars, steps_per_bar(request.numerator, request.denominator), settings, seed, on_bar,
            fill=request.fill,
        )
        report(92, "humanizing" if request.humanize else "quantizing")
        shape = {"numerator": request.numerator, "denominator": request.denominator, "bars": request.bars}
        if request.humanize:
            notes = humanize(hits, style, tempo_bpm=request.tempo, seed=seed, **shape)
        else:
            notes = quantize(hits, style, **shape)
        pattern = Pattern(
            notes=notes, bars=request.bars, numerator=request.numerator, denominator=request.denominator,
            tempo_bpm=request.tempo, style_id=style.id, pattern_type=request.pattern_type.value, seed=seed,
            humanized=request.humanize,
        )
        seconds = time.perf_counter() - started
        report(100, "done")
        log.info("generated %s: %d notes, %d events in %.3fs", style.id, len(notes), events, seconds)
        return GenerationResult(pattern, events, seconds, tuple(warnings))


_default_engine: Engine | None = None
_default_lock = threading.Lock()


def default_engine() -> Engine:
    """The shared engine for the default checkpoint, created on first use."""
    global _default_engine
    with _default_lock:
        if _default_engine is None:
            _default_engine = Engine()
        return _default_engine


def generate(request: GenerationRequest, progress: ProgressCallback | None = None) -> GenerationResult:
    """Generate with the default engine (shipped model, built-in and user presets)."""
    return default_engine().generate(request, progress)
