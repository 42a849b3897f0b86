"""Engine.transform on the tiny trained model: continue follows its prompt, groove keeps every note's pitch
and step, vary keeps the locked hits exactly and plays the rest anew."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mididrumigen.engine.clip import ClipNote, parse_clip_request
from mididrumigen.engine.clip_input import clip_grid
from mididrumigen.engine.clip_transform import fit_notes
from mididrumigen.engine.constants import DEFAULT_KIT, STEPS_PER_BEAT
from mididrumigen.engine.generate import Engine
from mididrumigen.engine.pattern import GridHit, Note
from mididrumigen.engine.presets import PresetRegistry, StylePreset
from mididrumigen.engine.schema import parse_request
from mididrumigen.engine.runtime.base import Runtime, StepOutput
from mididrumigen.engine.sampling import PatternSampler
from mididrumigen.engine.tokenizer import Event, offset_to_bin, velocity_to_bin

BACKBEAT_BAR = ([(beat / 2, 42, 80) for beat in range(8)] + [(0.0, 36, 110), (2.5, 36, 100), (1.0, 38, 105),
                                                               (3.0, 38, 105)])


def _clip(bars: int, bar: list[tuple[float, int, int]] = BACKBEAT_BAR) -> list[ClipNote]:
    return [ClipNote(pitch, b * 4 + beat, 0.1, velocity) for b in range(bars) for beat, pitch, velocity in bar]


@pytest.fixture(scope="module")
def engine(tiny_checkpoint: Path, registry: PresetRegistry) -> Engine:
    return Engine(checkpoint=tiny_checkpoint, presets=registry, device="cpu")


def _run(engine: Engine, notes: list[ClipNote], **values: Any) -> Any:
    request = parse_clip_request({"style": "questlove", "tempo": 96, "seed": 5, "temperature": 1.3, **values})
    return engine.transform(request, notes)


def _step_of(note: Note | ClipNote) -> int:
    return int(note.start_beats * STEPS_PER_BEAT + 0.5)


class _Recording(Runtime):
    """The tiny model's runtime, keeping every window it is given whole (the prompt, a slide, a fill)."""

    def __init__(self, inner: Runtime) -> None:
        super().__init__(inner.info)
        self.inner = inner
        self.windows: list[list[tuple[int, ...]]] = []

    def step(self, events: np.ndarray, *rest: np.ndarray) -> StepOutput:  # type: ignore[override]
        if events.shape[1] > 1:
            self.windows.append([tuple(int(x) for x in e) for e in events[0]])
        return self.inner.step(events, *rest)

    def voice_logits(self, hidden: np.ndarray, steps: np.ndarray) -> np.ndarray:
        return self.inner.voice_logits(hidden, steps)

    def detail_logits(self, hidden: np.ndarray, steps: np.ndarray, voices: np.ndarray) -> np.ndarray:
        return self.inner.detail_logits(hidden, steps, voices)


def _recorded(tiny_checkpoint: Path, registry: PresetRegistry) -> tuple[Engine, _Recording]:
    engine = Engine(checkpoint=tiny_checkpoint, presets=registry, device="cpu")
    recording = _Recording(engine.runtime)
    engine.sampler = PatternSampler(recording)
    return engine, recording


def test_continue_plays_on_from_the_clip_as_its_prompt(tiny_checkpoint: Path, registry: PresetRegistry) -> None:
    engine, recording = _recorded(tiny_checkpoint, registry)
    clip = _clip(2)
    clip[1] = ClipNote(42, 0.55, 0.1, 30)  # a late, soft hat: its micro-timing and velocity reach the model
    result = _run(engine, clip, mode="continue", clip_bars=2, bars=2, fill=False)
    assert result.pattern.bars == 2
    assert all(0 <= n.start_beats < 8 for n in result.pattern.notes)
    tokenizer = engine.runtime.tokenizer
    cond = tokenizer.decode_conditioning([Event(*e) for e in recording.windows[0]])
    hits = clip_grid(clip, DEFAULT_KIT, 4, 4, 2).hits
    assert recording.windows[0] == [tuple(e) for e in tokenizer.encode(cond, hits, 2)]
    late_hat = next(e for e in recording.windows[0] if e[1:3] == (3, 3))  # step 2, closed hat (1-based)
    assert (late_hat[3] - 1, late_hat[4] - 1) == (velocity_to_bin(30), offset_to_bin(0.2))


