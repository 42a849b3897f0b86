"""What the HTTP API answers, as pydantic models: the OpenAPI document at /docs is generated from them.

Requests need no model here: POST /generate takes the engine's own GenerationRequest, the one
contract the CLI and OSC validate against too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field

from mididrumigen.bridge.engine_api import StyleInfo
from mididrumigen.bridge.jobs import FINISHED_STATES, Job, JobState
from mididrumigen.bridge.take_jobs import TakesResult
from mididrumigen.engine.pattern import Pattern
from mididrumigen.engine.schema import GenerationRequest

API_PREFIX: Final = "/api/v1"

REQUEST_EXAMPLES: Final[dict[str, dict[str, Any]]] = {
    "dilla": {
        "summary": "4 bars of J Dilla, fixed seed",
        "value": {"style": "j_dilla", "bars": 4, "tempo": 90, "seed": 1234},
    },
    "full": {
        "summary": "every field",
        "value": {"style": "metro_boomin", "bars": 8, "tempo": 140, "numerator": 4, "denominator": 4,
                  "humanize": True, "fill": False, "pattern_type": "chorus", "temperature": 0.9,
                  "top_k": 0, "top_p": 0.95, "seed": 42},
    },
    "takes": {"summary": "4 takes in one batched pass, seeds 7 to 10",
              "value": {"style": "questlove", "bars": 2, "seed": 7, "variations": 4}},
    "seven_eight": {"summary": "7/8, seed drawn at random", "value": {"style": "questlove", "numerator": 7,
                                                                      "denominator": 8, "bars": 2}},
}


def status_url(job_id: str) -> str:
    return f"{API_PREFIX}/status/{job_id}"


def download_url(job_id: str, take: int | None = None) -> str:
    """The job's .mid; with `take` (1..variations) that take's, without it the first take's."""
    return f"{API_PREFIX}/patterns/{job_id}.mid" + (f"?take={take}" if take is not None else "")


def events_url(job_id: str) -> str:
    return f"{API_PREFIX}/tasks/{job_id}/events"


