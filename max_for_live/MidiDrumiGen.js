// MidiDrumiGen.js: the Max [js] glue of both MidiDrumiGen devices: it owns the Live API calls and
// the outlets, and leaves every decision to mdg_core.js (which Node tests).
//
//   [js MidiDrumiGen.js]       MidiDrumiGen.amxd, a MIDI Effect: writes patterns into Session clips
//   [js MidiDrumiGen.js tool]  MidiDrumiGen Generator.amxd, a Live 12 MIDI Tool (Generator): fills
//                              the clip being edited through live.miditool.in / live.miditool.out
//
// ES5 only (Max's [js] engine); see mdg_core.js. Not run inside Live here (there is none where the
// project is built): every LiveAPI and Dict call below follows Cycling '74's JS Live API and Live
// Object Model documentation, and max_for_live/test/live_harness.test.js runs this very file in
// Node against a stand-in for Live that calls it the way the docs and public devices describe.
//
// Inlet 0 receives:
//   - OSC replies from [udpreceive] (messages whose selector is an /mdg address), handled by anything()
//   - control values as "<control> <value>" (see mdg_core SETTINGS), handled by anything()
//   - init (from live.thisdevice), tick (from a metro), refresh, generate, again, play, stop
//   - context / clipnotes "dictionary <name>" from live.miditool.in (MIDI Tool only): see
//     mdg_core.js ToolFlow for how every apply cycle is answered at once

autowatch = 0;
inlets = 1;
outlets = 6;

var OUT_OSC = 0;        // to [udpsend]: lists whose first element is the OSC address
var OUT_STATUS = 1;     // to [prepend set] -> the status display
var OUT_STYLE_MENU = 2; // to the style live.menu: _parameter_range <names...>, then set <index>
var OUT_SEED = 3;       // to the seed live.numbox: set <seed> (shows the seed without sending it back)
var OUT_TOOL_IN = 4;    // to live.miditool.in: bang starts an apply cycle (MIDI Tool only)
var OUT_TOOL_OUT = 5;   // to live.miditool.out: dictionary <name> with the notes (MIDI Tool only)

var PING_TIMEOUT_MS = 2000;

setinletassist(0, "OSC replies, control values, init/tick/refresh/generate/again/play/stop");
setoutletassist(OUT_OSC, "OSC messages to udpsend");
setoutletassist(OUT_STATUS, "status text");
setoutletassist(OUT_STYLE_MENU, "style menu items");
setoutletassist(OUT_SEED, "seed display");
setoutletassist(OUT_TOOL_IN, "bang to live.miditool.in");
setoutletassist(OUT_TOOL_OUT, "notes dictionary to live.miditool.out");

var core = require("mdg_core");

var MODE = jsarguments.length > 1 && jsarguments[1] === "tool" ? "tool" : "clip";
var session = new core.Session({});
var liveSet = null;      // LiveAPI objects exist only after init(): the Live API is not ready at load
var trackPath = "";
var againSlot = -1;      // the slot the last pattern was written to, which "Again" rewrites
var pingTask = null;
var flow = new core.ToolFlow(); // MIDI Tool: what each apply cycle answers and when to ask for a pattern
var toolTimeout = null;          // MIDI Tool: stops waiting for a pattern that never comes

function init() {
    liveSet = new LiveAPI("live_set");
    if (MODE === "clip") {
        trackPath = core.unquotePath(new LiveAPI("this_device canonical_parent").path);
    }
    pingTask = new Task(pingTimedOut, this);
    showStatus(MODE === "tool" ? "Ready: press Generate or Live's Generate" : "Ready");
}

// Every control value and every OSC reply arrives here (Max calls anything() for a message
// that names no function of this file).
function anything() {
    var args = arrayfromargs(arguments);
    if (messagename.charAt(0) === "/") {
        perform(session.receive(messagename, args));
        return;
    }
    if (core.SETTINGS.hasOwnProperty(messagename)) {
        var key = core.SETTINGS[messagename].key;
        var before = session.settings[key];
        var refusal = session.set(messagename, args[0]);
        if (refusal) {
            showStatus(refusal);
        } else if (session.settings[key] !== before && core.PATTERN_CONTROLS.indexOf(messagename) >= 0) {
            flow.settingsChanged();
        }
        return;
    }
    post("MidiDrumiGen: unknown message " + messagename + "\n");
}