def test_continue_with_the_input_puts_the_clip_first_exactly(engine: Engine) -> None:
    clip = _clip(2) + [ClipNote(60, 1.5, 0.5, 64)]
    result = _run(engine, clip, mode="continue", clip_bars=2, bars=1, include_input=True)
    assert result.pattern.bars == 3
    first = [(n.pitch, n.start_beats, n.velocity) for n in result.pattern.notes if n.start_beats < 8]
    assert sorted(first) == sorted((n.pitch, n.start_beats, n.velocity) for n in clip if n.pitch != 60)
    assert [(n.pitch, n.start_beats, n.duration_beats) for n in result.passthrough] == [(60, 1.5, 0.5)]
    assert any("pitch 60" in w for w in result.warnings)


def test_a_clip_longer_than_the_context_slides_and_still_continues(tiny_checkpoint: Path,
                                                                   registry: PresetRegistry) -> None:
    engine, recording = _recorded(tiny_checkpoint, registry)
    result = _run(engine, _clip(32), mode="continue", clip_bars=32, bars=2, fill=False)  # 390 events, context 128
    assert result.pattern.bars == 2 and result.model_hits
    window = recording.windows[0]
    assert len(window) <= engine.runtime.config.context
    bar_id = engine.runtime.tokenizer.bar_id
    assert window[5][0] == bar_id and window[-1][0] == bar_id  # the prefix, then the most recent whole bars
    assert [e[0] for e in window].count(bar_id) < 32


def test_groove_keeps_every_notes_pitch_and_step_and_plays_velocity_and_timing(engine: Engine) -> None:
    stiff = [ClipNote(n.pitch, n.start_beats, n.duration_beats, 100) for n in _clip(2)] + [ClipNote(37, 5.0, 0.1, 100)]
    result = _run(engine, stiff, mode="groove", clip_bars=2)
    out = sorted(result.pattern.notes, key=lambda n: (n.pitch, _step_of(n)))
    assert [(n.pitch, _step_of(n)) for n in out] == sorted((n.pitch, _step_of(n)) for n in stiff)
    assert len({n.velocity for n in out}) > 3  # the model played dynamics into a clip of 100s
    assert any(abs(n.start_beats * STEPS_PER_BEAT - _step_of(n)) > 0.01 for n in out)
    plain = _run(engine, stiff, mode="groove", clip_bars=2, humanize=False)
    assert all(abs(n.start_beats * STEPS_PER_BEAT - _step_of(n)) <= 0.5 for n in plain.pattern.notes)
    assert [(h.step, h.voice) for h in plain.model_hits] == [(h.step, h.voice) for h in result.model_hits]


def test_vary_keeps_locked_voices_exactly_and_plays_the_others_anew(engine: Engine) -> None:
    clip = _clip(2)
    kept_in = sorted((n.pitch, n.start_beats, n.duration_beats, n.velocity) for n in clip if n.pitch in (36, 38))
    hats_in = sorted((n.start_beats, n.velocity) for n in clip if n.pitch == 42)
    changed = 0
    for seed in range(4):
        result = _run(engine, clip, mode="vary", clip_bars=2, keep="kick,snare", seed=seed)
        notes = result.pattern.notes
        kept_out = sorted((n.pitch, n.start_beats, n.duration_beats, n.velocity) for n in notes
                          if n.voice in ("kick", "snare"))
        assert kept_out == kept_in  # no kick or snare added, moved or re-voiced
        locked = [(h.bar, h.step, h.voice) for h in result.model_hits if h.voice in ("kick", "snare")]
        assert locked == sorted(set(locked))  # and the model's own sequence holds each exactly once
        changed += sorted((n.start_beats, n.velocity) for n in notes if n.voice == "closed_hat") != hats_in
    assert changed >= 3


