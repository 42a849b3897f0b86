"""What differs between a pattern job and a song job, in one place: how it is run, written and answered.

A song job answers, after its progress (one stage per section), section by section: one
/mdg/song/section (index, count, name, kind, start in beats, bars, notes) and that section's
/mdg/song/notes chunks, times in beats from the section's start, so a device writes each section
as its own clip; then one /mdg/done for the whole song. Every datagram stays under MAX_REPLY_BYTES.
"""

from __future__ import annotations

from pathlib import Path

from mididrumigen.bridge import constants as c
from mididrumigen.bridge import protocol
from mididrumigen.bridge.clip_files import write_clip_file
from mididrumigen.bridge.engine_api import PatternEngine, ProgressCallback
from mididrumigen.bridge.osc.message import OscMessage
from mididrumigen.bridge.take_jobs import TakesResult, run_takes, take_messages, write_take_files
from mididrumigen.engine.pattern import GenerationResult
from mididrumigen.engine.schema import GenerationRequest
from mididrumigen.engine.song import SongResult
from mididrumigen.engine.song_form import SongRequest

JobRequest = GenerationRequest | SongRequest
JobResult = GenerationResult | SongResult | TakesResult


def run_request(engine: PatternEngine, request: JobRequest, progress: ProgressCallback) -> JobResult:
    """Generate a pattern (or a variations job's takes), or compose a song, on the worker thread."""
    if isinstance(request, SongRequest):
        return engine.compose_song(request, progress=progress)
    return run_takes(engine, request, progress)


def write_result_files(output_dir: Path, result: JobResult, job_id: str) -> tuple[JobResult, Path]:
    """The job's .mid files in `output_dir`: (the result, with a variations job's files on it; the first file)."""
    if isinstance(result, TakesResult):
        result = write_take_files(output_dir, result, job_id)
        return result, result.files[0]
    return result, write_result_file(output_dir, result, job_id)


def write_result_file(output_dir: Path, result: GenerationResult | SongResult, job_id: str) -> Path:
    """The job's .mid in `output_dir`; a song's carries a marker at each section start."""
    markers = result.markers() if isinstance(result, SongResult) else ()
    return write_clip_file(output_dir, result.pattern, job_id, markers)


def song_messages(job_id: str, song: SongResult, file: str, include_notes: bool = True) -> tuple[OscMessage, ...]:
    """Each section's header and note chunks in form order (when the output includes clip), then /mdg/done."""
    messages: list[OscMessage] = []
    count = len(song.sections)
    for (start_beats, name), section in zip(song.markers(), song.sections, strict=True):
        index, notes = section.plan.index, section.pattern.notes
        messages.append(OscMessage(c.SONG_SECTION, (job_id, index, count, protocol.cut_text(name),
                                                    section.plan.kind.value, float(start_beats), section.plan.bars,
                                                    len(notes))))
        if include_notes:
            messages += protocol.notes_chunks(job_id, notes, address=c.SONG_NOTES, header=(index,))
    messages.append(protocol.done(job_id, len(song.pattern.notes), file, song.seconds))
    return tuple(messages)


def result_replies(job_id: str, result: JobResult, file: str, include_notes: bool = True) -> tuple[OscMessage, ...]:
    """What a finished job sends (and /mdg/resend sends again)."""
    if isinstance(result, SongResult):
        return song_messages(job_id, result, file, include_notes)
    if isinstance(result, TakesResult):
        return take_messages(job_id, result, include_notes)
    return protocol.result_messages(job_id, result.pattern.notes, file, result.seconds, include_notes)
