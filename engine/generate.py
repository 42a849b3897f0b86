"""The engine's front door: `generate(request, progress)` -> a humanized pattern and its metadata.

Used by the CLI and by the daemon's worker thread. The model is loaded once per (model, runtime,
device) and cached; writing a file is a separate step (engine.midi_export). Importing this module
imports no torch: the runtime is chosen and opened when an Engine is made (see engine.runtime).
"""

from __future__ import annotations

import functools
import logging
import os
import random
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mididrumigen.engine.constants import steps_per_bar
from mididrumigen.engine.errors import GenerationError, RequestError
from mididrumigen.engine.humanize import humanize, quantize
from mididrumigen.engine.kits import on_kit, unmapped_warning
from mididrumigen.engine.pattern import GenerationResult, Pattern, SamplingSettings
from mididrumigen.engine.presets import PATTERN_ENERGY, PresetRegistry, StylePreset, load_presets, phrase_fill_bars
from mididrumigen.engine.runtime import Runtime, choose_runtime, open_runtime
from mididrumigen.engine.clip import ClipNote, ClipRequest
from mididrumigen.engine.clip_transform import grid_anchors, style_prompt, transform
from mididrumigen.engine.sampling import MIN_BARS_FOR_FILL, PatternSampler
from mididrumigen.engine.schema import GenerationRequest
from mididrumigen.engine.pulse_check import untrained_meter_warning

if TYPE_CHECKING:
    from mididrumigen.engine.song import SongResult
    from mididrumigen.engine.song_form import SongRequest
from mididrumigen.engine.tokenizer import Conditioning, meter_of, tempo_band_of

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, str], None]
"""progress(percent 0-100, stage). It may raise to abort the job; the engine lets that propagate."""

MODEL_ENV = "MIDIDRUMIGEN_MODEL"
SHIPPED_MODEL = Path(__file__).resolve().parent.parent / "models" / "mididrumigen.pt"


def default_checkpoint() -> Path:
    """$MIDIDRUMIGEN_MODEL when set, else the model shipped in the repository."""
    return Path(os.environ.get(MODEL_ENV) or SHIPPED_MODEL)


@functools.lru_cache(maxsize=4)
def _open_cached(path: Path, runtime: str, device: str | None) -> Runtime:
    return open_runtime(path, runtime, device)


def _shared_shape(requests: Sequence[GenerationRequest]) -> None:
    """Rows of one batch step together, so they must agree on everything but style, tempo and seed."""
    first = requests[0]
    for request in requests[1:]:
        for name in ("bars", "numerator", "denominator", "temperature", "top_k", "top_p", "fill"):
            if getattr(request, name) != getattr(first, name):
                raise RequestError(name, f"patterns generated together must share {name}")


