"""Test doubles and a UDP test client that plays the Max for Live device's role.

`FakeEngine` stands in for the model where a test is about the daemon, not the music (it uses the
real built-in presets); `OscTestClient` talks real UDP on 127.0.0.1 and decodes replies with
python-osc, an independent OSC implementation, so interop is checked too.
"""

from __future__ import annotations

import dataclasses
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pythonosc.osc_message import OscMessage as PyOscMessage
from pythonosc.osc_message_builder import OscMessageBuilder

from mididrumigen.engine.constants import DEFAULT_KIT
from mididrumigen.engine.pattern import GenerationResult, Note, Pattern
from mididrumigen.engine.presets import PresetRegistry, load_presets
from mididrumigen.engine.schema import GenerationRequest

if TYPE_CHECKING:  # annotations only: tests/max_for_live reuses OscTestClient without the daemon package
    from mididrumigen.bridge.dispatcher import ReplyTarget
    from mididrumigen.bridge.osc.message import OscMessage

ProgressCallback = Callable[[int, str], None]


class FakeEngine:
    """A deterministic stand-in for engine.generate.Engine.

    Args:
        notes_per_beat: density of the pattern (one kick/snare/hat cycle per note).
        gate: when given, generate waits for it (calling progress so a cancel can abort it).
        error: when given, generate raises it after reporting progress.
    """

    model_name = "fake-model"
    device = "cpu"

    def __init__(
        self,
        notes_per_beat: int = 2,
        gate: threading.Event | None = None,
        error: Exception | None = None,
        presets: PresetRegistry | None = None,
    ) -> None:
        self.presets = presets if presets is not None else load_presets([])
        self.notes_per_beat = notes_per_beat
        self.gate = gate
        self.error = error
        self.started = threading.Event()
        self.calls = 0
        self.transformed: list[tuple[Any, tuple[Any, ...]]] = []
        self.batches: list[int] = []

    def _start(self, report: ProgressCallback, request: GenerationRequest) -> Any:
        style = self.presets.resolve(request.style)
        self.calls += 1
        report(0, "starting")
        self.started.set()
        if self.gate is not None:
            while not self.gate.wait(0.005):
                report(1, "waiting")
        if self.error is not None:
            raise self.error
        return style

    def generate(self, request: GenerationRequest, progress: ProgressCallback | None = None) -> GenerationResult:
        report = progress or (lambda percent, stage: None)
        style = self._start(report, request)
        beats = request.bars * request.numerator * 4 / request.denominator
        step = 1.0 / self.notes_per_beat
        pitches = (36, 42, 38, 42)
        seed = request.seed if request.seed is not None else 0
        notes = tuple(
            Note(pitches[(i + seed) % 4], i * step, 0.125, 60 + (i * 7 + seed) % 60, "kick")
            for i in range(int(beats * self.notes_per_beat))
        )
        report(50, "sampling")
        pattern = Pattern(notes, request.bars, request.numerator, request.denominator, request.tempo,
                          style.id, request.pattern_type.value, seed, request.humanize)
        report(100, "done")
        return GenerationResult(pattern, len(notes), 0.001)

    def generate_batch(self, requests: Sequence[GenerationRequest],
                       progress: ProgressCallback | None = None) -> list[GenerationResult]:
        """engine.generate_batch's contract: each row as `generate` makes it alone; one call for the batch."""
        self.batches.append(len(requests))
        return [self.generate(request, progress) for request in requests]

    def transform(self, request: Any, notes: Sequence[Any], progress: ProgressCallback | None = None) -> Any:
        """engine.transform's contract, made predictable: `fake_transform` says what comes back."""
        report = progress or (lambda percent, stage: None)
        style = self._start(report, request)
        self.transformed.append((request, tuple(notes)))
        drums, passthrough = fake_transform(request, notes)
        report(50, "sampling")
        bars = request.bars + (request.clip_bars if request.include_input else 0)
        pattern = Pattern(drums, bars, request.numerator, request.denominator, request.tempo, style.id,
                          request.pattern_type.value, request.seed or 0, request.humanize)
        warnings = ()
        if passthrough:
            pitches = ", ".join(str(p) for p in sorted({n.pitch for n in passthrough}))
            warnings = (f"{len(passthrough)} notes on pitches {pitches} are not drums of the kit; "
                        "passed through untouched",)
        report(100, "done")
        return GenerationResult(pattern, len(drums), 0.001, warnings, passthrough=passthrough)