def test_vary_keeping_bars_keeps_them_whole(engine: Engine) -> None:
    clip = _clip(2)
    result = _run(engine, clip, mode="vary", clip_bars=2, keep_bars="1", temperature=1.6)
    first_bar = sorted((n.pitch, n.start_beats, n.velocity) for n in result.pattern.notes if n.start_beats < 3.9)
    assert first_bar == sorted((n.pitch, n.start_beats, n.velocity) for n in clip if n.start_beats < 4)
    assert all(h.bar == 1 for h in result.model_hits if (h.bar, h.step) not in {(0, _step_of(n)) for n in clip})


def test_a_custom_kit_reads_the_clip_and_writes_on_its_pads(engine: Engine) -> None:
    pads = {"kick": 60, "snare": 61, "closed_hat": 62}
    clip = [ClipNote(60, 0.0, 0.1, 110), ClipNote(61, 1.0, 0.1, 100), ClipNote(62, 0.5, 0.1, 70),
            ClipNote(36, 2.0, 0.1, 90)]  # 36 is not a pad of this kit
    result = _run(engine, clip, mode="vary", clip_bars=1, keep="kick", kit=pads, temperature=1.0)
    assert {n.pitch for n in result.pattern.notes if n.voice == "kick"} == {60}
    assert all(n.pitch != 36 for n in result.pattern.notes)
    assert [n.pitch for n in result.passthrough] == [36]
    assert any("no pad for open_hat" in w for w in result.warnings)


def test_fitting_notes_never_changes_a_kept_note_and_drops_no_other() -> None:
    kept = Note(42, 3.9, 0.125, 90, "closed_hat")
    new = [Note(42, 3.95, 0.125, 70, "closed_hat"), Note(42, 1.0, 0.5, 60, "closed_hat"),
           Note(42, 1.25, 0.125, 80, "closed_hat"), Note(36, 7.99, 0.125, 100, "kick")]
    fitted = fit_notes([*new, kept], 8.0, keep={kept})
    assert kept in fitted
    assert [(n.start_beats, n.duration_beats) for n in fitted if n.pitch == 42] == [
        (1.0, 0.25), (1.25, 0.125), (3.9, 0.125), (3.9 + 0.125, 0.125)]
    (kick,) = [n for n in fitted if n.pitch == 36]
    assert kick.start_beats + kick.duration_beats <= 8.0


def test_a_learned_styles_pattern_starts_from_one_of_its_prompts(tiny_checkpoint: Path,
                                                                 registry: PresetRegistry) -> None:
    prompt = [[0, 0, "kick", 110, 0.0], [0, 4, "snare", 100, 0.1], [1, 8, "ride", 60, -0.2]]
    learned = StylePreset.model_validate({"id": "learned", "name": "Learned", "description": "d", "tempo_min": 60,
                                          "tempo_max": 200, "genres": ["hiphop"],
                                          "prompts": [{"bars": 2, "hits": prompt}]})
    engine, recording = _recorded(tiny_checkpoint, PresetRegistry((*registry.styles, learned)))
    engine.generate(parse_request({"style": "learned", "bars": 1, "seed": 3}))
    tokenizer = engine.runtime.tokenizer
    cond = tokenizer.decode_conditioning([Event(*e) for e in recording.windows[0]])
    hits = [GridHit(*hit) for hit in prompt]  # type: ignore[arg-type]
    assert recording.windows[0] == [tuple(e) for e in tokenizer.encode(cond, hits, 2)]
    recording.windows.clear()
    engine.generate(parse_request({"style": "learned", "bars": 1, "seed": 3, "numerator": 3}))
    assert len(recording.windows[0]) == 6  # 3/4: the prefix and a BAR, no 4/4 prompt
