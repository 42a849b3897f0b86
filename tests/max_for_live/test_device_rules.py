"""The rules a device must follow to work inside Live, each backed by a public reference, checked on
both patchers and on the built .amxd files.

Nothing here runs Live (there is none where the project is built). Each rule is what shipping
devices and Cycling '74's reference show; the comment above each test names where it comes from,
so a reader can check the rule itself. References (fetched and read for this test):
  [maxdevtools]  github.com/Ableton/maxdevtools  maxdiff/tests/test_files/Test.amxd
                 (Ableton's own test device, a MIDI Effect, plain JSON)
  [retrigger]    github.com/h1data/M4L-MIDI-tool-examples  retrigger-transform/Retrigger.amxd
                 and retrigger-transform/code/js-retrigger-transformation.js
  [separate]     github.com/h1data/M4L-MIDI-tool-examples  separate-transform/Separate.amxd
  [memo]         github.com/h1data/M4L-MIDI-tool-examples  memo/README.md
  [swingset]     github.com/adriananders/swingset-m4l-miditool  src/Swing{set}-dev.amxd, src/swingSet.js
  [c74-midifx]   docs.cycling74.com/userguide/m4l/live_midieffects ("Creating MIDI Effects")
  [c74-params]   docs.cycling74.com/max5/refpages/m4l-ref/parameters.html ("Parameter Properties", Type)
  [c74-miditool] docs.cycling74.com/reference/live.miditool.in
  [c74-udp]      docs.cycling74.com/reference/udpreceive (attribute defer)
  [c74-m4lparams] docs.cycling74.com/userguide/m4l/live_parameters ("Device Parameters in Max for Live":
                 Live UI objects are stored in the Live Set; "Another option is to use pattr"; blob:
                 "any type of data you can store with a pattr object: single values, lists, or strings")
  [c74-pattr]    docs.cycling74.com/latest/refpages/pattr (autorestore: "the pattr object will automatically
                 output its last-saved value when the patcher is loaded")
  [c74-textedit] docs.cycling74.com/max5/refpages/max-ref/textedit.html (set: "sets the contents of the
                 textedit object's buffer while causing no output"; clear: "erases the contents")
  [c74-prepend]  docs.cycling74.com/max5/refpages/max-ref/prepend.html (bang: "outputs the stored message
                 followed by the word bang", so an empty text must clear, not `set bang`)
  [m4l-guide]    github.com/Ableton/maxdevtools  m4l-production-guidelines/m4l-production-guidelines.md
                 ("If a parameter is not being saved with the Live Set ... Check that [Parameter
                 Visibility] is set to either Automated and Stored or Stored Only")
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.max_for_live.support import (
    DEVICE_DIR,
    GROOVE_PATCHER,
    MAIN_PATCHER,
    PATCHERS,
    TOOL_PATCHER,
    TOOL_PATCHERS,
    Patcher,
    load_build_module,
)

build_amxd = load_build_module()

DEVICE_TYPE = {MAIN_PATCHER: b"mmmm", TOOL_PATCHER: b"nagg", GROOVE_PATCHER: b"natt"}

# [c74-params]: "the native integer representation is limited to a range of 0-255 ... When working
# with Live UI objects whose integer values are likely to be outside of the 0-255 range, the Type
# attribute should be set to Float, and the Unit Style attribute should be set to Int."
PARAMETER_TYPE_FLOAT, PARAMETER_TYPE_INT, PARAMETER_TYPE_ENUM, PARAMETER_TYPE_BLOB = 0, 1, 2, 3
PARAMETER_STORED_ONLY = 1  # parameter_invisible: 0 Automated and Stored, 1 Stored Only, 2 Hidden
UNITSTYLE_INT = 0
MAX_INT_PARAMETER_VALUES = 256
# A Float parameter is a 32-bit float: whole numbers are exact up to 2**24 (mdg_core.js SEED_MAX).
MAX_EXACT_FLOAT_INTEGER = 2**24

# Public MIDI Tools' panels: [retrigger], [separate] and [swingset] all open at 152 x 147.
MIDI_TOOL_PANEL = (152.0, 147.0)

ABSOLUTE_PATH = re.compile(r"^(/(?!mdg/)|~|[A-Za-z]:[\\/])|/Users/|\\Users\\|/home/")


@pytest.fixture(params=PATCHERS, ids=lambda p: p.stem)
def patcher(request: pytest.FixtureRequest) -> Patcher:
    return Patcher(request.param)


def _parameters(patcher: Patcher) -> Iterator[tuple[str, dict[str, Any]]]:
    for box in patcher.box_list:
        if box.get("parameter_enable") and "saved_attribute_attributes" in box:
            value = patcher.parameter(box)
            yield value["parameter_longname"], value


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _connected(patcher: Patcher, source: dict[str, Any], outlet: int, destination: dict[str, Any]) -> bool:
    return any(line.source == source["id"] and line.outlet == outlet and line.destination == destination["id"]
               for line in patcher.lines)


# [c74-midifx]: "all of that data must all be passed downstream to other MIDI devices by means of the
# midiout object"; [maxdevtools] Test.amxd (type mmmm) wires [midiin] obj-1 outlet 0 -> [midiout] obj-2.
def test_the_midi_effect_passes_incoming_midi_through() -> None:
    main = Patcher(MAIN_PATCHER)
    midiin, midiout = main.object_named("midiin"), main.object_named("midiout")
    assert _connected(main, midiin, 0, midiout), "[midiin] must feed [midiout] or the track's clips go silent"


# [c74-params] (Type: Int holds 0-255, use Float shown as Int beyond that); [swingset] stores its
# "Random Seed" (-1..2147483647) as parameter_type 0 with parameter_unitstyle 0, and [retrigger]'s
# Int "Factor" spans 1..128.
def test_every_live_parameter_can_store_its_whole_range(patcher: Patcher) -> None:
    for name, value in _parameters(patcher):
        kind = value.get("parameter_type", PARAMETER_TYPE_FLOAT)
        low, high = value.get("parameter_mmin", 0), value.get("parameter_mmax", 127)
        if kind == PARAMETER_TYPE_INT:
            assert high - low + 1 <= MAX_INT_PARAMETER_VALUES, (
                f"{name}: an Int parameter holds {MAX_INT_PARAMETER_VALUES} values, not {low}..{high}; "
                "make it Float with Unit Style Int"
            )
        elif kind == PARAMETER_TYPE_ENUM:
            assert high == len(value["parameter_enum"]) - 1 <= MAX_INT_PARAMETER_VALUES - 1, name
        else:
            assert kind == PARAMETER_TYPE_FLOAT, name
            if value.get("parameter_unitstyle") == UNITSTYLE_INT:
                assert -MAX_EXACT_FLOAT_INTEGER <= low and high <= MAX_EXACT_FLOAT_INTEGER, name
        for initial in value.get("parameter_initial", []):
            assert low <= initial <= high, f"{name}: initial {initial} outside {low}..{high}"


# [maxdevtools] Test.amxd: header type mmmm, project.amxdtype 1835887981 (= b"mmmm" big-endian);
# [retrigger], [separate], [swingset]: header natt, project.amxdtype 1851880564 (= b"natt"): the
# Transformation kind, which MidiDrumiGen Groove is (checked again for this issue: Separate.amxd and
# Retrigger.amxd both start b"ampf\x04\x00\x00\x00natt" and carry "amxdtype" : 1851880564).
@pytest.mark.parametrize("maxpat", PATCHERS, ids=lambda p: p.stem)
def test_project_amxdtype_matches_the_header(maxpat: Any) -> None:
    data = (DEVICE_DIR / maxpat.name.replace(".maxpat", ".amxd")).read_bytes()
    contents = build_amxd.read_amxd(data)
    assert contents.device_type == DEVICE_TYPE[maxpat]
    project = json.loads(contents.patcher_json)["patcher"].get("project", {})
    assert project.get("amxdtype") == int.from_bytes(contents.device_type, "big")


def test_the_build_refuses_a_patcher_whose_amxdtype_disagrees() -> None:
    with pytest.raises(build_amxd.AmxdError, match="amxdtype"):
        build_amxd.build_amxd(MAIN_PATCHER.read_bytes(), b"nagg")
    with pytest.raises(build_amxd.AmxdError, match="amxdtype"):
        build_amxd.build_amxd(b'{"patcher": {"boxes": [], "lines": []}}', b"mmmm")


# [c74-miditool]: a bang starts (or continues) an apply cycle; notes leave the left outlet and the
# context the middle one. [retrigger]: in outlet 1 -> [setContext $2] -> js, in outlet 0 -> js ->
# live.miditool.out, js outlet 1 -> live.miditool.in (re-trigger); its js answers inside dictionary().
# [swingset]: in outlet 0 -> [dict] ... -> js -> [dict notes] -> live.miditool.out, all synchronous.
# [memo] "Did not receive a Note dictionary in time. Make sure that the dictionary is synchronous."
SYNCHRONOUS_ONLY = ("defer", "deferlow", "delay", "pipe", "qlim", "speedlim")


@pytest.mark.parametrize("tool_patcher", TOOL_PATCHERS, ids=lambda p: p.stem)
def test_the_midi_tool_answers_in_the_cycle_like_the_references(tool_patcher: Any) -> None:
    tool = Patcher(tool_patcher)
    miditool_in, miditool_out = tool.object_named("live.miditool.in"), tool.object_named("live.miditool.out")
    js = tool.object_named("js")
    notes_path = [b for b in tool.destinations_of(miditool_in["id"], 0)]
    context_path = [b for b in tool.destinations_of(miditool_in["id"], 1)]
    assert [b["text"] for b in notes_path] == ["prepend clipnotes"]
    assert [b["text"] for b in context_path] == ["prepend context"]
    for step in notes_path + context_path:
        assert _connected(tool, step, 0, js)
        assert step["text"].split()[0] not in SYNCHRONOUS_ONLY
    assert any(_connected(tool, js, outlet, miditool_out) for outlet in range(js["numoutlets"]))
    assert any(_connected(tool, js, outlet, miditool_in) for outlet in range(js["numoutlets"]))
    assert not tool.find(lambda b: b.get("text", "").split()[:1] and b["text"].split()[0] in SYNCHRONOUS_ONLY)
    main = Patcher(MAIN_PATCHER)
    assert not main.find(lambda b: b.get("text", "").startswith("live.miditool")), "only a MIDI Tool may use them"


# [retrigger], [separate], [swingset]: openrect [0, 0, 152, 147], openinpresentation 1.
TOOL_CONTROLS = {
    TOOL_PATCHER: {"Style", "Bars", "Pattern Type", "Seed", "Seed Lock", "Generate", "Mode", "Daemon Port",
                   "Reply Port"},
    GROOVE_PATCHER: {"Style", "Pattern Type", "Seed", "Seed Lock", "Groove", "Daemon Port", "Reply Port"},
}


@pytest.mark.parametrize("tool_patcher", TOOL_PATCHERS, ids=lambda p: p.stem)
def test_the_midi_tool_panels_fit_a_midi_tool(tool_patcher: Any) -> None:
    tool = Patcher(tool_patcher)
    assert tool.patcher["openinpresentation"] == 1
    x, y, width, height = tool.patcher["openrect"]
    assert (x, y) == (0, 0) and (width, height) == MIDI_TOOL_PANEL
    shown = tool.find(lambda b: bool(b.get("presentation")))
    assert shown
    for box in shown:
        bx, by, bw, bh = box["presentation_rect"]
        assert bx >= 0 and by >= 0 and bx + bw <= width and by + bh <= height, box.get("text", box["maxclass"])
    names = {name for name, _ in _parameters(tool)}
    assert TOOL_CONTROLS[tool_patcher] <= names


# No control overlaps another box: Live shows the presentation as it is, and a control drawn over
# another cannot be clicked (the Generator's Mode menu shares a row with Humanize and Fill).
def test_no_control_overlaps_another_box(patcher: Patcher) -> None:
    shown = [b for b in patcher.box_list if b.get("presentation")]
    for i, a in enumerate(shown):
        ax, ay, aw, ah = a["presentation_rect"]
        for b in shown[i + 1:]:
            if not any(box["maxclass"].startswith("live.") or box["maxclass"] == "textedit" for box in (a, b)):
                continue  # two labels touching is only text
            bx, by, bw, bh = b["presentation_rect"]
            overlap = ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah
            assert not overlap, f"{a.get('text', a['varname'])!r} overlaps {b.get('text', b.get('varname'))!r}"


# A device moves between machines (the README installs it by copying): [maxdevtools]' Test.amxd still
# carries "bootpath": "~/maxdevtools/..." entries, which is what this rule keeps out of ours.
def test_nothing_depends_on_an_absolute_path(patcher: Patcher) -> None:
    for text in _strings(patcher.document):
        assert not ABSOLUTE_PATH.search(text), f"{patcher.path.name}: absolute path {text!r}"
    for entry in patcher.patcher["dependency_cache"]:
        assert set(entry) <= {"name", "patcherrelativepath", "type", "implicit"}, entry
        assert entry["patcherrelativepath"] == "."


# [c74-udp] defer: "messages are sent out on the low-priority queue instead of the scheduler thread.
# Especially in Max for Live, this can reduce the chances of audio glitches and dropouts."
def test_udpreceive_defers_to_the_low_priority_queue(patcher: Patcher) -> None:
    words = patcher.object_named("udpreceive")["text"].split()
    assert "@defer" in words and words[words.index("@defer") + 1] == "1"


# The MIDI Effect's text fields whose words the device acts on, and the [js] handler each feeds.
KEPT_TEXT_FIELDS = {"kit_override": "kitoverride", "song_form": "songform"}


def _reaches(patcher: Patcher, start: dict[str, Any], goal: dict[str, Any], through: tuple[str, ...]) -> bool:
    """A path of patch lines from `start` to `goal` whose boxes in between all start with one of `through`."""
    seen, todo = set(), [start]
    while todo:
        box = todo.pop()
        for step in patcher.destinations_of(box["id"]):
            if step["id"] == goal["id"]:
                return True
            if step["id"] not in seen and step.get("text", "").split()[:1] and step["text"].split()[0] in through:
                seen.add(step["id"])
                todo.append(step)
    return False


# [c74-m4lparams] + [m4l-guide]: a [textedit] is no Live parameter, so Live forgets its text with the Set;
# a [pattr] in parameter mode, Type blob, Stored Only, is stored in the Live Set. [c74-pattr]: it outputs
# what it stored when the device loads, which goes to the [js] through the field's own [prepend <handler>]
# and back into the field through [prepend set] ([c74-textedit]: no output, so no loop), an empty text
# through [route bang] -> clear ([c74-prepend]).
@pytest.mark.parametrize(("field_name", "handler"), sorted(KEPT_TEXT_FIELDS.items()))
def test_text_fields_are_kept_with_the_live_set(field_name: str, handler: str) -> None:
    main = Patcher(MAIN_PATCHER)
    js = main.object_named("js")
    field = main.one(lambda b: b.get("varname") == field_name, field_name)
    (prepend,) = [b for b in main.destinations_of(field["id"], 0) if b.get("text") == f"prepend {handler}"]
    stores = [b for b in main.destinations_of(field["id"], 0) if b.get("text", "").split()[:1] == ["pattr"]]
    assert len(stores) == 1, f"{field_name}: its text is lost when the Set is reopened (no [pattr] keeps it)"
    (pattr,) = stores
    assert pattr["saved_object_attributes"]["parameter_enable"] == 1
    value = main.parameter(pattr)
    assert value["parameter_type"] == PARAMETER_TYPE_BLOB and value["parameter_invisible"] == PARAMETER_STORED_ONLY
    assert "@autorestore 0" not in pattr["text"]
    # A new device restores an empty field: the initial value is textedit's own "text" with no words.
    assert value["parameter_initial_enable"] == 1 and value["parameter_initial"] == ["text"] == pattr["restore"]
    assert _connected(main, pattr, 0, prepend) and _connected(main, prepend, 0, js)
    assert _reaches(main, pattr, field, ("route", "prepend", "clear"))
    into_field = [b.get("text", "") for b in main.sources_of(field["id"])]
    assert sorted(into_field) == ["clear", "prepend set"], "only set and clear go into the field: no output loop"


def test_stored_parameter_names_are_unique() -> None:
    main = Patcher(MAIN_PATCHER)
    names = [main.parameter(b)["parameter_longname"] for b in main.box_list if "saved_attribute_attributes" in b
             and "valueof" in b["saved_attribute_attributes"]]
    assert len(names) == len(set(names)), "Live stores each parameter under its long name"
