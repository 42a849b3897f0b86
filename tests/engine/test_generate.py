"""The engine's front door with the tiny trained model: exact clip length, progress, warnings, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mididrumigen.engine.pulse_check import untrained_meter_warning

from mididrumigen.engine.constants import STEPS_PER_BEAT
from mididrumigen.engine.errors import CheckpointError, RequestError, UnknownStyleError
from mididrumigen.engine.generate import Engine, default_checkpoint
from mididrumigen.engine.pattern import Pattern
from mididrumigen.engine.presets import PresetRegistry
from mididrumigen.engine.schema import GenerationRequest, parse_request


@pytest.fixture(scope="module")
def engine(tiny_checkpoint: Path, registry: PresetRegistry) -> Engine:
    return Engine(checkpoint=tiny_checkpoint, presets=registry, device="cpu")


def _request(**values: Any) -> GenerationRequest:
    return parse_request({"style": "j_dilla", "tempo": 90, "temperature": 2.0, "seed": 5, **values})


def _assert_inside_clip(pattern: Pattern) -> None:
    for note in pattern.notes:
        assert 0 <= note.start_beats
        assert note.start_beats + note.duration_beats <= pattern.length_beats + 1e-9
        assert 1 <= note.velocity <= 127


@pytest.mark.parametrize(("bars", "signature"), [(1, (4, 4)), (4, (4, 4)), (3, (7, 8)), (2, (12, 8))])
def test_generate_makes_exactly_the_requested_clip(engine: Engine, bars: int, signature: tuple[int, int]) -> None:
    numerator, denominator = signature
    request = _request(bars=bars, numerator=numerator, denominator=denominator)
    result = engine.generate(request)
    pattern = result.pattern
    assert (pattern.bars, pattern.numerator, pattern.denominator) == (bars, numerator, denominator)
    assert pattern.length_beats == bars * numerator * 4 / denominator
    assert (pattern.style_id, pattern.pattern_type, pattern.seed, pattern.tempo_bpm) == ("j_dilla", "verse", 5, 90)
    _assert_inside_clip(pattern)
    assert result.tokens_generated >= bars
    assert result.seconds >= 0
    # The tiny model never trained on re-barred meters: outside 4/4 the request is told so.
    expected = () if signature == (4, 4) else (untrained_meter_warning(numerator, denominator, meter_trained=False),)
    assert result.warnings == expected


def test_progress_rises_to_100(engine: Engine) -> None:
    calls: list[tuple[int, str]] = []
    engine.generate(_request(bars=4), progress=lambda percent, stage: calls.append((percent, stage)))
    percents = [percent for percent, _ in calls]
    assert percents == sorted(percents)
    assert percents[0] == 0 and percents[-1] == 100
    assert all(0 <= p <= 100 for p in percents)
    assert [stage for _, stage in calls if stage.startswith("bar")] == [f"bar {b}/4" for b in range(1, 5)]
    assert calls[-1][1] == "done"


def test_a_raising_progress_callback_aborts(engine: Engine) -> None:
    class Cancelled(Exception):
        pass

    def progress(percent: int, stage: str) -> None:
        if stage.startswith("bar"):
            raise Cancelled(stage)

    with pytest.raises(Cancelled, match="bar 1/8"):
        engine.generate(_request(bars=8), progress=progress)


def test_same_request_same_pattern(engine: Engine) -> None:
    assert engine.generate(_request(bars=2)).pattern == engine.generate(_request(bars=2)).pattern
    assert engine.generate(_request(bars=2, seed=6)).pattern != engine.generate(_request(bars=2)).pattern


def test_no_seed_picks_one_and_reports_it(engine: Engine) -> None:
    request = parse_request({"style": "j_dilla", "bars": 1})
    pattern = engine.generate(request).pattern
    assert 0 <= pattern.seed < 2**32
    again = engine.generate(parse_request({"style": "j_dilla", "bars": 1, "seed": pattern.seed})).pattern
    assert again == pattern


def test_tempo_outside_the_styles_range_warns(engine: Engine) -> None:
    result = engine.generate(_request(bars=1, tempo=150))
    assert len(result.warnings) == 1
    assert "tempo 150 is outside J Dilla's preferred range 82-98 BPM" in result.warnings[0]


def test_unknown_style(engine: Engine) -> None:
    with pytest.raises(UnknownStyleError, match="unknown style 'polka'") as caught:
        engine.generate(_request(style="polka"))
    assert caught.value.field == "style"


def test_style_by_name(engine: Engine) -> None:
    assert engine.generate(_request(style="Metro Boomin", bars=1)).pattern.style_id == "metro_boomin"


def test_without_humanize_every_note_is_on_the_16th_grid(engine: Engine) -> None:
    pattern = engine.generate(_request(bars=8, humanize=False)).pattern
    assert not pattern.humanized
    assert pattern.notes
    for note in pattern.notes:
        position = note.start_beats * STEPS_PER_BEAT
        assert position == pytest.approx(round(position), abs=1e-9)
    _assert_inside_clip(pattern)


def test_humanize_moves_notes_off_the_grid(engine: Engine) -> None:
    pattern = engine.generate(_request(bars=8)).pattern
    assert pattern.humanized
    positions = [n.start_beats * STEPS_PER_BEAT for n in pattern.notes]
    assert any(abs(p - round(p)) > 1e-6 for p in positions)


def test_conditioning_follows_the_request(engine: Engine, registry: PresetRegistry) -> None:
    request = _request(pattern_type="chorus", tempo=130, numerator=6, denominator=8)
    cond = engine.conditioning(request, registry.resolve("questlove"), seed=5)
    assert cond.genre in {"hiphop", "soul", "funk"}
    assert (cond.feel, cond.energy, cond.meter, cond.tempo_band) == ("beat", "high", "6/8", "120-140")
    assert engine.model_name == "tiny@30"


def test_missing_checkpoint_is_a_checkpoint_error(tmp_path: Path, registry: PresetRegistry) -> None:
    with pytest.raises(CheckpointError, match="not found"):
        Engine(checkpoint=tmp_path / "missing.pt", presets=registry, device="cpu")


def test_default_checkpoint_reads_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MIDIDRUMIGEN_MODEL", str(tmp_path / "mine.pt"))
    assert default_checkpoint() == tmp_path / "mine.pt"
    monkeypatch.delenv("MIDIDRUMIGEN_MODEL")
    assert default_checkpoint().name == "mididrumigen.pt"


def test_a_request_for_variations_is_expanded_before_the_engine_sees_it(engine: Engine) -> None:
    from mididrumigen.engine.schema import take_requests

    request = parse_request({"style": "questlove", "bars": 1, "seed": 3, "variations": 2})
    with pytest.raises(RequestError, match="a batch row is one take"):
        engine.generate(request)  # never one pattern silently standing for two
    takes = engine.generate_batch(take_requests(request))
    assert [take.pattern.seed for take in takes] == [3, 4]
