"""OSC 1.0 encoding and bounded decoding, stacked bytes -> message -> packet (https://opensoundcontrol.stanford.edu/spec-1_0.html)."""

from mididrumigen.bridge.osc.message import OscArg, OscMessage, build_message, parse_message
from mididrumigen.bridge.osc.packet import parse_packet

__all__ = ["OscArg", "OscMessage", "build_message", "parse_message", "parse_packet"]
