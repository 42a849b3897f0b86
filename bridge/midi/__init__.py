"""MIDI output: a base class with one backend per destination, and the playback scheduler."""

from mididrumigen.bridge.midi.base import MidiOut
from mididrumigen.bridge.midi.file_out import FileOut
from mididrumigen.bridge.midi.memory import MemoryOut

__all__ = ["FileOut", "MemoryOut", "MidiOut"]
