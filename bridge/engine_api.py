"""The narrow seam between bridge and engine: what the daemon needs from an engine, and how it loads one.

The protocols below are satisfied by engine.generate.Engine and engine.presets.PresetRegistry; the
daemon takes an already-built engine (so tests inject one built on a tiny checkpoint) and only
`load_engine` imports the model stack.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from mididrumigen.engine.pattern import GenerationResult
from mididrumigen.engine.schema import GenerationRequest

if TYPE_CHECKING:  # the song modules import the sampler; the parsing layers need only the names
    from mididrumigen.engine.song import SongResult
    from mididrumigen.engine.song_form import SongRequest

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, str], None]
"""(percent 0..100, stage); raising from it aborts the generation (that is how cancel works)."""


class StyleInfo(Protocol):
    """The preset fields /mdg/style reports."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def tempo_min(self) -> int: ...
    @property
    def tempo_max(self) -> int: ...


class StyleCatalog(Protocol):
    """The loaded presets: listed by /mdg/styles and used to refuse unknown styles before queueing."""

    @property
    def styles(self) -> Sequence[StyleInfo]: ...

    def resolve(self, name_or_id: str) -> StyleInfo:
        """Raises engine.errors.UnknownStyleError."""
        ...


class PatternEngine(Protocol):
    """A loaded model. `generate` runs only on the worker thread, which owns the model."""

    @property
    def model_name(self) -> str: ...
    @property
    def device(self) -> str: ...
    @property
    def presets(self) -> StyleCatalog: ...

    def generate(
        self, request: GenerationRequest, progress: ProgressCallback | None = None
    ) -> GenerationResult:
        """Raises engine.errors.RequestError, UnknownStyleError, GenerationError."""
        ...

    def generate_batch(
        self, requests: Sequence[GenerationRequest], progress: ProgressCallback | None = None
    ) -> list[GenerationResult]:
        """A variations job's takes in one pass; each equals its request made alone. Raises as `generate`."""
        ...

    def transform(
        self, request: GenerationRequest, notes: Sequence[Any], progress: ProgressCallback | None = None
    ) -> GenerationResult:
        """Continue, groove or vary the producer's clip: `request` is an engine.clip.ClipRequest and
        `notes` its engine.clip.ClipNote values (see engine/clip.py). Raises as `generate` does."""

    def compose_song(self, request: SongRequest, progress: ProgressCallback | None = None) -> SongResult:
        """A whole song from its form; raises as `generate`."""
        ...


def load_engine(
    checkpoint: Path | None, preset_dirs: Sequence[Path], device: str | None, runtime: str | None = None
) -> PatternEngine:
    """Build the real engine: load the presets and the checkpoint once.

    Raises:
        engine.errors.CheckpointError: the checkpoint is missing or unreadable.
        engine.errors.PresetError: a preset file is invalid.
    """
    # Imported here, not at the top: it loads a runtime (ONNX Runtime or torch), which the parsing
    # and queue layers and their tests do not need.
    from mididrumigen.engine.generate import Engine
    from mididrumigen.engine.presets import load_presets

    presets = load_presets(list(preset_dirs) or None)
    for problem in presets.problems:
        log.warning("preset not loaded: %s", problem)
    engine: PatternEngine = Engine(checkpoint=checkpoint, presets=presets, device=device, runtime=runtime)
    return engine
