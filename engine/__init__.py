"""MidiDrumiGen engine: everything that turns a request into a humanized drum pattern."""
