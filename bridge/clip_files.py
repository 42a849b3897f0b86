"""File output: a unique .mid inside the output directory, named like the CLI names its clips.

The name comes from mididrumigen.engine.naming (style, section, bars, tempo, seed, all validated values) plus the
daemon's own job id, so nothing a client sends can steer the path out of the output directory;
engine.midi_export writes it atomically (temp file, then rename).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from mididrumigen.engine.files import remove_stale_temp_files
from mididrumigen.engine.midi_export import Marker, pattern_to_midifile, write_midi
from mididrumigen.engine.naming import clip_file_stem
from mididrumigen.engine.pattern import Pattern

_JOB_ID: Final = re.compile(r"^[0-9a-f]{1,32}$")


def clip_file_path(output_dir: Path, pattern: Pattern, job_id: str, variant: int = 0) -> Path:
    """Where the job's .mid goes: directly inside `output_dir`, never over an existing file.
    `variant`: a variations job's take number (1, 2, ...), named `_v1`, `_v2`, ...; 0 for a single take.

    Raises:
        ValueError: if job_id is not a daemon job id (lowercase hex).
    """
    if not _JOB_ID.match(job_id):
        raise ValueError(f"job_id must be lowercase hex, got {job_id!r}")
    directory = output_dir.expanduser().resolve()
    stem = clip_file_stem(pattern, suffix=f"{job_id}_v{variant}" if variant else job_id)
    path = directory / f"{stem}.mid"
    copy = 2
    while os.path.lexists(path):  # a dangling link counts as taken: it is never written through
        path = directory / f"{stem}-{copy}.mid"
        copy += 1
    # The stem is built from safe tokens only; this guards that invariant, not user input.
    assert path.parent == directory and path.resolve().parent == directory, path
    return path


def write_clip_file(output_dir: Path, pattern: Pattern, job_id: str, markers: Sequence[Marker] = (),
                    variant: int = 0) -> Path:
    """Write the pattern as a .mid into `output_dir` (created if missing); returns its absolute path.
    `markers`: (beats, text) marker events, e.g. a song's section starts; `variant`: as clip_file_path.

    Raises:
        OSError: the directory cannot be created or written.
        ValueError: the pattern cannot be written as MIDI (an engine bug).
    """
    path = clip_file_path(output_dir, pattern, job_id, variant)
    return write_midi(pattern, path, track_name=clip_track_name(pattern), markers=markers).resolve()


def clip_track_name(pattern: Pattern) -> str:
    return f"MidiDrumiGen {pattern.style_id} {pattern.bars} bars"


def clip_bytes(pattern: Pattern) -> bytes:
    """The same .mid as write_clip_file writes, in memory (for a download of a job that wrote no file).

    Raises:
        ValueError: the pattern cannot be written as MIDI (an engine bug).
    """
    buffer = io.BytesIO()
    pattern_to_midifile(pattern, clip_track_name(pattern)).save(file=buffer)
    return buffer.getvalue()


def prepare_output_dir(output_dir: Path) -> int:
    """At start-up: refuse an output folder that is not a folder, and remove the `.NAME.mid.*.tmp`
    files a killed write left there. Returns how many were removed.

    Raises:
        NotADirectoryError: `output_dir` exists and is not a folder.
    """
    directory = output_dir.expanduser().resolve()
    if directory.exists() and not directory.is_dir():
        raise NotADirectoryError(f"the output folder {directory} is not a folder")
    return remove_stale_temp_files(directory, suffix=".mid")
