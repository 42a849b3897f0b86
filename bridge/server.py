"""Transport layer: the UDP socket, the --allow filter, size checks, and the network threads.

`osc-receiver` only moves datagrams from the socket into an in-memory inbox, so a burst does not
overflow the kernel's buffer while requests are handled; `osc-server` takes them from there. Datagrams are filtered by sender address, size-checked, parsed (bridge.osc) and handed to the
dispatcher; replies leave through `UdpOutbox` on the same socket, so they come from the daemon's port.
"""

from __future__ import annotations

import ipaddress
import logging
import queue
import socket
import threading
from collections.abc import Sequence
from typing import Final

from mididrumigen.bridge.constants import MAX_REPLY_BYTES, MAX_REQUEST_BYTES
from mididrumigen.bridge.dispatcher import Dispatcher, ReplyTarget
from mididrumigen.bridge.errors import OscBuildError, OscParseError
from mididrumigen.bridge.osc.message import OscMessage, build_message
from mididrumigen.bridge.osc.packet import parse_packet
from mididrumigen.bridge.osc.types import cut_utf8
from mididrumigen.bridge.rate_limited_log import RateLimitedLog
from mididrumigen.bridge.reply_budget import ReplyBudget

log = logging.getLogger(__name__)

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

LOOPBACK_NETWORKS: Final[tuple[IpNetwork, ...]] = (
    ipaddress.ip_network("127.0.0.0/8"),
    ipaddress.ip_network("::1/128"),
)
_RECV_BYTES: Final = 65536  # read whole datagrams, then refuse the long ones ourselves
RECEIVE_BUFFER_BYTES: Final = 16 << 20
"""What the socket asks the kernel for: room for a burst of ~16,000 small requests."""
_KERNEL_BYTES_PER_DATAGRAM: Final = 1024
"""What the kernel charges a small queued datagram against the buffer (its bookkeeping, not its size)."""
_POLL_S: Final = 0.2
MAX_INBOX_DATAGRAMS: Final = 65536
"""Received datagrams waiting to be handled (at most 8 KB each, ~100 bytes for a small request);
beyond this a datagram is dropped with a throttled warning."""


class AllowList:
    """The sender addresses served: loopback always, plus the --allow networks."""

    def __init__(self, networks: Sequence[IpNetwork] = ()) -> None:
        self.networks = (*LOOPBACK_NETWORKS, *networks)

    def allows(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address in network for network in self.networks)


class UdpOutbox:
    """Sends replies on the server's socket; build, budget and network failures are logged, never raised.

    Three rules keep the daemon from being turned against anyone: nothing is sent to the daemon's
    own address (it would answer itself for ever), every datagram fits MAX_REPLY_BYTES (text is cut,
    never sent oversize), and each host gets at most its `ReplyBudget` of bytes.
    """

    def __init__(self, sock: socket.socket, budget: ReplyBudget | None = None) -> None:
        self._sock = sock
        self.budget = budget if budget is not None else ReplyBudget()
        self._failures = RateLimitedLog(log)
        self._refused = RateLimitedLog(log)
        self._lock = threading.Lock()
        self.sent_count = 0
        self.sent_bytes = 0
        self.refused_count = 0

    def send(self, target: ReplyTarget, message: OscMessage) -> None:
        try:
            data = encode_reply(message)
        except Exception as error:  # an encoding bug must cost one reply, never the thread that sends it
            self._refuse("could not encode %s: %s", message.address, error)
            return
        if self._is_own_address(target):
            self._refuse("did not send %s to %s:%d: that is this daemon's own address", message.address,
                         target.host, target.port)
            return
        if not self.budget.spend(target.host, len(data)):
            self._refuse("did not send %s to %s: over its reply budget of %d bytes/s", message.address,
                         target.host, int(self.budget.bytes_per_s))
            return
        try:
            self._sock.sendto(data, (target.host, target.port))
        except OSError as error:
            self._failures.warning("could not send %s to %s:%d: %s", message.address, target.host, target.port, error)
            return
        with self._lock:
            self.sent_count += 1
            self.sent_bytes += len(data)

    def _refuse(self, text: str, *args: object) -> None:
        with self._lock:
            self.refused_count += 1
        self._refused.warning(text, *args)

    def _is_own_address(self, target: ReplyTarget) -> bool:
        try:
            own_host, own_port = self._sock.getsockname()[:2]
        except OSError:
            return False
        if target.port != own_port:
            return False
        if target.host == own_host or own_host in ("0.0.0.0", "::"):
            return True
        try:
            return ipaddress.ip_address(target.host.split("%", 1)[0]).is_loopback
        except ValueError:
            return False


