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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final

import torch
from torch import Tensor

from mididrumigen.engine.constants import VOICES
from mididrumigen.engine.model import DrumTransformer, KVCache
from mididrumigen.engine.pattern import GridHit
from mididrumigen.engine.tokenizer import Conditioning, Event, Tokenizer, bin_to_offset, bin_to_velocity

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


@dataclass(frozen=True)
class SamplingSettings:
    temperature: float = 1.0
    top_k: int = 0
    top_p: float = 1.0


def filter_logits(logits: Tensor, settings: SamplingSettings) -> Tensor:
    """Apply temperature, then top-k, then top-p (nucleus) to one row of logits."""
    logits = logits / settings.temperature
    if 0 < settings.top_k < logits.shape[-1]:
        kth = torch.topk(logits, settings.top_k).values[-1]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    if settings.top_p < 1.0:
        sorted_logits, order = torch.sort(logits, descending=True)
        cumulative = torch.softmax(sorted_logits, dim=-1).cumsum(-1)
        # Drop a token once the mass before it already reaches top_p; the best one always stays.
        drop_sorted = (cumulative - torch.softmax(sorted_logits, dim=-1)) >= settings.top_p
        drop = torch.zeros_like(drop_sorted).scatter(0, order, drop_sorted)
        logits = logits.masked_fill(drop, float("-inf"))
    return logits


def _draw(logits: Tensor, settings: SamplingSettings, generator: torch.Generator) -> int:
    probabilities = torch.softmax(filter_logits(logits, settings), dim=-1)
    return int(torch.multinomial(probabilities, 1, generator=generator).item())


class PatternSampler:
    """Turns a conditioning prefix into grid hits with a trained model."""

    def __init__(self, model: DrumTransformer, tokenizer: Tokenizer) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.device = next(model.parameters()).device
        self.dtype = next(model.parameters()).dtype

    @torch.inference_mode()
    def sample(
        self,
        cond: Conditioning,
        bars: int,
        steps_in_bar: int,
        settings: SamplingSettings,
        seed: int,
        on_bar: BarCallback | None = None,
        use_cache: bool = True,
        fill: bool = False,
    ) -> tuple[list[GridHit], int]:
        """Sample `bars` bars of `steps_in_bar` steps. Returns the hits and the events generated.

        With `fill` and at least MIN_BARS_FOR_FILL bars, the last bar is played as a fill.
        """
        model = self.model.eval()
        config = model.config
        generator = torch.Generator(device="cpu").manual_seed(seed)
        n_voices = config.n_voices
        n_offsets = config.n_offsets
        bar_class = model.bar_class
        step_blocked = torch.zeros(config.n_steps + 1, dtype=torch.bool)
        step_blocked[steps_in_bar:bar_class] = True

        prefix = self.tokenizer.prefix(cond)
        history: list[Event] = [*prefix, self.tokenizer.bar_event()]
        bar_starts = [len(prefix)]  # index in history of each bar's BAR event
        cache = KVCache(config, self.device, self.dtype)
        h = self._run(history, cache, use_cache, fresh=True)

        hits: list[GridHit] = []
        bar, last_step, last_voice, hits_in_bar, generated = 0, -1, n_voices, 0, 0
        fill_bar = bars - 1 if fill and bars >= MIN_BARS_FOR_FILL else None  # the bar played as a fill
        while True:
            # 1. Step (or BAR): only steps at or after the last one, inside this bar's length.
            blocked = step_blocked.clone()
            first_open = last_step + 1 if last_voice >= n_voices - 1 else max(last_step, 0)
            blocked[:first_open] = True
            if hits_in_bar >= MAX_HITS_PER_BAR:
                blocked[:bar_class] = True
            elif bar == fill_bar and hits_in_bar < MIN_FILL_HITS and not bool(blocked[:bar_class].all()):
                blocked[bar_class] = True
            logits = model.step_logits(h).float().cpu().masked_fill(blocked, float("-inf"))
            step = _draw(logits, settings, generator)
            generated += 1
            if step == bar_class:
                bar += 1
                if on_bar is not None:
                    on_bar(bar)
                if bar == bars:
                    break
                event = self.tokenizer.bar_event()
                bar_starts.append(len(history))
                last_step, last_voice, hits_in_bar = -1, n_voices, 0
                if bar == fill_bar:
                    history, bar_starts = self._fill_window(cond)
                    h = self._run(history, cache, use_cache, fresh=True)
                    continue
            else:
                # 2. Voice: on the same step as the previous hit, only voices after it.
                step_tensor = torch.tensor(step, device=self.device)
                voice_logits = model.voice_logits(h, step_tensor).float().cpu()
                if step == last_step:
                    voice_logits[: last_voice + 1] = float("-inf")
                voice = _draw(voice_logits, settings, generator)
                # 3. Velocity and micro-timing, jointly.
                detail_logits = model.detail_logits(h, step_tensor, torch.tensor(voice, device=self.device))
                detail = _draw(detail_logits.float().cpu(), settings, generator)
                velocity_bin, offset_bin = divmod(detail, n_offsets)
                hits.append(GridHit(bar, step, VOICES[voice], bin_to_velocity(velocity_bin), bin_to_offset(offset_bin)))
                event = self.tokenizer.hit_event(step, voice, velocity_bin, offset_bin)
                last_step, last_voice, hits_in_bar = step, voice, hits_in_bar + 1
            history.append(event)
            if len(history) > config.context:
                history, bar_starts = self._slide(history, bar_starts, len(prefix))
                h = self._run(history, cache, use_cache, fresh=True)
            elif use_cache:
                h = self._run(history[-1:], cache, use_cache, fresh=False)
            else:  # the baseline the cache is measured against: re-read the whole window
                h = self._run(history, cache, use_cache, fresh=True)
        return hits, generated

    def _slide(self, history: list[Event], bar_starts: list[int], n_prefix: int) -> tuple[list[Event], list[int]]:
        """Keep the prefix and the most recent whole bars that fit in half the context."""
        budget = self.model.config.context // 2
        fallback = bar_starts[-1] if bar_starts else n_prefix
        keep_from = next((s for s in bar_starts if len(history) - s <= budget), fallback)
        if len(history) - keep_from + n_prefix > self.model.config.context:
            keep_from = len(history) - (self.model.config.context - n_prefix)  # one endless bar
        kept = history[:n_prefix] + history[keep_from:]
        shift = keep_from - n_prefix
        return kept, [s - shift for s in bar_starts if s >= keep_from]

    def _fill_window(self, cond: Conditioning) -> tuple[list[Event], list[int]]:
        """The window a fill bar starts from: the fill's prefix and a BAR; and where that bar starts."""
        prefix = self.tokenizer.prefix(replace(cond, feel="fill", energy=FILL_ENERGY))
        return [*prefix, self.tokenizer.bar_event()], [len(prefix)]

    def _run(self, events: list[Event], cache: KVCache, use_cache: bool, fresh: bool) -> Tensor:
        """Feed events; returns the last hidden state (C,)."""
        tensor = torch.tensor([events], dtype=torch.long, device=self.device)  # (1, T, 5)
        if not use_cache:
            return self.model.hidden(tensor)[0, -1]
        if fresh:
            cache.reset()
        return self.model.hidden(tensor, cache)[0, -1]