def fake_transform(request: Any, notes: Sequence[Any]) -> tuple[tuple[Note, ...], tuple[Note, ...]]:
    """(drum notes, passed-through notes) the fake engine answers, so tests can predict every note.

    Notes on a kit pitch are drums; continue repeats them after the clip (after the input too with
    include_input), groove adds 1 to each velocity, vary moves the hits of voices not kept a sixteenth later.
    """
    kit = request.kit or DEFAULT_KIT
    voice_of = {pitch: voice for voice, pitch in kit.items()}
    clip_beats = request.clip_bars * request.numerator * 4 / request.denominator
    drums = [Note(n.pitch, n.start_beats, n.duration_beats, n.velocity, voice_of[n.pitch])
             for n in notes if n.pitch in voice_of]
    passthrough = tuple(Note(n.pitch, n.start_beats, n.duration_beats, n.velocity, "")
                        for n in notes if n.pitch not in voice_of)
    if request.mode == "continue":
        added = [dataclasses.replace(n, start_beats=n.start_beats + clip_beats) for n in drums]
        drums = (drums if request.include_input else []) + added
        passthrough = passthrough if request.include_input else ()
    elif request.mode == "groove":
        drums = [dataclasses.replace(n, velocity=min(127, n.velocity + 1)) for n in drums]
    else:
        drums = [n if n.voice in request.keep
                 else dataclasses.replace(n, start_beats=(n.start_beats + 0.25) % clip_beats) for n in drums]
    return tuple(drums), passthrough



class ListOutbox:
    """An Outbox that keeps what it was asked to send; `wait_for` blocks until an address is sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[ReplyTarget, OscMessage]] = []
        self._changed = threading.Condition()

    def send(self, target: ReplyTarget, message: OscMessage) -> None:
        with self._changed:
            self.sent.append((target, message))
            self._changed.notify_all()

    def addresses(self) -> list[str]:
        with self._changed:
            return [message.address for _, message in self.sent]

    def wait_for(self, address: str, timeout_s: float = 5.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: any(m.address == address for _, m in self.sent), timeout_s)


@dataclass(frozen=True)
class Received:
    """One reply as python-osc decoded it, with its datagram size and arrival time."""

    address: str
    args: tuple[Any, ...]
    size_bytes: int
    time_s: float


Predicate = Callable[[Received], bool]


def build(address: str, *args: Any) -> bytes:
    """Encode a request with python-osc's builder (ints as i, floats as f, str as s)."""
    builder = OscMessageBuilder(address)
    for value in args:
        builder.add_arg(value)
    return builder.build().dgram


