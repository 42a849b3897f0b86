"""The device patchers: they parse, every line connects real boxes, ports and menus match the daemon
and mdg_core.js, and the committed .amxd files are exactly what build_amxd.py makes from them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from mididrumigen.engine.presets import load_presets
from mididrumigen.engine.schema import PatternType
from tests.max_for_live.support import (
    CLIP_JS,
    CORE_JS,
    DEFAULT_PORT,
    DEFAULT_REPLY_PORT,
    DEVICE_DIR,
    GLUE_JS,
    GROOVE_PATCHER,
    JS_ARGUMENT,
    LIVE_DEVICE_HEIGHT_PX,
    MAIN_PATCHER,
    PATCHERS,
    TOOL_PATCHER,
    TOOL_PATCHERS,
    Patcher,
    core_constants,
    js_declared_count,
    js_functions,
    load_build_module,
    node_executable,
)

build_amxd = load_build_module()


@pytest.fixture(params=PATCHERS, ids=lambda p: p.stem)
def patcher(request: pytest.FixtureRequest) -> Patcher:
    return Patcher(request.param)


@pytest.fixture(scope="module")
def core() -> dict[str, Any]:
    if node_executable() is None:
        pytest.skip("node is not installed: mdg_core.js's constants cannot be read")
    return core_constants()


def _controls_feeding(patcher: Patcher) -> dict[str, dict[str, Any]]:
    """message name -> the live.* control whose value reaches [js] through [prepend <message>]
    (directly, or through a [t ...] that also sends it elsewhere)."""
    js = patcher.object_named("js")
    out: dict[str, dict[str, Any]] = {}
    for pre in patcher.sources_of(js["id"], 0):
        if pre["maxclass"] == "newobj" and pre["text"].startswith("prepend "):
            sources = list(patcher.sources_of(pre["id"], 0))
            while sources:
                source = sources.pop()
                if source["maxclass"].startswith("live."):
                    out[pre["text"].split()[1]] = source
                elif source.get("text", "").split()[:1] == ["t"]:
                    sources += patcher.sources_of(source["id"], 0)
    return out


def test_patcher_parses_with_boxes_and_lines(patcher: Patcher) -> None:
    assert patcher.box_list and patcher.lines
    assert patcher.patcher["openinpresentation"] == 1
    assert len(patcher.boxes) == len(patcher.box_list), "box ids must be unique"


def test_every_line_connects_existing_boxes_and_ports(patcher: Patcher) -> None:
    for line in patcher.lines:
        assert line.source in patcher.boxes, f"line from missing box {line.source}"
        assert line.destination in patcher.boxes, f"line to missing box {line.destination}"
        source, destination = patcher.boxes[line.source], patcher.boxes[line.destination]
        source_name = source.get("text", source["maxclass"])
        destination_name = destination.get("text", destination["maxclass"])
        assert 0 <= line.outlet < source["numoutlets"], f"{source_name} has no outlet {line.outlet}"
        assert 0 <= line.inlet < destination["numinlets"], f"{destination_name} has no inlet {line.inlet}"
        assert len(source.get("outlettype", [])) == source["numoutlets"]
    assert len(set(patcher.lines)) == len(patcher.lines), "duplicate patch line"


def test_ports_match_the_daemon_defaults(patcher: Patcher) -> None:
    assert patcher.object_named("udpsend")["text"] == f"udpsend 127.0.0.1 {DEFAULT_PORT}"
    assert patcher.object_named("udpreceive")["text"] == f"udpreceive {DEFAULT_REPLY_PORT} @defer 1"
    controls = _controls_feeding(patcher)
    assert patcher.parameter(controls["daemonport"])["parameter_initial"] == [DEFAULT_PORT]
    assert patcher.parameter(controls["replyport"])["parameter_initial"] == [DEFAULT_REPLY_PORT]
    # The reply port that /mdg/ping and /mdg/styles carry ($1) is held by an [int] set to the default.
    for box in patcher.osc_message_boxes():
        if "$1" in box["text"]:
            trigger = next(patcher.sources_of(box["id"], 0))
            holder = next(patcher.sources_of(trigger["id"], 0))
            assert holder["text"] == f"int {DEFAULT_REPLY_PORT}", box["text"]


def test_the_patcher_sends_ping_and_styles_itself(patcher: Patcher) -> None:
    # /mdg/stop and /mdg/play go through [js], which adds the reply port.
    assert sorted(box["text"] for box in patcher.osc_message_boxes()) == ["/mdg/ping $1", "/mdg/styles $1"]
    js = patcher.object_named("js")
    js_outputs = [d for d in patcher.destinations_of(js["id"], 0) if d["maxclass"] == "newobj"]
    assert any(d["text"].startswith("udpsend") for d in js_outputs)


def test_js_box_matches_the_script(patcher: Patcher) -> None:
    js = patcher.object_named("js")
    assert js["text"] == "js MidiDrumiGen.js" + JS_ARGUMENT[patcher.path]
    source = GLUE_JS.read_text(encoding="utf-8")
    assert js["numinlets"] == js_declared_count(source, "inlets")
    assert js["numoutlets"] == js_declared_count(source, "outlets")
    assert all(f'require("{module}")' in source for module in ("mdg_core", "mdg_clip", "mdg_song"))
    names = [entry["name"] for entry in patcher.patcher["dependency_cache"]]
    assert sorted(names) == ["MidiDrumiGen.js", "mdg_clip.js", "mdg_core.js", "mdg_song.js"]
    for name in names:
        assert (DEVICE_DIR / name).is_file()


def _button_reaches_js(patcher: Patcher, varname: str, longname: str, message_text: str) -> None:
    """A momentary Live button (a parameter named `longname`) whose message box sends `message_text` to the js."""
    js = patcher.object_named("js")
    button = next(b for b in patcher.box_list if b.get("varname") == varname)
    assert button["maxclass"] == "live.text" and button["parameter_enable"] == 1 and button["mode"] == 0
    assert patcher.parameter(button)["parameter_longname"] == longname
    (message,) = patcher.destinations_of(button["id"], 0)
    assert message["text"] == message_text and js["id"] in {b["id"] for b in patcher.destinations_of(message["id"], 0)}


def _field_prepends(patcher: Patcher, varname: str) -> list[dict[str, Any]]:
    """The text field's [prepend ...] boxes, each checked to go on to the js."""
    js = patcher.object_named("js")
    field = next(b for b in patcher.box_list if b.get("varname") == varname)
    assert field["maxclass"] == "textedit"
    prepends = [b for b in patcher.destinations_of(field["id"], 0) if b["text"].startswith("prepend")]
    for prepend in prepends:
        assert js["id"] in {b["id"] for b in patcher.destinations_of(prepend["id"], 0)}
    return prepends


