"""`mididrumigen eval`: measurable musical quality (likelihood, groove match, style fidelity, feel)."""
