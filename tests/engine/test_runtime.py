"""The two runtimes: the exported ONNX graphs compute the torch model's logits, fixed seeds give the
same patterns in both, a seed gives the same pattern alone or in a batch, and generating needs no torch."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mididrumigen.engine.checkpoint import load_checkpoint, save_checkpoint
from mididrumigen.engine.cli import main
from mididrumigen.engine.errors import CheckpointError, RequestError
from mididrumigen.engine.generate import SHIPPED_MODEL
from mididrumigen.engine.pattern import SamplingSettings
from mididrumigen.engine.runtime import Runtime, choose_runtime, open_runtime
from mididrumigen.engine.runtime.base import StepOutput
from mididrumigen.engine.runtime.bundle import bundle_path, graph_path, read_bundle, step_cache_inputs
from mididrumigen.engine.runtime.onnx_runtime import OnnxRuntime
from mididrumigen.engine.sampling import PatternSampler, draw
from mididrumigen.engine.tokenizer import Conditioning

CONDS = [Conditioning("hiphop", "beat", "mid", "4/4", "80-100"), Conditioning("funk", "beat", "high", "4/4", "100-120"),
         Conditioning("rock", "fill", "low", "3/4", "120-140")]
HOT = SamplingSettings(temperature=1.5, top_k=0, top_p=1.0)
PRODUCER = SamplingSettings(temperature=0.9, top_k=0, top_p=0.95)
TOLERANCE = 1e-4


@pytest.fixture(scope="module")
def runtimes(tiny_checkpoint: Path) -> dict[str, Runtime]:
    """`train` exported the tiny model next to its checkpoint; both runtimes load it."""
    return {name: open_runtime(tiny_checkpoint, name, "cpu") for name in ("onnx", "torch")}


def _fixed_inputs(runtime: Runtime) -> tuple[np.ndarray, ...]:
    """Two rows of real prefixes continued by a few hits, against a random cache of different lengths."""
    tokenizer, config = runtime.tokenizer, runtime.config
    rows = [[*tokenizer.prefix(cond), tokenizer.bar_event(), tokenizer.hit_event(4, 2, 5, 3)] for cond in CONDS[:2]]
    events = np.array(rows, dtype=np.int64)
    rng = np.random.default_rng(0)
    past = 9
    keys = rng.standard_normal((config.n_layer, 2, config.n_head, past, config.head_dim)).astype(np.float32)
    values = rng.standard_normal(keys.shape).astype(np.float32)
    mask = np.zeros((2, past), dtype=np.float32)
    mask[1, 4:] = -np.inf
    positions = np.stack([np.arange(events.shape[1]) + 9, np.arange(events.shape[1]) + 4])
    return events, positions, keys, values, mask


def test_the_runtimes_agree_on_logits_for_fixed_prefixes(runtimes: dict[str, Runtime]) -> None:
    inputs = _fixed_inputs(runtimes["torch"])
    onnx, torch_ = (runtimes[name].step(*inputs) for name in ("onnx", "torch"))
    for a, b in zip(onnx, torch_, strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, atol=TOLERANCE, rtol=0)
    steps, voices = np.array([3, 12]), np.array([0, 8])
    np.testing.assert_allclose(runtimes["onnx"].voice_logits(onnx.hidden, steps),
                               runtimes["torch"].voice_logits(onnx.hidden, steps), atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(runtimes["onnx"].detail_logits(onnx.hidden, steps, voices),
                               runtimes["torch"].detail_logits(onnx.hidden, steps, voices), atol=TOLERANCE, rtol=0)


@pytest.mark.parametrize("settings", [HOT, PRODUCER], ids=["hot", "producer"])
def test_fixed_seeds_give_the_same_patterns_in_both_runtimes(runtimes: dict[str, Runtime],
                                                             settings: SamplingSettings) -> None:
    onnx, torch_ = PatternSampler(runtimes["onnx"]), PatternSampler(runtimes["torch"])
    for seed in range(4):
        assert onnx.sample(CONDS[0], 4, 16, settings, seed, fill=True) == torch_.sample(CONDS[0], 4, 16, settings,
                                                                                        seed, fill=True)


@pytest.mark.parametrize("name", ["onnx", "torch"])
def test_a_seed_gives_the_same_pattern_alone_and_in_a_batch(runtimes: dict[str, Runtime], name: str) -> None:
    sampler = PatternSampler(runtimes[name])
    rows = [(CONDS[i % 2], seed) for i, seed in enumerate((7, 3, 11, 3, 42))]
    batch = sampler.sample_batch(rows, 4, 16, HOT, fill=True)
    alone = [sampler.sample(cond, 4, 16, HOT, seed, fill=True) for cond, seed in rows]
    assert batch == alone
    assert batch[1] == batch[3]  # the same seed and conditioning twice in one batch


class _CountingRuntime(Runtime):
    """The ONNX runtime, counting how many rows each one-event step carries."""

    def __init__(self, inner: Runtime) -> None:
        super().__init__(inner.info)
        self.inner = inner
        self.rows_per_step: list[int] = []

    def step(self, events: np.ndarray, *rest: np.ndarray) -> StepOutput:  # type: ignore[override]
        if events.shape[1] == 1:
            self.rows_per_step.append(events.shape[0])
        return self.inner.step(events, *rest)

    def voice_logits(self, hidden: np.ndarray, steps: np.ndarray) -> np.ndarray:
        return self.inner.voice_logits(hidden, steps)

    def detail_logits(self, hidden: np.ndarray, steps: np.ndarray, voices: np.ndarray) -> np.ndarray:
        return self.inner.detail_logits(hidden, steps, voices)


def test_rows_that_finish_stop_costing(runtimes: dict[str, Runtime]) -> None:
    counting = _CountingRuntime(runtimes["onnx"])
    results = PatternSampler(counting).sample_batch([(CONDS[0], seed) for seed in range(6)], 2, 16, HOT)
    # Every row is stepped once per drawn event but its last (no fill, no slide in 2 bars): no more.
    assert sum(counting.rows_per_step) == sum(generated - 1 for _, generated in results)
    assert counting.rows_per_step == sorted(counting.rows_per_step, reverse=True)
    assert counting.rows_per_step[0] == 6 and counting.rows_per_step[-1] == 1


def test_draws_use_one_stream_per_row() -> None:
    logits = np.log(np.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]]))
    settings = SamplingSettings(1.0, 0, 1.0)
    together = draw(logits, settings, [np.random.default_rng(1), np.random.default_rng(2)])
    assert together[1] == draw(logits[1:], settings, [np.random.default_rng(2)])[0]
    many = np.random.default_rng(5)
    picks = [int(draw(logits[:1], settings, [many])[0]) for _ in range(4000)]
    np.testing.assert_allclose(np.bincount(picks, minlength=3) / 4000, [0.2, 0.3, 0.5], atol=0.03)


def test_the_shipped_model_is_exported_and_matches_its_checkpoint() -> None:
    exported = read_bundle(SHIPPED_MODEL)  # refuses an export of another version of the checkpoint
    onnx = OnnxRuntime(exported)
    torch_ = open_runtime(SHIPPED_MODEL, "torch", "cpu")
    inputs = _fixed_inputs(torch_)
    for a, b in zip(onnx.step(*inputs), torch_.step(*inputs), strict=True):
        np.testing.assert_allclose(a, b, atol=TOLERANCE, rtol=0)


def test_the_step_graph_takes_each_layers_cache_as_its_own_input() -> None:
    """A stacked cache input is split into layers inside the graph, and ONNX Runtime's Split copies the
    whole cache at every step; per-layer inputs are read where they lie (engine.export)."""
    import onnxruntime as ort

    exported = read_bundle(SHIPPED_MODEL)
    inputs = [i.name for i in ort.InferenceSession(str(exported.graphs["step"])).get_inputs()]
    assert inputs == ["events", "positions", *step_cache_inputs(exported.info.config.n_layer), "past_mask"]


def test_an_export_of_the_older_format_asks_for_a_new_export(tiny_checkpoint: Path, tmp_path: Path) -> None:
    checkpoint = tmp_path / "model.pt"
    shutil.copy(tiny_checkpoint, checkpoint)
    assert main(["export", "--model", str(checkpoint)]) == 0
    document = json.loads(bundle_path(checkpoint).read_text())
    bundle_path(checkpoint).write_text(json.dumps({**document, "format": "mididrumigen-onnx/1"}))
    with pytest.raises(CheckpointError, match=r"older format \(mididrumigen-onnx/1\): run `mididrumigen export "
                                              r"--model .*model.pt` \(needs torch\) or use --runtime torch"):
        read_bundle(checkpoint)


def test_a_stale_export_is_refused(tiny_checkpoint: Path, tmp_path: Path) -> None:
    checkpoint = tmp_path / "model.pt"
    shutil.copy(tiny_checkpoint, checkpoint)
    assert main(["export", "--model", str(checkpoint)]) == 0
    assert read_bundle(checkpoint).info.config == load_checkpoint(tiny_checkpoint).model.config
    loaded = load_checkpoint(checkpoint)
    save_checkpoint(checkpoint, loaded.model, loaded.tokenizer, {**loaded.training, "step": 999})
    with pytest.raises(CheckpointError, match="another version of model.pt: run `mididrumigen export"):
        read_bundle(checkpoint)


def test_a_missing_graph_is_a_clear_error(tiny_checkpoint: Path, tmp_path: Path) -> None:
    checkpoint = tmp_path / "model.pt"
    shutil.copy(tiny_checkpoint, checkpoint)
    assert main(["export", "--model", str(checkpoint)]) == 0
    assert json.loads(bundle_path(checkpoint).read_text())["graphs"]["voice"] == "model.voice.onnx"
    graph_path(bundle_path(checkpoint), "voice").unlink()
    with pytest.raises(CheckpointError, match="lacks .*model.voice.onnx"):
        read_bundle(checkpoint)


def test_the_runtime_choice(tiny_checkpoint: Path, tmp_path: Path) -> None:
    assert choose_runtime(None, None, tiny_checkpoint) == "onnx"
    assert choose_runtime(None, "cpu", tiny_checkpoint) == "onnx"
    assert choose_runtime(None, "cuda", tiny_checkpoint) == "torch"
    assert choose_runtime("torch", None, tiny_checkpoint) == "torch"
    assert choose_runtime(None, None, tmp_path / "never_exported.pt") == "torch"  # torch is installed here
    with pytest.raises(RequestError, match="the onnx runtime runs on the cpu; use --runtime torch for cuda"):
        choose_runtime("onnx", "cuda", tiny_checkpoint)


_WITHOUT_TORCH = """
import sys
for package in ("torch", "onnx", "matplotlib", "tqdm"):  # as in the default install: importing these fails
    sys.modules[package] = None