def encode_reply(message: OscMessage, max_bytes: int = MAX_REPLY_BYTES) -> bytes:
    """Encode a reply within `max_bytes`, cutting its longest text argument if it would not fit.

    Raises:
        OscBuildError: an argument cannot be encoded, or the reply does not fit even with its text cut.
    """
    data = build_message(message)
    args = list(message.args)
    while len(data) > max_bytes:
        texts = [(len(arg.encode("utf-8", errors="replace")), i) for i, arg in enumerate(args) if isinstance(arg, str)]
        longest, index = max(texts, default=(0, -1))
        if longest <= 3:
            raise OscBuildError(f"{message.address} is {len(data)} bytes, over the {max_bytes}-byte reply limit")
        args[index] = cut_utf8(str(args[index]), max(0, longest - (len(data) - max_bytes)))
        data = build_message(OscMessage(message.address, tuple(args)))
    return data


def deepen_receive_buffer(sock: socket.socket) -> int:
    """Give the socket a receive buffer that holds a burst of 10,000 small requests.

    The kernel charges each queued datagram ~1 KB however small it is, so 10,000 requests need
    ~10 MB. Linux caps SO_RCVBUF at net.core.rmem_max (often 208 KB) unless the process may use
    SO_RCVBUFFORCE; other systems refuse sizes over their own cap, so smaller sizes are tried.

    Returns:
        The buffer size the kernel granted, in bytes (logged; a warning says how to raise it).
    """
    options = [option for option in (getattr(socket, "SO_RCVBUFFORCE", None), socket.SO_RCVBUF) if option]
    for size in (RECEIVE_BUFFER_BYTES >> halving for halving in range(5)):
        for option in options:
            try:
                sock.setsockopt(socket.SOL_SOCKET, option, size)
            except OSError:
                continue  # not permitted (FORCE without CAP_NET_ADMIN) or over this system's cap
            if sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) >= size:
                return _report_receive_buffer(sock)
    return _report_receive_buffer(sock)


