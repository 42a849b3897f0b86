"""One request contract: the README's option tables and the CLI's help say what the schema says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mididrumigen.engine.cli import build_parser
from mididrumigen.engine.schema import MAX_SEED, PatternType, _bounds, field_default, field_rule

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
RANGED = ("bars", "tempo", "temperature", "top_k", "top_p")


def _row(key: str) -> tuple[str, str]:
    """(allowed, default) of the README table row whose first cell is `key`."""
    [match] = re.findall(rf"^\| `{re.escape(key)}` \| (.+?) \| (.+?) \|$", README, flags=re.MULTILINE)
    return match


@pytest.mark.parametrize("prefix", ["--", ""])  # the command-line table and the daemon's table
@pytest.mark.parametrize("field", RANGED)
def test_readme_ranges_and_defaults_are_the_schemas(prefix: str, field: str) -> None:
    key = f"--{field.replace('_', '-')}" if prefix else field
    allowed, default = _row(key)
    low, high, _ = _bounds(field)
    assert [float(n) for n in NUMBER.findall(allowed)[:2]] == [low, high]
    assert float(NUMBER.findall(default)[0]) == field_default(field)


@pytest.mark.parametrize("key", ["--pattern-type", "pattern_type"])
def test_readme_pattern_types_are_the_schemas(key: str) -> None:
    allowed, default = _row(key)
    assert re.findall(r"[a-z]+", allowed) == [str(t) for t in PatternType]
    assert default == field_default("pattern_type").value


@pytest.mark.parametrize("key", ["--seed", "seed"])
def test_readme_seed_range_is_the_schemas(key: str) -> None:
    allowed, default = _row(key)
    assert allowed == "0 to 2^32-1" and MAX_SEED == 2**32 - 1
    assert default.startswith("random") and field_default("seed") is None


def test_readme_time_signature_is_the_schemas() -> None:
    assert _row("--time-signature") == ("numerator 1-16 over 2, 4, 8 or 16", "4/4")
    [osc] = re.findall(r"^\| `numerator` / `denominator` \| (.+?) \| (.+?) \|$", README, flags=re.MULTILINE)
    assert osc == ("1-16 / 2, 4, 8, 16", "4 / 4")
    assert field_rule("numerator") == "between 1 and 16" and field_rule("denominator") == "one of 2, 4, 8, 16"
    assert (field_default("numerator"), field_default("denominator")) == (4, 4)


def test_generate_help_reads_each_range_and_default_from_the_schema() -> None:
    generate = build_parser()._subparsers._group_actions[0].choices["generate"]  # type: ignore[union-attr]
    helps = {action.dest: action.help or "" for action in generate._actions}
    for field in (*RANGED, "pattern_type", "seed"):
        assert field_rule(field) in helps[field]
        default = field_default(field)
        if default is not None:
            shown = default.value if isinstance(default, PatternType) else f"{default:g}"
            assert f"(default {shown})" in helps[field]


def test_readme_variations_row_is_the_schemas() -> None:
    allowed, default = _row("variations")
    low, high, _ = _bounds("variations")
    assert [int(n) for n in NUMBER.findall(allowed)[:2]] == [low, high] and int(default) == field_default("variations")
