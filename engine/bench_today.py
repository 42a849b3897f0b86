"""`bench --today`: the generation path this project had before ONNX Runtime (issue #16), for the
"vs today" ratios: torch eager under inference_mode, its own sampler with torch draws, and the model
shipped with it, loaded from this checkout's git history into the same process.

Timing today's path in the same run as the runtimes is the only honest baseline on a shared machine:
the torch runtime of this code is not it (it takes its cache as numpy input and is ~1.2x slower), and
a figure remembered from another day moves with the machine's load by 2x. Needs git and torch.
"""

from __future__ import annotations

import importlib
import io
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from mididrumigen.engine.dependencies import require
from mididrumigen.engine.errors import EngineError

TODAY_REF: Final = "850275a^1"
"""main just before ONNX Runtime was merged (its first parent): torch eager, inference_mode, one
thread, torch's top-p and multinomial, and the stage-3 model shipped then."""

_SOURCES: Final = ("engine", "presets", "models/mididrumigen.pt")
_NAMESPACE = re.compile(r"\bmididrumigen\.(engine|presets|models)\b")


class TodayUnavailable(EngineError):
    """Today's path cannot be loaded here (no git checkout, history without that commit, or no torch)."""


def _source_root() -> Path:
    return Path(__file__).resolve().parent.parent


def _extract(ref: str, into: Path, package: str) -> Path:
    """Write the ref's engine, presets and model under `into/package`, imports renamed to that package."""
    try:
        archive = subprocess.run(["git", "-C", str(_source_root()), "archive", ref, *_SOURCES],
                                 check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        raise TodayUnavailable(f"bench --today needs a git checkout holding {ref}: "
                               f"{detail.decode(errors='replace').strip() or error}") from error
    root = into / package
    with tarfile.open(fileobj=io.BytesIO(archive)) as bundle:
        bundle.extractall(root, filter="data")
    (root / "__init__.py").write_text("", encoding="utf-8")
    for source in root.rglob("*.py"):
        source.write_text(_NAMESPACE.sub(rf"{package}.\1", source.read_text(encoding="utf-8")), encoding="utf-8")
    return root


class TodayPath:
    """Today's engine, ready to generate a pattern by style, bars and seed; reports events generated."""

    def __init__(self, ref: str = TODAY_REF) -> None:
        require("bench --today", "torch")
        self.ref = ref
        self._folder = tempfile.TemporaryDirectory(prefix="mididrumigen-today-")
        package = "mididrumigen_today_" + re.sub(r"\W", "_", ref)
        root = _extract(ref, Path(self._folder.name), package)
        sys.path.append(self._folder.name)  # a name of its own: it shadows nothing, and stays for lazy imports
        generate: Any = importlib.import_module(f"{package}.engine.generate")
        schema: Any = importlib.import_module(f"{package}.engine.schema")
        self._parse: Callable[[dict[str, Any]], Any] = schema.parse_request
        self._engine = generate.Engine(root / "models" / "mididrumigen.pt")

    def generate(self, style: str, bars: int, seed: int) -> int:
        """Generate one pattern the way today's `generate` did; returns the events it sampled."""
        return int(self._engine.generate(self._parse({"style": style, "bars": bars, "seed": seed})).tokens_generated)

    def close(self) -> None:
        if self._folder.name in sys.path:
            sys.path.remove(self._folder.name)
        self._folder.cleanup()
