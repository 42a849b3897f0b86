"""Writing the eval report: report.md (every number with its definition), metrics.json and PNG plots."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from mididrumigen.engine.evaluation import (
    baselines,
    classifier,
    clip_eval,
    features,
    feel,
    fills,
    meters,
    ngram,
    overlap,
    references,
    songs,
    structure,
)
from mididrumigen.engine.evaluation.features import FEATURES
from mididrumigen.engine.evaluation.plots import save_feature_plot, save_pattern_roll
from mididrumigen.engine.files import atomic_write_bytes


def _json_safe(value: Any) -> Any:
    """NaN and infinity become null; tuples become lists; dict keys become strings."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def _num(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def _pct(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    return f"{100 * value:.1f}%"


def _doc(module: Any) -> str:
    """A module's docstring as an indented block, so the report states the very definitions the code uses."""
    return "\n".join("    " + line if line.strip() else "" for line in (module.__doc__ or "").strip().splitlines())


def _shown(value: Any) -> str:
    """A song target's figure: a number, a range or a word."""
    if isinstance(value, list):
        return " .. ".join(_num(v, 2) for v in value) if len(value) == 2 else " / ".join(_num(v, 1) for v in value)
    return value if isinstance(value, str) else _num(value, 2)


def _targets_section(metrics: dict[str, Any]) -> list[str]:
    lines = ["## Targets (issue 5)", "", "| target | measured | needed | holds | short by |", "|---|---|---|---|---|"]
    for row in metrics["targets"]:
        holds = "n/a" if row["holds"] is None else ("yes" if row["holds"] else "**no**")
        if row["target"].endswith("feel figures inside the preset's ranges"):
            measured = f"{row['value']} of {row['needed']} checks"
            needed, short = "all", (f"{row['short_by']} ({', '.join(row['failed'])})" if row["failed"] else "0")
        elif ": structure, " in row["target"]:
            low, high = row["needed"]
            measured, needed = _num(row["value"], 2), f"{_num(low, 2)} .. {_num(high, 2)}"
            short = _num(row["short_by"], 2)
        elif row["target"].startswith("meter "):
            need = row["needed"]
            measured = _num(row["value"], 2)
            needed = f"{_num(need[0], 2)} .. {_num(need[1], 2)}" if isinstance(need, list) else _num(need, 2)
            short = _num(row["short_by"], 2)
        elif ": songs, " in row["target"]:
            measured, needed, short = _shown(row["value"]), _shown(row["needed"]), "n/a"
        elif "likelihood" in row["target"]:
            measured, needed, short = _pct(row["value"]), _pct(row["needed"]), _pct(row["short_by"])
        else:
            measured, needed, short = _pct(row["value"]), _pct(row["needed"]), _pct(row["short_by"])
            if row.get("features_under"):
                short += f" (worst: {row['worst_feature']}; under: {', '.join(row['features_under'])})"
        lines.append(f"| {row['target']} | {measured} | {needed} | {holds} | {short} |")
    return lines + [""]


def _likelihood_section(metrics: dict[str, Any]) -> list[str]:
    lk = metrics["likelihood"]
    kind, order, best = lk["best_ngram"]
    lines = [
        "## 1. Likelihood", "",
        f"Negative log-likelihood per hit (bits) on the {metrics['config']['split']} split, {lk['hits']} hits. "
        f"The model needs {_pct(lk['improvement_over_ngram'])} fewer bits per hit than the best n-gram "
        f"({kind}, order {order}); the target is at least 15%.", "",
        "| model | bits per hit |", "|---|---|",
        f"| DrumTransformer ({metrics['model']['name']}) | {_num(lk['model_bits_per_hit'])} |",
        f"| DrumTransformer, conditioning removed (fixed prefix {lk['fixed_prefix']}) | "
        f"{_num(lk['unconditioned_bits_per_hit'])} |",
    ]
    for name, orders in lk["ngram_bits_per_hit"].items():
        for n, bits in orders.items():
            mark = " (best n-gram)" if (name, int(n)) == (kind, order) else ""
            lines.append(f"| {name} n-gram, order {n}{mark} | {_num(bits)} |")
    return lines + ["", "Definitions:", "", _doc(baselines), "", _doc(ngram), ""]


