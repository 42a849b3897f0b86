"""`mididrumigen eval` end to end on a tiny subset: the report's files and structure, and the shipped model's lead."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from mididrumigen.engine.checkpoint import load_checkpoint
from mididrumigen.engine.cli import main
from mididrumigen.engine.dataset import bar_tables
from mididrumigen.engine.evaluation.baselines import measure_likelihood
from mididrumigen.engine.evaluation.corpus import generate_patterns, load_split
from mididrumigen.engine.generate import SHIPPED_MODEL, Engine
from mididrumigen.engine.humanize import humanize
from mididrumigen.engine.presets import PresetRegistry
from tests.engine.support import names_in_split, write_drum_file


@pytest.fixture(autouse=True)
def _no_user_presets(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("MIDIDRUMIGEN_PRESETS_DIR", str(tmp_path_factory.mktemp("no_user_presets")))


def test_eval_writes_the_report_on_a_tiny_subset(tiny_checkpoint: Path, groove_dir: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report"
    code = main(["eval", "--data", str(groove_dir), "--model", str(tiny_checkpoint), "--out", str(out),
                 "--limit-files", "12", "--per-style", "2", "--ngram-order", "2", "--songs", "1"])
    assert code == 0
    assert f"wrote {out / 'report.md'}" in capsys.readouterr().out
    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics) == {"model", "config", "data", "likelihood", "classifier", "styles", "targets", "seconds",
                            "clip", "meters", "meter_patterns_per_style"}
    assert list(metrics["meters"]) == ["3/4", "5/4", "6/8", "7/8", "9/8", "12/8", "6/4", "7/4", "15/16"]
    for meter in metrics["meters"].values():
        assert meter["generated"]["bars"] == 3 * 4 * metrics["meter_patterns_per_style"]
        assert set(meter["holds"]) == {"last_beat", "downbeat", "empty_beat"}
    assert sum(row["target"].startswith("meter ") for row in metrics["targets"]) == 9 * 3
    likelihood = metrics["likelihood"]
    for key in ("model_bits_per_hit", "unconditioned_bits_per_hit", "improvement_over_ngram"):
        assert math.isfinite(likelihood[key])
    assert set(likelihood["ngram_bits_per_hit"]) == {"compound", "factored"}
    assert set(metrics["styles"]) == {"j_dilla", "metro_boomin", "questlove"}
    for style_id, style in metrics["styles"].items():
        assert style["patterns"] == 2
        assert set(style["oa"]) >= {"hits", "kick", "syncopation", "swing_percent", "ghost_rate", "repetition"}
        assert {"generated", "ceiling", "ratio", "model_only"} <= set(style["oa"]["hits"])
        assert {"figure", "declared", "low", "high", "measured", "ok"} <= set(style["feel"][0])
        assert style["fills"]["generated_fill_bars"] == 2  # every 4-bar pattern ends with a fill bar
        assert {"generated_fill_mean", "generated_groove_mean", "real_fill_mean", "oa", "ceiling", "ratio"} <= set(
            style["fills"]["hits"])
        assert style["songs"]["songs"] == 1 and style["songs"]["section_end_fills"] == 1.0
        assert {"returning", "different", "energy_density", "density_ordered", "within"} <= set(style["songs"])
        assert (out / f"features_{style_id}.png").stat().st_size > 0
        assert (out / f"piano_{style_id}.png").read_bytes()[:4] == b"\x89PNG"
    # Questlove conditions on funk, which the first 12 files of each split hold.
    assert metrics["styles"]["questlove"]["covered"]
    assert 0.0 < metrics["styles"]["questlove"]["oa"]["hits"]["ceiling"] <= 1.0
    assert metrics["targets"][0]["target"].startswith("likelihood")
    report = (out / "report.md").read_text()
    for heading in ("## Targets (issue 5)", "## 1. Likelihood", "## 2. Groove match", "## 3. Style fidelity",
                    "## 4. Feel", "## 5. Fills", "## 6. Groove structure", "## 8. Songs",
                    "## 9. Every time signature filled"):
        assert heading in report


def test_eval_section_clip_alone_measures_continue_groove_and_vary(tiny_checkpoint: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "takes"
    for name in names_in_split("validation", 3):  # three 8-bar hiphop takes, none of them trained on
        write_drum_file(data / name, bars=8, tempo_bpm=90.0)
    for name in names_in_split("train", 1):
        write_drum_file(data / name, bars=8, tempo_bpm=90.0)
    out = tmp_path / "report"
    assert main(["eval", "--section", "clip", "--data", str(data), "--model", str(tiny_checkpoint), "--out", str(out),
                 "--per-style", "3"]) == 0
    assert f"wrote {out / 'clip_report.md'}" in capsys.readouterr().out
    clip = json.loads((out / "clip_metrics.json").read_text())
    assert clip["takes"] == {"hiphop": 3}
    assert set(clip["continue"]) == {"continue", "no_prompt", "prompt_looped"}
    assert clip["continue"]["prompt_looped"]["mean_ratio"] is None  # identical takes: every distance is 0
    assert clip["groove"]["none"]["velocity_mae"] == pytest.approx(15.0)  # hats 80, kicks 110 100, snares 105 vs 100
    assert clip["groove"]["model"]["notes"] == 3 * 4 * 12
    assert list(clip["groove"]) == ["model", "model_unscaled", "model_and_preset", "preset_only", "none",
                                    "none_shifted"]
    assert clip["groove"]["none"]["timing_gain_ms"] == 0.0 and clip["groove"]["none"]["timing_spread_ms"] == 0.0
    assert set(clip["groove"]["model"]["timing_mae_ms_by_genre"]) == {"hiphop"}
    for row in clip["vary"].values():
        assert row["kept_identical"] == 1.0 and row["takes"] == 3
    report = (out / "clip_report.md").read_text()
    assert "## 7. The producer's clip" in report and "| keep kick,snare | 100.0% |" in report
    assert "closer than the grid (ms, 95% interval)" in report and "Timing MAE (ms) per genre:" in report
    assert not (out / "report.md").exists()


def test_the_recorded_hits_are_the_ones_the_pattern_was_made_from(tiny_checkpoint: Path,
                                                                  registry: PresetRegistry) -> None:
    engine = Engine(tiny_checkpoint, registry)
    style = registry.resolve("j_dilla")
    (generated,) = generate_patterns(engine, style, count=1, first_seed=11)
    pattern = generated.pattern
    assert generated.genre in style.genres
    assert humanize(generated.model_hits, style, numerator=4, denominator=4, tempo_bpm=pattern.tempo_bpm,
                    bars=pattern.bars, seed=pattern.seed) == pattern.notes


@pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason=f"the shipped model {SHIPPED_MODEL} is not present")
def test_the_shipped_model_beats_the_ngram_by_15_percent(groove_dir: Path) -> None:
    loaded = load_checkpoint(SHIPPED_MODEL)
    train = bar_tables(load_split(groove_dir, "train", 60))
    validation = bar_tables(load_split(groove_dir, "validation", 12))
    likelihood = measure_likelihood(loaded.model, loaded.tokenizer, train, validation, max_order=3)
    assert likelihood.improvement_over_ngram >= 0.15, likelihood
