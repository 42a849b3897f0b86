"""Variations over the daemon: one request asks for several takes, made in one batched engine pass.

`/mdg/generate ... variations N` (or HTTP's `"variations": N`) runs ONE job. The worker expands the
request into its takes with the schema's own seeding rule (take k: seed + k, engine.schema.take_requests)
and calls the engine's batched path once, so take k is the same pattern the request makes alone with
that seed. The job's result is a `TakesResult`; a request of one take stays a plain GenerationResult,
answered exactly as before. Replies, take by take: `/mdg/take job_id index takes seed notes file`,
then that take's `/mdg/take/notes job_id index chunk chunks ...` (every datagram under MAX_REPLY_BYTES),
then one `/mdg/done` (all takes' notes, the first take's file). Whatever knows one pattern only (live
MIDI out, /mdg/play, a download without a take number) gets the first take.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from mididrumigen.bridge import constants as c
from mididrumigen.bridge import protocol
from mididrumigen.bridge.clip_files import write_clip_file
from mididrumigen.bridge.engine_api import PatternEngine, ProgressCallback
from mididrumigen.bridge.osc.message import OscMessage
from mididrumigen.engine.pattern import GenerationResult, Pattern
from mididrumigen.engine.schema import GenerationRequest, take_requests


@dataclass(frozen=True)
class TakesResult:
    """A variations job's takes in row order, and the .mid written for each (when `output` has file)."""

    takes: tuple[GenerationResult, ...]
    files: tuple[Path, ...] = ()

    @property
    def pattern(self) -> Pattern:
        """The first take: what live MIDI out, /mdg/play and a plain download play."""
        return self.takes[0].pattern

    @property
    def seconds(self) -> float:
        """The batch's generation time (every take was made in the same pass)."""
        return self.takes[0].seconds

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(warning for take in self.takes for warning in take.warnings))


def run_takes(engine: PatternEngine, request: GenerationRequest,
              progress: ProgressCallback) -> GenerationResult | TakesResult:
    """One request's takes in one batched engine call; one take is returned as it always was."""
    if request.variations == 1:
        return engine.generate(request, progress=progress)
    return TakesResult(tuple(engine.generate_batch(take_requests(request), progress=progress)))


def write_take_files(output_dir: Path, result: TakesResult, job_id: str) -> TakesResult:
    """Each take's .mid in `output_dir`, named as a single job's plus `_v1` ... `_vN`."""
    files = tuple(write_clip_file(output_dir, take.pattern, job_id, variant=index)
                  for index, take in enumerate(result.takes, start=1))
    return dataclasses.replace(result, files=files)


def take_messages(job_id: str, result: TakesResult, include_notes: bool = True) -> tuple[OscMessage, ...]:
    """Each take's header and note chunks (when the output includes clip), then /mdg/done."""
    messages: list[OscMessage] = []
    count = len(result.takes)
    for index, take in enumerate(result.takes):
        notes = take.pattern.notes
        file = str(result.files[index]) if result.files else ""
        # The seed goes as text: OSC's int32 cannot hold seeds up to 2**32 - 1.
        messages.append(OscMessage(c.TAKE, (job_id, index, count, str(take.pattern.seed), len(notes), file)))
        if include_notes:
            messages += protocol.notes_chunks(job_id, notes, address=c.TAKE_NOTES, header=(index,))
    total = sum(len(take.pattern.notes) for take in result.takes)
    first_file = str(result.files[0]) if result.files else ""
    messages.append(protocol.done(job_id, total, first_file, result.seconds))
    return tuple(messages)