def _groove_section(metrics: dict[str, Any]) -> list[str]:
    lines = [
        "## 2. Groove match", "",
        "For each style: OA between the generated bars and the real validation bars of the genres the style "
        "conditions on (`reference`), and the ceiling, the same OA between real train-split bars and those real "
        "validation bars. Real bars are weighted so that each reference genre has the same total weight (the "
        "engine picks a style's genres with equal chance). `ratio` = generated / ceiling. `model only` is the "
        "OA of the model's own hits (its micro-timing, without the preset's feel) against the same real bars. "
        "Mean OA is the plain mean over the 13 features. Both sides hold fills: the real bars include the dataset's "
        "fill takes (counted per style below), and every generated pattern "
        "ends with a fill bar.", "",
    ]
    for style_id, style in metrics["styles"].items():
        lines += [
            f"### {style['name']} (`{style_id}`)", "",
            f"Genres {style['genres']}; reference genres {style['reference_genres']}; covered by the data: "
            f"{_num(style['covered'])}. {style['patterns']} patterns of 4 bars ({style['generated_bars']} non-empty "
            f"bars; conditioning genres {style['pattern_genres']}), tempo {style['tempo_range_bpm'][0]}-"
            f"{style['tempo_range_bpm'][1]} BPM; real validation bars {style['real_validation_bars']} "
            f"({style['real_validation_bars_from_fill_takes']} from fill takes), "
            f"real train bars {style['real_train_bars']}, of which {style['real_train_bars_in_tempo_range']} in "
            "the style's tempo range.", "",
            "| feature | generated OA | ceiling OA | ratio | model only OA |", "|---|---|---|---|---|",
        ]
        for feature in FEATURES:
            oa = style["oa"][feature]
            lines.append(f"| {feature} | {_num(oa['generated'])} | {_num(oa['ceiling'])} | {_pct(oa['ratio'])} | "
                         f"{_num(oa['model_only'])} |")
        mean = style["mean_oa"]
        lines += [f"| **mean** | {_num(mean['generated'])} | {_num(mean['ceiling'])} | {_pct(mean['ratio'])} | "
                  f"{_num(mean['model_only'])} |", ""]
        if style["scale"]:
            lines += ["For scale, the same mean OA of two non-models (see below): "
                      + "; ".join(f"{name.replace('_', ' ')} {_num(v['mean_oa'])} ({_pct(v['ratio'])} of the ceiling)"
                                  for name, v in style["scale"].items()) + ".", ""]
        lines += [
                  f"![features](features_{style_id}.png)", "", f"![piano roll](piano_{style_id}.png)", ""]
    return lines + ["Feature definitions:", "", _doc(features), "", "Overlapping area:", "", _doc(overlap), "",
                    "Non-models for scale:", "", _doc(references), ""]


def _fidelity_section(metrics: dict[str, Any]) -> list[str]:
    score = metrics["classifier"]
    if score is None:
        return ["## 3. Style fidelity", "", "No genre classifier: the data holds fewer than two genres with enough "
                "training bars.", ""]
    lines = [
        "## 3. Style fidelity", "",
        f"Genre classifier over {len(score['genres'])} genres ({', '.join(score['genres'])}); on "
        f"{score['bars']} real validation bars of those genres: accuracy {_pct(score['accuracy'])}, balanced "
        f"accuracy {_pct(score['balanced_accuracy'])} (chance {_pct(score['chance'])}). Per genre: "
        + ", ".join(f"{g} {_pct(a)}" for g, a in score["per_genre"].items()) + ".", "",
        "`generated`: share of a style's generated bars labelled as one of its genres. `real`: the same share for "
        "the real validation bars of its reference genres, averaged over those genres. Target: generated / real "
        ">= 80%.", "",
        "| style | generated | real | ratio | labels of generated bars |", "|---|---|---|---|---|",
    ]
    for style_id, style in metrics["styles"].items():
        f = style["style_fidelity"]
        lines.append(f"| {style_id} | {_pct(f['generated'])} | {_pct(f['real'])} | {_pct(f['ratio'])} | "
                     f"{f['generated_labels']} |")
    return lines + ["", "Definitions:", "", _doc(classifier), ""]