def _report_receive_buffer(sock: socket.socket) -> int:
    granted = int(sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
    if granted < RECEIVE_BUFFER_BYTES // 2:
        log.warning(
            "the OSC socket's receive buffer is %d KB, not the %d KB asked for: a burst of more than about %d "
            "requests may lose some (on Linux: sysctl -w net.core.rmem_max=%d)",
            granted // 1024, RECEIVE_BUFFER_BYTES // 1024, granted // _KERNEL_BYTES_PER_DATAGRAM, RECEIVE_BUFFER_BYTES,
        )
    else:
        log.debug("OSC receive buffer: %d KB", granted // 1024)
    return granted


def _socket_for(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        deepen_receive_buffer(sock)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        if hasattr(socket, "SIO_UDP_CONNRESET"):
            # Windows reports an earlier reply's "port unreachable" on the next recvfrom: turn that off.
            sock.ioctl(socket.SIO_UDP_CONNRESET, False)  # type: ignore[attr-defined]
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.settimeout(_POLL_S)
    return sock


class OscServer:
    """Receives datagrams on a bound socket (thread `osc-receiver`) and dispatches them (thread `osc-server`).

    Args:
        sock: the bound socket, from `OscServer.bind` (whose outbox the dispatcher replies through).
        dispatcher: routes parsed messages.
        allow: which senders are served.
        budget: the outbox's reply budget, credited with every allowed sender's bytes in.
    """

    def __init__(
        self, sock: socket.socket, dispatcher: Dispatcher, allow: AllowList, budget: ReplyBudget | None = None
    ) -> None:
        self._sock = sock
        self._dispatcher = dispatcher
        self._allow = allow
        self._budget = budget
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._inbox: queue.SimpleQueue[tuple[bytes, str] | None] = queue.SimpleQueue()
        self._receive_failures = RateLimitedLog(log)
        self._overflow = RateLimitedLog(log)
        self.overflow_count = 0
        self._dropped = RateLimitedLog(log)
        self._malformed = RateLimitedLog(log)
        self.received_count = 0
        self.dropped_count = 0
        self.malformed_count = 0

    @staticmethod
    def bind(host: str, port: int) -> tuple[socket.socket, UdpOutbox]:
        """Bind the socket (port 0 picks a free one) and make the outbox that replies from it.

        Raises:
            OSError: the address cannot be bound (in use, or not an address of this machine).
        """
        sock = _socket_for(host, port)
        return sock, UdpOutbox(sock)

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._sock.getsockname()[:2]
        return str(host), int(port)

    @property
    def receive_buffer_bytes(self) -> int:
        """The socket's receive buffer as the kernel granted it (see `deepen_receive_buffer`)."""
        return int(self._sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))

    def handle_datagram(self, data: bytes, sender_host: str) -> None:
        """Filter, size-check, parse and dispatch one datagram (what the thread does for each)."""
        self.received_count += 1
        if not self._allow.allows(sender_host):
            self.dropped_count += 1
            self._dropped.warning("dropped a datagram from %s: not in --allow", sender_host)
            return
        if self._budget is not None:
            self._budget.credit(sender_host, len(data))
        try:
            if len(data) > MAX_REQUEST_BYTES:
                raise OscParseError(f"datagram of {len(data)} bytes is over the {MAX_REQUEST_BYTES}-byte limit")
            messages = parse_packet(data)
        except OscParseError as error:
            self.malformed_count += 1
            self._malformed.warning("malformed datagram from %s (%d bytes): %s", sender_host, len(data), error)
            self._dispatcher.reject_datagram(sender_host, str(error))
            return
        self._dispatcher.dispatch_datagram(messages, sender_host)

    def _receive_forever(self) -> None:
        """Move datagrams from the kernel into the inbox until `stop`; nothing else, so a burst is
        taken off the socket's buffer as fast as it arrives and waits in memory instead of being dropped."""
        inbox = self._inbox
        while not self._stopping.is_set():
            try:
                data, sender = self._sock.recvfrom(_RECV_BYTES)
            except TimeoutError:
                continue
            except ConnectionResetError:
                continue  # Windows: an ICMP "port unreachable" for an earlier reply
            except OSError as error:
                if self._stopping.is_set():
                    break
                self._receive_failures.warning("receive failed: %s", error)
                continue
            if self._stopping.is_set():
                break
            if inbox.qsize() >= MAX_INBOX_DATAGRAMS:
                self.overflow_count += 1
                self._overflow.warning("dropped a datagram from %s: %d are waiting to be handled", sender[0],
                                       MAX_INBOX_DATAGRAMS)
                continue
            inbox.put((data, str(sender[0])))
        inbox.put(None)  # tells serve_forever to return

    def serve_forever(self) -> None:
        """Handle inbox datagrams until `stop`; a bad datagram or a handler bug never ends the loop."""
        while True:
            item = self._inbox.get()
            if item is None or self._stopping.is_set():
                return
            data, host = item
            try:
                self.handle_datagram(data, host)
            except Exception:
                log.exception("unexpected error on a datagram from %s", host)

    def start(self) -> None:
        if self._threads:
            raise RuntimeError("the server is already started")
        self._threads = [
            threading.Thread(target=self._receive_forever, name="osc-receiver", daemon=True),
            threading.Thread(target=self.serve_forever, name="osc-server", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        log.info("OSC server listening on %s:%d", *self.address)

    def stop(self) -> None:
        """Stop receiving; the socket stays open so last replies (cancellations) can still leave."""
        self._stopping.set()
        if any(thread.is_alive() for thread in self._threads):
            self._wake()
        for thread in self._threads:
            thread.join(timeout=2 * _POLL_S + 1.0)
        self._inbox.put(None)  # in case the receiver was never started

    def _wake(self) -> None:
        """Send the socket an empty datagram so a blocked recvfrom returns now, not at the next poll."""
        host, port = self.address
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1" if host == "0.0.0.0" else "::1"
        try:
            self._sock.sendto(b"", (host, port))
        except OSError as error:
            log.debug("could not wake the server socket: %s", error)

    def close(self) -> None:
        """Stop receiving and close the socket; no reply can leave after this."""
        self.stop()
        self._sock.close()
        log.info(
            "OSC server stopped: %d datagrams, %d dropped, %d malformed",
            self.received_count, self.dropped_count, self.malformed_count,
        )
