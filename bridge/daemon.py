"""The daemon: wires socket, dispatcher, handlers, job table, worker and MIDI playback, and runs them.

`serve(config)` is what `mididrumigen serve` runs: it loads the presets, binds the socket and
answers at once (the model loads on the worker thread meanwhile, /mdg/pong says `loading`), opens
the MIDI port (or says once why it cannot), serves until SIGINT/SIGTERM, then stops taking work,
cancels queued jobs, silences and closes the MIDI port, and returns 0. A model that cannot load
stops it with exit status 2.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType, TracebackType
from typing import TYPE_CHECKING

from mididrumigen.bridge import PROTOCOL_VERSION, __version__, protocol
from mididrumigen.bridge.clip_files import prepare_output_dir
from mididrumigen.bridge.config import BridgeConfig
from mididrumigen.bridge.constants import GIL_SWITCH_INTERVAL_S
from mididrumigen.bridge.dispatcher import Dispatcher
from mididrumigen.bridge.engine_api import PatternEngine
from mididrumigen.bridge.errors import MidiPortError
from mididrumigen.bridge.clip_store import ClipStore
from mididrumigen.bridge.file_cleanup import FileCleaner, FileLeases
from mididrumigen.bridge.handlers import (
    ClipHandlers,
    JobHandlers,
    PresetHandlers,
    SongHandlers,
    StyleLearnHandlers,
    SystemHandlers,
    TransportHandlers,
)
from mididrumigen.bridge.http.launch import http_url, open_http, start_http
from mididrumigen.bridge.job_events import JobEvents
from mididrumigen.bridge.jobs import JobTable
from mididrumigen.bridge.midi.base import MidiOut
from mididrumigen.bridge.midi.player import Player
from mididrumigen.bridge.playback import LivePlayback
from mididrumigen.bridge.server import AllowList, OscServer
from mididrumigen.bridge.worker import EngineSlot, EngineState, Worker
from mididrumigen.engine.errors import EngineError

if TYPE_CHECKING:
    from mididrumigen.bridge.broker.pool import WorkerPool
    from mididrumigen.bridge.http.server import HttpServer

log = logging.getLogger(__name__)


class Daemon:
    """Every part of the running daemon. Use as a context manager, or call start() and stop().

    Args:
        config: validated settings (host, port 0 for a free port, queue sizes, output dir, allow).
        engine: an already-loaded engine, or a slot the worker thread loads it into; only the worker
            thread calls generate on it.
        midi_out: the port to play on, or None (then `midi_unavailable_reason` says why).
        clock: monotonic seconds for playback.

    Raises:
        OSError: the listening address cannot be bound.
    """

    def __init__(
        self,
        config: BridgeConfig,
        engine: PatternEngine | EngineSlot,
        midi_out: MidiOut | None = None,
        midi_unavailable_reason: str = "MIDI output is turned off",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.slot = engine if isinstance(engine, EngineSlot) else EngineSlot.ready(engine)
        self.midi_out = midi_out
        self.jobs = JobTable(config.queue_size, config.history_size)
        prepare_output_dir(config.resolved_output_dir())
        sock, self.outbox = OscServer.bind(config.host, config.port)
        # Every reply is sent through `events`, so HTTP's event streams learn of each job change.
        self.events = JobEvents(self.outbox)
        self.dispatcher = Dispatcher(self.events, config.reply_port)
        self.player = Player(midi_out, clock=clock) if midi_out is not None else None
        self.playback = LivePlayback(self.player, "" if midi_out else midi_unavailable_reason, clock=clock)
        catalog = self.slot.presets
        self.dispatcher.register(
            SystemHandlers(self.events, __version__, self.slot.describe, lambda: self.jobs.queued_count).routes()
        )
        self.dispatcher.register(PresetHandlers(self.events, catalog).routes())
        job_handlers = JobHandlers(self.events, self.jobs, catalog)
        self.dispatcher.register(job_handlers.routes())
        self.dispatcher.register(SongHandlers(job_handlers).routes())
        self.dispatcher.register(TransportHandlers(self.jobs, self.playback).routes())
        self.clips = ClipStore()
        self.dispatcher.register(ClipHandlers(self.events, self.jobs, catalog, self.clips).routes())
        self.style_learn = StyleLearnHandlers(self.events, catalog, self.clips, _learned_preset_dir(config),
                                              _builtin_style_ids())
        self.dispatcher.register(self.style_learn.routes())
        self.server = OscServer(sock, self.dispatcher, AllowList(config.allow), self.outbox.budget)
        self.worker: Worker | WorkerPool = Worker(
            self.slot, self.jobs, self.events, config.resolved_output_dir(), self.playback
        ) if not config.broker else _broker_followers(self, config)
        self._started = False
        self._stopped = False

    @property
    def address(self) -> tuple[str, int]:
        """The (host, port) the daemon listens on."""
        return self.server.address

    @property
    def engine(self) -> PatternEngine | None:
        """The loaded engine, or None while it loads (or after it failed to)."""
        return self.slot.engine

    def startup_line(self) -> str:
        """The line `serve` prints once bound: where it listens, the model (or `loading`), the MIDI port."""
        host, port = self.address
        midi = (
            f"MIDI on {self.midi_out.description}"
            if self.midi_out is not None else f"no MIDI ({self.playback.unavailable_reason})"
        )
        model, device = self.slot.describe()
        what = f"model {model} on {device}" if self.slot.state is EngineState.READY else "model loading"
        return (
            f"MidiDrumiGen {__version__} listening on udp://{host}:{port} (OSC /mdg v{PROTOCOL_VERSION}), "
            f"{what}, {midi}"
        )

    def start(self) -> None:
        """Start the playback, worker and network threads."""
        if self._started:
            raise RuntimeError("the daemon is already started")
        self._started = True
        if self.player is not None:
            self.player.start()
        self.worker.start()
        self.server.start()

    def stop(self, graceful: bool = True) -> None:
        """Stop taking work, cancel queued and running jobs, silence and close MIDI, close the socket.

        Args:
            graceful: tell each client whose job was cancelled (/mdg/cancelled) before closing.
        """
        if self._stopped:
            return
        self._stopped = True
        self.server.stop()
        self.style_learn.close()
        for job in self.jobs.cancel_unfinished():
            log.info("job %s cancelled by shutdown", job.job_id)
            if graceful:
                self.events.send(job.spec.reply_to, protocol.cancelled(job.job_id))
        self.worker.stop()
        if self.player is not None:
            self.player.close()
        if self.midi_out is not None:
            self.midi_out.close()
        self.server.close()
        log.info("daemon stopped")

    def __enter__(self) -> Daemon:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def open_midi_out(config: BridgeConfig) -> tuple[MidiOut | None, str]:
    """The live MIDI port the config asks for, or (None, why not)."""
    if not config.midi:
        return None, "MIDI output is turned off (--no-midi)"
    # Imported here: only the rtmidi module touches rtmidi, and only when a port is wanted.
    from mididrumigen.bridge.midi.rtmidi_out import RtMidiOut

    try:
        return RtMidiOut.open(config.midi_port_name), ""
    except MidiPortError as error:
        return None, str(error)


def serve(
    config: BridgeConfig,
    engine: PatternEngine | None = None,
    announce: Callable[[str], None] | None = None,
    stop_event: threading.Event | None = None,
) -> int:
    """Run the daemon until SIGINT/SIGTERM (or `stop_event`), then shut down cleanly.

    Args:
        config: validated settings.
        engine: an already-loaded engine; None loads the checkpoint the config names on the worker
            thread, after the socket is bound.
        announce: receives the one startup line (the CLI prints it).
        stop_event: set it to stop, as a signal would (for embedding and tests).

    Returns:
        0 after a clean shutdown.

    Raises:
        engine.errors.EngineError: the model cannot load (a missing or broken checkpoint).
        OSError: the address cannot be bound.
    """
    log.info("serve config: %s", config.model_dump(mode="json"))
    if not config.is_loopback and not config.allow:
        log.warning("listening on %s with no --allow: only this machine's clients are served", config.host)
    slot = EngineSlot.ready(engine) if engine is not None else _loading_slot(config)
    midi_out, midi_reason = open_midi_out(config)
    if midi_out is None:
        log.warning("playback disabled: %s", midi_reason)
    # The playback thread must get the interpreter back quickly while the worker runs Python code.
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    stop = stop_event if stop_event is not None else threading.Event()
    try:
        daemon = Daemon(config, slot, midi_out, midi_reason)
    except BaseException:
        if midi_out is not None:
            midi_out.close()
        raise
    leases = FileLeases()
    http_sock, http_off = open_http(config.http_host, config.http_port) if config.http_port else (
        None, "HTTP is turned off (--http-port 0)")
    http: HttpServer | None = None
    cleaner: FileCleaner | None = None
    previous = _install_signal_handlers(stop)
    try:
        daemon.start()
        ready_in_line = slot.state is EngineState.READY  # else a later line says when it is
        line = daemon.startup_line() + (f", studio on {http_url(http_sock)}" if http_sock else f", no HTTP ({http_off})")
        log.info("%s", line)
        if announce is not None:
            announce(line)
        if http_sock is not None:
            try:
                http = start_http(daemon, http_sock, leases)
            except Exception:  # the OSC side, which Live depends on, serves on
                log.exception("the HTTP side could not start; serving OSC only")
        if config.keep_hours > 0:
            cleaner = FileCleaner(config.resolved_output_dir(), config.keep_hours, leases)
            cleaner.start()
        _wait_until_stopped(stop, slot, announce, announced=ready_in_line)
        log.info("shutting down")
    finally:
        daemon.stop()
        if http is not None:
            http.stop()
        elif http_sock is not None:
            http_sock.close()
        if cleaner is not None:
            cleaner.stop()
        _restore_signal_handlers(previous)
    if slot.error is not None:
        raise slot.error if isinstance(slot.error, EngineError | OSError) else EngineError(
            f"the model could not be loaded: {slot.error}")
    return 0


def _learned_preset_dir(config: BridgeConfig) -> Path:
    """Where /mdg/style/learn saves: the last user preset folder, the one whose styles win when presets load."""
    from mididrumigen.engine.presets import default_user_dirs

    return (config.preset_dirs or default_user_dirs())[-1]


def _builtin_style_ids() -> frozenset[str]:
    """The built-in styles' ids, which a learned style never replaces."""
    from mididrumigen.engine.presets import load_presets

    return frozenset(style.id for style in load_presets([]).styles)


