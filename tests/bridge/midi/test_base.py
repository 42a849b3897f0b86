"""bridge.midi.base through MemoryOut: send validates, sounding notes are tracked and silenced."""

from __future__ import annotations

import mido
import pytest

from mididrumigen.bridge.midi.memory import MemoryOut


def on(note: int) -> mido.Message:
    return mido.Message("note_on", channel=9, note=note, velocity=100)


def off(note: int) -> mido.Message:
    return mido.Message("note_off", channel=9, note=note)


def test_sounding_notes_are_tracked() -> None:
    out = MemoryOut()
    out.send(on(36))
    out.send(on(38))
    out.send(off(36))
    out.send(mido.Message("note_on", channel=9, note=38, velocity=0))  # running-status note-off
    out.send(on(42))
    assert out.sounding == {(9, 42)}


def test_silence_sends_note_off_for_every_sounding_note() -> None:
    out = MemoryOut()
    out.send(on(36))
    out.send(on(42))
    assert out.silence() == 2
    assert [(m.message.type, m.message.note) for m in out.sent[2:]] == [("note_off", 36), ("note_off", 42)]
    assert out.sounding == frozenset()


def test_close_silences_and_refuses_more() -> None:
    with MemoryOut() as out:
        out.send(on(36))
    assert out.closed
    assert out.sent[-1].message.type == "note_off"
    with pytest.raises(ValueError, match="closed"):
        out.send(on(36))
    out.close()  # twice is harmless


@pytest.mark.parametrize("message", [mido.Message("sysex", data=[1, 2]), "note_on", mido.Message("clock")])
def test_send_refuses_other_messages(message: object) -> None:
    with pytest.raises(TypeError):
        MemoryOut().send(message)


def test_wait_for_returns_false_on_deadline() -> None:
    out = MemoryOut()
    assert not out.wait_for(1, timeout_s=0.01)
    out.send(on(1))
    assert out.wait_for(1, timeout_s=0.01)
