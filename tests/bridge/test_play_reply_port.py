"""/mdg/play and /mdg/stop over real UDP: errors reach the reply_port a device names, "no MIDI port"
has its own code, and `output midi` without a port is refused instead of answered with /mdg/done."""

from __future__ import annotations

from mididrumigen.bridge.protocol import ErrorCode
from tests.bridge.conftest import DaemonFactory
from tests.bridge.support import FakeEngine, OscTestClient, is_at


def _done_job(client: OscTestClient, output: str = "clip") -> str:
    since = client.mark()
    [queued] = client.query("/mdg/generate", "style", "j_dilla", "bars", 1, "output", output, reply="/mdg/queued")
    job_id = str(queued.args[0])
    client.wait(since, is_at("/mdg/done", job_id))
    return job_id


def test_play_errors_go_to_the_reply_port_it_names(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    daemon, default_client = start_daemon(fake_engine)
    with OscTestClient(daemon.address) as second_device:
        default_mark = default_client.mark()
        [unknown] = second_device.query("/mdg/play", "no-such-job", 1, second_device.port, reply="/mdg/error")
        assert unknown.args[:2] == ("no-such-job", ErrorCode.UNKNOWN_JOB.value)
        [bad_loop] = second_device.query("/mdg/play", "j", 7, second_device.port, reply="/mdg/error")
        assert bad_loop.args[1] == ErrorCode.BAD_REQUEST.value and "loop" in bad_loop.args[2]
        second_device.send("/mdg/stop", second_device.port)
        # Handled in order: once the default client has its pong, nothing above went to it.
        default_client.query("/mdg/ping", reply="/mdg/pong")
        assert [r.address for r in default_client.since(default_mark)] == ["/mdg/pong"]
        # A reply_port that is no port cannot be answered there: the refusal goes to the default port.
        since = default_client.mark()
        second_device.send("/mdg/stop", 0)
        [bad_stop] = default_client.wait(since, is_at("/mdg/error"))
        assert "reply_port" in bad_stop.args[2]


def test_play_and_stop_still_work_without_a_reply_port(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    daemon, client = start_daemon(fake_engine)
    job_id = _done_job(client)
    since = client.mark()
    client.send("/mdg/play", job_id)
    client.send("/mdg/play", job_id, 0, client.port)
    client.send("/mdg/stop")
    client.send("/mdg/stop", client.port)
    client.query("/mdg/ping", reply="/mdg/pong")
    assert [r.address for r in client.since(since)] == ["/mdg/pong"]  # success is silent, as before
    [error] = client.query("/mdg/play", "missing", reply="/mdg/error")  # the old form answers the default port
    assert error.args[1] == ErrorCode.UNKNOWN_JOB.value


def test_play_without_a_midi_port_names_the_problem(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    daemon, client = start_daemon(fake_engine, midi_out=None)
    job_id = _done_job(client)
    with OscTestClient(daemon.address) as device:
        [error] = device.query("/mdg/play", job_id, 1, device.port, reply="/mdg/error")
    assert error.args[:2] == (job_id, ErrorCode.NO_MIDI_PORT.value)
    assert "MIDI port" in error.args[2] and "output without MIDI" in error.args[2]


def test_output_midi_without_a_port_is_an_error_not_done(start_daemon: DaemonFactory, fake_engine: FakeEngine) -> None:
    _, client = start_daemon(fake_engine, midi_out=None)
    for output in ("midi", "clip,midi"):
        since = client.mark()
        [queued] = client.query("/mdg/generate", "style", "j_dilla", "bars", 1, "output", output, reply="/mdg/queued")
        job_id = str(queued.args[0])
        [error] = client.wait(since, is_at("/mdg/error", job_id))
        assert error.args[1] == ErrorCode.NO_MIDI_PORT.value and "output midi" in error.args[2]
        client.query("/mdg/ping", reply="/mdg/pong")
        assert not [r for r in client.since(since) if r.address in ("/mdg/done", "/mdg/notes")], output
    assert fake_engine.calls == 0  # refused before any generation ran