class OscTestClient:
    """A UDP client on 127.0.0.1 that sends requests and collects every reply on its own port.

    `query` and `expect` register what they wait for before anything is sent, then wait on a
    condition with a deadline: no sleeping and hoping. `server` may be set later (e.g. once a daemon
    on port 0 has its address).
    """

    def __init__(self, server: tuple[str, int] = ("127.0.0.1", 0)) -> None:
        self.server = server
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self.port: int = self._sock.getsockname()[1]
        self._received: list[Received] = []
        self._arrived = threading.Condition()
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._receive, name="test-osc-client", daemon=True)
        self._thread.start()

    def _receive(self) -> None:
        while not self._closing.is_set():
            try:
                data, _ = self._sock.recvfrom(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            message = PyOscMessage(data)
            with self._arrived:
                self._received.append(Received(message.address, tuple(message.params), len(data), time.monotonic()))
                self._arrived.notify_all()

    def close(self) -> None:
        self._closing.set()
        self._thread.join(2.0)
        self._sock.close()

    def __enter__(self) -> OscTestClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def received(self) -> list[Received]:
        with self._arrived:
            return list(self._received)

    def send(self, address: str, *args: Any) -> None:
        self._sock.sendto(build(address, *args), self.server)

    def send_raw(self, data: bytes) -> None:
        self._sock.sendto(data, self.server)

    def mark(self) -> int:
        """A position in the reply stream; `wait` counts only replies after it."""
        with self._arrived:
            return len(self._received)

    def since(self, mark: int) -> list[Received]:
        """Every reply after `mark`, in arrival order."""
        with self._arrived:
            return list(self._received[mark:])

    def wait(self, since: int, predicate: Predicate, count: int = 1, timeout_s: float = 5.0) -> list[Received]:
        """Wait until `count` replies after `since` match; returns them.

        Raises:
            AssertionError: on the deadline, listing what did arrive.
        """
        deadline = time.monotonic() + timeout_s
        with self._arrived:
            while True:
                matches = [r for r in self._received[since:] if predicate(r)]
                if len(matches) >= count:
                    return matches[:count]
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(r.address, r.args[:3]) for r in self._received[since:]][-10:]
                    raise AssertionError(f"waited {timeout_s}s for {count} replies, got {len(matches)}; last: {seen}")
                self._arrived.wait(left)

    def query(self, address: str, *args: Any, reply: str | Predicate, count: int = 1,
              timeout_s: float = 5.0) -> list[Received]:
        """Send one request and wait for `count` replies at address `reply` (or matching it)."""
        predicate = reply if callable(reply) else (lambda r, a=reply: r.address == a)
        since = self.mark()  # registered before sending, so a fast reply cannot be missed
        self.send(address, *args)
        return self.wait(since, predicate, count, timeout_s)


def is_at(address: str, first_arg: Any | None = None) -> Predicate:
    """Matches replies at `address` (and with `first_arg` first, when given)."""
    return lambda r: r.address == address and (first_arg is None or (bool(r.args) and r.args[0] == first_arg))


def reassemble(replies: list[Received], job_id: str) -> list[tuple[int, float, float, int]]:
    """Rebuild a pattern from its /mdg/notes chunks 0..chunks-1, as a device does."""
    chunks = {r.args[1]: r for r in replies if r.address == "/mdg/notes" and r.args[0] == job_id}
    assert chunks, f"no /mdg/notes for {job_id}"
    total = next(iter(chunks.values())).args[2]
    assert sorted(chunks) == list(range(total)), f"chunks {sorted(chunks)} of {total}"
    notes: list[tuple[int, float, float, int]] = []
    for index in range(total):
        values = chunks[index].args[3:]
        assert len(values) % 4 == 0
        notes += [tuple(values[i : i + 4]) for i in range(0, len(values), 4)]
    return notes


def check_serve_process(process: subprocess.Popen[str], model_prefix: str) -> tuple[str, str]:
    """Drive a `mididrumigen serve` process: its two lines (bound, model ready), a ping over UDP whose
    pong names the model, then SIGTERM and exit status 0. Kills it if anything fails.

    Returns:
        The startup line and the model-ready line.
    """
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the daemon listens (or exits)
        match = re.search(r"listening on udp://127\.0\.0\.1:(\d+)", line)
        assert match, f"startup line {line!r}; stderr: {process.stderr.read() if process.stderr else ''}"
        ready = process.stdout.readline()
        assert f"model {model_prefix}@" in ready, ready
        with OscTestClient(("127.0.0.1", int(match.group(1)))) as client:
            [pong] = client.query("/mdg/ping", client.port, reply="/mdg/pong", timeout_s=10)
        assert str(pong.args[1]).startswith(f"{model_prefix}@")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        return line, ready
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def headed_notes(replies: list[Received], header_address: str,
                 notes_address: str) -> dict[int, tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """Each part of a job sent as headers with note chunks (a song's sections, a variations job's takes):
    index -> (its header's args, its notes rebuilt from chunks 0..chunks-1 of job_id index chunk chunks ...)."""
    headers = {r.args[1]: r.args for r in replies if r.address == header_address}
    out = {}
    for index, header in headers.items():
        chunks = {r.args[2]: r.args for r in replies if r.address == notes_address and r.args[1] == index}
        total = next(iter(chunks.values()))[3]
        assert sorted(chunks) == list(range(total))
        values = [v for chunk in range(total) for v in chunks[chunk][4:]]
        out[index] = (header, [tuple(values[i:i + 4]) for i in range(0, len(values), 4)])
    return out