def test_the_song_button_and_form_field_reach_the_js() -> None:
    """The MIDI Effect's Song button is a Live parameter that sends `song`; its Form field sends
    `songform <text>` (the form used when the Set has no section locators)."""
    patcher = Patcher(MAIN_PATCHER)
    _button_reaches_js(patcher, "song", "Song", "song")
    # the field also feeds the pattr that keeps its text with the Set (test_device_rules)
    assert [b["text"] for b in _field_prepends(patcher, "song_form")] == ["prepend songform"]
    assert "songform" in js_functions(GLUE_JS.read_text(encoding="utf-8"))


def test_the_learn_style_button_and_name_field_reach_the_js() -> None:
    """Learn style: a Live button that sends `learnstyle`, and a Style name field that sends `learnname <text>`."""
    patcher = Patcher(MAIN_PATCHER)
    _button_reaches_js(patcher, "learn_style", "Learn Style", "learnstyle")
    field = next(b for b in patcher.box_list if b.get("varname") == "learn_name")
    assert len(list(patcher.destinations_of(field["id"], 0))) == 1  # the prepend alone
    assert [b["text"] for b in _field_prepends(patcher, "learn_name")] == ["prepend learnname"]
    assert {"learnname", "learnstyle"} <= js_functions(GLUE_JS.read_text(encoding="utf-8"))


