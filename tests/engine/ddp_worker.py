"""Run under torchrun by test_train_distributed.py: train the tiny config and write this rank's record."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from mididrumigen.engine.train import TrainConfig, train


def main(data: str, out_dir: str) -> None:
    out = Path(out_dir)
    record = train(TrainConfig(data=Path(data), out=out / "ddp.pt", steps=4, batch_size=4, eval_every=2, d_model=16,
                               n_layer=1, n_head=2, context=64, seed=5, device="cpu"), show_progress=False)
    (out / f"rank{os.environ['RANK']}.json").write_text(json.dumps(record, default=str))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
