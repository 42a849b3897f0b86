"""The daemon freezes its loaded heap, so a full garbage collection cannot stall playback for tens of ms.

Checked in a new interpreter: gc.freeze is process-wide, and this test process's own objects must
not decide the outcome. The engine is the real one (shipped model, ONNX Runtime), loaded through the
same EngineSlot path `serve` uses.
"""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import gc, json
from mididrumigen.bridge.worker import EngineSlot
from mididrumigen.engine.generate import Engine
from mididrumigen.engine.presets import load_presets

frozen_before = gc.get_freeze_count()
slot = EngineSlot(load_presets(), loader=lambda: Engine(runtime="onnx"))
engine = slot.load()
tracked = gc.get_objects()  # generations 0-2: what a full collection walks (the frozen ones are not there)
cycle = []
cycle.append(cycle)  # garbage a job could leave after start-up
del cycle
print(json.dumps({
    "frozen_before": frozen_before,
    "frozen_after": gc.get_freeze_count(),
    "engine_walked": any(obj is engine for obj in tracked),
    "runtime_walked": any(obj is engine.runtime for obj in tracked),
    "tracked": len(tracked),
    "collected_later": gc.collect(),
}))
"""


def test_loading_the_engine_freezes_it_out_of_full_collections_and_later_garbage_is_still_collected() -> None:
    completed = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr
    probe = json.loads(completed.stdout.strip().splitlines()[-1])
    assert probe["frozen_before"] == 0
    assert probe["frozen_after"] > 10_000  # modules, model and presets: tens of thousands of objects
    assert not probe["engine_walked"] and not probe["runtime_walked"]
    assert probe["tracked"] < probe["frozen_after"] // 10  # a full pass now walks a small remainder
    assert probe["collected_later"] >= 1  # a cycle made after start-up is still freed
