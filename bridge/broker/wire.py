"""A GenerationResult as JSON and back: what a worker returns through the result backend."""

from __future__ import annotations

from typing import Any

from mididrumigen.engine.pattern import GenerationResult, Note, Pattern


def result_to_json(result: GenerationResult) -> dict[str, Any]:
    pattern = result.pattern
    return {
        "notes": [[n.pitch, n.start_beats, n.duration_beats, n.velocity, n.voice] for n in pattern.notes],
        "bars": pattern.bars, "numerator": pattern.numerator, "denominator": pattern.denominator,
        "tempo_bpm": pattern.tempo_bpm, "style_id": pattern.style_id, "pattern_type": pattern.pattern_type,
        "seed": pattern.seed, "humanized": pattern.humanized,
        "tokens_generated": result.tokens_generated, "seconds": result.seconds, "warnings": list(result.warnings),
    }


def result_from_json(data: dict[str, Any]) -> GenerationResult:
    """Raises KeyError, TypeError or ValueError on a payload this version did not write."""
    notes = tuple(Note(int(p), float(s), float(d), int(v), str(voice)) for p, s, d, v, voice in data["notes"])
    pattern = Pattern(notes, int(data["bars"]), int(data["numerator"]), int(data["denominator"]),
                      float(data["tempo_bpm"]), str(data["style_id"]), str(data["pattern_type"]), int(data["seed"]),
                      bool(data["humanized"]))
    return GenerationResult(pattern, int(data["tokens_generated"]), float(data["seconds"]),
                            tuple(str(w) for w in data["warnings"]))
