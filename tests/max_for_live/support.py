"""Helpers for the Max for Live tests: the patchers as graphs, mdg_core.js driven through Node, and a UDP client.

`Patcher` reads a .maxpat (boxes and lines); `DeviceCore` runs tests/max_for_live/device_core_cli.js,
a line-oriented bridge to max_for_live/mdg_core.js, so the Python tests exercise the device's own
JavaScript; `UdpClient` sends what Max's [udpsend] would over tests/bridge/support.py's `OscTestClient`
(real UDP on 127.0.0.1, replies decoded with python-osc).
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from pythonosc.osc_message_builder import OscMessageBuilder

from tests.bridge.support import OscTestClient, Received

REPO = Path(__file__).resolve().parents[2]
DEVICE_DIR = REPO / "max_for_live"
MAIN_PATCHER = DEVICE_DIR / "MidiDrumiGen.maxpat"
TOOL_PATCHER = DEVICE_DIR / "MidiDrumiGen Generator.maxpat"
GROOVE_PATCHER = DEVICE_DIR / "MidiDrumiGen Groove.maxpat"
TOOL_PATCHERS = (TOOL_PATCHER, GROOVE_PATCHER)
PATCHERS = (MAIN_PATCHER, TOOL_PATCHER, GROOVE_PATCHER)
JS_ARGUMENT = {MAIN_PATCHER: "", TOOL_PATCHER: " tool", GROOVE_PATCHER: " groove"}
"""What [js MidiDrumiGen.js ...] is told it runs as: the MIDI Effect, the Generator, the Groove tool."""
GLUE_JS = DEVICE_DIR / "MidiDrumiGen.js"
CORE_JS = DEVICE_DIR / "mdg_core.js"
CLIP_JS = DEVICE_DIR / "mdg_clip.js"
CORE_CLI = Path(__file__).resolve().parent / "device_core_cli.js"

try:
    from mididrumigen.bridge.constants import DEFAULT_PORT, DEFAULT_REPLY_PORT
except ImportError:  # the daemon package is absent: protocol v1's documented defaults (issue 3)
    DEFAULT_PORT, DEFAULT_REPLY_PORT = 7710, 7711

LIVE_DEVICE_HEIGHT_PX = 169
"""Live shows a device's presentation in a strip this tall; anything below is cut off."""


def node_executable() -> str | None:
    return shutil.which("node")


