"""/mdg/style/learn: a style preset learned from clips uploaded with /mdg/clip, as `mididrumigen style learn`
makes one from a folder.

`/mdg/style/learn name "Late Night" clip_id a [clip_id b ...] [tempo 92] [genre hiphop] [kit "kick:48,..."]
[replace 1] [request_id r] [reply_port p]`. The clips are read through the kit (General MIDI without one),
measured (engine.style_learn), the preset written atomically into the user preset folder and added to the
loaded styles, so the next /mdg/generate can name it; the answer is one `/mdg/style/learned` line, or one
`/mdg/error` line. The network thread only checks the request and takes the uploads; the measuring
runs on a thread of its own (a typical clip takes milliseconds, but 4 clips of 4,096 notes took 0.8 s
on a busy 2-core machine, long enough to stall every other request), one learn at a time, at most
MAX_PENDING_LEARNS waiting (more are answered busy).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol

from mididrumigen.bridge import constants as c
from mididrumigen.bridge import protocol
from mididrumigen.bridge.clip_store import ClipStore, ClipUploadError, UploadedNote
from mididrumigen.bridge.dispatcher import Handler, Outbox, ReplyTarget, Request, RequestRejected
from mididrumigen.bridge.engine_api import StyleCatalog
from mididrumigen.bridge.handlers import args as a
from mididrumigen.bridge.handlers.job import _reply_context
from mididrumigen.bridge.osc.message import OscArg
from mididrumigen.bridge.protocol import ErrorCode
from mididrumigen.engine.errors import RequestError

log = logging.getLogger(__name__)

LEARN_KEYS: Final = ("name", "clip_id", "tempo", "genre", "kit", "replace", "request_id", "reply_port")
MAX_PENDING_LEARNS: Final = 4
"""Learns accepted but not answered yet; a fifth is refused busy (each holds up to 4 clips' notes)."""
DEFAULT_GENRE: Final = "hiphop"
"""The genre the model is conditioned on when the request names none (the CLI's default too)."""


@dataclass(frozen=True)
class LearnArgs:
    """A checked /mdg/style/learn: what to learn from and how; the engine checks the values' meaning."""

    name: str
    clip_ids: tuple[str, ...]
    fields: dict[str, OscArg]
    replace: bool
    request_id: str
    reply_port: int | None


def parse_learn_args(args: tuple[OscArg, ...]) -> LearnArgs:
    """Split the key value pairs; `clip_id` may repeat (one per clip), every other key comes once.

    Raises:
        RequestRejected: an odd count, an unknown or repeated key, no name, no clip_id, too many clips.
    """
    request_id, port = _reply_context(args)

    def refuse(message: str) -> RequestRejected:
        return RequestRejected(ErrorCode.BAD_REQUEST, message, request_id, port)

    if len(args) % 2:
        raise refuse(f"{c.STYLE_LEARN} takes key value pairs; {a.describe(args[-1])} has no value")
    fields: dict[str, OscArg] = {}
    clip_ids: list[str] = []
    for key, value in zip(args[0::2], args[1::2], strict=True):
        if not isinstance(key, str) or key not in LEARN_KEYS:
            raise refuse(f"unknown key {a.describe(key)}; {c.STYLE_LEARN} takes {', '.join(LEARN_KEYS)}")
        if key == "clip_id":
            if not isinstance(value, str) or not value or len(value) > c.MAX_CLIP_ID_CHARS:
                raise refuse(f"clip_id must be the id its {c.CLIP} chunks were sent with, got {a.describe(value)}")
            if value in clip_ids:
                raise refuse(f"clip_id {value} is given twice")
            clip_ids.append(value)
        elif key in fields:
            raise refuse(f"{key} is given twice")
        else:
            fields[key] = value
    name = fields.pop("name", None)
    if not isinstance(name, str):
        raise refuse(f"{c.STYLE_LEARN} needs name, the new style's name as text (like \"Late Night\"), "
                     f"got {'nothing' if name is None else a.describe(name)}")
    if not clip_ids:
        raise refuse(f"{c.STYLE_LEARN} needs clip_id, the id its {c.CLIP} chunks were sent with (one per clip)")
    if len(clip_ids) > c.MAX_LEARN_CLIPS:
        raise refuse(f"{c.STYLE_LEARN} takes at most {c.MAX_LEARN_CLIPS} clips, got {len(clip_ids)}")
    try:
        replace = a.flag("replace", fields.pop("replace", 0), port)
    except RequestRejected as refusal:
        raise refuse(refusal.message) from None
    for key in ("request_id", "reply_port"):
        fields.pop(key, None)
    return LearnArgs(name, tuple(clip_ids), fields, replace, request_id, port)


class LearningCatalog(StyleCatalog, Protocol):
    """The loaded styles, which a learned one joins (engine.presets.PresetRegistry)."""

    def add(self, preset: Any) -> None: ...


class StyleLearnHandlers:
    """Learns a style from a sender's uploaded clips and saves it where user presets load from.

    Args:
        preset_dir: the user preset folder a learned style is written into (the one that wins on load).
        builtin_ids: ids of the built-in styles, which a learned style may never replace.
    """

    def __init__(self, outbox: Outbox, catalog: LearningCatalog, store: ClipStore, preset_dir: Path,
                 builtin_ids: frozenset[str]) -> None:
        self._outbox = outbox
        self._catalog = catalog
        self._store = store
        self._preset_dir = preset_dir
        self._builtin_ids = builtin_ids
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="style-learn")
        self._lock = threading.Lock()
        self._pending = 0

    def routes(self) -> Mapping[str, Handler]:
        return {c.STYLE_LEARN: self.learn}

    def close(self) -> None:
        """Finish the learn under way (its file is written whole or not at all) and stop the thread."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    def learn(self, request: Request) -> None:
        """/mdg/style/learn name N clip_id ID ... -> /mdg/style/learned request_id id name summary, or /mdg/error.

        Checks the request and takes the uploads here; the learning thread measures, saves and answers.
        """
        parsed = parse_learn_args(request.message.args)
        uploads = []
        for clip_id in parsed.clip_ids:
            try:
                uploads.append((clip_id, self._store.get(request.sender_host, clip_id)))
            except ClipUploadError as error:
                raise RequestRejected(ErrorCode.BAD_REQUEST, str(error), parsed.request_id,
                                      parsed.reply_port) from error
        with self._lock:
            if self._pending >= MAX_PENDING_LEARNS:
                raise RequestRejected(ErrorCode.BUSY, f"busy: {self._pending} styles are being learned; try again "
                                      f"shortly", parsed.request_id, parsed.reply_port)
            self._pending += 1
        self._executor.submit(self._answer, request.reply_to(parsed.reply_port), request.sender_host, parsed, uploads)

    def _answer(self, target: ReplyTarget, host: str, parsed: LearnArgs,
                uploads: Sequence[tuple[str, tuple[UploadedNote, ...]]]) -> None:
        """On the learning thread: learn, save and load the style, and send the one answer."""
        try:
            message = self._save(host, parsed, uploads)
        except RequestRejected as refusal:
            message = protocol.error(parsed.request_id, refusal.code, refusal.message)
        except Exception:  # a bug must not lose the answer the device waits for
            log.exception("style learn crashed")
            message = protocol.error(parsed.request_id, ErrorCode.INTERNAL, "learning the style failed; see the "
                                     "daemon log")
        finally:
            with self._lock:
                self._pending -= 1
        self._outbox.send(target, message)

    def _save(self, host: str, parsed: LearnArgs, uploads: Sequence[tuple[str, tuple[UploadedNote, ...]]]) -> Any:
        """The learned style written and loaded, as its /mdg/style/learned reply.

        Raises:
            RequestRejected: the request cannot make a style (one line), or its file cannot be written.
        """
        from mididrumigen.engine.style_learn import learned_summary, write_preset

        def refuse(message: str, code: ErrorCode = ErrorCode.BAD_REQUEST) -> RequestRejected:
            return RequestRejected(code, message, parsed.request_id, parsed.reply_port)

        try:
            preset, clip_count = self._learned(parsed, uploads)
        except RequestError as error:
            raise refuse(str(error)) from error
        target = self._target(preset.id, parsed.name, parsed.replace, refuse)
        try:
            write_preset(preset, target, f"{clip_count} clips uploaded to the daemon")
        except OSError as error:
            raise refuse(f"cannot write {target}: {error.strerror or error}", ErrorCode.INTERNAL) from error
        self._catalog.add(preset)
        summary = learned_summary(preset, clip_count)
        log.info("style learned from %s: %s, saved as %s", host, summary, target)
        return protocol.style_learned(parsed.request_id, preset.id, preset.name, f"saved {target.name}: {summary}")

    def _learned(self, parsed: LearnArgs, uploads: Sequence[tuple[str, tuple[UploadedNote, ...]]]) -> tuple[Any, int]:
        """The preset measured from the uploads (engine.style_learn), and how many clips it read.

        Raises:
            RequestError: an empty or too long clip, a bad tempo, kit, genre or name, too few notes.
        """
        # Imported here: the engine's clip and learning modules load numpy and the evaluation measures.
        from mididrumigen.engine.clip import ClipNote
        from mididrumigen.engine.clip_input import clip_bars_of
        from mididrumigen.engine.kits import parse_kit_text
        from mididrumigen.engine.schema import MAX_BARS, parse_request
        from mididrumigen.engine.style_learn import learn_preset, learned_clip

        # The schema's own tempo rule and sentence ("tempo must be between 60 and 200, got 300").
        tempo = parse_request({"style": "learned", "tempo": parsed.fields.get("tempo", 95.0)}).tempo
        kit_text = parsed.fields.get("kit")
        kit = parse_kit_text(str(kit_text)) if kit_text is not None else None
        genre = parsed.fields.get("genre", DEFAULT_GENRE)
        clips = []
        for clip_id, uploaded in uploads:
            if not uploaded:
                raise RequestError("clip", f"clip {clip_id} is empty: it has no notes")
            notes = [ClipNote(n.pitch, n.start_beats, n.duration_beats, n.velocity) for n in uploaded]
            bars = clip_bars_of(notes, 0.0, 4, 4)
            if bars > MAX_BARS:
                raise RequestError("clip", f"clip {clip_id} is {bars} bars of 4/4 long; a style is learned from "
                                           f"clips of at most {MAX_BARS} bars")
            clips.append(learned_clip(notes, tempo, bars, kit, f"clip {clip_id}"))
        return learn_preset(clips, parsed.name, [str(genre)], kit), len(clips)

    def _target(self, style_id: str, name: str, replace: bool, refuse: Any) -> Path:
        """Where the learned style goes: never over a built-in, over a user style only with replace 1."""
        if style_id in self._builtin_ids:
            raise refuse(f"name {name.strip()[:40]!r} makes the id {style_id} of a built-in style, which is never "
                         f"replaced; choose another name")
        target = self._preset_dir / f"{style_id}.yaml"
        if not replace and (target.exists() or any(style.id == style_id for style in self._catalog.styles)):
            raise refuse(f"a style {style_id} exists already; send replace 1 to replace it, or choose another name")
        return target
