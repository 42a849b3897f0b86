"""One base error for the bridge, one subclass per layer, so callers catch exactly what they handle."""

from __future__ import annotations


class BridgeError(Exception):
    """Base class for every error the bridge raises on purpose."""


class OscParseError(BridgeError, ValueError):
    """A datagram is not valid OSC (or is bigger, deeper or longer than we accept)."""


class OscBuildError(BridgeError, ValueError):
    """A reply cannot be encoded as OSC (a value of the wrong kind or range)."""


class ConfigError(BridgeError, ValueError):
    """A setting (flag or YAML) is wrong; the message names the setting and what it allows."""


class MidiPortError(BridgeError):
    """No MIDI output could be opened; the message says why in words a producer understands."""


class JobCancelled(BridgeError):
    """Raised from the progress callback to abort a running generation the client cancelled."""