def _feel_section(metrics: dict[str, Any]) -> list[str]:
    lines = ["## 4. Feel", ""]
    for style_id, style in metrics["styles"].items():
        lines += [f"### {style['name']} (`{style_id}`)", "",
                  "| figure | unit | declared | range | measured | model only | real | ok |",
                  "|---|---|---|---|---|---|---|---|"]
        for c in style["feel"]:
            lines.append(f"| {c['figure']} | {c['unit']} | {_num(c['declared'], 2)} | {_num(c['low'], 2)} .. "
                         f"{_num(c['high'], 2)} | {_num(c['measured'], 2)} | {_num(c['model_only'], 2)} | "
                         f"{_num(c['real'], 2)} | {'yes' if c['ok'] else '**no**'} |")
        lines.append("")
    return lines + ["Definitions:", "", _doc(feel), ""]


def _fills_section(metrics: dict[str, Any]) -> list[str]:
    lines = ["## 5. Fills", "",
             "| style | density | generated fill bars | generated groove bars | real fill bars | OA | ceiling | ratio |",
             "|---|---|---|---|---|---|---|---|"]
    for style_id, style in metrics["styles"].items():
        f = style["fills"]
        for name in ("hits", "toms"):
            row = f[name]
            lines.append(f"| {style_id} | {name} per bar | {_num(row['generated_fill_mean'], 2)} | "
                         f"{_num(row['generated_groove_mean'], 2)} | {_num(row['real_fill_mean'], 2)} | "
                         f"{_num(row['oa'])} | {_num(row['ceiling'])} | {_pct(row['ratio'])} |")
    counts = {s: (v["fills"]["generated_fill_bars"], v["fills"]["real_validation_fill_bars"],
                  v["fills"]["real_train_fill_bars"]) for s, v in metrics["styles"].items()}
    lines += ["", "Bars compared (generated fill, real validation fill, real train fill): "
              + "; ".join(f"{s} {c}" for s, c in counts.items()) + ". The density columns are means; real bars "
              "weighted so each genre counts the same.", "", "Definitions:", "", _doc(fills), ""]
    return lines


def _structure_section(metrics: dict[str, Any]) -> list[str]:
    lines = ["## 6. Groove structure", "",
             "Generated: the mean over patterns (the seam over patterns made without a fill); real: the mean and "
             "interquartile range over the reference genres' validation beat takes. Margin: how far inside the "
             "real IQR the generated mean lies (negative: outside).", "",
             "| style | measure | generated | real mean | real IQR | margin | holds |", "|---|---|---|---|---|---|---|"]
    for style_id, style in metrics["styles"].items():
        figures = style.get("structure")
        if not figures:
            continue
        for measure in structure.MEASURES:
            row = figures[measure]
            holds = "n/a" if row["holds"] is None else ("yes" if row["holds"] else "**no**")
            lines.append(f"| {style_id} | {measure} | {_num(row['generated']['mean'], 2)} | "
                         f"{_num(row['real']['mean'], 2)} | {_num(row['real']['q1'], 2)} .. "
                         f"{_num(row['real']['q3'], 2)} | {_num(row['margin'], 2)} | {holds} |")
    counts = {s: (v["structure"]["generated_patterns"], v["structure"]["loop_patterns"], v["structure"]["real_takes"],
                  v["structure"]["reference_split"]) for s, v in metrics["styles"].items() if v.get("structure")}
    lines += ["", "Clips compared (patterns, loop patterns, real takes, their split): "
              + "; ".join(f"{s} {c}" for s, c in counts.items()) + ".", "", "Definitions:", "", _doc(structure), ""]
    return lines