def load_build_module() -> ModuleType:
    """max_for_live/build_amxd.py as a module (the folder is not a Python package)."""
    path = DEVICE_DIR / "build_amxd.py"
    spec = importlib.util.spec_from_file_location("build_amxd", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_amxd"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Line:
    source: str
    outlet: int
    destination: str
    inlet: int


class Patcher:
    """A .maxpat's boxes (by id) and patch lines."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.document = json.loads(path.read_text(encoding="utf-8"))
        self.patcher: dict[str, Any] = self.document["patcher"]
        self.box_list: list[dict[str, Any]] = [entry["box"] for entry in self.patcher["boxes"]]
        self.boxes: dict[str, dict[str, Any]] = {box["id"]: box for box in self.box_list}
        self.lines = [
            Line(line["patchline"]["source"][0], line["patchline"]["source"][1],
                 line["patchline"]["destination"][0], line["patchline"]["destination"][1])
            for line in self.patcher["lines"]
        ]

    def find(self, predicate: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        return [box for box in self.box_list if predicate(box)]

    def one(self, predicate: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
        found = self.find(predicate)
        assert len(found) == 1, f"{self.path.name}: expected one {what}, found {len(found)}"
        return found[0]

    def object_named(self, name: str) -> dict[str, Any]:
        """The one object box whose text starts with `name` (e.g. "udpsend")."""
        return self.one(lambda b: b["maxclass"] == "newobj" and b["text"].split()[0] == name, f"[{name}]")

    def sources_of(self, box_id: str, inlet: int | None = None) -> Iterator[dict[str, Any]]:
        for line in self.lines:
            if line.destination == box_id and (inlet is None or line.inlet == inlet):
                yield self.boxes[line.source]

    def destinations_of(self, box_id: str, outlet: int | None = None) -> Iterator[dict[str, Any]]:
        for line in self.lines:
            if line.source == box_id and (outlet is None or line.outlet == outlet):
                yield self.boxes[line.destination]

    def parameter(self, box: dict[str, Any]) -> dict[str, Any]:
        return box["saved_attribute_attributes"]["valueof"]

    def osc_message_boxes(self) -> list[dict[str, Any]]:
        """Message boxes wired into [udpsend] that carry OSC (not udpsend's own `port $1`)."""
        udpsend = self.object_named("udpsend")
        return [box for box in self.sources_of(udpsend["id"], 0)
                if box["maxclass"] == "message" and box["text"].startswith("/")]


def max_atoms(text: str, dollar_one: Any = None) -> list[Any]:
    """What a Max message box sends: its words as atoms (ints, floats, symbols), $1 replaced."""
    atoms: list[Any] = []
    for word in text.split():
        if word == "$1":
            atoms.append(dollar_one)
        elif re.fullmatch(r"-?\d+", word):
            atoms.append(int(word))
        elif re.fullmatch(r"-?\d*\.\d*", word) and word not in (".", "-."):
            atoms.append(float(word))
        else:
            atoms.append(word)
    return atoms


def js_declared_count(source: str, name: str) -> int:
    """The `inlets = N;` / `outlets = N;` a Max [js] file declares."""
    match = re.search(rf"^{name}\s*=\s*(\d+);", source, re.MULTILINE)
    assert match, f"MidiDrumiGen.js declares no {name}"
    return int(match.group(1))


def js_functions(source: str) -> set[str]:
    """Top-level functions of a Max [js] file: the messages it answers by name."""
    return set(re.findall(r"^function (\w+)\(", source, re.MULTILINE))


def core_constants() -> dict[str, Any]:
    """mdg_core.js's menus, settings and defaults, read by Node from the file itself."""
    node = node_executable()
    assert node is not None
    script = (
        "const c = require(process.argv[1]);"
        "console.log(JSON.stringify({SETTINGS: c.SETTINGS, PATTERN_TYPES: c.PATTERN_TYPES, OUTPUTS: c.OUTPUTS,"
        " DENOMINATOR_LABELS: c.DENOMINATOR_LABELS, DENOMINATORS: c.DENOMINATORS, DEFAULT_STYLES: c.DEFAULT_STYLES,"
        " DEFAULT_DAEMON_PORT: c.DEFAULT_DAEMON_PORT, DEFAULT_REPLY_PORT: c.DEFAULT_REPLY_PORT,"
        " SEED_MAX: c.SEED_MAX}));"
    )
    result = subprocess.run([node, "-e", script, str(CORE_JS)], capture_output=True, text=True, timeout=30, check=True)
    constants: dict[str, Any] = json.loads(result.stdout)
    return constants


class DeviceCore:
    """mdg_core.js in a Node process, driven one JSON command per line (see device_core_cli.js)."""

    def __init__(self) -> None:
        node = node_executable()
        assert node is not None
        self._proc = subprocess.Popen(
            [node, str(CORE_CLI)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8", bufsize=1,
        )

    def call(self, op: str, **fields: Any) -> Any:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(json.dumps({"op": op, **fields}) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            stderr = self._proc.stderr.read() if self._proc.stderr else ""
            raise RuntimeError(f"device_core_cli.js exited: {stderr}")
        answer = json.loads(line)
        if isinstance(answer, dict) and "error" in answer:
            raise RuntimeError(f"mdg_core.js: {answer['error']}")
        return answer

    def receive_all(self, replies: list[Received]) -> list[dict[str, Any]]:
        """Feed daemon replies to the session in order; every action they caused."""
        actions: list[dict[str, Any]] = []
        for reply in replies:
            actions += self.call("receive", address=reply.address, args=list(reply.args))
        return actions

    def close(self) -> None:
        if self._proc.stdin:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        for stream in (self._proc.stdout, self._proc.stderr):
            if stream:
                stream.close()


def encode(message: list[Any]) -> bytes:
    """An OSC datagram as Max's [udpsend] builds it from a message: ints as i, floats as f, symbols as s.

    JSON brings the device's JavaScript numbers over as int when whole, as Max's [js] outlets them.
    """
    builder = OscMessageBuilder(str(message[0]))
    for value in message[1:]:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise TypeError(f"a Max message holds ints, floats and symbols, got {value!r}")
        kind = "i" if isinstance(value, int) else "f" if isinstance(value, float) else "s"
        builder.add_arg(value, kind)
    return builder.build().dgram


class UdpClient:
    """Plays the device's network role over tests/bridge/support.py's OscTestClient: sends Max messages
    (see `encode`) to the daemon, collects every reply on its own port.

    `wait` registers nothing; callers take `mark()` before sending, then wait on a condition with a
    deadline, so a fast reply cannot be missed and no test sleeps and hopes.
    """

    def __init__(self) -> None:
        self._client = OscTestClient()
        self.port: int = self._client.port

    @property
    def server(self) -> tuple[str, int]:
        return self._client.server

    @server.setter
    def server(self, address: tuple[str, int]) -> None:
        self._client.server = address

    def send(self, message: list[Any]) -> None:
        self._client.send_raw(encode(message))

    def mark(self) -> int:
        return self._client.mark()

    def since(self, mark: int) -> list[Received]:
        return self._client.since(mark)

    def wait(self, mark: int, predicate: Callable[[Received], bool], timeout_s: float = 20.0) -> Received:
        """The first reply after `mark` that matches; AssertionError on the deadline."""
        return self._client.wait(mark, predicate, 1, timeout_s)[0]

    def close(self) -> None:
        self._client.close()


class DenseEngine:
    """A stand-in for engine.generate.Engine that writes `hits_per_beat` hits per beat.

    The tiny checkpoint writes about 90 notes in 32 bars, which fits one /mdg/notes datagram; this
    engine's 32 bars need several, so the device's chunk reassembly meets the daemon's real chunking.
    """

    model_name = "dense-test-engine"
    device = "cpu"

    def __init__(self, hits_per_beat: int = 16) -> None:
        from mididrumigen.engine.presets import load_presets

        self.presets = load_presets([])
        self.hits_per_beat = hits_per_beat

    def generate(self, request: Any, progress: Callable[[int, str], None] | None = None) -> Any:
        from mididrumigen.engine.pattern import GenerationResult, Note, Pattern

        style = self.presets.resolve(request.style)
        if progress is not None:
            progress(50, "writing")
        beats = request.bars * request.numerator * 4 / request.denominator
        step = 1.0 / self.hits_per_beat
        pitches = (36, 42, 38, 42)
        notes = tuple(
            Note(pitches[i % 4], i * step, step / 2, 1 + (i * 7 + (request.seed or 0)) % 127, "kick")
            for i in range(int(beats * self.hits_per_beat))
        )
        pattern = Pattern(notes, request.bars, request.numerator, request.denominator, request.tempo, style.id,
                          request.pattern_type.value, request.seed or 0, request.humanize)
        return GenerationResult(pattern, len(notes), 0.0)


def at(address: str, first: Any = None) -> Callable[[Received], bool]:
    return lambda r: r.address == address and (first is None or (bool(r.args) and r.args[0] == first))


@contextmanager
def running_daemon(engine: Any, client: UdpClient, output_dir: Path, **settings: Any) -> Iterator[Any]:
    """A daemon on 127.0.0.1 (a free port) running `engine`, replying to `client`; stopped at the end."""
    from mididrumigen.bridge.config import BridgeConfig
    from mididrumigen.bridge.daemon import Daemon
    from mididrumigen.bridge.midi.memory import MemoryOut

    config = BridgeConfig(host="127.0.0.1", port=0, reply_port=client.port, output_dir=output_dir, midi=False,
                          **settings)
    running = Daemon(config, engine, MemoryOut())
    client.server = running.address
    running.start()
    try:
        yield running
    finally:
        running.stop()


@contextmanager
def device_core(client: UdpClient, seed: int) -> Iterator[DeviceCore]:
    """The device's own JS in Node, reset to `seed` and replying to `client`'s port; closed at the end."""
    core = DeviceCore()
    try:
        core.call("reset", seed=seed, replyPort=client.port)
        yield core
    finally:
        core.close()


def tiny_engine(checkpoint: Path) -> Any:
    """The real engine on the tiny checkpoint with its own registry of the built-in styles."""
    from mididrumigen.engine.generate import Engine
    from mididrumigen.engine.presets import load_presets

    return Engine(checkpoint=checkpoint, presets=load_presets([]), device="cpu")