class Engine:
    """A loaded model in a runtime, plus the style presets: everything `generate` needs."""

    def __init__(self, checkpoint: Path | None = None, presets: PresetRegistry | None = None,
                 device: str | None = None, runtime: str | None = None) -> None:
        """Raises CheckpointError, MissingDependencyError, RequestError (a runtime that cannot serve `device`)."""
        self.checkpoint = Path(checkpoint or default_checkpoint()).resolve()
        self.runtime = _open_cached(self.checkpoint, choose_runtime(runtime, device, self.checkpoint), device)
        self.device = self.runtime.device
        self.presets = presets if presets is not None else load_presets()
        self.sampler = PatternSampler(self.runtime)
        self.model_name = f"{self.checkpoint.stem}@{self.runtime.info.training.get('step', '?')}"

    def conditioning(self, request: GenerationRequest, style: StylePreset, seed: int) -> Conditioning:
        """The prefix for this request; a style with several genres picks one by seed."""
        genres = [g for g in style.genres if g in self.runtime.tokenizer.genres]
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
        return self.generate_batch([request], progress)[0]

    def generate_batch(self, requests: Sequence[GenerationRequest],
                       progress: ProgressCallback | None = None) -> list[GenerationResult]:
        """Generate several patterns in one lock-step pass (variations); each equals its request made alone.

        Raises:
            UnknownStyleError, GenerationError: as `generate`.
            RequestError: the requests differ in length, meter, sampling or fill, or one asks for variations.
        """
        if not requests:
            return []
        if any(request.variations != 1 for request in requests):  # each row is one pattern
            raise RequestError("variations", "a batch row is one take: expand variations with "
                                             "engine.schema.take_requests first")
        _shared_shape(requests)
        started = time.perf_counter()
        report = progress or (lambda percent, stage: None)
        first = requests[0]
        styles = [on_kit(self.presets.resolve(request.style), request.kit) for request in requests]
        seeds = [request.seed if request.seed is not None else secrets.randbelow(2**32) for request in requests]
        report(0, "starting")
        conds = [self.conditioning(request, style, seed) for request, style, seed in zip(requests, styles, seeds)]
        settings = SamplingSettings(first.temperature, first.top_k, first.top_p)
        total_bars = first.bars * len(requests)

        def on_bar(done: int) -> None:
            report(5 + 85 * done // total_bars, f"bar {done}/{total_bars}")

        fills = [phrase_fill_bars(first.bars, style.phrase_bars) if first.fill and first.bars >= MIN_BARS_FOR_FILL
                 else frozenset() for style in styles]
        sampled = self.sampler.sample_batch(list(zip(conds, seeds)), first.bars,
                                            steps_per_bar(first.numerator, first.denominator), settings, on_bar,
                                            fill=first.fill, anchors=[grid_anchors(style) for style in styles],
                                            guides=[style_prompt(style, request, seed)
                                                    for style, request, seed in zip(styles, requests, seeds)],
                                            fill_bars=fills, variations=[style.variation for style in styles])
        report(92, "humanizing" if first.humanize else "quantizing")
        seconds = time.perf_counter() - started
        results = []
        for request, style, seed, cond, (hits, events) in zip(requests, styles, seeds, conds, sampled):
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
            warnings = tuple(w for w in (style.tempo_warning(request.tempo), self.meter_warning(request),
                                         unmapped_warning(request.kit)) if w)
            log.info("generated %s: %d notes, %d events", style.id, len(notes), events)
            results.append(GenerationResult(pattern, events, seconds, warnings, tuple(hits), cond.genre, settings,
                                            self.runtime.name))
        report(100, "done")
        return results

    def compose_song(self, request: SongRequest, progress: ProgressCallback | None = None) -> SongResult:
        """Compose a whole song from its form (engine.song); the model stays loaded throughout.

        Raises:
            UnknownStyleError, GenerationError: as `generate`.
        """
        from mididrumigen.engine.song import compose_song

        return compose_song(self, request, progress)

    def transform(self, request: ClipRequest, notes: Sequence[ClipNote],
                  progress: ProgressCallback | None = None) -> GenerationResult:
        """Continue, groove or vary the producer's clip (engine.clip_transform says how).

        Raises:
            RequestError: the request's fields disagree, or the clip is empty, too long or out of range.
            UnknownStyleError, GenerationError: as `generate`.
        """
        return transform(self, request, notes, progress)

    @property
    def meter_trained(self) -> bool:
        """Whether the model learned bars of every meter (meter features, trained with re-barred takes)."""
        train_config = self.runtime.info.training.get("train_config") or {}
        share = train_config.get("meter_share", 0) if isinstance(train_config, dict) else 0
        return bool(self.runtime.config.meter_features) and isinstance(share, int | float) and share > 0

    def meter_warning(self, request: GenerationRequest) -> str | None:
        """Say so where the model cannot be trusted with the meter (one never trained on re-barred takes);
        the sampler's pulse guard keeps every beat of its bars from falling silent either way."""
        return untrained_meter_warning(request.numerator, request.denominator, self.meter_trained)


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