def test_every_message_into_js_is_handled(patcher: Patcher, core: dict[str, Any]) -> None:
    js = patcher.object_named("js")
    functions = js_functions(GLUE_JS.read_text(encoding="utf-8"))
    for box in patcher.sources_of(js["id"], 0):
        if box["maxclass"] == "message":
            assert box["text"] in functions, f"MidiDrumiGen.js has no function {box['text']}()"
        elif box["maxclass"] == "newobj" and box["text"].startswith("prepend "):
            name = box["text"].split()[1]
            assert name in core["SETTINGS"] or name in functions, f"nothing handles [prepend {name}]"
        else:
            assert box["text"].startswith("udpreceive"), f"unexpected input to js: {box}"


def test_controls_match_the_core_settings(patcher: Patcher, core: dict[str, Any]) -> None:
    for message, control in _controls_feeding(patcher).items():
        spec = core["SETTINGS"][message]
        value = patcher.parameter(control)
        assert value["parameter_initial"] == [spec["initial"]], message
        if control["maxclass"] in ("live.numbox", "live.dial"):
            assert (value["parameter_mmin"], value["parameter_mmax"]) == (spec["min"], spec["max"]), message
            if spec["kind"] == "float" or spec["max"] - spec["min"] >= 256:
                # A Float holds the whole range; whole-number settings show it as Int (unit style 0).
                assert value["parameter_type"] == 0, message
                assert (value["parameter_unitstyle"] == 0) == (spec["kind"] == "int"), message
            else:
                assert value["parameter_type"] == 1, message
        elif control["maxclass"] in ("live.menu", "live.tab") and spec["kind"] == "int":
            assert value["parameter_mmax"] == spec["max"] == len(value["parameter_enum"]) - 1, message
        elif control["maxclass"] == "live.toggle":
            assert spec["kind"] == "flag", message


def test_menus_match_the_core_and_the_engine(patcher: Patcher, core: dict[str, Any]) -> None:
    controls = _controls_feeding(patcher)
    builtin_names = [style.name for style in load_presets([]).styles]
    style_menu = patcher.parameter(controls["style"])["parameter_enum"]
    assert sorted(style_menu) == sorted(builtin_names) == sorted(s["name"] for s in core["DEFAULT_STYLES"])
    assert style_menu == [s["name"] for s in core["DEFAULT_STYLES"]]
    pattern_types = patcher.parameter(controls["ptype"])["parameter_enum"]
    assert pattern_types == core["PATTERN_TYPES"] == [t.value for t in PatternType]
    if "output" in controls:  # the MIDI Tool always asks for the notes: it has no Output menu
        assert patcher.parameter(controls["output"])["parameter_enum"] == [o["label"] for o in core["OUTPUTS"]]
    if "denominator" in controls:
        assert patcher.parameter(controls["denominator"])["parameter_enum"] == core["DENOMINATOR_LABELS"]
    assert core["DEFAULT_DAEMON_PORT"] == DEFAULT_PORT and core["DEFAULT_REPLY_PORT"] == DEFAULT_REPLY_PORT
    # The style menu is refilled by [js] outlet 2 from /mdg/style replies; the seed box by outlet 3.
    js = patcher.object_named("js")
    assert controls["style"]["id"] in {box["id"] for box in patcher.destinations_of(js["id"], 2)}
    assert controls["seed"]["id"] in {box["id"] for box in patcher.destinations_of(js["id"], 3)}


def test_parameter_names_are_unique_and_the_presentation_fits_live(patcher: Patcher) -> None:
    names = [patcher.parameter(b)["parameter_longname"] for b in patcher.box_list if b["maxclass"].startswith("live.")
             and "saved_attribute_attributes" in b]
    assert len(names) == len(set(names)), "Live needs every parameter name once"
    for box in patcher.box_list:
        if box.get("presentation"):
            x, y, width, height = box["presentation_rect"]
            assert x >= 0 and y >= 0 and y + height <= LIVE_DEVICE_HEIGHT_PX, box.get("text", box["maxclass"])


