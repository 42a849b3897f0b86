"""Shared fixtures for engine tests: the built-in presets and a preset factory with every feel off."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mididrumigen.engine.pattern import GridHit
from mididrumigen.engine.presets import PresetRegistry, StylePreset, load_presets

PresetFactory = Callable[..., StylePreset]


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tiny_checkpoint: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The CLI on the tiny trained model, with an empty user preset folder, so a developer's
    ~/.mididrumigen never changes a test."""
    monkeypatch.setenv("MIDIDRUMIGEN_MODEL", str(tiny_checkpoint))
    monkeypatch.setenv("MIDIDRUMIGEN_PRESETS_DIR", str(tmp_path_factory.mktemp("no_user_presets")))


@pytest.fixture(scope="session")
def registry() -> PresetRegistry:
    """Built-in presets only, so a developer's ~/.mididrumigen never changes a test."""
    return load_presets(user_dirs=[])


@pytest.fixture
def make_preset() -> PresetFactory:
    """Build a preset whose feel is dry (straight, no jitter) except for the given humanize fields."""

    def _make(
        ornaments: tuple[dict[str, Any], ...] = (), kit: dict[str, int] | None = None, **humanize: Any
    ) -> StylePreset:
        raw: dict[str, Any] = {
            "id": "dry",
            "name": "Dry",
            "description": "Test preset.",
            "tempo_min": 60,
            "tempo_max": 200,
            "genres": ["rock"],
            "humanize": humanize,
            "ornaments": list(ornaments),
        }
        if kit is not None:
            raw["kit"] = kit
        return StylePreset.model_validate(raw)

    return _make


@pytest.fixture
def backbeat() -> tuple[GridHit, ...]:
    """One bar of 4/4: 8th-note hats, kick on 1 and the "and" of 3, snare on 2 and 4."""
    hits = [GridHit(0, step, "closed_hat", 80, 0.0) for step in range(0, 16, 2)]
    hits += [GridHit(0, 0, "kick", 110, 0.0), GridHit(0, 10, "kick", 100, 0.0)]
    hits += [GridHit(0, 4, "snare", 105, 0.0), GridHit(0, 12, "snare", 105, 0.0)]
    return tuple(hits)
