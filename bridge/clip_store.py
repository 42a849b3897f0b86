"""Clips uploaded in /mdg/clip chunks, kept per sender until a /mdg/continue, /groove or /vary names them.

A clip is too big for one reply-sized datagram, so a device sends it in chunks of notes. The store
assembles them by (sender host, clip_id) and says plainly what is wrong when a request names a clip
that never arrived whole: unknown, a chunk missing, or a chunk refused. Its size is bounded whatever
senders do: a few clips per host (the oldest forgotten first), a few hosts, a note cap per clip, and
an expiry, so a sender cannot fill the daemon's memory with uploads it never uses.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mididrumigen.bridge import constants as c
from mididrumigen.bridge.errors import BridgeError


@dataclass(frozen=True, slots=True)
class UploadedNote:
    """One note as the device sent it; times in beats from the clip start (checked on arrival)."""

    pitch: int
    start_beats: float
    duration_beats: float
    velocity: int


class ClipUploadError(BridgeError):
    """An upload cannot be used: unknown clip, missing chunk, too many notes, or a refused chunk."""


@dataclass
class _Upload:
    chunks_total: int
    updated_at: float
    chunks: dict[int, tuple[UploadedNote, ...]] = field(default_factory=dict)
    problem: str | None = None

    def note_count(self) -> int:
        return sum(len(notes) for notes in self.chunks.values())


class ClipStore:
    """Uploads by host and clip_id; safe to use from any thread (the network thread is the only writer).

    Args:
        clock: monotonic seconds; tests pass their own to step expiry.
    """

    def __init__(
        self,
        max_hosts: int = c.MAX_CLIP_HOSTS,
        max_clips_per_host: int = c.MAX_CLIPS_PER_HOST,
        max_notes: int = c.MAX_CLIP_NOTES,
        expiry_s: float = c.CLIP_EXPIRY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_hosts = max_hosts
        self.max_clips_per_host = max_clips_per_host
        self.max_notes = max_notes
        self.expiry_s = expiry_s
        self._clock = clock
        self._lock = threading.Lock()
        self._hosts: OrderedDict[str, OrderedDict[str, _Upload]] = OrderedDict()

    def add_chunk(self, host: str, clip_id: str, chunk: int, chunks: int, notes: Sequence[UploadedNote]) -> None:
        """Store chunk `chunk` of `chunks` (a chunk sent again replaces the first copy).

        A different `chunks` total, or chunk 0 after a refusal, starts the clip over: it is a new
        upload. Other chunks of a refused clip are dropped, so the request still hears the refusal.

        Raises:
            ClipUploadError: the clip would hold more than max_notes notes (the clip is kept, marked refused).
        """
        with self._lock:
            now = self._clock()
            self._expire(now)
            upload = self._upload_for(host, clip_id, now)
            if upload.chunks_total != chunks or (upload.problem is not None and chunk == 0):
                upload = self._start(host, clip_id, chunks, now)
            elif upload.problem is not None:
                return
            upload.chunks[chunk] = tuple(notes)
            upload.updated_at = now
            if upload.note_count() > self.max_notes:
                upload.chunks.clear()
                upload.problem = f"clip {clip_id} is too long: more than {self.max_notes:,} notes"
                raise ClipUploadError(upload.problem)

    def refuse(self, host: str, clip_id: str, problem: str) -> None:
        """Remember why a chunk of `clip_id` was refused, so the request naming the clip can say it."""
        with self._lock:
            now = self._clock()
            upload = self._upload_for(host, clip_id, now)
            upload.chunks.clear()
            upload.problem = problem

    def get(self, host: str, clip_id: str) -> tuple[UploadedNote, ...]:
        """The whole clip, its chunks in order.

        Raises:
            ClipUploadError: unknown (never sent, expired or forgotten), a chunk missing, or refused.
        """
        with self._lock:
            self._expire(self._clock())
            upload = self._hosts.get(host, OrderedDict()).get(clip_id)
            if upload is None:
                raise ClipUploadError(
                    f"unknown clip_id {clip_id[:40]!r}: send it with {c.CLIP} first "
                    f"(uploads are kept {self.expiry_s / 60:.0f} minutes, {self.max_clips_per_host} per sender)"
                )
            if upload.problem is not None:
                raise ClipUploadError(upload.problem)
            missing = [index for index in range(upload.chunks_total) if index not in upload.chunks]
            if missing:
                shown = ", ".join(str(index) for index in missing[:8]) + (", ..." if len(missing) > 8 else "")
                raise ClipUploadError(
                    f"clip {clip_id} is missing chunk{'s' * (len(missing) > 1)} {shown} "
                    f"of 0..{upload.chunks_total - 1}; "
                    "send the clip again"
                )
            return tuple(note for index in range(upload.chunks_total) for note in upload.chunks[index])

    @property
    def clip_count(self) -> int:
        with self._lock:
            return sum(len(clips) for clips in self._hosts.values())

    def _upload_for(self, host: str, clip_id: str, now: float) -> _Upload:
        """The clip's upload (a new empty one if unknown), marked most recently used, bounds kept."""
        upload = self._hosts.get(host, OrderedDict()).get(clip_id)
        return upload if upload is not None else self._start(host, clip_id, 0, now)

    def _start(self, host: str, clip_id: str, chunks: int, now: float) -> _Upload:
        clips = self._hosts.setdefault(host, OrderedDict())
        self._hosts.move_to_end(host)
        upload = clips[clip_id] = _Upload(chunks, now)
        clips.move_to_end(clip_id)
        while len(clips) > self.max_clips_per_host:
            clips.popitem(last=False)
        while len(self._hosts) > self.max_hosts:
            self._hosts.popitem(last=False)
        return upload

    def _expire(self, now: float) -> None:
        for host in list(self._hosts):
            clips = self._hosts[host]
            for clip_id in [cid for cid, upload in clips.items() if now - upload.updated_at > self.expiry_s]:
                del clips[clip_id]
            if not clips:
                del self._hosts[host]
