"""The producer's kit on plain /mdg/generate and /mdg/song, over real UDP with the real engine on the
tiny checkpoint: the .mid (read back with mido), the OSC notes and the live MIDI all land on the kit's
pads; a partial kit is named in /mdg/warning; a wrong kit is one /mdg/error line.

Before `kit` was a request field, /mdg/generate refused it as an unknown key and wrote General MIDI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mido

from mididrumigen.engine.schema import parse_request
from tests.bridge.conftest import DaemonFactory
from tests.bridge.support import Received, is_at, reassemble
from tests.bridge.test_daemon_engine import f32, run_job
from tests.bridge.test_song_udp import run_song, sections_of

# Every voice on a pad away from General MIDI's drum notes (36-59), as an 808 kit laid out from C3.
PADS = {"kick": 60, "snare": 61, "closed_hat": 62, "open_hat": 63, "low_tom": 64, "mid_tom": 65,
        "high_tom": 66, "crash": 67, "ride": 68}
KIT_TEXT = ",".join(f"{voice}:{note}" for voice, note in PADS.items())


def note_ons(path: Path) -> list[int]:
    return [m.note for track in mido.MidiFile(path).tracks for m in track if m.type == "note_on" and m.velocity > 0]


def warnings_of(replies: list[Received]) -> list[str]:
    return [str(r.args[1]) for r in replies if r.address == "/mdg/warning"]


def test_generate_with_a_kit_writes_plays_and_returns_notes_on_its_pads(start_daemon: DaemonFactory,
                                                                        real_engine: Any) -> None:
    daemon, client = start_daemon(real_engine)
    fields: dict[str, Any] = {"style": "Questlove", "bars": 2, "seed": 5, "tempo": 100}
    job_id, replies = run_job(client, *[v for kv in fields.items() for v in kv], "kit", KIT_TEXT,
                              "output", "clip,file")
    notes = reassemble(replies, job_id)
    assert notes, "the tiny model plays something in 2 bars"
    assert {pitch for pitch, *_ in notes} <= set(PADS.values())
    expected = real_engine.generate(parse_request({**fields, "kit": PADS}))
    assert notes == [(n.pitch, f32(n.start_beats), f32(n.duration_beats), n.velocity) for n in expected.pattern.notes]
    done = replies[-1]
    written = note_ons(Path(done.args[2]))
    assert len(written) == len(notes) and set(written) <= set(PADS.values())
    assert warnings_of(replies) == [], "a kit with every voice on a pad earns no warning"

    sent = len(daemon.midi_out.sent)
    client.send("/mdg/play", job_id, 0)
    assert daemon.midi_out.wait_for(sent + 4, timeout_s=10)
    client.send("/mdg/stop")
    played = {s.message.note for s in daemon.midi_out.sent[sent:] if s.message.type == "note_on"
              and s.message.velocity > 0}
    assert played and played <= set(PADS.values())


def test_a_partial_kit_is_named_in_a_warning_and_the_rest_stays_general_midi(start_daemon: DaemonFactory,
                                                                              real_engine: Any) -> None:
    _, client = start_daemon(real_engine)
    job_id, replies = run_job(client, "style", "Questlove", "bars", 2, "seed", 5, "kit", "kick:60,snare:61")
    [warning] = warnings_of(replies)
    assert warning.startswith("the kit has no pad for closed_hat, open_hat, low_tom")
    pitches = {pitch for pitch, *_ in reassemble(replies, job_id)}
    assert not pitches & {36, 38}, "kick and snare moved to their pads"


def test_a_song_with_a_kit_plays_every_section_on_its_pads(start_daemon: DaemonFactory, real_engine: Any) -> None:
    _, client = start_daemon(real_engine)
    job_id, replies = run_song(client, "style", "Questlove", "form", "verse:2 chorus:2", "seed", 9, "kit", KIT_TEXT)
    sections = sections_of(replies)
    pitches = {int(note[0]) for _, notes in sections.values() for note in notes}
    assert len(sections) == 2 and pitches and pitches <= set(PADS.values())


def test_a_wrong_kit_is_one_error_line_and_queues_nothing(start_daemon: DaemonFactory, real_engine: Any) -> None:
    daemon, client = start_daemon(real_engine)
    for kit, words in (("cowbell:56", "unknown voice 'cowbell' in kit"), ("kick:300", "kit note of kick"),
                       ("kick:60,snare:60", "two voices on note 60"), (36, "kit must be voice:note pairs")):
        since = client.mark()
        client.send("/mdg/generate", "style", "Questlove", "kit", kit, "request_id", "k")
        [error] = client.wait(since, is_at("/mdg/error", "k"))
        assert error.args[1] == "bad_request" and words in str(error.args[2]), error.args
    assert daemon.jobs.queued_count == 0 and not any(r.address == "/mdg/queued" for r in client.received)