// The Refresh button and live.thisdevice send /mdg/ping and /mdg/styles from the patcher's own
// message boxes, then this: a pong must arrive within PING_TIMEOUT_MS.
function refresh() {
    session.startRefresh();
    showStatus("Connecting...");
    if (pingTask) {
        pingTask.cancel();
        pingTask.schedule(PING_TIMEOUT_MS);
    }
}

function pingTimedOut() {
    if (!session.connected) {
        showStatus(core.noAnswerText(core.DEFAULT_HOST, session.settings.daemonPort));
    }
}

// The metro: report Live's transport so /mdg/play starts on the next bar.
function tick() {
    if (!liveSet) {
        return;
    }
    outlet(OUT_OSC, core.transportMessage(
        firstValue(liveSet, "current_song_time"), firstValue(liveSet, "tempo"), firstValue(liveSet, "is_playing")
    ));
}

function generate() {
    startGenerate("new");
}

function again() {
    startGenerate("again");
}

function play() {
    var prepared = session.preparePlay();
    if (prepared.error) {
        showStatus(prepared.error);
        return;
    }
    outlet(OUT_OSC, prepared.message);
    showStatus("Playing from the next bar");
}

function stop() {
    outlet(OUT_OSC, session.prepareStop().message);
    showStatus("Stopped");
}

function startGenerate(purpose) {
    if (!liveSet) {
        showStatus("Live is not ready yet");
        return;
    }
    if (MODE === "tool") {
        // The MIDI Tool generates for the clip being edited: start an apply cycle. Its answer is
        // the waiting pattern, or the notes unchanged while it asks the daemon (see ToolFlow).
        outlet(OUT_TOOL_IN, "bang");
        return;
    }
    sendGenerate(liveTiming(), { purpose: purpose });
}

function sendGenerate(live, options) {
    var prepared = session.prepareGenerate(live, options);
    if (prepared.error) {
        showStatus(prepared.error);
        return;
    }
    outlet(OUT_SEED, "set", prepared.request.seed);
    outlet(OUT_OSC, prepared.message);
    var r = prepared.request;
    showStatus("Sent: " + r.styleName + ", " + r.bars + " bars, seed " + r.seed);
}

