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
CLIP: Final = "/mdg/clip"
CONTINUE: Final = "/mdg/continue"
GROOVE: Final = "/mdg/groove"
VARY: Final = "/mdg/vary"
WARNING: Final = "/mdg/warning"
STYLE_LEARN: Final = "/mdg/style/learn"
STYLE_LEARNED: Final = "/mdg/style/learned"
CLIP_JOB_ADDRESSES: Final[dict[str, str]] = {CONTINUE: "continue", GROOVE: "groove", VARY: "vary"}
"""Each request that works on an uploaded clip, and the engine's ClipMode value it asks for."""
SONG: Final = "/mdg/song"
SONG_SECTION: Final = "/mdg/song/section"
SONG_NOTES: Final = "/mdg/song/notes"
TAKE: Final = "/mdg/take"
TAKE_NOTES: Final = "/mdg/take/notes"
"""A variations job's replies: each take's header and note chunks (bridge.take_jobs)."""

DAEMON_KEYS: Final[frozenset[str]] = frozenset({"output", "request_id", "reply_port"})
"""/mdg/generate keys the daemon consumes itself; every other key goes to engine.schema.parse_request."""

CLIP_KEYS: Final[frozenset[str]] = frozenset({"clip_bars", "keep", "keep_bars", "include_input", "kit"})
"""The keys /mdg/continue, /mdg/groove and /mdg/vary take on top of /mdg/generate's (engine.clip.ClipRequest)."""
CLIP_ID_KEY: Final = "clip_id"

MAX_CLIP_NOTES: Final = 4096
"""The most notes one uploaded clip may hold (engine.clip.MAX_CLIP_NOTES, the engine checks it again)."""
MAX_CLIP_CHUNKS: Final = 128
MAX_NOTES_PER_CHUNK: Final = (MAX_ARGUMENTS - 3) // 4
"""63: a /mdg/clip message is clip_id chunk chunks and 4 values a note, within MAX_ARGUMENTS (about 1.3 KB)."""
MAX_CLIP_ID_CHARS: Final = 64
MAX_CLIP_BEATS: Final = 32 * 32
"""The longest clip a request may name: 32 bars of 16/2 (32 beats); a note starting later is refused."""
MAX_CLIPS_PER_HOST: Final = 4
MAX_CLIP_HOSTS: Final = 16
"""Clips kept: 16 hosts x 4 clips x 4,096 notes bounds the store at about 30 MB whatever senders do."""
CLIP_EXPIRY_S: Final = 600.0
"""An upload not used within ten minutes is forgotten (the device uploads again with each request)."""

MAX_LEARN_CLIPS: Final = MAX_CLIPS_PER_HOST
"""A style is learned from at most the clips one sender can have uploaded at once."""

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