def _broker_followers(daemon: Daemon, config: BridgeConfig) -> WorkerPool:
    """With --broker: Worker threads that follow their jobs on the Celery workers (imports Celery)."""
    from mididrumigen.bridge.broker.pool import WorkerPool

    return WorkerPool(config.broker_slots, daemon.slot, daemon.jobs, daemon.events, config.resolved_output_dir(),
                      daemon.playback)


def _loading_slot(config: BridgeConfig) -> EngineSlot:
    """A slot the worker fills with the engine the config names; the presets load now, without torch."""
    from mididrumigen.engine.presets import load_presets

    presets = load_presets(list(config.preset_dirs) or None)
    for problem in presets.problems:  # load_presets reports; the caller says it, once
        log.warning("preset not loaded: %s", problem)
    if config.broker:
        broker = config.broker

        def connect() -> PatternEngine:
            from mididrumigen.bridge.broker.remote import RemoteEngine  # Celery: only with --broker

            return RemoteEngine.connect(broker, presets)

        return EngineSlot(presets, loader=connect, device_hint="celery")

    def load() -> PatternEngine:
        from mididrumigen.engine.generate import Engine  # the runtime: imported on the worker thread

        engine: PatternEngine = Engine(checkpoint=config.checkpoint, presets=presets, device=config.device,
                                       runtime=config.runtime)
        return engine

    return EngineSlot(presets, loader=load, device_hint=config.device or "auto")


