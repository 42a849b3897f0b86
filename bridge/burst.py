"""A burst of small requests from many clients at once, and how many of them got an answer.

Used by `bench` (the figures in the README) and by a bounded loopback test. Every client is a real
UDP socket on 127.0.0.1; the sender sends as fast as the kernel takes the datagrams while one
receiver thread drains every client's socket, so the only losses counted are the daemon's.
"""

from __future__ import annotations

import selectors
import socket
import threading
import time
from dataclasses import dataclass

from mididrumigen.bridge.osc.message import OscMessage, build_message, parse_message

_CLIENT_RCVBUF_BYTES = 4 << 20


@dataclass(frozen=True)
class BurstResult:
    """What came back for `sent` requests: answered = queued + busy + other replies."""

    sent: int
    queued: int
    busy: int
    other: int
    seconds: float

    @property
    def answered(self) -> int:
        return self.queued + self.busy + self.other

    @property
    def answered_share(self) -> float:
        return self.answered / self.sent if self.sent else 1.0


def run_burst(server: tuple[str, int], clients: int = 20, per_client: int = 500, style: str = "Questlove",
              quiet_s: float = 1.0, timeout_s: float = 30.0) -> BurstResult:
    """Send `clients` x `per_client` one-bar /mdg/generate requests round-robin, count the answers.

    Each request names its client's port as reply_port and a request_id, so every answer is
    matched to one request; waiting ends after `quiet_s` without a reply (or at `timeout_s`).
    """
    sockets = []
    for _ in range(clients):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _CLIENT_RCVBUF_BYTES)
        sock.bind(("127.0.0.1", 0))
        sock.setblocking(False)
        sockets.append(sock)
    answers: dict[str, int] = {"queued": 0, "busy": 0, "other": 0}
    seen: set[tuple[int, str]] = set()
    last_reply = [time.monotonic()]
    done = threading.Event()

    def receive() -> None:
        selector = selectors.DefaultSelector()
        for index, sock in enumerate(sockets):
            selector.register(sock, selectors.EVENT_READ, index)
        while not done.is_set():
            for key, _ in selector.select(0.05):
                while True:
                    try:
                        data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    except BlockingIOError:
                        break
                    _count(parse_message(data, max_arguments=4096), key.data)
        selector.close()

    def _count(message: OscMessage, client: int) -> None:
        last_reply[0] = time.monotonic()
        request_id = str(message.args[1] if message.address == "/mdg/queued" else message.args[0]) \
            if message.args else ""
        if message.address == "/mdg/queued":
            kind = "queued"
        elif message.address == "/mdg/error" and len(message.args) > 1 and message.args[1] == "busy":
            kind = "busy"
        elif message.address == "/mdg/error":
            kind = "other"
        else:
            return  # progress, notes, done of the jobs that were queued
        if (client, request_id) not in seen:
            seen.add((client, request_id))
            answers[kind] += 1

    receiver = threading.Thread(target=receive, name="burst-receiver", daemon=True)
    receiver.start()
    started = time.monotonic()
    try:
        for n in range(per_client):
            for index, sock in enumerate(sockets):
                port = sock.getsockname()[1]
                request = OscMessage("/mdg/generate", ("style", style, "bars", 1, "request_id", f"r{n}",
                                                       "reply_port", port))
                while True:
                    try:
                        sock.sendto(build_message(request), server)
                        break
                    except BlockingIOError:
                        time.sleep(0.0005)  # our send buffer is full: the kernel, not the daemon, waits
        sent_at = time.monotonic()
        while time.monotonic() - last_reply[0] < quiet_s and time.monotonic() - sent_at < timeout_s:
            if sum(answers.values()) >= clients * per_client:
                break
            time.sleep(0.05)
    finally:
        done.set()
        receiver.join(2.0)
        for sock in sockets:
            sock.close()
    return BurstResult(clients * per_client, answers["queued"], answers["busy"], answers["other"],
                       time.monotonic() - started)
