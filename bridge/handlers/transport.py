"""Handlers about Live's transport and the virtual MIDI port: /mdg/transport, /mdg/play, /mdg/stop."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from mididrumigen.bridge import constants as c
from mididrumigen.bridge.dispatcher import Handler, Request, RequestRejected
from mididrumigen.bridge.handlers import args as a
from mididrumigen.bridge.jobs import JobState, JobTable, UnknownJobError
from mididrumigen.bridge.playback import LivePlayback, PlaybackUnavailableError
from mididrumigen.bridge.protocol import ErrorCode

log = logging.getLogger(__name__)


class TransportHandlers:
    """Keeps the transport the device reports and plays finished jobs on the MIDI port."""

    def __init__(self, jobs: JobTable, playback: LivePlayback) -> None:
        self._jobs = jobs
        self._playback = playback

    def routes(self) -> Mapping[str, Handler]:
        return {c.TRANSPORT: self.transport, c.PLAY: self.play, c.STOP: self.stop}

    def transport(self, request: Request) -> None:
        """/mdg/transport beat:f tempo:f playing:i (no answer unless it is malformed)."""
        args = request.message.args
        a.check_count(c.TRANSPORT, args, "beat, tempo and playing", 3, 3)
        beat, tempo = a.number("beat", args[0]), a.number("tempo", args[1])
        playing = a.flag("playing", args[2])
        try:
            self._playback.report_transport(beat, tempo, playing)
        except ValueError as error:
            raise RequestRejected(ErrorCode.BAD_REQUEST, str(error)) from error

    def play(self, request: Request) -> None:
        """/mdg/play job_id [loop:i] [reply_port:i]: play a done job from the next bar.

        Errors go to reply_port when given, so a device on its own reply port sees them.
        """
        args = request.message.args
        a.check_count(c.PLAY, args, "job_id, an optional loop flag and an optional reply_port", 1, 3)
        port = a.trailing_reply_port(args, 2)
        job_id = a.job_id(args[0], port)
        loop = a.flag("loop", args[1], port) if len(args) > 1 else False
        try:
            job = self._jobs.get(job_id)
        except UnknownJobError as error:
            raise RequestRejected(ErrorCode.UNKNOWN_JOB, str(error), job_id, port) from error
        if job.state is not JobState.DONE or job.result is None:
            raise RequestRejected(
                ErrorCode.BAD_REQUEST, f"job {job_id} is {job.state.value}; only a done job can play", job_id, port
            )
        try:
            self._playback.play(job.result.pattern, loop=loop)
        except PlaybackUnavailableError as error:
            raise RequestRejected(ErrorCode.NO_MIDI_PORT, str(error), job_id, port) from error

    def stop(self, request: Request) -> None:
        """/mdg/stop [reply_port:i]: silence the port with a note-off for every sounding note."""
        args = request.message.args
        a.check_count(c.STOP, args, "an optional reply_port", 0, 1)
        a.trailing_reply_port(args, 0)  # nothing is answered on success; a bad port is refused
        silenced = self._playback.stop()
        log.info("playback stopped by %s (%d notes silenced)", request.sender_host, silenced)
