"""Live playback: Live's transport as last reported, and starting patterns on the next bar of it."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable

from mididrumigen.bridge.beat_clock import TransportState, next_bar_start_s
from mididrumigen.bridge.constants import PLAY
from mididrumigen.bridge.errors import BridgeError
from mididrumigen.bridge.midi.player import Player
from mididrumigen.engine.constants import bar_length_beats
from mididrumigen.engine.pattern import Pattern

log = logging.getLogger(__name__)


class PlaybackUnavailableError(BridgeError):
    """No MIDI port is open; the message says why (as the daemon said once at startup)."""


class LivePlayback:
    """What /mdg/play, /mdg/stop, /mdg/transport and `output midi` act on.

    Args:
        player: the running scheduler, or None when no MIDI port could be opened.
        unavailable_reason: why there is no player (shown to clients that ask to play).
        clock: monotonic seconds, the same clock the player runs on.
    """

    def __init__(
        self,
        player: Player | None,
        unavailable_reason: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.player = player
        self.unavailable_reason = unavailable_reason
        self._clock = clock
        self._lock = threading.Lock()
        self._transport: TransportState | None = None

    @property
    def transport(self) -> TransportState | None:
        with self._lock:
            return self._transport

    def report_transport(self, beat: float, tempo_bpm: float, playing: bool) -> TransportState:
        """Store the device's view of Live's transport.

        Raises:
            ValueError: beat not finite, or tempo not a positive finite number.
        """
        if not math.isfinite(beat):
            raise ValueError(f"beat must be a finite number, got {beat}")
        if not (math.isfinite(tempo_bpm) and 1.0 <= tempo_bpm <= 999.0):
            raise ValueError(f"tempo must be between 1 and 999 bpm, got {tempo_bpm}")
        state = TransportState(beat, tempo_bpm, playing, self._clock())
        with self._lock:
            self._transport = state
        return state

    def require_port(self, wanted_by: str) -> None:
        """Refuse early, before any work, when `wanted_by` (/mdg/play, `output midi`) needs a port.

        Raises:
            PlaybackUnavailableError: no MIDI port is open; the message says why and what to do.
        """
        if self.player is None:
            raise self._no_port(wanted_by)

    def _no_port(self, wanted_by: str) -> PlaybackUnavailableError:
        return PlaybackUnavailableError(
            f"{wanted_by} needs a MIDI port, and the daemon has none open ({self.unavailable_reason}); "
            "restart it with a MIDI port, or choose an output without MIDI"
        )

    def play(self, pattern: Pattern, loop: bool = False) -> float:
        """Start `pattern` on the next bar of the transport (at once when it is stopped or unknown).

        Returns:
            The seconds from now until the first bar starts.

        Raises:
            PlaybackUnavailableError: no MIDI port is open.
        """
        if self.player is None:
            raise self._no_port(PLAY)
        now_s = self._clock()
        bar_beats = bar_length_beats(pattern.numerator, pattern.denominator)
        start_s, tempo_bpm = next_bar_start_s(self.transport, now_s, bar_beats, pattern.tempo_bpm)
        self.player.play(pattern, start_s, tempo_bpm, loop=loop)
        log.info(
            "playing %d notes %s at %.1f bpm in %.3fs", len(pattern.notes), "looped" if loop else "once",
            tempo_bpm, start_s - now_s,
        )
        return start_s - now_s

    def stop(self) -> int:
        """Silence everything; returns how many notes were sounding (0 without a port)."""
        return 0 if self.player is None else self.player.stop()
