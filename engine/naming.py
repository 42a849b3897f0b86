"""Names for clips and files, shared by the CLI and the daemon so a clip is called the same everywhere."""

from __future__ import annotations

import re

from mididrumigen.engine.pattern import Pattern

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def safe_token(text: str, max_length: int = 40) -> str:
    """Reduce any text to letters, digits, '-' and '_' so it can never steer a path."""
    cleaned = _UNSAFE.sub("_", text).strip("_-.")[:max_length]
    return cleaned or "x"


def bars_text(bars: int) -> str:
    """"1 bar", "4 bars": how every message counts bars."""
    return "1 bar" if bars == 1 else f"{bars} bars"


def clip_title(style_name: str, pattern: Pattern) -> str:
    """"J Dilla · verse · 4 bars · seed 1234", as the clip and the MIDI track are named."""
    return f"{style_name} · {pattern.pattern_type} · {bars_text(pattern.bars)} · seed {pattern.seed}"


def clip_file_stem(pattern: Pattern, suffix: str = "") -> str:
    """A file stem built only from validated values: style, section, bars, tempo, seed (+ suffix)."""
    stem = (f"{safe_token(pattern.style_id)}_{pattern.pattern_type}_{pattern.bars}bars_"
            f"{pattern.tempo_bpm:g}bpm_seed{pattern.seed}")
    return f"{stem}_{safe_token(suffix)}" if suffix else stem
