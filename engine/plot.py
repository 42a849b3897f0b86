"""Piano-roll pictures of a pattern, for eyeballing what the model and the humanizer did."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Final

import matplotlib

matplotlib.use("Agg")  # headless: the engine runs in daemons and CI without a display

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from mididrumigen.engine.constants import VOICE_INDEX, VOICES, bar_length_beats  # noqa: E402
from mididrumigen.engine.files import atomic_write_bytes  # noqa: E402
from mididrumigen.engine.pattern import Pattern  # noqa: E402

log = logging.getLogger(__name__)

_FORMATS: Final = ("png", "svg", "pdf")
_MIN_ALPHA: Final = 0.15
"""Even the softest ghost note stays visible."""


def _render(pattern: Pattern, image_format: str) -> bytes:
    """Draw with a private Figure (not pyplot), so rendering is safe off the main thread."""
    length_beats = pattern.length_beats
    figure = Figure(figsize=(min(24.0, max(6.0, length_beats * 0.6)), 3.6), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    colors = matplotlib.colormaps["tab10"]

    for note in pattern.notes:
        if note.voice not in VOICE_INDEX:
            raise ValueError(f"voice must be one of {', '.join(VOICES)}, got {note.voice!r}")
        row = VOICE_INDEX[note.voice]
        red, green, blue, _ = colors(row % 10)
        alpha = _MIN_ALPHA + (1.0 - _MIN_ALPHA) * note.velocity / 127
        axes.barh(
            row,
            max(note.duration_beats, 0.05),
            left=note.start_beats,
            height=0.8,
            color=(red, green, blue, alpha),
            edgecolor=(red, green, blue, 1.0),
            linewidth=0.4,
        )

    beats_per_bar = bar_length_beats(pattern.numerator, pattern.denominator)
    beat = 0.0
    while beat <= length_beats:
        axes.axvline(beat, color="0.85", linewidth=0.5, zorder=0)
        beat += 1.0
    for bar in range(pattern.bars + 1):
        axes.axvline(bar * beats_per_bar, color="0.2", linewidth=1.0, zorder=0)

    axes.set_xlim(0, length_beats)
    axes.set_ylim(-0.6, len(VOICES) - 0.4)
    axes.set_yticks(range(len(VOICES)), VOICES)
    axes.set_xlabel("beats")
    axes.set_title(
        f"{pattern.style_id} {pattern.pattern_type}: {pattern.bars} bars of "
        f"{pattern.numerator}/{pattern.denominator} at {pattern.tempo_bpm:g} BPM, seed {pattern.seed}",
        fontsize=9,
    )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=image_format)
    return buffer.getvalue()


def save_piano_roll(pattern: Pattern, path: Path) -> Path:
    """Save a piano roll (one row per voice, bar lines, velocity as opacity) atomically.

    The format follows the suffix: .png, .svg or .pdf.

    Raises:
        ValueError: an unsupported suffix or a note with an unknown voice.
    """
    path = Path(path)
    image_format = path.suffix.lower().lstrip(".")
    if image_format not in _FORMATS:
        raise ValueError(f"piano roll suffix must be one of .png, .svg, .pdf, got {path.suffix!r}")
    atomic_write_bytes(path, _render(pattern, image_format))
    log.info("saved piano roll %s", path)
    return path
