"""`mididrumigen train` under torchrun: two CPU processes (gloo) end with identical weights."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mididrumigen.engine.checkpoint import load_checkpoint
from mididrumigen.engine.distributed import DistributedContext, from_environment

from .support import plain_midi_folder

WORKER = Path(__file__).with_name("ddp_worker.py")


def test_two_gloo_ranks_end_with_identical_weights(tmp_path: Path) -> None:
    data = plain_midi_folder(tmp_path / "midi")
    out = tmp_path / "run"
    out.mkdir()
    # --standalone: a local rendezvous on a free port, so parallel test runs never collide.
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
               str(WORKER), str(data), str(out)]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr[-3000:]
    records = [json.loads((out / f"rank{rank}.json").read_text()) for rank in (0, 1)]
    for rank, record in enumerate(records):
        assert record["world_size"] == 2 and record["rank"] == rank
        digests = record["weights_sha256"]
        assert len(digests) == 2 and digests[0] == digests[1]
    assert records[0]["weights_sha256"] == records[1]["weights_sha256"]
    # Only rank 0 evaluated and saved; its checkpoint says how it was trained.
    assert "validation" in records[0] and "validation" not in records[1]
    saved = load_checkpoint(out / "ddp.pt").training
    assert saved["world_size"] == 2 and saved["step"] in (2, 4)


def test_without_torchrun_training_is_single_process(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WORLD_SIZE", "RANK", "LOCAL_RANK"):
        monkeypatch.delenv(name, raising=False)
    assert from_environment() == DistributedContext(rank=0, local_rank=0, world_size=1)
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("RANK", "3")
    with pytest.raises(ValueError, match="RANK must be in range 0..1"):
        from_environment()