from mididrumigen.bridge.cli import main
status = main(sys.argv[1:])
print("torch imported" if sys.modules.get("torch") is not None else "no torch")
sys.exit(status)
"""


def _without_torch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _WITHOUT_TORCH, *args], capture_output=True, text=True, timeout=120)


def test_generate_runs_without_torch(tiny_checkpoint: Path, tmp_path: Path) -> None:
    out = tmp_path / "clip.mid"
    done = _without_torch("generate", "--style", "j_dilla", "--bars", "2", "--seed", "3", "--variations", "2",
                          "--model", str(tiny_checkpoint), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("no torch")
    assert (tmp_path / "clip_1.mid").stat().st_size > 0 and (tmp_path / "clip_2.mid").stat().st_size > 0


@pytest.mark.parametrize("command", [["train"], ["eval"], ["eval", "--section", "clip"], ["export"],
                                     ["generate", "--style", "j_dilla", "--runtime", "torch"]])
def test_a_command_that_needs_torch_says_so_in_one_line(command: list[str], tmp_path: Path) -> None:
    done = _without_torch(*command, "--out", str(tmp_path / "x")) if command[0] != "export" else _without_torch(
        *command)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "needs torch, which is not installed: pip install 'mididrumigen[train]'" in done.stderr


def test_plot_without_matplotlib_says_so_before_writing_anything(tmp_path: Path) -> None:
    done = _without_torch("generate", "--style", "j_dilla", "--plot", "--out", str(tmp_path / "clip.mid"))
    assert done.returncode == 2
    assert done.stderr.strip() == ("error: --plot needs matplotlib, which is not installed: "
                                   "pip install 'mididrumigen[plot]'")
    assert not (tmp_path / "clip.mid").exists()
