"""Grammar-constrained sampling: temperature, top-k, top-p and a seed, one hit per model step.

The grammar makes every output a valid pattern of exactly the requested bars: inside a bar, hits
come in (step, voice) order and only on steps the time signature has; the bar ends when the model
picks BAR (or when the bar is full); sampling stops after the requested number of bars. Longer
patterns than the context keep going by sliding the window: the cache is rebuilt from the prefix
and the most recent whole bars, so the cost stays linear in bars.

A phrase ends with a fill: before its last bar the window is rebuilt from the `feel:fill` prefix
(at FILL_ENERGY) alone, so the model plays the opening bar of a fill take, which in the Groove MIDI
Dataset is the fill itself (74% of fill takes are one bar long). Keeping the groove bar in the window
was tried and measured worse by `mididrumigen eval`: the model then mostly repeated the groove
(1.3 tom hits per fill bar against 3.5 in real fills) or played only the landing crash of a
two-bar fill take. The grammar also keeps a fill bar open until it holds MIN_FILL_HITS hits.
Fill bars are a set, so a long pattern or a song section can fill at every phrase end: after a fill
bar that is not the last, the groove's own window (its prefix and recent groove bars, saved when the
fill began) comes back, so the groove resumes where it left off rather than after the fill's prefix.

Outside 4/4, a bar may not skip a whole beat of its meter's pulse (quarter notes, dotted quarters
in compound meters): the model may not move past a beat that holds no hit, nor close the bar before
its last whole beat holds one (issue #11). The model chooses every step and voice inside the beat; the
guard only stops it handing back silence where its sense of a long bar's end is still learned from
re-barred takes (engine.meter_augment). A fill bar too: a fill that stops at beat 4 of a 5/4 bar
sounds like the bar the issue heard. 4/4, which the model learned from 18,000 real bars, stays free.

A style's anchors (GridAnchor) are grammar too: in every groove bar, a forced anchor that is active
this bar (its probability is drawn from the row's own anchor stream) keeps the bar from moving past
its step, or closing, until the model has played its voice there, within its velocity bins; a
forbidden one masks its voice on its step. The model chooses everything else, and fills are free.
An anchor may hold in one bar only (`bar`): a song's returning section keeps the kick and snare of
its first appearance bar by bar that way, and a section's first bar its crash.

A style's variation (StylePreset.variation) is how freely its drummer varies a groove bar to bar:
in groove bars, the model's own choices of where to play next and which voice divide their logits by
it, i.e. they are drawn at the request's temperature times the variation. Anchors and locks are still
forced, fills and every hit's velocity and micro-timing draw at the request's settings, and a
variation of 1 draws exactly what was drawn before it existed. It exists because the request's default
sharpening (temperature 0.9, top_p 0.95) keeps a groove tighter than drummers play it: `mididrumigen
eval` (section 6) measured 0.72-0.73 bar-to-bar overlap against real takes' 0.55, every voice repeated
more than the drummers' (engine.evaluation.structure), while the anchors already hold the backbone.

The producer's own clip enters through a ClipGuide: its bars as a prompt (history after the prefix,
so the model continues them), and locks: hits forced at their bar and step like anchors, whose
velocity and micro-timing bins may be forced too (vary keeps them exactly) or left to the model
(groove: the model plays the clip's steps and voices). A locked voice, or a locked bar, gets no hit
the clip did not have.

Variations run as one batch in lock-step, each row with its own cache and its own random stream
(seeded by the row's seed), so a seed gives the same pattern alone or in a batch; a row that
finishes leaves the batch and costs nothing more. Draws are numpy, the same whichever runtime
computes the logits.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import Final

import numpy as np

from mididrumigen.engine.constants import VOICES
from mididrumigen.engine.guides import NO_GUIDE, ClipGuide, GridAnchor, expected_detail
from mididrumigen.engine.meter import meter_id_of, parse_meter, pulse_steps
from mididrumigen.engine.model_config import ModelConfig
from mididrumigen.engine.pattern import GridHit, SamplingSettings
from mididrumigen.engine.runtime.base import Runtime, StepOutput
from mididrumigen.engine.tokenizer import (
    Conditioning,
    Event,
    Tokenizer,
    bin_to_offset,
    bin_to_velocity,
    offset_to_bin,
    velocity_to_bin,
)

__all__ = ["ClipGuide", "FILL_ENERGY", "GridAnchor", "MAX_HITS_PER_BAR", "MIN_BARS_FOR_FILL", "MIN_FILL_HITS",
           "PatternSampler", "SamplingSettings", "draw", "filtered_probabilities"]

MIN_BARS_FOR_FILL = 4
"""A pattern this long ends its phrase with a fill bar (when asked to); shorter ones are all groove."""
MIN_FILL_HITS = 4
"""A fill bar is not closed before it holds this many hits (a lone crash is a landing, not a fill)."""
FILL_ENERGY: Final = "low"
"""The energy a fill bar is conditioned on, whatever the groove's: real fills are sparser than the
grooves around them (fewer hats, more toms). Most fill takes in the training data are low energy
(63% of fill crops, 10.7 hits per bar); `mididrumigen eval` (its section 5) measured fills at the
groove's own energy 20-25% denser than real ones, and at "mid" more toms than real fills."""
MAX_HITS_PER_BAR = 96
"""Safety valve: a bar this full is closed by force (real bars in the data peak near 45)."""

