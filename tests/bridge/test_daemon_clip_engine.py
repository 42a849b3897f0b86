"""The clip requests with the real engine on the tiny checkpoint, over real UDP: the notes a device
rebuilds are the engine's own `transform` for the same request and seed, locked voices come back
unchanged, and a note that is no drum of the kit comes back untouched.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.bridge.conftest import DaemonFactory
from tests.bridge.support import reassemble
from tests.bridge.test_daemon_clip import BEAT, as_values, run_job, upload


def engine_notes(engine: Any, fields: dict[str, Any]) -> list[tuple[int, float, float, int]]:
    from mididrumigen.engine.clip import ClipNote, parse_clip_request

    request = parse_clip_request(fields)
    result = engine.transform(request, [ClipNote(*note) for note in BEAT])
    notes = (*result.pattern.notes, *result.passthrough)
    return as_values([(n.pitch, n.start_beats, n.duration_beats, n.velocity) for n in notes])


@pytest.mark.parametrize("mode", ["groove", "vary", "continue"])
def test_a_clip_job_answers_the_engines_own_transform(start_daemon: DaemonFactory, real_engine: Any,
                                                      mode: str) -> None:
    _, client = start_daemon(real_engine)
    upload(client, "take", BEAT)
    fields: dict[str, Any] = {"style": "Questlove", "clip_bars": 2, "seed": 11, "tempo": 96}
    if mode == "vary":
        fields["keep"] = "kick,snare"
    job_id, replies = run_job(client, f"/mdg/{mode}", "clip_id", "take", *[v for kv in fields.items() for v in kv],
                              timeout_s=60)
    notes = as_values(reassemble(replies, job_id))
    expected = engine_notes(real_engine, {**fields, "mode": mode})
    assert len(notes) == len(expected)
    for got, want in zip(notes, expected, strict=True):  # times went over the wire as float32
        assert (got[0], got[3]) == (want[0], want[3]) and got[1:3] == pytest.approx(want[1:3], abs=1e-4)
    if mode != "continue":
        assert (60, 0.0, 1.0, 64) in notes, "the note that is no drum of the kit comes back untouched"
    if mode == "vary":
        locked = as_values([n for n in BEAT if n[0] in (36, 38)])
        assert set(locked) <= set(notes)
