"""Bytes out per byte in, per request type: how much traffic one request can aim at its sender.

UDP senders can be forged, so every ratio here is a flood a small request could point at a
neighbour. Each case runs a fresh daemon on 127.0.0.1, sends its request(s) once, and sums every
datagram that comes back until the line is quiet. `bench` prints the table (issue 15).
"""

from __future__ import annotations

import socket
import struct
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from mididrumigen.bridge.config import BridgeConfig
from mididrumigen.bridge.daemon import Daemon
from mididrumigen.bridge.engine_api import PatternEngine
from mididrumigen.bridge.osc.message import OscArg, OscMessage, build_message, parse_message

USER_PRESETS: Final = 1004
"""As many user presets as the sweep that measured the worst case (25,025x)."""
_QUIET_S: Final = 0.3


@dataclass(frozen=True)
class Amplification:
    case: str
    bytes_in: int
    bytes_out: int
    datagrams_out: int

    @property
    def ratio(self) -> float:
        return self.bytes_out / self.bytes_in


def _message(address: str, *args: OscArg) -> bytes:
    return build_message(OscMessage(address, args))


def _bundle(element: bytes, count: int) -> bytes:
    return b"#bundle\x00" + b"\x00" * 7 + b"\x01" + (struct.pack(">i", len(element)) + element) * count


class _Probe:
    """A client socket that counts every byte the daemon sends back to it."""

    def __init__(self, server: tuple[str, int]) -> None:
        self.server = server
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(_QUIET_S)
        self.port = int(self.sock.getsockname()[1])

    def exchange(self, datagrams: Sequence[bytes], until_quiet: bool = True) -> tuple[int, int, list[OscMessage]]:
        """Send, then read until quiet: (bytes out, datagrams out, the messages)."""
        for data in datagrams:
            self.sock.sendto(data, self.server)
        total, messages = 0, []
        while until_quiet:
            try:
                data = self.sock.recvfrom(65536)[0]
            except TimeoutError:
                break
            total += len(data)
            messages.append(parse_message(data, max_arguments=4096))
        return total, len(messages), messages

    def close(self) -> None:
        self.sock.close()


def _done_job(probe: _Probe, bars: int) -> str:
    """Generate a job and wait for its /mdg/done, so resend has something to resend."""
    probe.sock.sendto(_message("/mdg/generate", "style", "j_dilla", "bars", bars, "seed", 1), probe.server)
    probe.sock.settimeout(60.0)
    try:
        while True:
            message = parse_message(probe.sock.recvfrom(65536)[0], max_arguments=4096)
            if message.address == "/mdg/done":
                return str(message.args[0])
            if message.address == "/mdg/error":
                raise RuntimeError(f"the bench job failed: {message.args}")
    finally:
        probe.sock.settimeout(_QUIET_S)


def _write_user_presets(folder: Path, count: int) -> None:
    for i in range(count):
        (folder / f"user_{i:04d}.yaml").write_text(
            f"id: user_{i:04d}\nname: User Style {i:04d}\n"
            f"description: {'A user style with a long one-line description. ' * 6}\n"
            "tempo_min: 80\ntempo_max: 120\ngenres: [hiphop]\n",
            encoding="utf-8",
        )


Case = tuple[str, Callable[[_Probe], list[bytes]]]


def measure_amplification(engine: PatternEngine, many_presets_engine: PatternEngine | None = None) -> list[Amplification]:
    """Every case's bytes in and out; `many_presets_engine` is the engine with USER_PRESETS more styles."""
    rows: list[Amplification] = []

    def run(case: str, chosen: PatternEngine, build: Callable[[_Probe], list[bytes]],
            prepare: Callable[[_Probe], None] | None = None) -> None:
        with tempfile.TemporaryDirectory() as folder:
            probe = _Probe(("127.0.0.1", 0))
            config = BridgeConfig(port=0, reply_port=probe.port, output_dir=Path(folder), midi=False)
            daemon = Daemon(config, chosen)
            probe.server = daemon.address
            try:
                daemon.start()
                if prepare is not None:
                    prepare(probe)
                datagrams = build(probe)
                out, count, _ = probe.exchange(datagrams)
                rows.append(Amplification(case, sum(map(len, datagrams)), out, count))
            finally:
                probe.close()
                daemon.stop()

    job: list[str] = []

    def with_job(probe: _Probe) -> None:
        job[:] = [_done_job(probe, 32)]

    styles = _message("/mdg/styles")
    run("ping", engine, lambda p: [_message("/mdg/ping")])
    run("malformed datagram", engine, lambda p: [b"\x00bad"])
    run("styles (built-in)", engine, lambda p: [styles])
    if many_presets_engine is not None:
        name = f"styles ({len(many_presets_engine.presets.styles)} styles)"
        run(name, many_presets_engine, lambda p: [styles])
        run(f"bundle of 64 styles ({len(many_presets_engine.presets.styles)})", many_presets_engine,
            lambda p: [_bundle(styles, 64)])
    run("generate 32 bars", engine, lambda p: [_message("/mdg/generate", "style", "j_dilla", "bars", 32, "seed", 2)])
    run("resend of a 32-bar job", engine, lambda p: [_message("/mdg/resend", job[0])], with_job)
    run("bundle of 64 resends", engine, lambda p: [_bundle(_message("/mdg/resend", job[0]), 64)], with_job)
    run("200 resends in a row", engine, lambda p: [_message("/mdg/resend", job[0])] * 200, with_job)
    return rows


def amplification_lines(rows: Sequence[Amplification]) -> list[str]:
    header = f"{'amplification (bytes out / bytes in)':<40}{'in':>9}{'out':>12}{'dgrams':>8}{'ratio':>10}"
    lines = [header, "-" * len(header)]
    lines += [f"{r.case:<40}{r.bytes_in:>9,}{r.bytes_out:>12,}{r.datagrams_out:>8}{r.ratio:>9.1f}x" for r in rows]
    return lines


def engines_for_bench(load: Callable[[Sequence[Path]], PatternEngine], folder: Path) -> tuple[PatternEngine,
                                                                                            PatternEngine]:
    """The bench's two engines: built-in styles only, and with USER_PRESETS user presets in `folder`."""
    _write_user_presets(folder, USER_PRESETS)
    return load(()), load((folder,))