BarCallback = Callable[[int], None]
"""on_bar(bars finished so far, summed over the rows of a batch)."""

CACHE_CHUNK = 32
"""The cache grows in steps of this many events, up to the context: the step graph reads every
slot it is given, so a short pattern should not pay for the whole context. Keep it a multiple of 16:
the new event's score follows the cache's slots in the softmax, and ONNX Runtime sums that row in SIMD
lanes, so a capacity that moves it to another lane changes the last bit of the sum. With 8 here a
groove's expected velocities moved (a row alone and in a batch can have different capacities)."""


def filtered_probabilities(logits: np.ndarray, settings: SamplingSettings) -> np.ndarray:
    """Each row of (B, V) logits as probabilities after temperature, then top-k, then top-p (nucleus),
    with dropped classes at 0 and the rest not renormalised (a draw scales by the row's total).

    Works on probabilities rather than masked logits so that a draw costs one softmax: at one event
    per model step, numpy's per-call overhead is most of the sampler's time, so every step below is
    one ufunc call (no Python-level wrappers such as ndarray.max or np.cumsum) writing in place where
    it can. The float64 operations and their order are what they always were: the same draws."""
    probabilities = np.divide(logits, settings.temperature, dtype=np.float64)  # a new array: logits stay
    np.subtract(probabilities, np.maximum.reduce(probabilities, axis=-1, keepdims=True), out=probabilities)
    np.exp(probabilities, out=probabilities)
    width = probabilities.shape[-1]
    if 0 < settings.top_k < width:
        kth = np.partition(probabilities, width - settings.top_k, axis=-1)[..., width - settings.top_k, None]
        probabilities[probabilities < kth] = 0.0
    if settings.top_p < 1.0:
        np.divide(probabilities, np.add.reduce(probabilities, axis=-1, keepdims=True), out=probabilities)
        ordered = probabilities.copy()
        ordered.sort(axis=-1)
        ordered = ordered[..., ::-1]  # descending
        # Drop a class once the mass before it already reaches top_p; the best one always stays.
        before = np.add.accumulate(ordered, axis=-1)
        np.subtract(before, ordered, out=before)
        kept = np.add.reduce(before < settings.top_p, axis=-1, keepdims=True)
        smallest_kept = ordered[np.arange(len(ordered))[:, None], np.maximum(kept, 1) - 1]
        probabilities[probabilities < smallest_kept] = 0.0
    return probabilities


