"""/mdg/song over real UDP with the real engine on the tiny checkpoint: progress per section, each
section's notes in chunks under 4 KB equal to the engine's own song, markers in the file, bad forms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mido
import pytest

from mididrumigen.bridge.constants import MAX_REPLY_BYTES
from mididrumigen.engine.song_form import parse_song_request
from tests.bridge.conftest import DaemonFactory
from tests.bridge.test_daemon_engine import f32
from tests.bridge.support import OscTestClient, Received, build, headed_notes, is_at
from tests.bridge.test_hostile_clients import bundle

FORM = "intro:2 verse:8 chorus:8 verse:8 outro:2"


def run_song(client: OscTestClient, *args: object) -> tuple[str, list[Received]]:
    since = client.mark()
    [queued] = client.query("/mdg/song", *args, reply="/mdg/queued")
    job_id = str(queued.args[0])
    client.wait(since, is_at("/mdg/done", job_id), timeout_s=60)
    return job_id, [r for r in client.received[since:] if r.args and r.args[0] == job_id]


def sections_of(replies: list[Received]) -> dict[int, tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """Each section's header and its notes rebuilt from its chunks, as a device does."""
    return headed_notes(replies, "/mdg/song/section", "/mdg/song/notes")


def test_a_song_comes_section_by_section_equal_to_the_engine(start_daemon: DaemonFactory, real_engine: Any) -> None:
    _, client = start_daemon(real_engine)
    job_id, replies = run_song(client, "style", "questlove", "form", FORM, "seed", 9, "tempo", 92,
                               "request_id", "song-1")
    assert replies[0].address == "/mdg/queued" and replies[0].args[1] == "song-1"
    assert replies[-1].address == "/mdg/done"
    stages = {part.split()[0] for r in replies if r.address == "/mdg/progress" and r.args[2].startswith("section ")
              for part in r.args[2].removeprefix("section ").split(", ")}
    assert stages == {f"{i}/5" for i in range(1, 6)}  # every section named in a progress stage
    assert all(r.size_bytes <= MAX_REPLY_BYTES for r in replies)
    expected = real_engine.compose_song(parse_song_request({"style": "questlove", "form": FORM, "seed": 9,
                                                            "tempo": 92}))
    got = sections_of(replies)
    assert sorted(got) == list(range(5))
    for section in expected.sections:
        header, notes = got[section.plan.index]
        assert header[2:] == (5, section.name, section.plan.kind.value, f32(section.plan.start_bar * 4.0),
                              section.plan.bars, len(section.pattern.notes))
        assert notes == [(n.pitch, f32(n.start_beats), f32(n.duration_beats), n.velocity)
                         for n in section.pattern.notes]
    assert replies[-1].args[1] == len(expected.pattern.notes)
    # /mdg/resend sends the sections again.
    since = client.mark()
    client.send("/mdg/resend", job_id)
    client.wait(since, is_at("/mdg/done", job_id))
    assert sections_of(client.since(since)) == got


def test_section_triples_give_the_same_song_as_the_form_text(start_daemon: DaemonFactory, real_engine: Any) -> None:
    _, client = start_daemon(real_engine)
    _, text = run_song(client, "style", "j_dilla", "form", "verse:2 chorus:2", "seed", 4)
    _, triples = run_song(client, "style", "j_dilla", "section", "verse", 2, "section", "chorus", 2, "seed", 4)
    def without_job_id(replies: list[Received]) -> list[Any]:
        return [(header[1:], notes) for _, (header, notes) in sorted(sections_of(replies).items())]

    assert without_job_id(text) == without_job_id(triples)


def test_file_output_carries_a_marker_at_each_section(start_daemon: DaemonFactory, real_engine: Any,
                                                      tmp_path: Path) -> None:
    _, client = start_daemon(real_engine)
    job_id, replies = run_song(client, "style", "metro_boomin", "form", "intro:1 chorus:2", "seed", 3,
                               "output", "file")
    assert not [r for r in replies if r.address == "/mdg/song/notes"]  # no clip output asked for
    path = Path(replies[-1].args[2])
    assert path.parent == (tmp_path / "clips").resolve() and job_id in path.name
    tick, markers = 0, []
    for message in mido.MidiFile(path).tracks[0]:
        tick += message.time
        if message.type == "marker":
            markers.append((tick, message.text))
    assert markers == [(0, "Intro"), (4 * 480, "Chorus")]


@pytest.mark.parametrize(("args", "message"), [
    (("form", "verse:0"), "verse must be between 1 and 256 bars, got 0"),
    (("form", "chorus:x"), "chorus needs a whole number of bars, got 'x'"),
    (("form", "verse:200 chorus:100"), "form is 300 bars long; a song holds at most 256 bars"),
    (("form", "verse:4 drop:4"), "unknown section 'drop'; sections are intro, verse, chorus, bridge, outro"),
    (("form", "verse:4", "bars", 8), "a song takes bars from its form; leave bars out"),
    (("tempo", 92), "a song needs a form"),
    (("form", "verse:4", "section", "chorus", 4), "give the form once"),
    (("section", "verse"), "section takes a name and bars"),
    (("form", "verse:4", "colour", "red"), "unknown key 'colour'; /mdg/song takes style,"),
    (("form", "verse:4", "tempo", 500), "tempo must be between 60 and 200, got 500"),
])
def test_a_bad_song_request_is_one_error_line(start_daemon: DaemonFactory, real_engine: Any,
                                              args: tuple[Any, ...], message: str) -> None:
    _, client = start_daemon(real_engine)
    [error] = client.query("/mdg/song", "request_id", "r7", "style", "questlove", *args, reply="/mdg/error")
    assert error.args[:2] == ("r7", "bad_request")
    assert message in error.args[2] and "\n" not in error.args[2]


def test_an_unknown_style_is_refused_before_queueing(start_daemon: DaemonFactory, real_engine: Any) -> None:
    _, client = start_daemon(real_engine)
    [error] = client.query("/mdg/song", "style", "nobody", "form", "verse:4", reply="/mdg/error")
    assert error.args[1] == "unknown_style"


def test_a_bundle_of_songs_runs_one(start_daemon: DaemonFactory, real_engine: Any) -> None:
    # /mdg/song is costly like /mdg/generate: a datagram or bundle runs at most one.
    daemon, client = start_daemon(real_engine)
    since = client.mark()
    client.send_raw(bundle(*[build("/mdg/song", "style", "questlove", "form", "verse:1", "seed", i)
                             for i in range(16)]))
    [error] = client.wait(since, is_at("/mdg/error"))
    assert "15 more were not run" in error.args[2]
    [queued] = client.wait(since, is_at("/mdg/queued"))
    client.wait(since, is_at("/mdg/done", queued.args[0]), timeout_s=60)
    assert sum(r.address == "/mdg/queued" for r in client.since(since)) == 1
