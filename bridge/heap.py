"""Keep the garbage collector's full passes from stalling the playback thread.

A full (generation 2) collection walks every object the collector tracks while holding the
interpreter, so every thread waits for it, the one that sends live MIDI on time included. Measured
here: 13 ms with the ONNX engine loaded, 57 ms once torch is imported (the torch runtime, a GPU
daemon). The modules, the model and the presets live as long as the daemon, so once they are loaded
they are frozen (`gc.freeze`, CPython's permanent generation): later collections walk only what jobs
allocate, and nothing that is still alive is ever freed by it, only no longer walked.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)


def freeze_loaded_heap() -> int:
    """Collect what loading left behind, then take every object alive now out of future collections.
    Call it once the daemon's long-lived state is loaded; returns how many objects are frozen."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.debug("%d objects loaded at start-up frozen out of garbage collection", frozen)
    return frozen
