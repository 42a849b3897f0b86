"""Every constant of the OSC protocol (v1) and the daemon's defaults, defined once."""

from __future__ import annotations

from typing import Final

DEFAULT_HOST: Final = "127.0.0.1"
"""Loopback by default: binding beyond it is an explicit choice that comes with --allow."""

DEFAULT_PORT: Final = 7710
DEFAULT_REPLY_PORT: Final = 7711
"""Replies go to the sender's host on this port unless the request names `reply_port`."""
DEFAULT_HTTP_PORT: Final = 7712
"""The HTTP API and browser studio (`serve --http-port`, 0 turns it off)."""
DEFAULT_BROKER_SLOTS: Final = 8
"""With --broker: jobs in flight to the Celery workers at once; more wait in the daemon's own queue."""
DEFAULT_KEEP_HOURS: Final = 24.0
"""The daemon's .mid files older than this are deleted on a timer (`serve --keep-hours`, 0 keeps them)."""

DEFAULT_MIDI_PORT_NAME: Final = "MidiDrumiGen"
DEFAULT_QUEUE_SIZE: Final = 32
DEFAULT_HISTORY_SIZE: Final = 256
"""Finished jobs kept so /mdg/status and /mdg/resend work after the fact."""

MAX_REPLY_BYTES: Final = 4000
"""Every datagram the daemon sends stays under this: Max's [udpreceive] takes 4 KB whole."""

MAX_REQUEST_BYTES: Final = 8192
"""Datagrams longer than this are dropped before any parsing: no request needs more."""

MAX_BUNDLE_DEPTH: Final = 4
MAX_MESSAGES_PER_DATAGRAM: Final = 64
MAX_ARGUMENTS: Final = 256

ADDRESS_PREFIX: Final = "/mdg"
PING: Final = "/mdg/ping"
PONG: Final = "/mdg/pong"
STYLES: Final = "/mdg/styles"
STYLE: Final = "/mdg/style"
STYLES_END: Final = "/mdg/styles/end"
GENERATE: Final = "/mdg/generate"
QUEUED: Final = "/mdg/queued"
PROGRESS: Final = "/mdg/progress"
NOTES: Final = "/mdg/notes"
DONE: Final = "/mdg/done"
ERROR: Final = "/mdg/error"
STATUS: Final = "/mdg/status"
CANCEL: Final = "/mdg/cancel"
CANCELLED: Final = "/mdg/cancelled"
RESEND: Final = "/mdg/resend"
PLAY: Final = "/mdg/play"
STOP: Final = "/mdg/stop"
TRANSPORT: Final = "/mdg/transport"

DAEMON_KEYS: Final[frozenset[str]] = frozenset({"output", "request_id", "reply_port"})
"""/mdg/generate keys the daemon consumes itself; every other key goes to engine.schema.parse_request."""

MAX_REQUEST_ID_CHARS: Final = 64
MAX_STRING_REPLY_BYTES: Final = 1000
"""Free text in a reply (a description, an error) is cut to this many UTF-8 bytes, at a character
boundary, so the datagram stays small whatever script the text is in."""

PLAYBACK_SPIN_S: Final = 0.001
"""The player sleeps on a condition until this close to a note, then yields in a tight loop:
condition waits alone overshoot by up to a millisecond on a busy machine."""

GIL_SWITCH_INTERVAL_S: Final = 0.0005
"""The daemon shortens CPython's 5 ms GIL switch interval: a thread that wants the interpreter
waits up to one interval while another runs Python code, and the playback thread must send a
note within a millisecond while the worker samples. Forced switches only happen when a second
thread is waiting, so the worker's throughput is unaffected the rest of the time."""
