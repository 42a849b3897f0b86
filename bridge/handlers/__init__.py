"""OSC handlers grouped by domain object; each module exposes one class whose `routes()` is its address table."""

from mididrumigen.bridge.handlers.clip import ClipHandlers
from mididrumigen.bridge.handlers.job import JobHandlers
from mididrumigen.bridge.handlers.song import SongHandlers
from mididrumigen.bridge.handlers.preset import PresetHandlers
from mididrumigen.bridge.handlers.style_learn import StyleLearnHandlers
from mididrumigen.bridge.handlers.system import SystemHandlers
from mididrumigen.bridge.handlers.transport import TransportHandlers

__all__ = ["ClipHandlers", "JobHandlers", "PresetHandlers", "SongHandlers", "StyleLearnHandlers", "SystemHandlers",
           "TransportHandlers"]