def clip_section(clip: dict[str, Any]) -> list[str]:
    """Section 7: continue, groove and vary measured against the takes they came from (issue 12)."""
    lines = ["## 7. The producer's clip: continue, groove, vary", "", _doc(clip_eval), "",
             f"Takes per genre: {clip['takes']}.", "",
             "### (a) Continue: distance to the take's own next bars / to other takes of its genre", "",
             "| continuation | mean ratio | median ratio | closer to its own take |", "|---|---|---|---|"]
    for name, row in clip["continue"].items():
        lines.append(f"| {name} | {_num(row['mean_ratio'])} | {_num(row['median_ratio'])} | "
                     f"{_pct(row['closer_to_own_take'])} |")
    lines += ["", "### (b) Groove: a take stripped to the grid at velocity 100, against the real performance", "",
              *_groove_table(clip)]
    lines += ["", "### (c) Vary", "", "| kept | kept notes identical | takes whose unkept hits differ | kept notes |",
              "|---|---|---|---|"]
    for name, row in clip["vary"].items():
        lines.append(f"| {name} | {_pct(row['kept_identical'])} | {_pct(row['unkept_differ'])} | {row['kept_notes']} |")
    return lines + [""]


def _groove_table(clip: dict[str, Any]) -> list[str]:
    """Section 7 (b): the rows, which of them beat the grid, and the timing error per genre."""
    groove = clip["groove"]
    lines = ["| groove | velocity r | velocity MAE | timing r | timing MAE (ms) | closer than the grid (ms, 95% "
             "interval) | takes closer than the grid | centred timing MAE (ms) | timing spread (ms) | notes |",
             "|---" * 10 + "|"]
    for name, row in groove.items():
        low, high = row["timing_gain_interval_ms"]
        lines.append(f"| {name} | {_num(row['velocity_r'])} | {_num(row['velocity_mae'], 1)} | "
                     f"{_num(row['timing_r'])} | {_num(row['timing_mae_ms'], 2)} | "
                     f"{_num(row['timing_gain_ms'], 2)} ({_num(low, 2)} .. {_num(high, 2)}) | "
                     f"{_pct(row['takes_closer_than_grid'])} | "
                     f"{_num(row['centred_timing_mae_ms'], 2)} | {_num(row['timing_spread_ms'], 1)} | {row['notes']} |")
    beating = [name for name, row in groove.items() if row["timing_gain_interval_ms"][0] > 0]
    lines += ["", f"The real takes' timing spread: {_num(clip['groove_real_timing_spread_ms'], 1)} ms. "
              f"`none_shifted` moves every note by {_num(groove['none_shifted']['shift_ms'], 1)} ms. "
              "Timing closer than "
              f"the grid over the whole 95% interval: {', '.join(beating) if beating else 'no row'}.", "",
              "Timing MAE (ms) per genre:", ""]
    genres = sorted(clip["takes"])
    lines += ["| groove | " + " | ".join(genres) + " |", "|---" * (len(genres) + 1) + "|"]
    for name, row in groove.items():
        by_genre = row["timing_mae_ms_by_genre"]
        lines.append(f"| {name} | " + " | ".join(_num(by_genre.get(g, math.nan), 1) for g in genres) + " |")
    return lines


