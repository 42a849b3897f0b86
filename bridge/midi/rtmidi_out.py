"""The live MIDI output: python-rtmidi through mido, as a virtual port or an existing named one.

The only module that touches rtmidi. The API is chosen by what the platform has: CoreMIDI on macOS,
ALSA on Linux when the kernel has the sequencer (else a running JACK server), Windows MultiMedia on
Windows, which has no virtual ports, so there the port must already exist (loopMIDI).
MIDO_BACKEND (e.g. `mido.backends.rtmidi/UNIX_JACK`) overrides the choice.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import mido

from mididrumigen.bridge.errors import MidiPortError
from mididrumigen.bridge.midi.base import MidiOut

log = logging.getLogger(__name__)

_RTMIDI: Final = "mido.backends.rtmidi"
_ALSA_SEQUENCER: Final = Path("/dev/snd/seq")
_NO_VIRTUAL_PORTS: Final[frozenset[str]] = frozenset({"WINDOWS_MM"})


def candidate_apis(
    platform: str = sys.platform, env: Mapping[str, str] = os.environ, alsa_sequencer: Path = _ALSA_SEQUENCER
) -> tuple[str, ...]:
    """The rtmidi APIs to try, best first, as mido backend names (`mido.backends.rtmidi/<API>`)."""
    forced = env.get("MIDO_BACKEND", "")
    if forced.startswith(_RTMIDI + "/"):
        return (forced,)
    if platform == "darwin":
        return (f"{_RTMIDI}/MACOSX_CORE",)
    if platform == "win32":
        return (f"{_RTMIDI}/WINDOWS_MM",)
    # ALSA only where the kernel has a sequencer: otherwise alsa-lib fails noisily on stderr.
    apis = [f"{_RTMIDI}/LINUX_ALSA"] if alsa_sequencer.exists() else []
    return (*apis, f"{_RTMIDI}/UNIX_JACK")


def _matching_port(names: Sequence[str], wanted: str) -> str | None:
    """An existing port called `wanted`; Windows and loopMIDI may append an index ("MidiDrumiGen 1")."""
    for name in names:
        if name == wanted:
            return name
    for name in names:
        if name.startswith(wanted + " ") or name.startswith(wanted + ":"):
            return name
    return None


class RtMidiOut(MidiOut):
    """A mido rtmidi output port behind the MidiOut base. Build it with `RtMidiOut.open`."""

    def __init__(self, port: Any, description: str) -> None:
        super().__init__(str(port.name), description)
        self._port = port

    @classmethod
    def open(cls, name: str, apis: Sequence[str] | None = None) -> RtMidiOut:
        """Open the named existing port, else a virtual port of that name, on the first API that works.

        Raises:
            MidiPortError: saying, per API tried, why no port could be opened.
        """
        # A JACK client would otherwise try to start a JACK server of its own: never do that.
        os.environ.setdefault("JACK_NO_START_SERVER", "1")
        reasons: list[str] = []
        for api in apis if apis is not None else candidate_apis():
            api_name = api.rsplit("/", 1)[-1]
            try:
                backend = mido.Backend(api, load=True)
                existing = _matching_port(backend.get_output_names(), name)
                if existing is not None:
                    port = backend.open_output(existing)
                    return cls(port, f"existing port {existing!r} ({api_name})")
                if api_name in _NO_VIRTUAL_PORTS:
                    reasons.append(
                        f"{api_name}: Windows has no virtual MIDI ports; create a loopMIDI port named "
                        f"{name!r} and restart the daemon"
                    )
                    continue
                port = backend.open_output(name, virtual=True, client_name=name)
                return cls(port, f"virtual port {name!r} ({api_name})")
            except Exception as error:  # rtmidi raises its own SystemError/RuntimeError kinds
                reasons.append(f"{api_name}: {_explain(api_name, error)}")
        raise MidiPortError("no MIDI output: " + "; ".join(reasons or ["no MIDI API is available"]))

    def _send(self, message: mido.Message) -> None:
        self._port.send(message)

    def _close(self) -> None:
        self._port.close()


def _explain(api_name: str, error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    if api_name == "UNIX_JACK" and "server" in text.lower():
        return "no JACK server is running (start one, e.g. `jackd --no-realtime -d dummy`)"
    if api_name == "LINUX_ALSA":
        return f"the ALSA sequencer is not usable ({text})"
    return text