// Carry out what mdg_core decided about a reply.
function perform(actions) {
    for (var i = 0; i < actions.length; i++) {
        var action = actions[i];
        if (action.type === "status") {
            showStatus(action.text);
        } else if (action.type === "styles") {
            outlet(OUT_STYLE_MENU, ["_parameter_range"].concat(action.names));
            outlet(OUT_STYLE_MENU, "set", action.selected);
            showStatus("Connected: " + action.names.length + " styles");
        } else if (action.type === "send") {
            outlet(OUT_OSC, action.message);
        } else if (action.type === "write") {
            if (MODE === "tool") {
                carryOut(flow.patternArrived(action));
            } else {
                writeClip(action);
            }
        } else if (action.type === "failed") {
            flow.failed(action.requestId);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The clip device: Session view clips on this device's track

function liveTiming() {
    return {
        tempo: firstValue(liveSet, "tempo"),
        numerator: firstValue(liveSet, "signature_numerator"),
        denominator: firstValue(liveSet, "signature_denominator")
    };
}

function writeClip(action) {
    var request = action.request;
    var track = new LiveAPI(trackPath);
    var slotCount = track.getcount("clip_slots");
    if (!slotCount) {
        showStatus("Put MidiDrumiGen on a MIDI track (this one has no clip slots)");
        return;
    }
    var hasClip = [];
    var probe = new LiveAPI(trackPath + " clip_slots 0");
    for (var i = 0; i < slotCount; i++) {
        probe.path = trackPath + " clip_slots " + i;
        hasClip.push(firstValue(probe, "has_clip") === 1);
    }
    var scene = core.indexAfter(new LiveAPI("live_set view selected_scene").path, "scenes");
    var target = core.chooseTarget({
        hasClip: hasClip,
        selectedScene: scene,
        replace: session.settings.replace === 1,
        againSlot: request.purpose === "again" ? againSlot : -1
    });
    if (target.createScene) {
        liveSet.call("create_scene", -1);
    }
    var slotPath = trackPath + " clip_slots " + target.slot;
    var lengthBeats = core.loopEndBeats(request.bars, request.numerator, request.denominator);
    if (!target.replace) {
        new LiveAPI(slotPath).call("create_clip", lengthBeats);
    }
    var clip = new LiveAPI(slotPath + " clip");
    if (target.replace) {
        var span = core.removeSpanBeats(lengthBeats, {
            length: firstValue(clip, "length"),
            loop_end: firstValue(clip, "loop_end"),
            end_marker: firstValue(clip, "end_marker")
        });
        clip.call("remove_notes_extended", 0, 128, 0, span);
    }
    clip.set("signature_numerator", request.numerator);
    clip.set("signature_denominator", request.denominator);
    var loop = core.clipLoopSettings(lengthBeats);
    for (var j = 0; j < loop.length; j++) {
        clip.set(loop[j][0], loop[j][1]);
    }
    clip.call("add_new_notes", core.buildNotesDict(action.notes, 0));
    clip.set("name", core.clipName(request.styleName, request.patternType, request.bars, request.seed));
    againSlot = target.slot;
    showStatus(core.writtenText(request, action.notes.length, action.done));
}

// ---------------------------------------------------------------------------------------------
// The MIDI Tool: live.miditool.in sends the context (middle outlet) and the notes (left outlet) of
// each apply cycle; Max sends right to left, so the context comes first, but ToolFlow works in
// either order. clipnotes() answers on live.miditool.out before it returns, every time.
// Not run in Live here: the context keys used are clip.time_selection_start/_end as the
// live.miditool.in reference and h1data/M4L-MIDI-tool-examples' memo describe them.

function context(kind, name) {
    carryOut(flow.receiveContext(readDict(name), clipSignature()));
}

function clipnotes(kind, name) {
    var result = flow.receiveNotes(readDict(name), clipSignature());
    var dict = new Dict();
    dict.parse(JSON.stringify(result.answer));
    outlet(OUT_TOOL_OUT, "dictionary", dict.name);
    carryOut(result);
}

// Carry out a ToolFlow decision: the status, a request to send, a bang that writes a ready pattern.
function carryOut(result) {
    if (result.status) {
        showStatus(result.status);
    }
    if (result.generate) {
        sendToolRequest(result.generate);
    }
    if (result.bang) {
        outlet(OUT_TOOL_IN, "bang");
    }
}

function sendToolRequest(shape) {
    if (!liveSet) {
        showStatus("Live is not ready yet");
        return;
    }
    var live = { tempo: firstValue(liveSet, "tempo"), numerator: shape.numerator, denominator: shape.denominator };
    var prepared = session.prepareGenerate(live, { purpose: "tool", bars: shape.bars });
    if (prepared.error) {
        showStatus(prepared.error);
        return;
    }
    flow.sent(prepared.request.requestId);
    outlet(OUT_SEED, "set", prepared.request.seed);
    outlet(OUT_OSC, prepared.message);
    if (toolTimeout) {
        toolTimeout.cancel();
    }
    toolTimeout = new Task(toolTimedOut, this, [prepared.request.requestId]); // Task takes an array of arguments
    toolTimeout.schedule(core.TOOL_REPLY_TIMEOUT_MS);
}

function toolTimedOut(requestId) {
    carryOut(flow.timedOut(requestId));
}

// The edited clip's own time signature; Live's when no clip is in the detail view.
function clipSignature() {
    var clip = new LiveAPI("live_set view detail_clip");
    var source = Number(clip.id) !== 0 ? clip : new LiveAPI("live_set");
    return {
        numerator: firstValue(source, "signature_numerator"),
        denominator: firstValue(source, "signature_denominator")
    };
}

function readDict(name) {
    return JSON.parse(new Dict(name).stringify());
}

// ---------------------------------------------------------------------------------------------

function firstValue(api, property) {
    var value = api.get(property);
    return value && value.length !== undefined ? value[0] : value;
}

function showStatus(text) {
    outlet(OUT_STATUS, String(text));
}