def write_clip_report(out: Path, clip: dict[str, Any], header: str) -> Path:
    """Only section 7 (`mididrumigen eval --section clip`): clip_metrics.json and clip_report.md in `out`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out / "clip_metrics.json", json.dumps(_json_safe(clip), indent=2).encode())
    text = "\n".join(["# MidiDrumiGen evaluation: the producer's clip", "", header, "", *clip_section(clip)])
    return atomic_write_bytes(out / "clip_report.md", text.encode())


def _songs_section(metrics: dict[str, Any]) -> list[str]:
    styles = {s: v["songs"] for s, v in metrics["styles"].items() if v.get("songs")}
    if not styles:
        return []
    lines = ["## 8. Songs", "",
             "| style | songs | fills at section ends | crashes on downbeats | returning vs first | real consecutive "
             "bars | verse vs chorus | density low / mid / high | ordered |", "|---|---|---|---|---|---|---|---|---|"]
    for style_id, s in styles.items():
        density = " / ".join(_num(v, 1) for v in s["energy_density"].values())
        lines.append(f"| {style_id} | {s['songs']} | {_pct(s['section_end_fills'])} | {_pct(s['downbeat_crashes'])} | "
                     f"{_num(s['returning'], 2)} | {_num(s['real_repetition']['mean'], 2)} | "
                     f"{_num(s['different'], 2)} | {density} | {_num(s['density_ordered'])} |")
    lines += ["", "Inside every section (mean over section clips against the real takes' IQR):", "",
              "| style | measure | generated | real IQR | holds |", "|---|---|---|---|---|"]
    for style_id, s in styles.items():
        for measure, row in s["within"].items():
            lines.append(f"| {style_id} | {measure} | {_num(row['generated']['mean'], 2)} | "
                         f"{_num(row['real']['q1'], 2)} .. {_num(row['real']['q3'], 2)} | {_num(row['holds'])} |")
    return lines + ["", "Definitions:", "", _doc(songs), ""]


def _meter_section(metrics: dict[str, Any]) -> list[str]:
    found = metrics.get("meters")
    if not found:
        return []
    lines = ["## 9. Every time signature filled", "",
             f"{metrics['meter_patterns_per_style']} patterns of 4 bars per style and meter, on the model's grid hits. "
             "Real-like: validation takes re-barred into the meter from real bars.", "",
             "| meter | bars | last beat / bar (0.6-1.4) | real-like | downbeat kick or crash | real-like | "
             "bars with a silent beat (<= 5%) | real-like | holds |", "|---|---|---|---|---|---|---|---|---|"]
    for meter, row in found.items():
        made, real = row["generated"], row["real_like"]
        ok = all(v is not False for v in row["holds"].values())
        lines.append(f"| {meter} | {made['bars']} | {_num(made['last_beat'], 2)} | {_num(real['last_beat'], 2)} | "
                     f"{_pct(made['downbeat'])} | {_pct(real['downbeat'])} | {_pct(made['empty_beat'])} | "
                     f"{_pct(real['empty_beat'])} | {'yes' if ok else '**no**'} |")
    return lines + ["", "Definitions:", "", _doc(meters), ""]


def render_markdown(metrics: dict[str, Any]) -> str:
    config = metrics["config"]
    data = metrics["data"]
    lines = [
        "# MidiDrumiGen evaluation report", "",
        f"Model `{metrics['model']['path']}` ({metrics['model']['name']}, "
        f"{metrics['model']['parameters']} parameters). "
        f"Data `{config['data']}`: {data}. Compared split: {config['split']}; {config['per_style']} patterns per "
        f"style, seeds from {config['first_seed']}; limit_files {config['limit_files']}. Took {metrics['seconds']} s.",
        "",
        "Reproduce: `mididrumigen eval --data <groove folder> --split " + str(config["split"]) + " --out <folder>"
        + (f" --checkpoint {metrics['model']['path']}" if config["model"] != "None" else "")
        + f" --per-style {config['per_style']}"
        + (f" --limit-files {config['limit_files']}" if config["limit_files"] else "")
        + "`. Every number below is in metrics.json.", "",
    ]
    lines += _targets_section(metrics)
    lines += _likelihood_section(metrics)
    lines += _groove_section(metrics)
    lines += _fidelity_section(metrics)
    lines += _feel_section(metrics)
    lines += _fills_section(metrics)
    lines += _structure_section(metrics)
    if metrics.get("clip"):
        lines += clip_section(metrics["clip"])
    lines += _songs_section(metrics)
    lines += _meter_section(metrics)
    return "\n".join(lines)


def write_report(out: Path, metrics: dict[str, Any], extras: dict[str, Any]) -> Path:
    """Write plots, metrics.json and report.md into `out`; returns the report's path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for style_id, (patterns, generated, real_val) in extras.items():
        save_feature_plot(out / f"features_{style_id}.png", f"{style_id}: real validation bars vs generated bars",
                          generated, real_val)
        if patterns:
            save_pattern_roll(out / f"piano_{style_id}.png", patterns[0].pattern)
    atomic_write_bytes(out / "metrics.json", json.dumps(_json_safe(metrics), indent=2).encode())
    return atomic_write_bytes(out / "report.md", render_markdown(metrics).encode())
