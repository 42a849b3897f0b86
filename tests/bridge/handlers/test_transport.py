"""bridge.handlers.transport: transport reports, play from the next bar, stop, and their refusals."""

from __future__ import annotations

from typing import Any

from mididrumigen.bridge.dispatcher import Dispatcher, ReplyTarget
from mididrumigen.bridge.handlers.transport import TransportHandlers
from mididrumigen.bridge.jobs import JobSpec, JobTable
from mididrumigen.bridge.midi.memory import MemoryOut
from mididrumigen.bridge.midi.player import Player
from mididrumigen.bridge.osc.message import OscMessage
from mididrumigen.bridge.playback import LivePlayback
from mididrumigen.bridge.protocol import DEFAULT_OUTPUTS
from mididrumigen.engine.pattern import GenerationResult, Note, Pattern
from mididrumigen.engine.schema import parse_request
from tests.bridge.support import ListOutbox


class Setup:
    def __init__(self, with_port: bool = True) -> None:
        self.now = 100.0
        self.out = MemoryOut(clock=lambda: self.now)
        self.player = Player(self.out, clock=lambda: self.now) if with_port else None
        self.playback = LivePlayback(self.player, "" if with_port else "no MIDI here", clock=lambda: self.now)
        self.jobs = JobTable()
        self.outbox = ListOutbox()
        self.dispatcher = Dispatcher(self.outbox, 7711)
        self.dispatcher.register(TransportHandlers(self.jobs, self.playback).routes())

    def send(self, address: str, *args: Any) -> None:
        self.dispatcher.dispatch(OscMessage(address, args), "127.0.0.1")

    def done_job(self) -> str:
        job_id = self.jobs.new_job_id()
        spec = JobSpec(job_id, parse_request({"style": "x"}), DEFAULT_OUTPUTS, "", ReplyTarget("127.0.0.1", 1))
        self.jobs.submit(spec)
        self.jobs.start(job_id)
        pattern = Pattern((Note(36, 0.0, 0.125, 100, "kick"),), 1, 4, 4, 95.0, "x", "verse", 1, False)
        self.jobs.finish(job_id, GenerationResult(pattern, 1, 0.1), None)
        return job_id


def test_play_starts_on_the_next_bar_of_the_reported_transport() -> None:
    s = Setup()
    s.send("/mdg/transport", 6.0, 120.0, 1)  # beat 6 of a 4/4 song at 120 bpm: next bar in 1 s
    assert s.playback.transport is not None and s.playback.transport.playing
    s.send("/mdg/play", s.done_job(), 1)
    assert s.outbox.sent == []  # no answer on success
    assert s.player is not None and s.player.run_once(100.0) == 101.0


def test_play_without_transport_starts_at_once_and_stop_silences() -> None:
    s = Setup()
    s.send("/mdg/play", s.done_job())
    assert s.player is not None
    s.player.run_once(100.0)
    assert s.out.sounding == {(9, 36)}
    s.send("/mdg/stop")
    assert s.out.sounding == frozenset() and s.player.pending == 0


def test_refusals() -> None:
    s = Setup()
    s.send("/mdg/play", "nope")
    s.send("/mdg/play", s.done_job(), 5)
    s.send("/mdg/transport", "x", 120.0, 1)
    s.send("/mdg/transport", 1.0, 0.0, 1)
    s.send("/mdg/transport", float("nan"), 120.0, 1)
    s.send("/mdg/transport", 1.0)
    s.send("/mdg/stop", 0)
    s.send("/mdg/stop", 7711, 1)
    codes = [m.args[1] for _, m in s.outbox.sent]
    assert codes == ["unknown_job"] + ["bad_request"] * 7
    assert all(t.port == 7711 for t, _ in s.outbox.sent)


def test_play_without_a_port_says_why() -> None:
    s = Setup(with_port=False)
    s.send("/mdg/play", s.done_job())
    [(_, message)] = s.outbox.sent
    assert message.args[1] == "no_midi_port" and "no MIDI here" in str(message.args[2])
