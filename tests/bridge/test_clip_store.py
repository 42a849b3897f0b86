"""bridge.clip_store: chunks assembled in order, and the bounds (notes, clips per host, hosts, expiry)."""

from __future__ import annotations

import pytest

from mididrumigen.bridge.clip_store import ClipStore, ClipUploadError, UploadedNote


def notes(count: int, start: float = 0.0) -> list[UploadedNote]:
    return [UploadedNote(36, start + i, 0.25, 100) for i in range(count)]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_chunks_in_any_order_give_the_clip_in_chunk_order() -> None:
    store = ClipStore()
    store.add_chunk("h", "c", 1, 2, notes(2, start=10))
    with pytest.raises(ClipUploadError, match="missing chunk 0 of 0..1"):
        store.get("h", "c")
    store.add_chunk("h", "c", 0, 2, notes(2))
    assert [n.start_beats for n in store.get("h", "c")] == [0, 1, 10, 11]
    with pytest.raises(ClipUploadError, match="unknown clip_id 'c'"):
        store.get("other-host", "c")


def test_a_new_total_starts_the_clip_over() -> None:
    store = ClipStore()
    store.add_chunk("h", "c", 0, 2, notes(1))
    store.add_chunk("h", "c", 0, 1, notes(3))
    assert len(store.get("h", "c")) == 3


def test_too_many_notes_refuses_the_clip_until_chunk_0_comes_again() -> None:
    store = ClipStore(max_notes=5)
    store.add_chunk("h", "c", 0, 2, notes(3))
    with pytest.raises(ClipUploadError, match="too long: more than 5 notes"):
        store.add_chunk("h", "c", 1, 2, notes(3))
    store.add_chunk("h", "c", 1, 2, notes(1))  # a later chunk does not hide the refusal
    with pytest.raises(ClipUploadError, match="too long"):
        store.get("h", "c")
    store.add_chunk("h", "c", 0, 2, notes(1))
    store.add_chunk("h", "c", 1, 2, notes(1))
    assert len(store.get("h", "c")) == 2


def test_a_refusal_is_kept_for_the_request() -> None:
    store = ClipStore()
    store.refuse("h", "c", "clip c chunk 0: note 3: pitch must be ...")
    with pytest.raises(ClipUploadError, match="note 3: pitch"):
        store.get("h", "c")


def test_bounds_forget_the_oldest_clip_host_and_expired_uploads() -> None:
    clock = Clock()
    store = ClipStore(max_hosts=2, max_clips_per_host=2, expiry_s=60, clock=clock)
    for clip_id in ("a", "b", "c"):
        store.add_chunk("h1", clip_id, 0, 1, notes(1))
    with pytest.raises(ClipUploadError, match="unknown clip_id 'a'"):
        store.get("h1", "a")
    store.add_chunk("h2", "x", 0, 1, notes(1))
    store.add_chunk("h3", "x", 0, 1, notes(1))
    with pytest.raises(ClipUploadError):
        store.get("h1", "c")  # h1 was the least recently used host
    assert store.clip_count == 2
    clock.now = 61
    with pytest.raises(ClipUploadError, match="unknown"):
        store.get("h3", "x")
    assert store.clip_count == 0
