"""bridge.midi.rtmidi_out: API choice per platform, and playback on a real virtual port.

The real-port tests need a MIDI system: CoreMIDI, the ALSA sequencer or a running JACK server
(`jackd --no-realtime -d dummy`); they skip, saying why, when no port can be opened.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mido
import pytest

from mididrumigen.bridge.errors import MidiPortError
from mididrumigen.bridge.midi.player import Player
from mididrumigen.bridge.midi.rtmidi_out import RtMidiOut, candidate_apis
from mididrumigen.engine.pattern import Note, Pattern


def test_api_choice_per_platform(tmp_path: Path) -> None:
    no_seq = tmp_path / "missing"
    assert candidate_apis("darwin", {}, no_seq) == ("mido.backends.rtmidi/MACOSX_CORE",)
    assert candidate_apis("win32", {}, no_seq) == ("mido.backends.rtmidi/WINDOWS_MM",)
    assert candidate_apis("linux", {}, no_seq) == ("mido.backends.rtmidi/UNIX_JACK",)
    seq = tmp_path / "seq"
    seq.touch()
    assert candidate_apis("linux", {}, seq) == ("mido.backends.rtmidi/LINUX_ALSA", "mido.backends.rtmidi/UNIX_JACK")
    forced = {"MIDO_BACKEND": "mido.backends.rtmidi/UNIX_JACK"}
    assert candidate_apis("linux", forced, seq) == ("mido.backends.rtmidi/UNIX_JACK",)


def test_windows_without_loopmidi_says_what_to_do() -> None:
    # WINDOWS_MM is not compiled in on Linux/macOS either, so this also exercises the error path.
    with pytest.raises(MidiPortError, match="WINDOWS_MM"):
        RtMidiOut.open("MidiDrumiGen", apis=("mido.backends.rtmidi/WINDOWS_MM",))


@pytest.fixture
def virtual_port() -> Iterator[tuple[RtMidiOut, str]]:
    name = f"MDGTest{os.getpid()}"
    try:
        out = RtMidiOut.open(name)
    except MidiPortError as error:
        pytest.skip(f"no virtual MIDI port can be opened here: {error}")
    api = out.description.rsplit("(", 1)[-1].rstrip(")")
    yield out, f"mido.backends.rtmidi/{api}"
    out.close()


def test_second_client_receives_every_note_in_order_and_on_time(virtual_port: tuple[RtMidiOut, str]) -> None:
    out, api = virtual_port
    backend = mido.Backend(api, load=True)
    [source] = [n for n in backend.get_input_names() if out.name in n]
    arrived: list[tuple[float, Any]] = []
    all_in = threading.Event()
    total = 2 * 32

    def on_message(message: Any) -> None:
        arrived.append((time.monotonic(), message))
        if len(arrived) >= total:
            all_in.set()

    listener = backend.open_input(source, callback=on_message)
    try:
        # 32 sixteenths played at 480 bpm (31.25 ms apart), each a different pitch so order is checked too.
        notes = tuple(Note(30 + i, i * 0.25, 0.125, 100, "kick") for i in range(32))
        pattern = Pattern(notes, 2, 4, 4, 240.0, "test", "verse", 1, False)
        player = Player(out)
        player.start()
        start_s = time.monotonic() + 0.2
        player.play(pattern, start_s, 480.0)
        assert all_in.wait(10), f"got {len(arrived)} of {total} messages"
        player.close()
    finally:
        listener.close()
    ons = [(t, m) for t, m in arrived if m.type == "note_on"]
    assert [m.note for _, m in ons] == [30 + i for i in range(32)]
    latency = [t - (start_s + i * 0.03125) for i, (t, _) in enumerate(ons)]
    # The MIDI system adds a steady latency (a JACK period); what must not vary is the spacing.
    jitter = sorted(abs(x - statistics.median(latency)) for x in latency)
    assert min(latency) > -0.001 and statistics.median(latency) < 0.05
    # Within a JACK period or two for nearly every note; the maximum allows for a busy CI machine.
    assert jitter[int(0.9 * (len(jitter) - 1))] < 0.008 and jitter[-1] < 0.030, f"jitter {jitter[-5:]}"
    assert statistics.median(player.timing_errors_s()) < 0.002
