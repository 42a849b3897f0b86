"""Fixtures shared by every test package: a tiny model trained for real on a few Groove files."""

from __future__ import annotations

from pathlib import Path

import pytest

from mididrumigen.engine.data_location import FETCH_HINT, find_groove, groove_candidates
from mididrumigen.engine.train import TrainConfig, train


@pytest.fixture(scope="session")
def groove_dir() -> Path:
    """The dataset where `mididrumigen data fetch` puts it, or beside the checkout (../shared/data/groove)."""
    found = find_groove()
    if found is None:
        pytest.skip(f"Groove MIDI Dataset not found in {' or '.join(map(str, groove_candidates()))}; {FETCH_HINT}")
    return found


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory: pytest.TempPathFactory, groove_dir: Path) -> Path:
    """A 1-layer, 32-wide model trained for 30 steps on 12 real performances: the real code
    path (data -> tokenizer -> training -> checkpoint) in a few seconds, not a useful drummer."""
    out = tmp_path_factory.mktemp("model") / "tiny.pt"
    train(
        TrainConfig(data=groove_dir, out=out, steps=30, batch_size=8, eval_every=30, d_model=32, n_layer=1,
                    n_head=2, context=128, limit_files=12, seed=7),
        show_progress=False,
    )
    return out
