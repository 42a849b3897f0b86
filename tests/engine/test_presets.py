"""Preset YAML loading: built-ins, validation at load time, user overrides and style lookup."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from mididrumigen.engine.constants import DEFAULT_KIT, GENRES, VOICES
from mididrumigen.engine.errors import PresetError, UnknownStyleError
from mididrumigen.engine.presets import (
    BUILTIN_PRESETS_DIR,
    PATTERN_ENERGY,
    PRESETS_DIR_ENV,
    PresetRegistry,
    StylePreset,
    default_user_dirs,
    load_preset_file,
    load_presets,
)
from mididrumigen.engine.schema import PatternType

VALID: dict[str, Any] = {
    "id": "house_cat",
    "name": "House Cat",
    "description": "A user style.",
    "tempo_min": 118,
    "tempo_max": 126,
    "genres": ["dance"],
}


def _write(folder: Path, name: str, data: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


def test_builtins_load_cleanly_sorted_by_name(registry: PresetRegistry) -> None:
    assert registry.problems == ()
    assert [s.id for s in registry.styles] == ["j_dilla", "metro_boomin", "questlove"]
    assert [s.name for s in registry.styles] == sorted(s.name for s in registry.styles)


def test_builtins_are_complete_and_match_their_file_names(registry: PresetRegistry) -> None:
    for style in registry.styles:
        assert (BUILTIN_PRESETS_DIR / f"{style.id}.yaml").is_file()
        assert set(style.kit) == set(VOICES)
        assert set(style.genres) <= set(GENRES)
        assert style.tempo_min <= style.tempo_max


def test_builtin_feels(registry: PresetRegistry) -> None:
    dilla, metro, quest = (registry.resolve(i) for i in ("j_dilla", "metro_boomin", "questlove"))
    assert (dilla.tempo_min, dilla.tempo_max, dilla.genres) == (82, 98, ("hiphop", "soul"))
    assert (metro.tempo_min, metro.tempo_max, metro.genres) == (130, 160, ("hiphop",))
    assert (quest.tempo_min, quest.tempo_max, quest.genres) == (85, 105, ("hiphop", "soul", "funk"))
    assert dilla.humanize.voice_timing_ms["snare"] > quest.humanize.voice_timing_ms["snare"] > 0
    assert quest.humanize.voice_timing_ms["kick"] == 0
    assert [o.type for o in metro.ornaments] == ["hat_roll"]
    assert metro.ornaments[0].probability == 0.25 and metro.ornaments[0].divisions == (8, 6)
    assert dilla.ornaments == () and quest.ornaments == ()


@pytest.mark.parametrize("query", ["J Dilla", "j_dilla", "j-dilla", "J-DILLA", "  j  dilla "])
def test_resolve_accepts_id_or_name_any_case(registry: PresetRegistry, query: str) -> None:
    assert registry.resolve(query).id == "j_dilla"


def test_resolve_unknown_lists_known_styles(registry: PresetRegistry) -> None:
    with pytest.raises(UnknownStyleError) as info:
        registry.resolve("metro")
    assert info.value.field == "style"
    for name in ("J Dilla", "Metro Boomin", "Questlove"):
        assert name in str(info.value)
    with pytest.raises(UnknownStyleError, match="no styles are loaded"):
        PresetRegistry(styles=()).resolve("j_dilla")


def test_tempo_warning(registry: PresetRegistry) -> None:
    dilla = registry.resolve("j_dilla")
    assert dilla.tempo_warning(140) == "tempo 140 is outside J Dilla's preferred range 82-98 BPM"
    assert dilla.tempo_warning(97.5) is None
    assert dilla.tempo_warning(82) is None and dilla.tempo_warning(98) is None
    assert "81.5" in (dilla.tempo_warning(81.5) or "")


def test_pattern_energy_covers_every_pattern_type() -> None:
    assert set(PATTERN_ENERGY) == set(PatternType)
    assert PATTERN_ENERGY[PatternType.INTRO] == PATTERN_ENERGY[PatternType.OUTRO] == "low"
    assert PATTERN_ENERGY[PatternType.VERSE] == PATTERN_ENERGY[PatternType.BRIDGE] == "mid"
    assert PATTERN_ENERGY[PatternType.CHORUS] == "high"


def test_partial_kit_keeps_general_midi_for_the_rest() -> None:
    preset = StylePreset.model_validate({**VALID, "kit": {"snare": 40}})
    assert preset.kit == {**DEFAULT_KIT, "snare": 40}
    assert list(preset.kit) == list(VOICES)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"tempo_min": 130, "tempo_max": 98}, "tempo_max", "tempo_min"),
        ({"kit": {"cowbell": 56}}, "kit", "cowbell"),
        ({"kit": {"snare": 128}}, "kit.snare", "127"),
        ({"genres": ["trap"]}, "genres", "trap"),
        ({"genres": []}, "genres", "at least 1"),
        ({"id": "J Dilla"}, "id", "pattern"),
        ({"colour": "red"}, "colour", "Extra inputs"),
        ({"humanize": {"swing_percent": 80}}, "humanize.swing_percent", "75"),
        ({"humanize": {"ghost_velocity": [40, 20]}}, "humanize.ghost_velocity", "low <= high"),
        ({"humanize": {"voice_timing_ms": {"tambourine": 5}}}, "humanize.voice_timing_ms", "tambourine"),
        ({"humanize": {"jitter": 5}}, "humanize.jitter", "Extra inputs"),
        ({"humanize": {"velocity_floor": {"cowbell": 50}}}, "humanize.velocity_floor", "cowbell"),
        ({"humanize": {"velocity_floor": {"kick": 0}}}, "humanize.velocity_floor.kick", "1"),
        ({"humanize": {"velocity_floor": {"kick": 128}}}, "humanize.velocity_floor.kick", "127"),
        ({"ornaments": [{"type": "hat_roll", "probability": 1.5}]}, "ornaments.0.probability", "1"),
        (
            {"ornaments": [{"type": "hat_roll", "probability": 0.5, "divisions": [5]}]},
            "ornaments.0.divisions.0",
            "8",
        ),
        ({"ornaments": [{"type": "fill", "probability": 0.5}]}, "ornaments.0.type", "hat_roll"),
    ],
)
def test_invalid_presets_raise_at_load(change: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        StylePreset.model_validate({**VALID, **change})
    first = info.value.errors()[0]
    assert ".".join(str(p) for p in first["loc"]) == field
    assert words in first["msg"]


def test_presets_are_frozen(registry: PresetRegistry) -> None:
    with pytest.raises(ValidationError):
        registry.resolve("questlove").tempo_min = 1


def test_load_preset_file_names_path_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", {**VALID, "tempo_min": 130, "tempo_max": 98})
    with pytest.raises(PresetError, match=r"bad\.yaml: tempo_max: tempo_max must be >= tempo_min \(130\)"):
        load_preset_file(path)


def test_bad_user_files_are_listed_and_the_rest_still_load(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    user = tmp_path / "presets"
    _write(user, "good.yaml", VALID)
    _write(user, "broken.yaml", "id: [unclosed\n")
    _write(user, "list.yaml", "- just\n- a list\n")
    _write(user, "empty.yml", "")
    _write(user, "genre.yaml", {**VALID, "id": "other", "genres": ["polka"]})
    _write(user, "notes.txt", "ignored: not yaml")
    with caplog.at_level(logging.WARNING, logger="mididrumigen.engine.presets"):
        loaded = load_presets([user])
    assert [s.id for s in loaded.styles] == ["house_cat", "j_dilla", "metro_boomin", "questlove"]
    assert len(loaded.problems) == 4
    by_file = {Path(p.split(": ", 1)[0]).name: p for p in loaded.problems}
    assert set(by_file) == {"broken.yaml", "list.yaml", "empty.yml", "genre.yaml"}
    assert ": yaml: " in by_file["broken.yaml"]
    assert by_file["list.yaml"].endswith("file: must be a mapping of preset fields, got list")
    assert by_file["empty.yml"].endswith("got empty")
    assert ": genres: unknown genre 'polka'" in by_file["genre.yaml"]
    assert [r.levelno for r in caplog.records if r.levelno >= logging.WARNING] == []  # the caller reports them, once


def test_user_preset_overrides_builtin_and_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    user = tmp_path / "mine"
    _write(
        user, "dilla.yaml", {**VALID, "id": "j_dilla", "name": "J Dilla", "tempo_min": 70, "tempo_max": 90}
    )
    with caplog.at_level(logging.INFO, logger="mididrumigen.engine.presets"):
        loaded = load_presets([user])
    assert loaded.problems == ()
    assert len(loaded.styles) == 3
    assert loaded.resolve("J Dilla").tempo_min == 70
    assert any("overrides" in r.getMessage() and "j_dilla" in r.getMessage() for r in caplog.records)


def test_missing_user_dir_is_fine_and_a_file_is_a_problem(tmp_path: Path) -> None:
    assert load_presets([tmp_path / "nope"]).problems == ()
    not_a_dir = _write(tmp_path, "file.yaml", VALID)
    loaded = load_presets([not_a_dir])
    assert loaded.problems == (f"{not_a_dir}: folder: is not a directory",)
    assert len(loaded.styles) == 3


def test_default_user_dir_comes_from_env_or_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PRESETS_DIR_ENV, str(tmp_path))
    assert default_user_dirs() == (tmp_path,)
    _write(tmp_path, "cat.yaml", VALID)
    assert load_presets().resolve("house-cat").id == "house_cat"

    monkeypatch.delenv(PRESETS_DIR_ENV)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_user_dirs() == (tmp_path / "home" / ".mididrumigen" / "presets",)
    assert [s.id for s in load_presets().styles] == ["j_dilla", "metro_boomin", "questlove"]
