"""Two fixed non-models that put the groove-match ratios on a scale (issue 5 quotes ~35% and ~55%).

    boom-bap loop  the same bar in every bar: kick on steps 0, 7 and 10 (velocity 110), snare on 4
                   and 12 (110), closed hat on every 8th (80), exactly on the grid
    random hits    each of the 9 x 16 (voice, step) cells of a bar is played with probability
                   hits / 144, hits being the mean hits per bar of the real bars it is compared
                   with; velocity uniform in 1..127, micro-timing uniform in [-0.5, 0.5) steps

Both are measured like generated bars: as many 4-bar clips as the style has patterns, at tempos
spread over its range; the random clips are seeded.
"""

from __future__ import annotations

import random
from typing import Final

from mididrumigen.engine.constants import VOICES
from mididrumigen.engine.evaluation.corpus import PATTERN_BARS, hits_to_notes
from mididrumigen.engine.evaluation.features import STEPS_PER_BAR, FeatureTable, clip_features
from mididrumigen.engine.pattern import GridHit
from mididrumigen.engine.presets import StylePreset

BOOM_BAP: Final[tuple[tuple[int, str, int], ...]] = (
    (0, "kick", 110), (7, "kick", 110), (10, "kick", 110), (4, "snare", 110), (12, "snare", 110),
    *((step, "closed_hat", 80) for step in range(0, STEPS_PER_BAR, 2)),
)


def _tempos(style: StylePreset, count: int) -> list[float]:
    return [style.tempo_min + (i / (count - 1) if count > 1 else 0.5) * (style.tempo_max - style.tempo_min)
            for i in range(count)]


def boom_bap_features(style: StylePreset, count: int) -> FeatureTable:
    hits = [GridHit(bar, step, voice, velocity, 0.0)
            for bar in range(PATTERN_BARS) for step, voice, velocity in BOOM_BAP]
    return FeatureTable.concat([clip_features(hits_to_notes(hits), tempo, PATTERN_BARS, "boom_bap", loops=True)
                                for tempo in _tempos(style, count)])


def random_features(style: StylePreset, count: int, hits_per_bar: float, seed: int = 0) -> FeatureTable:
    rng = random.Random(f"{seed}:random-hits:{style.id}")
    chance = min(1.0, hits_per_bar / (len(VOICES) * STEPS_PER_BAR))
    tables = []
    for tempo in _tempos(style, count):
        hits = [GridHit(bar, step, voice, rng.randint(1, 127), rng.uniform(-0.5, 0.5))
                for bar in range(PATTERN_BARS) for step in range(STEPS_PER_BAR) for voice in VOICES
                if rng.random() < chance]
        tables.append(clip_features(hits_to_notes(hits), tempo, PATTERN_BARS, "random", loops=True))
    return FeatureTable.concat(tables)