@pytest.mark.parametrize("tool_patcher", TOOL_PATCHERS, ids=lambda p: p.stem)
def test_the_midi_tools_use_the_midi_tool_objects(tool_patcher: Path) -> None:
    tool = Patcher(tool_patcher)
    js = tool.object_named("js")
    miditool_in = tool.object_named("live.miditool.in")
    miditool_out = tool.object_named("live.miditool.out")
    assert miditool_in["id"] in {b["id"] for b in tool.destinations_of(js["id"], 4)}
    assert miditool_out["id"] in {b["id"] for b in tool.destinations_of(js["id"], 5)}
    into_js = {b["text"] for b in tool.destinations_of(miditool_in["id"]) if b["maxclass"] == "newobj"}
    assert into_js == {"prepend clipnotes", "prepend context"}
    main = Patcher(MAIN_PATCHER)
    assert not main.find(lambda b: b.get("text", "").startswith("live.miditool"))


def test_committed_amxd_files_are_what_the_build_makes() -> None:
    built = build_amxd.build_all()
    assert {path.name for path in built} == {"MidiDrumiGen.amxd", "MidiDrumiGen Generator.amxd",
                                             "MidiDrumiGen Groove.amxd"}
    for path, data in built.items():
        assert path.is_file(), f"{path.name} is missing: run python max_for_live/build_amxd.py"
        assert path.read_bytes() == data, f"{path.name} is stale: run python max_for_live/build_amxd.py"


@pytest.mark.parametrize(("maxpat", "device_type"),
                         [(MAIN_PATCHER, b"mmmm"), (TOOL_PATCHER, b"nagg"), (GROOVE_PATCHER, b"natt")])
def test_amxd_reads_back_as_the_patcher(maxpat: Path, device_type: bytes) -> None:
    data = (DEVICE_DIR / maxpat.name.replace(".maxpat", ".amxd")).read_bytes()
    assert data[:4] == b"ampf" and data[8:12] == device_type
    assert data[12:16] == b"meta" and data[24:28] == b"ptch"
    contents = build_amxd.read_amxd(data)
    assert contents.device_type == device_type
    assert contents.meta == 0
    assert contents.patcher_json == maxpat.read_bytes().rstrip()
    assert data.endswith(b"\n\x00")


def test_build_is_deterministic_and_ignores_line_endings() -> None:
    maxpat = MAIN_PATCHER.read_bytes()
    crlf = maxpat.replace(b"\n", b"\r\n")
    assert build_amxd.build_amxd(maxpat, b"mmmm") == build_amxd.build_amxd(crlf, b"mmmm")
    assert build_amxd.build_amxd(maxpat, b"mmmm") == build_amxd.build_amxd(maxpat + b"\n\n", b"mmmm")


# Regression fixtures for the reader: the three ways a file can fail to be a plain-JSON device.
_FROZEN_PATCH = b"ampf\x04\x00\x00\x00mmmmmeta\x04\x00\x00\x00\x07\x00\x00\x00ptch\x08\x00\x00\x00mx@c\x00\x00\x00\x10"
_TRUNCATED = b"ampf\x04\x00\x00\x00mmmmptch\xff\x00\x00\x00{}"
_NOT_A_DEVICE = b"MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0"


@pytest.mark.parametrize(("data", "reason"), [
    (_FROZEN_PATCH, "frozen"), (_TRUNCATED, "file ends first"), (_NOT_A_DEVICE, "not an .amxd"),
])
def test_read_amxd_refuses_what_it_cannot_read(data: bytes, reason: str) -> None:
    with pytest.raises(build_amxd.AmxdError, match=reason):
        build_amxd.read_amxd(data)


def test_build_refuses_bad_input() -> None:
    with pytest.raises(build_amxd.AmxdError, match="device type"):
        build_amxd.build_amxd(MAIN_PATCHER.read_bytes(), b"xxxx")
    with pytest.raises(build_amxd.AmxdError, match="not UTF-8 JSON"):
        build_amxd.build_amxd(b"{not json", b"mmmm")
    with pytest.raises(build_amxd.AmxdError, match='"patcher"'):
        build_amxd.build_amxd(b"[1, 2]", b"mmmm")


def test_device_files_are_ascii_javascript() -> None:
    for path in (GLUE_JS, CORE_JS, CLIP_JS):
        text = path.read_text(encoding="utf-8")
        assert re.fullmatch(r"[\x09\x0a\x0d\x20-\x7e]*", text), f"{path.name} has a non-ASCII character"
