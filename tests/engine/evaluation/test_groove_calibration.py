"""The groove timing calibration: fitted on takes section 7 never measures, the factor with the least error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mididrumigen.engine.evaluation.clip_eval import clip_takes
from mididrumigen.engine.evaluation.corpus import load_split
from mididrumigen.engine.evaluation.groove_calibration import (
    TimingPairs,
    calibration_takes,
    fitted_shrink,
    main,
)
from tests.engine.support import names_in_split, write_drum_file

LATE_BACKBEAT = [(beat / 2 + 0.02, 42, 80) for beat in range(8)] + [(0.0, 36, 110), (1.03, 38, 105), (3.03, 38, 105)]


def test_the_fitted_factor_is_the_one_with_the_least_error() -> None:
    model_ms = np.array([10.0, -20.0, 30.0, -5.0])
    assert fitted_shrink(TimingPairs(model_ms, 0.5 * model_ms, takes=1, windows=1)) == 0.5
    assert fitted_shrink(TimingPairs(model_ms, model_ms, takes=1, windows=1)) == 1.0
    assert fitted_shrink(TimingPairs(model_ms, np.zeros(4), takes=1, windows=1)) == 0.0
    with pytest.raises(ValueError, match="no calibration hits"):
        fitted_shrink(TimingPairs(np.array([]), np.array([]), takes=0, windows=0))


def test_calibration_takes_are_the_validation_beats_section_7_leaves_out(tiny_checkpoint: Path, tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "takes"
    *measured, short = names_in_split("validation", 4)
    for name in measured:  # 8-bar hiphop takes: section 7 measures them
        write_drum_file(data / name, bars=8, tempo_bpm=90.0)
    write_drum_file(data / short, LATE_BACKBEAT, bars=5, tempo_bpm=90.0)  # too short for section 7
    performances = load_split(data, "validation")
    in_section_7 = {t.path for group in clip_takes(performances, 8).values() for t in group}
    chosen = calibration_takes(performances)
    assert [Path(t.path).name for t in chosen] == [short] and not {t.path for t in chosen} & in_section_7
    assert main(["--data", str(data), "--model", str(tiny_checkpoint)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("1 takes, 1 four-bar windows, 44 hits")  # 11 hits a bar, bar 5 left out
    assert "fitted shrink: " in printed
