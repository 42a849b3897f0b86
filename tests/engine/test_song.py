"""Songs with the tiny trained model: the plan, the seams (fills and crashes), returning grooves, markers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mididrumigen.engine.constants import GHOST_VELOCITY_BELOW
from mididrumigen.engine.generate import Engine
from mididrumigen.engine.presets import PresetRegistry
from mididrumigen.engine.sampling import MIN_FILL_HITS
from mididrumigen.engine.schema import PatternType
from mididrumigen.engine.song import CRASH_VELOCITY, SongResult, composition_batches, composition_order, plan_song
from mididrumigen.engine.tokenizer import bin_to_velocity, velocity_to_bin
from mididrumigen.engine.song_form import DEFAULT_FORM, parse_song_request


@pytest.fixture(scope="module")
def engine(tiny_checkpoint: Path, registry: PresetRegistry) -> Engine:
    return Engine(checkpoint=tiny_checkpoint, presets=registry, device="cpu")


def _song(engine: Engine, form: str = DEFAULT_FORM, **values: Any) -> SongResult:
    request = parse_song_request({"style": "questlove", "tempo": 92, "form": form, "seed": 7, "temperature": 1.5,
                                  **values})
    return engine.compose_song(request)


def test_the_plan_fills_every_phrase_and_section_end_and_brings_grooves_back(registry: PresetRegistry) -> None:
    request = parse_song_request({"style": "questlove", "form": DEFAULT_FORM, "seed": 1})
    plan = plan_song(request, registry.resolve("questlove"), 1)  # Questlove phrases are 4 bars
    assert [(p.kind.value, p.start_bar, p.bars) for p in plan][:3] == [("intro", 0, 4), ("verse", 4, 8),
                                                                       ("chorus", 12, 8)]
    assert [sorted(p.fill_bars) for p in plan] == [[3], [3, 7], [3, 7], [3, 7], [3, 7], [3], [3]]
    assert [p.crash for p in plan] == [False] + [True] * 6
    by_index = {p.index: p for p in plan}
    assert (by_index[3].groove_from, by_index[3].thinned) == (1, False)  # the second verse keeps the first's
    assert (by_index[4].groove_from, by_index[4].thinned) == (2, False)
    assert (by_index[0].groove_from, by_index[0].thinned) == (1, True)  # the intro thins the verse out
    assert (by_index[6].groove_from, by_index[6].thinned) == (2, True)  # the outro thins the chorus out
    assert by_index[5].groove_from is None  # the bridge is new
    order = [p.index for p in composition_order(plan)]
    assert order.index(1) < order.index(0) and order.index(2) < order.index(6)
    # Lock-step batches: same depth and length. The first verse, chorus and bridge do not share a length
    # with the bridge (4 bars), so: [verse, chorus], [bridge], [verse 2, chorus 2], [intro, outro].
    assert [[p.index for p in batch] for batch in composition_batches(plan)] == [[5], [1, 2], [0, 6], [3, 4]]
    assert len({p.seed for p in plan}) == len(plan)


def test_no_fill_means_no_fill_bars(registry: PresetRegistry) -> None:
    request = parse_song_request({"style": "j_dilla", "form": "verse:8 chorus:1", "fill": False, "seed": 1})
    assert all(not p.fill_bars for p in plan_song(request, registry.resolve("j_dilla"), 1))
    request = parse_song_request({"style": "j_dilla", "form": "verse:16 chorus:1", "seed": 1})
    assert [sorted(p.fill_bars) for p in plan_song(request, registry.resolve("j_dilla"), 1)] == [[7, 15], []]


def test_a_song_is_its_sections_end_to_end(engine: Engine) -> None:
    stages: list[str] = []
    song = engine.compose_song(parse_song_request({"style": "questlove", "tempo": 92, "form": DEFAULT_FORM,
                                                   "seed": 7, "temperature": 1.5}),
                               lambda percent, stage: stages.append(stage))
    assert song.pattern.bars == 44 and song.pattern.pattern_type == "song"
    assert [s.name for s in song.sections] == ["Intro", "Verse", "Chorus", "Verse 2", "Chorus 2", "Bridge", "Outro"]
    assert song.markers()[:3] == ((0.0, "Intro"), (16.0, "Verse"), (48.0, "Chorus"))
    assert sum(len(s.pattern.notes) for s in song.sections) == len(song.pattern.notes)
    for section in song.sections:
        clip = section.pattern
        assert clip.bars == section.plan.bars and clip.pattern_type == section.plan.kind.value
        assert all(0 <= n.start_beats and n.start_beats + n.duration_beats <= clip.length_beats + 1e-9
                   for n in clip.notes)
    named = {part.split()[0] for s in stages if s.startswith("section ")
             for part in s.removeprefix("section ").split(", ")}
    assert named == {f"{i}/7" for i in range(1, 8)}
    assert stages[-1] == "done"


def test_every_seam_has_a_fill_before_it_and_a_crash_on_it(engine: Engine) -> None:
    song = _song(engine)
    for section in song.sections:
        hits = section.model_hits
        for bar in section.plan.fill_bars:
            in_bar = [h for h in hits if h.bar == bar]
            # The grammar keeps a fill bar open for MIN_FILL_HITS hits, unless its last step is taken.
            assert len(in_bar) >= MIN_FILL_HITS or in_bar[-1].step == 15, (section.name, bar)
        if section.plan.crash:
            (crash,) = [h for h in hits if h.bar == 0 and h.step == 0 and h.voice == "crash"]
            assert crash.velocity >= bin_to_velocity(velocity_to_bin(CRASH_VELOCITY[0])), section.name


def test_a_returning_section_keeps_the_first_ones_kick_and_snare(engine: Engine) -> None:
    song = _song(engine)
    first, again = song.sections[1], song.sections[3]
    assert (first.plan.kind, again.plan.kind) == (PatternType.VERSE, PatternType.VERSE)

    def backbone(hits: Any, bar: int) -> set[tuple[int, str]]:
        return {(h.step, h.voice) for h in hits
                if h.bar == bar and h.voice in ("kick", "snare") and h.velocity >= GHOST_VELOCITY_BELOW}

    for bar in range(8):
        if bar in again.plan.fill_bars:
            continue
        kept = backbone(first.model_hits, bar)
        assert kept <= {(h.step, h.voice) for h in again.model_hits if h.bar == bar}, bar
    assert first.model_hits != again.model_hits  # varied, not copied


def test_a_seed_gives_the_same_song_and_meters_other_than_four_four_work(engine: Engine) -> None:
    one, two = _song(engine, "verse:4 chorus:4"), _song(engine, "verse:4 chorus:4")
    assert one.pattern == two.pattern
    assert one.pattern != _song(engine, "verse:4 chorus:4", seed=8).pattern
    odd = _song(engine, "intro:2 verse:3 outro:2", numerator=7, denominator=8)
    assert odd.pattern.length_beats == 7 * 3.5
    assert odd.markers() == ((0.0, "Intro"), (7.0, "Verse"), (17.5, "Outro"))
