"""Per-genre n-gram models over the model's own event tokens: the likelihood baseline to beat.

An event is BAR or a hit (step, voice, detail), detail = velocity bin * 8 + offset bin, exactly the
fields `DrumTransformer.loss` scores; the n-gram gives every possible next event a probability, so
its negative log-likelihood is directly comparable with the model's.

Two kinds, both with order n (the n - 1 previous events of the sequence are the history, `<s>`
before the first):

    compound  one symbol per event (n_steps * n_voices * 64 + 1 = 73,729 symbols); contexts from
              most to least specific: (genre, last n-1 events), ..., (genre, last event), (genre),
              () -- the last being the all-genre unigram
    factored  p(event) = p(step or BAR) p(voice | step) p(detail | step, voice), in the order the
              model's heads predict them, each its own backoff chain:
              step:   (genre, last n-1 steps+voices) ... (genre), ()
              voice:  (genre, step, last n-1 steps+voices) ... (genre, step), (step)
              detail: (genre, step, voice, last n-1 full events) ... (genre, step, voice),
                      (genre, voice), (voice)

Smoothing: the least specific context is add-k (k = ADD_K over the factor's whole vocabulary); each
more specific context interpolates with the one below by Witten-Bell,
p(w | h) = (c(h, w) + T(h) p_lower(w)) / (c(h) + T(h)), with T(h) the number of distinct symbols
seen after h; a context never seen in training leaves p_lower unchanged. One counting pass serves
every order up to `max_order`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from mididrumigen.engine.tokenizer import Event, Tokenizer

ADD_K: Final = 0.1
PREFIX_LENGTH: Final = 5
_START: Final = ("<s>",)

Kind = Literal["compound", "factored"]


@dataclass
class _Chain:
    """Counts of one factor: per level (0 = least specific), context -> symbol -> count."""

    vocabulary: int
    levels: int
    counts: list[dict[tuple[object, ...], dict[int, int]]] = field(default_factory=list)
    totals: list[dict[tuple[object, ...], int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.counts = [{} for _ in range(self.levels)]
        self.totals = [{} for _ in range(self.levels)]

    def add(self, contexts: Sequence[tuple[object, ...]], symbol: int) -> None:
        for level, context in enumerate(contexts):
            seen = self.counts[level].setdefault(context, {})
            seen[symbol] = seen.get(symbol, 0) + 1
            self.totals[level][context] = self.totals[level].get(context, 0) + 1

    def probabilities(self, contexts: Sequence[tuple[object, ...]], symbol: int) -> list[float]:
        """p(symbol) after each level: [add-k base, + level 1, + level 2, ...]."""
        base = contexts[0]
        seen = self.counts[0].get(base, {})
        p = (seen.get(symbol, 0) + ADD_K) / (self.totals[0].get(base, 0) + ADD_K * self.vocabulary)
        out = [p]
        for level in range(1, len(contexts)):
            followers = self.counts[level].get(contexts[level])
            if followers:
                types = len(followers)
                p = (followers.get(symbol, 0) + types * p) / (self.totals[level][contexts[level]] + types)
            out.append(p)
        return out


_Factor = tuple[_Chain, int, list[tuple[object, ...]]]
"""One prediction: the chain that makes it, the symbol, and its contexts from least to most specific."""


def _hit_fields(event: Event, n_offsets: int) -> tuple[int, int, int]:
    return event.step - 1, event.voice - 1, (event.velocity - 1) * n_offsets + (event.offset - 1)


class NgramModel:
    """A per-genre n-gram of one kind, counted once for every order up to `max_order`."""

    def __init__(self, tokenizer: Tokenizer, kind: Kind, max_order: int = 4) -> None:
        if max_order < 1:
            raise ValueError(f"max_order must be at least 1, got {max_order}")
        self.tokenizer = tokenizer
        self.kind = kind
        self.max_order = max_order
        self.n_steps = tokenizer.n_steps
        self.n_voices = tokenizer.n_voices
        self.n_details = tokenizer.n_velocities * tokenizer.n_offsets
        self.bar_class = self.n_steps
        history = max_order - 1
        if kind == "compound":
            self.chains = [_Chain(self.n_steps * self.n_voices * self.n_details + 1, 2 + history)]
        else:
            self.chains = [_Chain(self.n_steps + 1, 2 + history), _Chain(self.n_voices, 2 + history),
                           _Chain(self.n_details, 3 + history)]

    def _factors(self, genre: str, history: Sequence[tuple[object, ...]], event: Event) -> list[_Factor]:
        """(chain, symbol, contexts least-specific first) for each factor of `event`."""
        recent = list(reversed(history[-(self.max_order - 1):])) if self.max_order > 1 else []
        full = recent  # newest first: ("H", step, voice, velocity, offset), ("B",) or ("<s>",)
        reduced = [h[:3] for h in recent]
        is_bar = event.special == self.tokenizer.bar_id
        if is_bar:
            step, voice, detail = self.bar_class, -1, -1
        else:
            step, voice, detail = _hit_fields(event, self.tokenizer.n_offsets)
        if self.kind == "compound":
            symbol = (self.n_steps * self.n_voices * self.n_details if is_bar
                      else (step * self.n_voices + voice) * self.n_details + detail)
            contexts = [(), (genre,)] + [(genre, *full[:j]) for j in range(1, len(full) + 1)]
            return [(self.chains[0], symbol, contexts)]
        factors: list[_Factor] = [
            (self.chains[0], step, [(), (genre,)] + [(genre, *reduced[:j]) for j in range(1, len(reduced) + 1)])
        ]
        if not is_bar:
            factors.append((self.chains[1], voice, [(step,), (genre, step)]
                            + [(genre, step, *reduced[:j]) for j in range(1, len(reduced) + 1)]))
            factors.append((self.chains[2], detail, [(voice,), (genre, voice), (genre, step, voice)]
                            + [(genre, step, voice, *full[:j]) for j in range(1, len(full) + 1)]))
        return factors

    @staticmethod
    def _history_item(event: Event, tokenizer: Tokenizer) -> tuple[object, ...]:
        if event.special == tokenizer.bar_id:
            return ("B",)
        return ("H", event.step, event.voice, event.velocity, event.offset)

    def _walk(self, sequence: Sequence[Event]) -> Iterable[tuple[Event, list[_Factor]]]:
        genre = self.tokenizer.decode_conditioning(sequence[:PREFIX_LENGTH]).genre
        history: list[tuple[object, ...]] = [_START] * (self.max_order - 1)
        for event in sequence[PREFIX_LENGTH:]:
            yield event, self._factors(genre, history, event)
            history.append(self._history_item(event, self.tokenizer))

    def fit(self, sequences: Iterable[Sequence[Event]]) -> NgramModel:
        """Count every event after the conditioning prefix of each sequence."""
        for sequence in sequences:
            for _, factors in self._walk(sequence):
                for chain, symbol, contexts in factors:
                    chain.add(contexts, symbol)
        return self

    def bits(self, sequences: Iterable[Sequence[Event]]) -> tuple[dict[int, float], int]:
        """Total negative log2-likelihood of every event after each prefix, per order; and the hits scored."""
        totals = {order: 0.0 for order in range(1, self.max_order + 1)}
        hits = 0
        for sequence in sequences:
            for event, factors in self._walk(sequence):
                hits += event.special == self.tokenizer.hit_id
                for chain, symbol, contexts in factors:
                    ladder = chain.probabilities(contexts, symbol)
                    base_levels = len(ladder) - (self.max_order - 1)
                    for order in totals:
                        totals[order] -= math.log2(ladder[base_levels - 1 + order - 1])
        return totals, hits
