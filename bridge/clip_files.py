"""File output: a unique, sanitized .mid name inside the output directory, written atomically.

The name is built only from the finished pattern (its resolved style id, bars, tempo, seed) and the
daemon's own job id; nothing a client sends can steer the path out of the output directory.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from engine.pattern import Pattern

_UNSAFE: Final = re.compile(r"[^a-z0-9]+")
_JOB_ID: Final = re.compile(r"^[0-9a-f]{1,32}$")
_MAX_STYLE_CHARS: Final = 40


def _slug(text: str) -> str:
    slug = _UNSAFE.sub("-", text.lower()).strip("-")[:_MAX_STYLE_CHARS].strip("-")
    return slug or "pattern"


def clip_file_name(pattern: Pattern, job_id: str) -> str:
    """`<style>_<bars>bars_<tempo>bpm_seed<seed>_<job id>.mid`, e.g. `funk_4bars_97p5bpm_seed7_a1b2c3d4e5.mid`.

    Raises:
        ValueError: if job_id is not a daemon job id (lowercase hex).
    """
    if not _JOB_ID.match(job_id):
        raise ValueError(f"job_id must be lowercase hex, got {job_id!r}")
    tempo = f"{pattern.tempo_bpm:.2f}".rstrip("0").rstrip(".").replace(".", "p")
    return f"{_slug(pattern.style_id)}_{int(pattern.bars)}bars_{tempo}bpm_seed{int(pattern.seed)}_{job_id}.mid"


def clip_file_path(output_dir: Path, pattern: Pattern, job_id: str) -> Path:
    """Where the job's .mid goes: always directly inside `output_dir`, never over an existing file."""
    directory = output_dir.expanduser().resolve()
    name = clip_file_name(pattern, job_id)
    path = directory / name
    suffix = 2
    while path.exists():
        path = directory / f"{name[:-4]}-{suffix}.mid"
        suffix += 1
    # The name is built from safe parts only; this guards the invariant, not user input.
    assert path.parent == directory, path
    return path


def write_clip_file(output_dir: Path, pattern: Pattern, job_id: str) -> Path:
    """Write the pattern as a .mid into `output_dir` (created if missing) and return its absolute path.

    Raises:
        OSError: the directory cannot be created or written.
    """
    # Imported where used so the bridge loads while the engine's export module is optional.
    from engine.midi_export import write_midi

    output_dir.expanduser().mkdir(parents=True, exist_ok=True)
    path = clip_file_path(output_dir, pattern, job_id)
    track = f"MidiDrumiGen {pattern.style_id} {pattern.bars} bars"
    return write_midi(pattern, path, track_name=track).resolve()
