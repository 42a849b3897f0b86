"""MidiDrumiGen bridge: the OSC daemon that serves the engine to Ableton Live (`mididrumigen serve`)."""

from typing import Final

__version__: Final = "0.1.0"
"""Reported in /mdg/pong so a device can tell which daemon it talks to."""

PROTOCOL_VERSION: Final = 1