def draw(logits: np.ndarray, settings: SamplingSettings, streams: Sequence[np.random.Generator]) -> np.ndarray:
    """One index per row of (B, V) logits, row i drawing from streams[i] only (one uniform per draw)."""
    cumulative = np.add.accumulate(filtered_probabilities(logits, settings), axis=-1)
    uniforms = np.array([stream.random() for stream in streams])
    np.multiply(uniforms, cumulative[:, -1], out=uniforms)
    picks = np.add.reduce(cumulative <= uniforms[:, None], axis=-1)
    return np.minimum(picks, logits.shape[-1] - 1)


ANCHOR_STREAM: Final = 0xA4C
"""Anchors draw from their own stream (seeded by the row's seed and this), so a style without anchors
samples exactly what it sampled before anchors existed."""


class _Cache:
    """Keys and values per row of a batch, in numpy, for any runtime to read.

    Row r holds its events in slots 0..lengths[r]-1; `mask` is 0 there and -inf elsewhere, which is
    how rows of different lengths share one array. Capacity grows by CACHE_CHUNK up to the context.
    """

    def __init__(self, config: ModelConfig, rows: int) -> None:
        self.config = config
        self.lengths = np.zeros(rows, dtype=np.int64)
        self._allocate(rows, CACHE_CHUNK)

    def _allocate(self, rows: int, capacity: int) -> None:
        c = self.config
        self.keys = np.zeros((c.n_layer, rows, c.n_head, capacity, c.head_dim), dtype=np.float32)
        self.values = np.zeros_like(self.keys)
        self.mask = np.full((rows, capacity), -np.inf, dtype=np.float32)

    def reserve(self, length: int) -> None:
        capacity = self.mask.shape[1]
        if length <= capacity:
            return
        grown = min(self.config.context, -(-length // CACHE_CHUNK) * CACHE_CHUNK)
        keys, values, mask = self.keys, self.values, self.mask
        self._allocate(mask.shape[0], grown)
        self.keys[:, :, :, :capacity] = keys
        self.values[:, :, :, :capacity] = values
        self.mask[:, :capacity] = mask

    def clear(self, row: int) -> None:
        self.lengths[row] = 0
        self.mask[row] = -np.inf

    def append(self, rows: Sequence[int], keys: np.ndarray, values: np.ndarray) -> None:
        """Append (L, len(rows), H, T, D) new keys/values to the given rows."""
        new = keys.shape[3]
        lengths = self.lengths.tolist()  # Python ints: cheaper to read one by one than numpy scalars
        starts = [lengths[row] for row in rows]
        self.reserve(max(starts) + new)
        if new == 1:  # the common case, one event per row: plain slices (a fancy-index scatter costs 3x more)
            for index, row in enumerate(rows):
                start = starts[index]
                self.keys[:, row, :, start] = keys[:, index, :, 0]
                self.values[:, row, :, start] = values[:, index, :, 0]
                self.mask[row, start] = 0.0
                self.lengths[row] = start + 1
            return
        for index, row in enumerate(rows):
            start = starts[index]
            self.keys[:, row, :, start:start + new] = keys[:, index]
            self.values[:, row, :, start:start + new] = values[:, index]
            self.mask[row, start:start + new] = 0.0
            self.lengths[row] = start + new

    def keep(self, rows: Sequence[int]) -> None:
        """Drop every other row (finished patterns), so the next steps read only what is still playing."""
        self.keys, self.values = self.keys[:, rows], self.values[:, rows]
        self.mask, self.lengths = self.mask[rows], self.lengths[rows]

    def views(self, rows: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The next positions (B, 1) and the cache of the given rows (ascending): the arrays themselves
        when that is every row (no copy)."""
        if len(rows) == len(self.lengths):
            return self.lengths[:, None], self.keys, self.values, self.mask
        return self.lengths[rows, None], self.keys[:, rows], self.values[:, rows], self.mask[rows]


@dataclass
class _Row:
    """One pattern of a batch: where the grammar stands and what it has played."""

    output: int  # its place in the caller's list
    cond: Conditioning
    prefix: list[Event]
    stream: np.random.Generator
    fill_bars: frozenset[int]
    history: list[Event] = field(default_factory=list)
    bar_starts: list[int] = field(default_factory=list)
    hits: list[GridHit] = field(default_factory=list)
    bar: int = 0
    last_step: int = -1
    last_voice: int = 0
    hits_in_bar: int = 0
    generated: int = 0
    rebuild: bool = True  # the cache must be refilled from `history` before the next step
    done: bool = False
    meter: int = 0  # the bar's signature id that every BAR and hit event carries (engine.meter)
    pulse: int = 0  # steps per beat the groove bars must not skip (0: no guard, as in 4/4)
    whole_beats: int = 0
    anchors: tuple[GridAnchor, ...] = ()
    anchor_stream: np.random.Generator | None = None
    pending: list[GridAnchor] = field(default_factory=list)  # forced this bar, not yet played
    forbidden: set[tuple[int, int]] = field(default_factory=set)  # (step, voice) kept out of this bar
    guide: ClipGuide = NO_GUIDE
    closed_voices: frozenset[int] = frozenset()  # voices that play only their locks in this bar
    open_voices: tuple[int, ...] = ()  # the others, ascending (read at every step, so kept per bar)
    groove_window: tuple[list[Event], list[int]] | None = None  # history and bar starts saved by a fill
    variation: float = 1.0  # the style's temperature factor for step and voice draws in groove bars

    @property
    def heat(self) -> float:
        """What this bar's step and voice logits are divided by: the variation in a groove bar, 1 in a fill."""
        return 1.0 if self.bar in self.fill_bars else self.variation

    def roll_anchors(self, steps_in_bar: int, n_voices: int) -> None:
        """Decide which anchors hold in the bar that starts now (none in the fill bar), and take its locks."""
        self.pending, self.forbidden = [], set()
        guide = self.guide
        locked_bar = self.bar in guide.locked_bars
        self.closed_voices = frozenset(range(n_voices)) if locked_bar else guide.locked_voices
        self.open_voices = tuple(v for v in range(n_voices) if v not in self.closed_voices)
        self.pending = [lock for lock in guide.locks.get(self.bar, ()) if lock.step < steps_in_bar]
        if self.anchor_stream is None:
            self.pending.sort(key=lambda a: (a.step, a.voice))
            return
        for anchor in self.anchors:
            active = self.anchor_stream.random() < anchor.probability  # drawn always: a stable stream
            if not active or anchor.step >= steps_in_bar or self.bar in self.fill_bars or locked_bar:
                continue
            if anchor.bar is not None and anchor.bar != self.bar:
                continue
            if anchor.voice in self.closed_voices:
                continue
            if anchor.force:
                self.pending.append(anchor)
            else:
                self.forbidden.add((anchor.step, anchor.voice))
        self.pending.sort(key=lambda a: (a.step, a.voice))


class PatternSampler:
    """Turns conditioning prefixes into grid hits with a runtime (ONNX Runtime or torch)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.tokenizer: Tokenizer = runtime.tokenizer
        self.config = runtime.config

    def sample(self, cond: Conditioning, bars: int, steps_in_bar: int, settings: SamplingSettings, seed: int,
               on_bar: BarCallback | None = None, fill: bool = False,
               anchors: Sequence[GridAnchor] = (), guide: ClipGuide = NO_GUIDE,
               fill_bars: Collection[int] | None = None, variation: float = 1.0) -> tuple[list[GridHit], int]:
        """Sample `bars` bars of `steps_in_bar` steps. Returns the hits and the events generated.

        With `fill` and at least MIN_BARS_FOR_FILL bars, the last bar is played as a fill; `fill_bars`
        (bar indices from 0) names the fill bars instead. `variation`: the style's (see the module docstring).
        """
        return self.sample_batch([(cond, seed)], bars, steps_in_bar, settings, on_bar, fill, [anchors], [guide],
                                 None if fill_bars is None else [fill_bars], [variation])[0]

    def sample_batch(self, rows: Sequence[tuple[Conditioning, int]], bars: int, steps_in_bar: int,
                     settings: SamplingSettings, on_bar: BarCallback | None = None, fill: bool = False,
                     anchors: Sequence[Sequence[GridAnchor]] | None = None,
                     guides: Sequence[ClipGuide] | None = None,
                     fill_bars: Sequence[Collection[int]] | None = None,
                     variations: Sequence[float] | None = None) -> list[tuple[list[GridHit], int]]:
        """Sample one pattern per (conditioning, seed) in lock-step; results in the same order.
        `anchors`: each row's grid anchors (none when left out); `guides`: each row's clip guide;
        `fill_bars`: each row's bars played as fills, None meaning the last bar when `fill` and at
        least MIN_BARS_FOR_FILL bars; `variations`: each row's style variation (1 when left out)."""
        last = {bars - 1} if fill and bars >= MIN_BARS_FOR_FILL else set()
        per_row_fills = fill_bars if fill_bars is not None else [last] * len(rows)
        per_row = anchors if anchors is not None else [()] * len(rows)
        per_guide = guides if guides is not None else [NO_GUIDE] * len(rows)
        per_variation = variations if variations is not None else [1.0] * len(rows)
        batch = [self._new_row(index, cond, seed, frozenset(b for b in fills if 0 <= b < bars), tuple(row_anchors),
                               steps_in_bar, guide, variation)
                 for index, ((cond, seed), row_anchors, guide, fills, variation)
                 in enumerate(zip(rows, per_row, per_guide, per_row_fills, per_variation, strict=True))]
        finished: list[_Row] = []
        cache = _Cache(self.config, len(batch))
        windows: dict[tuple[Event, ...], StepOutput] = {}
        hidden, step_logits = self._advance(batch, cache, windows)
        bars_done = 0
        while batch:
            blocked = np.where(self._step_blocks(batch, steps_in_bar), -np.inf, step_logits)
            steps = draw(_heated(blocked, batch), settings, [row.stream for row in batch])
            picked = steps.tolist()
            playing = [i for i, step in enumerate(picked) if step != self.config.bar_class]
            events: dict[int, Event] = {}
            for i in (i for i, step in enumerate(picked) if step == self.config.bar_class):
                row = batch[i]
                row.generated += 1
                bars_done += 1
                self._end_bar(row, bars, steps_in_bar)
                if on_bar is not None:
                    on_bar(bars_done)
                if not row.done and not row.rebuild:
                    events[i] = self.tokenizer.bar_event(row.meter)
            if len(playing) == len(batch):  # every row plays: no copies of what the heads read
                events.update(self._play(batch, playing, hidden, steps, settings))
            elif playing:
                events.update(self._play(batch, playing, hidden[playing], steps[playing], settings))
            for i, event in events.items():
                self._append(batch[i], event)
            finished += [row for row in batch if row.done]
            still = [i for i, row in enumerate(batch) if not row.done]
            if len(still) < len(batch):
                batch = [batch[i] for i in still]
                cache.keep(still)
                hidden, step_logits = hidden[still], step_logits[still]
            if batch:
                hidden, step_logits = self._advance(batch, cache, windows)
        finished.sort(key=lambda row: row.output)
        return [(row.hits, row.generated) for row in finished]

    def _new_row(self, output: int, cond: Conditioning, seed: int, fill_bars: frozenset[int],
                 anchors: tuple[GridAnchor, ...], steps_in_bar: int, guide: ClipGuide, variation: float) -> _Row:
        prefix = self.tokenizer.prefix(cond)
        row = _Row(output, cond, prefix, np.random.default_rng(seed), fill_bars, last_voice=self.config.n_voices,
                   meter=meter_id_of(cond.meter), anchors=anchors,
                   anchor_stream=np.random.default_rng([seed, ANCHOR_STREAM]) if anchors else None, guide=guide,
                   variation=variation)
        # A prompt's bars come first (BAR hits ... per bar); the BAR after them opens the first new bar.
        history = self.tokenizer.encode(cond, guide.prompt, guide.prompt_bars)[:-1] if guide.prompt_bars else prefix
        row.history = [*history, self.tokenizer.bar_event(row.meter)]
        row.bar_starts = [i for i, event in enumerate(row.history) if event.special == self.tokenizer.bar_id]
        if len(row.history) > self.config.context:  # a long prompt: its most recent whole bars
            row.history, row.bar_starts = self._slide(row.history, row.bar_starts, len(prefix))
        parsed = parse_meter(cond.meter)
        if parsed is not None and parsed != (4, 4) and row.meter:
            row.pulse = pulse_steps(*parsed)
            row.whole_beats = steps_in_bar // row.pulse
        row.roll_anchors(steps_in_bar, self.config.n_voices)
        return row

    def _step_blocks(self, batch: Sequence[_Row], steps_in_bar: int) -> np.ndarray:
        """True where the grammar forbids a step class: before the last hit, past the bar, or BAR too early."""
        bar_class = self.config.bar_class
        blocked = np.zeros((len(batch), bar_class + 1), dtype=bool)
        blocked[:, steps_in_bar:bar_class] = True
        for i, row in enumerate(batch):
            # Only steps at or after the last one; on the same step only if a later open voice is left.
            open_voices = row.open_voices
            later_voice_left = bool(open_voices) and open_voices[-1] > row.last_voice
            first_open = max(row.last_step, 0) if later_voice_left else row.last_step + 1
            blocked[i, :first_open] = True
            if not open_voices or row.hits_in_bar >= MAX_HITS_PER_BAR:
                blocked[i, :bar_class] = True
            elif row.bar in row.fill_bars and row.hits_in_bar < MIN_FILL_HITS and not blocked[i, :bar_class].all():
                blocked[i, bar_class] = True
            guard_end = bar_class + 1  # the first step class the meter's pulse guard blocks
            if row.pulse and open_voices and row.hits_in_bar < MAX_HITS_PER_BAR:
                beat_needed = (row.last_step // row.pulse + 1) if row.last_step >= 0 else 0
                if beat_needed < row.whole_beats:  # not past that beat, and not closing, before it holds a hit
                    guard_end = (beat_needed + 1) * row.pulse
                    blocked[i, guard_end:] = True
            if row.pending:  # a forced anchor: nothing past its step, and the bar stays open, until it is played
                step = row.pending[0].step
                blocked[i, step + 1:] = True
                if step < guard_end:  # past an empty beat it waits: the beat gets its hit first
                    blocked[i, step] = False
        return blocked

    def _end_bar(self, row: _Row, bars: int, steps_in_bar: int) -> None:
        row.bar += 1
        if row.bar == bars:
            row.done = True
            return
        row.bar_starts.append(len(row.history))
        row.last_step, row.last_voice, row.hits_in_bar = -1, self.config.n_voices, 0
        if row.bar in row.fill_bars:
            if row.groove_window is None:  # kept from the groove's last bar, for after the fill
                row.groove_window = (row.history, row.bar_starts[:-1])
            prefix = self.tokenizer.prefix(replace(row.cond, feel="fill", energy=FILL_ENERGY))
            row.history, row.bar_starts = [*prefix, self.tokenizer.bar_event(row.meter)], [len(prefix)]
            row.rebuild = True
        elif row.groove_window is not None:  # a phrase fill is over: the groove picks up again
            history, bar_starts = row.groove_window
            row.groove_window = None
            row.history, row.bar_starts = [*history, self.tokenizer.bar_event(row.meter)], [*bar_starts, len(history)]
            if len(row.history) > self.config.context:
                row.history, row.bar_starts = self._slide(row.history, row.bar_starts, len(row.prefix))
            row.rebuild = True
        row.roll_anchors(steps_in_bar, self.config.n_voices)

    def _play(self, batch: Sequence[_Row], playing: list[int], hidden: np.ndarray, steps: np.ndarray,
              settings: SamplingSettings) -> dict[int, Event]:
        """Draw voice, then velocity and micro-timing, for the rows that chose a step; returns their events."""
        n_offsets = self.config.n_offsets
        rows = [batch[i] for i in playing]
        streams = [row.stream for row in rows]
        voice_logits = self.runtime.voice_logits(hidden, steps).astype(np.float64)
        for j, row in enumerate(rows):  # on the same step as the previous hit, only voices after it
            if steps[j] == row.last_step:
                voice_logits[j, : row.last_voice + 1] = -np.inf
            _mask_anchor_voices(voice_logits[j], row, int(steps[j]))
        voices = draw(_heated(voice_logits, rows), settings, streams)
        detail_logits = self.runtime.detail_logits(hidden, steps, voices).astype(np.float64)
        for j, row in enumerate(rows):
            _mask_anchor_velocity(detail_logits[j], row, int(steps[j]), int(voices[j]), n_offsets)
        details = draw(detail_logits, settings, streams)
        events = {}
        for j, row in enumerate(rows):
            step, voice = int(steps[j]), int(voices[j])
            row.pending = [a for a in row.pending if (a.step, a.voice) != (step, voice)]
            velocity_bin, offset_bin = divmod(int(details[j]), n_offsets)
            velocity, offset = bin_to_velocity(velocity_bin), bin_to_offset(offset_bin)
            if row.guide.expected_detail:
                velocity, offset = expected_detail(detail_logits[j], n_offsets)
                velocity_bin, offset_bin = velocity_to_bin(velocity), offset_to_bin(offset)
            row.hits.append(GridHit(row.bar, step, VOICES[voice], velocity, offset))
            row.generated += 1
            row.last_step, row.last_voice, row.hits_in_bar = step, voice, row.hits_in_bar + 1
            events[playing[j]] = self.tokenizer.hit_event(step, voice, velocity_bin, offset_bin, row.meter)
        return events

    def _append(self, row: _Row, event: Event) -> None:
        row.history.append(event)
        if len(row.history) > self.config.context:
            row.history, row.bar_starts = self._slide(row.history, row.bar_starts, len(row.prefix))
            row.rebuild = True

    def _advance(self, batch: Sequence[_Row], cache: _Cache,
                 windows: dict[tuple[Event, ...], StepOutput]) -> tuple[np.ndarray, np.ndarray]:
        """Feed each row its newest event (one batched step), or its whole window where it was rebuilt.

        `windows` keeps the windows that open a bar from the prefix alone (the opening, every fill):
        variations share them, so each is run once per batch instead of once per row."""
        stepping = [i for i, row in enumerate(batch) if not row.rebuild]
        if stepping:
            events = np.array([[batch[i].history[-1]] for i in stepping], dtype=np.int64)  # (B, 1, 6)
            out = self.runtime.step(events, *cache.views(stepping))
            cache.append(stepping, out.keys, out.values)
            if len(stepping) == len(batch):
                return out.hidden, out.step_logits
        hidden = np.empty((len(batch), self.config.d_model), dtype=np.float32)
        step_logits = np.empty((len(batch), self.config.bar_class + 1), dtype=np.float32)
        if stepping:
            hidden[stepping], step_logits[stepping] = out.hidden, out.step_logits
        c = self.config
        empty = np.zeros((c.n_layer, 1, c.n_head, 1, c.head_dim), dtype=np.float32)
        for i, row in enumerate(batch):
            if row.rebuild:  # a window from scratch: the opening prefix, a fill's prefix, or a slide
                cache.clear(i)
                window = tuple(row.history)
                fresh = windows.get(window)
                if fresh is None:  # run alone, as for a batch of one, so the row's numbers are the same
                    events = np.array([row.history], dtype=np.int64)
                    fresh = self.runtime.step(events, np.arange(len(row.history))[None], empty, empty,
                                              np.full((1, 1), -np.inf, dtype=np.float32))
                    if len(row.bar_starts) == 1:  # a prefix (or prompt) and its first BAR: shared, keep it
                        windows[window] = fresh
                cache.append([i], fresh.keys, fresh.values)
                hidden[i], step_logits[i] = fresh.hidden[0], fresh.step_logits[0]
                row.rebuild = False
        return hidden, step_logits

    def _slide(self, history: list[Event], bar_starts: list[int], n_prefix: int) -> tuple[list[Event], list[int]]:
        """Keep the prefix and the most recent whole bars that fit in half the context."""
        budget = self.config.context // 2
        fallback = bar_starts[-1] if bar_starts else n_prefix
        keep_from = next((s for s in bar_starts if len(history) - s <= budget), fallback)
        if len(history) - keep_from + n_prefix > self.config.context:
            keep_from = len(history) - (self.config.context - n_prefix)  # one endless bar
        kept = history[:n_prefix] + history[keep_from:]
        shift = keep_from - n_prefix
        return kept, [s - shift for s in bar_starts if s >= keep_from]


def _heated(logits: np.ndarray, rows: Sequence[_Row]) -> np.ndarray:
    """(B, V) logits with each row's divided by its heat (-inf stays -inf): a draw at temperature T of
    these is a draw at T * heat of the model's. Returned as they are when no row varies, so a style
    without variation draws exactly what it drew before."""
    heat = [row.heat for row in rows]
    if all(h == 1.0 for h in heat):
        return logits
    return logits / np.array(heat)[:, None]


def _mask_anchor_voices(logits: np.ndarray, row: _Row, step: int) -> None:
    """On an anchor's step: a forced voice still owed there may not be skipped (voices after it are
    masked), a forbidden voice is masked; where that would leave nothing to play, the anchor yields.
    A voice closed by a lock plays only where it is owed."""
    owed = [a.voice for a in row.pending if a.step == step]
    if not owed and not row.closed_voices and not any(anchor_step == step for anchor_step, _ in row.forbidden):
        return  # nothing to mask: the common case, checked without touching the array
    masked = logits.copy()
    if owed:
        masked[min(owed) + 1:] = -np.inf
    for voice in row.closed_voices:
        if not owed or voice != min(owed):
            masked[voice] = -np.inf
    for anchor_step, voice in row.forbidden:
        if anchor_step == step:
            masked[voice] = -np.inf
    if np.isfinite(masked).any():
        logits[:] = masked


def _mask_anchor_velocity(logits: np.ndarray, row: _Row, step: int, voice: int, n_offsets: int) -> None:
    """A forced hit's velocity stays in its anchor's bins (detail = velocity bin * n_offsets + offset bin),
    and a lock's micro-timing in its own bin. Two anchors on one hit whose ranges do not meet (a song's
    kept snare at velocity 50, the style's backbeat at 70-127) would leave nothing to draw: the later yields."""
    owed = [anchor for anchor in row.pending if (anchor.step, anchor.voice) == (step, voice)]
    if not owed:  # the common case, checked without touching the array
        return
    classes = np.arange(logits.shape[-1])
    for anchor in owed:
        masked = logits.copy()
        bins = anchor.velocity_bins()
        if bins is not None:
            masked[(classes // n_offsets < bins[0]) | (classes // n_offsets > bins[1])] = -np.inf
        if anchor.offset_bin is not None:
            masked[classes % n_offsets != anchor.offset_bin] = -np.inf
        if np.isfinite(masked).any():
            logits[:] = masked
