"""Dispatch layer: route parsed messages to handlers by address and turn refusals into /mdg/error.

Free of sockets (as python-osc keeps dispatcher.py apart from osc_server.py): replies leave through
an `Outbox`, which the UDP transport implements and tests can replace with a list.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from mididrumigen.bridge import constants as c
from mididrumigen.bridge import protocol
from mididrumigen.bridge.errors import BridgeError
from mididrumigen.bridge.osc.message import OscMessage
from mididrumigen.bridge.protocol import ErrorCode
from mididrumigen.bridge.rate_limited_log import RateLimitedLog

log = logging.getLogger(__name__)

REPLY_ADDRESSES: Final[frozenset[str]] = frozenset(
    {c.PONG, c.STYLE, c.STYLES_END, c.QUEUED, c.PROGRESS, c.NOTES, c.DONE, c.ERROR, c.CANCELLED, c.WARNING,
     c.STYLE_LEARNED}
)
"""What the daemon sends and never acts on: answering an /mdg/error with an /mdg/error is how two
daemons (or one daemon and itself) would talk for ever. /mdg/status is a request too; a status reply
sent back is refused once for its argument count, and that refusal is then dropped here."""

COSTLY_ADDRESSES: Final[frozenset[str]] = frozenset({c.GENERATE, c.RESEND, c.STYLES, c.SONG, *c.CLIP_JOB_ADDRESSES,
                                                    c.STYLE_LEARN})
"""Requests whose answers (or, for a style learn, whose work) are many times their size; a datagram or
bundle may carry one of them."""
MAX_COSTLY_PER_DATAGRAM: Final = 1


@dataclass(frozen=True)
class ReplyTarget:
    """Where replies go: the sender's host and the port it named (or the default reply port)."""

    host: str
    port: int


class Outbox(Protocol):
    """Sends one reply; must be safe to call from any thread and must never raise for network errors."""

    def send(self, target: ReplyTarget, message: OscMessage) -> None: ...


@dataclass(frozen=True)
class Request:
    """One received message and who sent it."""

    message: OscMessage
    sender_host: str
    default_reply_port: int

    @property
    def address(self) -> str:
        return self.message.address

    def reply_to(self, reply_port: int | None = None) -> ReplyTarget:
        return ReplyTarget(self.sender_host, self.default_reply_port if reply_port is None else reply_port)


class RequestRejected(BridgeError):
    """A handler refuses a request; the dispatcher answers it with /mdg/error.

    Args:
        code: the protocol error code.
        message: what was wrong, in words a producer understands.
        reply_id: the job id or request_id the error is about, or "".
        reply_port: where the sender asked for replies, when that much was understood.
    """

    def __init__(self, code: ErrorCode, message: str, reply_id: str = "", reply_port: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.reply_id = reply_id
        self.reply_port = reply_port


Handler = Callable[[Request], None]


class Dispatcher:
    """Maps /mdg addresses to handlers; one bad request never stops the next."""

    def __init__(self, outbox: Outbox, default_reply_port: int) -> None:
        self._outbox = outbox
        self._default_reply_port = default_reply_port
        self._handlers: dict[str, Handler] = {}
        self._lock = threading.Lock()
        self._refusals = RateLimitedLog(log)
        self.rejected_count = 0
        self.internal_error_count = 0
        self.ignored_count = 0

    def register(self, routes: Mapping[str, Handler]) -> None:
        """Add a domain's address table.

        Raises:
            ValueError: if an address is already taken (two domains claiming one address is a bug).
        """
        taken = set(routes) & set(self._handlers)
        if taken:
            raise ValueError(f"addresses registered twice: {sorted(taken)}")
        self._handlers.update(routes)

    @property
    def addresses(self) -> tuple[str, ...]:
        return tuple(sorted(self._handlers))

    def dispatch_datagram(self, messages: Sequence[OscMessage], sender_host: str) -> None:
        """Dispatch a datagram's messages in order, running at most MAX_COSTLY_PER_DATAGRAM costly ones.

        The costly requests left over are not run; one bad_request for the whole datagram says so,
        so a bundle of 64 resends costs one clip, not 64.
        """
        costly_run = 0
        skipped: list[str] = []
        for message in messages:
            if message.address in COSTLY_ADDRESSES:
                if costly_run >= MAX_COSTLY_PER_DATAGRAM:
                    skipped.append(message.address)
                    continue
                costly_run += 1
            self.dispatch(message, sender_host)
        if skipped:
            limit = f"a datagram may carry {MAX_COSTLY_PER_DATAGRAM} of {', '.join(sorted(COSTLY_ADDRESSES))}"
            self._refuse(
                Request(messages[0], sender_host, self._default_reply_port),
                RequestRejected(ErrorCode.BAD_REQUEST, f"{limit}; {len(skipped)} more were not run"),
            )

    def dispatch(self, message: OscMessage, sender_host: str) -> None:
        """Run the handler for one message; answer refusals and crashes with /mdg/error."""
        request = Request(message, sender_host, self._default_reply_port)
        if message.address in REPLY_ADDRESSES:
            with self._lock:
                self.ignored_count += 1
            log.debug("ignored %s from %s: the daemon sends it, it never answers it", message.address, sender_host)
            return
        handler = self._handlers.get(message.address)
        try:
            if handler is None:
                raise RequestRejected(
                    ErrorCode.BAD_REQUEST,
                    f"unknown address {message.address[:100]}; this daemon speaks the /mdg protocol v1",
                )
            handler(request)
        except RequestRejected as refusal:
            self._refuse(request, refusal)
        except Exception:
            # A handler bug must not take the network thread down; the client still gets an answer.
            with self._lock:
                self.internal_error_count += 1
            log.exception("handler for %s crashed", message.address)
            self._outbox.send(
                request.reply_to(),
                protocol.error("", ErrorCode.INTERNAL, f"the daemon failed on {message.address}; see its log"),
            )

    def _refuse(self, request: Request, refusal: RequestRejected) -> None:
        with self._lock:
            self.rejected_count += 1
        # Throttled: a hostile sweep must not turn refusals into megabytes of log.
        self._refusals.info("%s from %s refused (%s): %s", request.address[:100], request.sender_host, refusal.code,
                            refusal.message[:200])
        self._outbox.send(
            request.reply_to(refusal.reply_port), protocol.error(refusal.reply_id, refusal.code, refusal.message)
        )

    def reject_datagram(self, sender_host: str, reason: str) -> None:
        """Answer an unparseable datagram with bad_request on the default reply port."""
        self._outbox.send(
            ReplyTarget(sender_host, self._default_reply_port),
            protocol.error("", ErrorCode.BAD_REQUEST, f"not a valid OSC message: {reason}"),
        )
