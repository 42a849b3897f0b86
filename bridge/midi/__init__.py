"""MIDI output: a base class with one backend per destination, and the playback scheduler."""

from bridge.midi.base import MidiOut
from bridge.midi.file_out import FileOut
from bridge.midi.memory import MemoryOut

__all__ = ["FileOut", "MemoryOut", "MidiOut"]