def _time(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


class ErrorBody(BaseModel):
    """Every refusal: one sentence a producer can act on, the protocol's error code, and what helps."""

    detail: str = Field(examples=["bars must be between 1 and 32, got 99"])
    code: str = Field(examples=["bad_request"], description="the same codes as OSC's /mdg/error")
    field: str | None = Field(default=None, description="the request field that is wrong", examples=["bars"])
    styles: list[str] | None = Field(default=None, description="on unknown_style: the style ids there are")


class TaskAccepted(BaseModel):
    """202 to POST /generate: where to follow the job."""

    task_id: str = Field(examples=["3f9a0c12be"])
    state: JobState = Field(examples=["queued"])
    status_url: str = Field(examples=["/api/v1/status/3f9a0c12be"])
    events_url: str = Field(examples=["/api/v1/tasks/3f9a0c12be/events"])


class NoteOut(BaseModel):
    """One drum hit; times in beats (quarter notes) from the start of the clip."""

    pitch: int = Field(examples=[36])
    start_beats: float = Field(examples=[0.0])
    duration_beats: float = Field(examples=[0.125])
    velocity: int = Field(examples=[104])
    voice: str = Field(examples=["kick"])


class PatternOut(BaseModel):
    """A finished job's pattern, exactly `bars` long so it loops."""

    style: str = Field(examples=["j_dilla"])
    bars: int = Field(examples=[4])
    numerator: int = Field(examples=[4])
    denominator: int = Field(examples=[4])
    tempo: float = Field(examples=[90.0])
    pattern_type: str = Field(examples=["verse"])
    seed: int = Field(examples=[1234], description="send it back to get this pattern again")
    length_beats: float = Field(examples=[16.0])
    seconds: float = Field(examples=[0.41], description="the engine's own generation time")
    download_url: str = Field(examples=["/api/v1/patterns/3f9a0c12be.mid"])
    notes: list[NoteOut]
    warnings: list[str] = Field(default_factory=list)


class TaskStatus(BaseModel):
    """A job as the job table holds it, whether it came over HTTP or OSC."""

    model_config = ConfigDict(use_enum_values=True)

    task_id: str = Field(examples=["3f9a0c12be"])
    state: JobState = Field(examples=["running"])
    percent: int = Field(ge=0, le=100, examples=[40])
    stage: str = Field(examples=["sampling"])
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    request: GenerationRequest
    error: ErrorBody | None = Field(default=None, description="why it failed")
    result: PatternOut | None = Field(default=None, description="when done: the notes and the download URL")
    takes: list[PatternOut] = Field(default_factory=list,
                                    description="when done: every take in order (one unless the request asked "
                                                "for variations), each with its own download URL")

    @classmethod
    def of(cls, job: Job, with_notes: bool = True) -> TaskStatus:
        failure = job.failure
        return cls(
            task_id=job.job_id, state=job.state, percent=job.percent, stage=job.stage,
            created_at=datetime.fromtimestamp(job.created_at, UTC), started_at=_time(job.started_at), finished_at=_time(job.finished_at),
            request=job.spec.request,
            error=ErrorBody(detail=failure.message, code=failure.code) if failure else None,
            result=_pattern_out(job, with_notes), takes=_takes_out(job, with_notes),
        )

    @property
    def finished(self) -> bool:
        return JobState(self.state) in FINISHED_STATES


def _pattern_out(job: Job, with_notes: bool) -> PatternOut | None:
    if job.state is not JobState.DONE or job.result is None:
        return None
    return _pattern(job.result.pattern, job.result.seconds, job.result.warnings, download_url(job.job_id),
                    with_notes)


def _takes_out(job: Job, with_notes: bool) -> list[PatternOut]:
    """A variations job's takes, each with its ?take= download; any other done job as its one take."""
    if job.state is not JobState.DONE or job.result is None:
        return []
    if not isinstance(job.result, TakesResult):
        first = _pattern_out(job, with_notes)
        return [first] if first is not None else []
    return [_pattern(take.pattern, take.seconds, take.warnings, download_url(job.job_id, number), with_notes)
            for number, take in enumerate(job.result.takes, start=1)]


def _pattern(pattern: Pattern, seconds: float, warnings: tuple[str, ...], url: str, with_notes: bool) -> PatternOut:
    notes = [NoteOut(pitch=n.pitch, start_beats=n.start_beats, duration_beats=n.duration_beats,
                     velocity=n.velocity, voice=n.voice) for n in pattern.notes] if with_notes else []
    return PatternOut(
        style=pattern.style_id, bars=pattern.bars, numerator=pattern.numerator, denominator=pattern.denominator,
        tempo=pattern.tempo_bpm, pattern_type=pattern.pattern_type, seed=pattern.seed,
        length_beats=pattern.length_beats, seconds=seconds, download_url=url, notes=notes, warnings=list(warnings),
    )


class StyleOut(BaseModel):
    """One style preset of the catalog."""

    id: str = Field(examples=["j_dilla"])
    name: str = Field(examples=["J Dilla"])
    description: str = Field(examples=["Drunk, behind-the-beat swing with lazy hats and ghost-note snares"])
    tempo_min: int = Field(examples=[80])
    tempo_max: int = Field(examples=[100])

    @classmethod
    def of(cls, style: StyleInfo) -> StyleOut:
        return cls(id=style.id, name=style.name, description=style.description,
                   tempo_min=style.tempo_min, tempo_max=style.tempo_max)


class Health(BaseModel):
    """Whether the daemon can take work, and on what."""

    status: str = Field(examples=["ok"], description="ok, loading (the model is still loading) or failed")
    model: str = Field(examples=["mididrumigen@3c1f"])
    model_loaded: bool
    device: str = Field(examples=["cpu"])
    queue_depth: int = Field(examples=[0], description="jobs waiting")
    queue_size: int = Field(examples=[32], description="jobs that may wait before a 503")
    midi_port: str | None = Field(examples=["MidiDrumiGen"], description="the live MIDI port, or null")
    midi_unavailable: str = Field(default="", description="why there is no MIDI port")
    jobs_run_by: str = Field(examples=["this process"], description='"this process" or the broker URL\'s host')
    version: str = Field(examples=["0.1.0"])
    protocol_version: int = Field(examples=[1], description="the OSC protocol version served beside HTTP")
