"""OSC handlers grouped by domain object; each module exposes one class whose `routes()` is its address table."""

from bridge.handlers.job import JobHandlers
from bridge.handlers.preset import PresetHandlers
from bridge.handlers.system import SystemHandlers
from bridge.handlers.transport import TransportHandlers

__all__ = ["JobHandlers", "PresetHandlers", "SystemHandlers", "TransportHandlers"]