def _wait_until_stopped(stop: threading.Event, slot: EngineSlot, announce: Callable[[str], None] | None,
                        announced: bool) -> None:
    """Serve until `stop`; say once when the model is ready, and stop if it cannot load."""
    # A timed wait, not wait(): on Windows an untimed wait would not let Ctrl-C through.
    while not stop.wait(0.05 if not announced else 0.25):
        if slot.state is EngineState.FAILED:
            return
        if not announced and slot.state is EngineState.READY:
            announced = True
            model, device = slot.describe()
            log.info("model %s ready on %s", model, device)
            if announce is not None:
                announce(f"model {model} ready on {device}")


_Handler = Callable[[int, FrameType | None], object] | int | signal.Handlers | None


def _install_signal_handlers(stop: threading.Event) -> dict[signal.Signals, _Handler]:
    """SIGINT and SIGTERM (the two that exist on macOS, Linux and Windows) set `stop`."""
    if threading.current_thread() is not threading.main_thread():
        return {}  # signals can only be handled on the main thread; the caller uses stop_event

    def request_stop(signum: int, frame: FrameType | None) -> None:
        log.info("received %s", signal.Signals(signum).name)
        stop.set()

    previous: dict[signal.Signals, _Handler] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, request_stop)
    return previous


def _restore_signal_handlers(previous: dict[signal.Signals, _Handler]) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)
