// MidiDrumiGen.js: the Max [js] glue of both MidiDrumiGen devices: it owns the Live API calls and
// the outlets, and leaves every decision to mdg_core.js (which Node tests).
//
//   [js MidiDrumiGen.js]       MidiDrumiGen.amxd, a MIDI Effect: writes patterns into Session clips
//   [js MidiDrumiGen.js tool]  MidiDrumiGen Generator.amxd, a Live 12 MIDI Tool (Generator): fills
//                              the clip being edited through live.miditool.in / live.miditool.out,
//                              with a new pattern or (Mode Continue) one that follows the bars
//                              before the time selection
//   [js MidiDrumiGen.js groove] MidiDrumiGen Groove.amxd, a Live 12 MIDI Tool (Transformation):
//                              grooves the notes it is given in the chosen style
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
//   - continueclip, grooveclip, varyclip (MidiDrumiGen.amxd): the selected clip of this track is
//     read (Clip.get_notes_extended), uploaded in /mdg/clip chunks and continued, grooved or varied
//   - kitoverride <entries>: the user's voice:note table, over the Drum Rack's pad names
//   - learnname <text>, learnstyle (MidiDrumiGen.amxd): the selected clip is uploaded and learned as a
//     style preset named <text> (/mdg/style/learn); the style menu is refreshed and selects it
//   - song (MidiDrumiGen.amxd): a whole song from the Set's section locators, or from the form typed
//     in the Form field (songform <text>), written at the locators or into scenes (see mdg_song.js)
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
var clipTools = require("mdg_clip");
var songTools = require("mdg_song");

var MODES = { tool: "tool", groove: "groove" };
var MODE = jsarguments.length > 1 && MODES.hasOwnProperty(jsarguments[1]) ? MODES[jsarguments[1]] : "clip";
var IS_TOOL = MODE !== "clip";   // both MIDI Tools answer apply cycles
var session = new core.Session({});
var liveSet = null;      // LiveAPI objects exist only after init(): the Live API is not ready at load
var trackPath = "";
var againSlot = -1;      // the slot the last pattern was written to, which "Again" rewrites
var pingTask = null;
// The Transformation tool grooves the notes of the cycle and writes them back where they were.
var GROOVE_SHAPER = {
    shape: function (context, signature, incoming) {
        return clipTools.grooveShape(incoming, signature.numerator, signature.denominator);
    },
    place: function (notes, shape) { return core.buildNotesDict(notes, shape.originBeats); }
};
var flow = new core.ToolFlow(MODE === "groove" ? GROOVE_SHAPER : null); // MIDI Tools: what each cycle answers
var kitOverride = "";    // the user's voice:note table (kitoverride)
var typedStyleName = ""; // the Style name field (learnname): what Learn style calls the new style
var toolTimeout = null;          // MIDI Tool: stops waiting for a pattern that never comes
var typedForm = "";      // the Form field (songform): the song's sections when the Set has no locators
var songJob = null;      // the song on its way: {requestId, jobId, assembler, originBeats, numerator, denominator, resent}
var songRequestIds = {}; // every song request sent: a song superseded by a newer press is ignored...
var staleSongJobs = {};  // ...by its job id once queued, so its replies neither write nor ask for a resend

function init() {
    liveSet = new LiveAPI("live_set");
    if (MODE === "clip") {
        trackPath = core.unquotePath(new LiveAPI("this_device canonical_parent").path);
    }
    pingTask = new Task(pingTimedOut, this);
    showStatus(IS_TOOL ? "Ready: press " + (MODE === "groove" ? "Groove" : "Generate") + " or Live's Apply" : "Ready");
}

// Every control value and every OSC reply arrives here (Max calls anything() for a message
// that names no function of this file).
function anything() {
    var args = arrayfromargs(arguments);
    if (messagename.charAt(0) === "/") {
        if (!receiveSong(messagename, args)) {
            perform(session.receive(messagename, args));
        }
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
    if (IS_TOOL) {
        // The MIDI Tool generates for the clip being edited: start an apply cycle. Its answer is
        // the waiting pattern, or the notes unchanged while it asks the daemon (see ToolFlow).
        outlet(OUT_TOOL_IN, "bang");
        return;
    }
    sendGenerate(liveTiming(), { purpose: purpose });
}

// Generate on the MIDI Effect: the Drum Rack's kit map goes with the request, so the pattern lands
// on this track's pads.
function sendGenerate(live, options) {
    var kit = readKit(trackPath);
    if (kit.error) {
        showStatus(kit.error);
        return;
    }
    options.kit = kit.text;
    var prepared = session.prepareGenerate(live, options);
    if (prepared.error) {
        showStatus(prepared.error);
        return;
    }
    outlet(OUT_SEED, "set", prepared.request.seed);
    outlet(OUT_OSC, prepared.message);
    var r = prepared.request;
    showStatus("Sent: " + r.styleName + ", " + r.bars + " bars, seed " + r.seed + kitNote(kit));
}

// The status line's word on the kit a request carries: which voices have no pad ("" without a kit).
function kitNote(kit) {
    return kit.text ? ". " + kit.status : "";
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
            if (IS_TOOL) {
                carryOut(flow.patternArrived(action));
            } else {
                writeClip(action);
            }
        } else if (action.type === "takes" && !IS_TOOL) {
            writeTakes(action);
        } else if (action.type === "failed") {
            flow.failed(action.requestId);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The producer's clip (MidiDrumiGen.amxd): Continue, Groove and Vary act on the selected clip of
// this track (the slot of the selected scene) and write into the next empty slot, or in place with
// Replace (chooseTarget, as Generate does).

// The Kit override field ([textedit] -> [prepend kitoverride]): "kick:36 snare:38", commas or spaces
// between entries. A leading "text" (how some Max versions tag textedit's output) is dropped.
function kitoverride() {
    kitOverride = textFieldValue(arrayfromargs(arguments));
    if (!liveSet) {
        return;
    }
    var mapping = readKit(kitTrackPath());
    showStatus(mapping.error || mapping.status);
}

function continueclip() {
    startClipJob("continue");
}

function grooveclip() {
    startClipJob("groove");
}

function varyclip() {
    startClipJob("vary");
}

function startClipJob(mode) {
    if (!liveSet || MODE !== "clip") {
        showStatus(liveSet ? "Continue, Groove and Vary are on the MidiDrumiGen MIDI Effect" : "Live is not ready yet");
        return;
    }
    var selected = selectedClip(mode);
    if (!selected) {
        return;
    }
    var kit = readKit(trackPath);
    sendClipJob(selected.live, { mode: mode, notes: selected.notes, kit: kit.text, purpose: mode,
        clipBars: selected.clipBars }, kit);
}

// The clip in this track's slot of the selected scene: {live: {tempo, numerator, denominator}, notes,
// clipBars} over its loop, or null when the slot is empty (the status line then says what to do).
function selectedClip(action) {
    var scene = core.indexAfter(new LiveAPI("live_set view selected_scene").path, "scenes");
    var slotPath = trackPath + " clip_slots " + (scene >= 0 ? scene : 0);
    if (firstValue(new LiveAPI(slotPath), "has_clip") !== 1) {
        showStatus("Select a scene whose clip on this track holds your beat, then press " + action);
        return null;
    }
    var clip = new LiveAPI(slotPath + " clip");
    var from = firstValue(clip, "loop_start");
    var to = firstValue(clip, "loop_end");
    var live = {
        tempo: firstValue(liveSet, "tempo"),
        numerator: firstValue(clip, "signature_numerator"),
        denominator: firstValue(clip, "signature_denominator")
    };
    return { live: live, notes: clipTools.notesFromLive(readNotes(clip, from, to), from, to, from),
        clipBars: clipTools.barsIn(to - from, live.numerator, live.denominator) };
}

// ---------------------------------------------------------------------------------------------
// Learn style (MidiDrumiGen.amxd): the selected clip becomes a style preset on the daemon, read
// through this track's Drum Rack, named in the Style name field; the style menu then offers it.

// The Style name field ([textedit] -> [prepend learnname]).
function learnname() {
    typedStyleName = textFieldValue(arrayfromargs(arguments));
}

function learnstyle() {
    if (!liveSet || MODE !== "clip") {
        showStatus(liveSet ? "Learn style is on the MidiDrumiGen MIDI Effect" : "Live is not ready yet");
        return;
    }
    var selected = selectedClip("Learn style");
    if (!selected) {
        return;
    }
    var kit = readKit(trackPath);
    if (kit.error) {
        showStatus(kit.error);
        return;
    }
    var prepared = session.prepareLearn(selected.live, { name: typedStyleName, notes: selected.notes,
        clipBars: selected.clipBars, kit: kit.text });
    if (prepared.error) {
        showStatus(prepared.error);
        return;
    }
    for (var i = 0; i < prepared.messages.length; i++) {
        outlet(OUT_OSC, prepared.messages[i]);
    }
    showStatus("Learning style " + prepared.request.name + " from " + selected.notes.length + " notes...");
}

// Send a clip job's upload and request; returns the prepared request, or null (the status says why).
function sendClipJob(live, clip, kit) {
    if (kit.error) {
        showStatus(kit.error);
        return null;
    }
    var prepared = session.prepareClipJob(live, clip);
    if (prepared.error) {
        showStatus(prepared.error);
        return null;
    }
    var r = prepared.request;
    outlet(OUT_SEED, "set", r.seed);
    for (var i = 0; i < prepared.messages.length; i++) {
        outlet(OUT_OSC, prepared.messages[i]);
    }
    var kept = r.mode === "vary" ? " keeping " + r.keepLabel : "";
    showStatus("Sent: " + r.mode + " of " + clip.notes.length + " notes" + kept + ". " + kit.status);
    return r;
}

// Live's notes dictionary for the clip between two beats (Live 11+: Clip.get_notes_extended
// from_pitch pitch_span from_time time_span returns it as JSON text).
function readNotes(clip, fromBeats, toBeats) {
    return JSON.parse(String(clip.call("get_notes_extended", 0, 128, fromBeats, toBeats - fromBeats)));
}

// The track whose Drum Rack gives the kit: this device's for the MIDI Effect, the selected one for
// the MIDI Tools (they live in the clip editor, not on a track).
function kitTrackPath() {
    return MODE === "clip" ? trackPath : core.unquotePath(new LiveAPI("live_set view selected_track").path);
}

// The first Drum Rack on the track (a device that can have drum pads) and its filled pads' names
// and notes, mapped to the model's voices by name, the kitoverride table on top. Adds `status`,
// the words for the status line (the voices with no pad), to mdg_clip.kitFromPads's answer.
function readKit(path) {
    var pads = [];
    var hasRack = false;
    var track = new LiveAPI(path);
    var count = track.getcount("devices");
    for (var d = 0; d < count && !hasRack; d++) {
        var device = new LiveAPI(path + " devices " + d);
        if (firstValue(device, "can_have_drum_pads") !== 1) {
            continue;
        }
        hasRack = true;
        var padCount = device.getcount("drum_pads");
        var pad = new LiveAPI(path + " devices " + d + " drum_pads 0");
        for (var p = 0; p < padCount; p++) {
            pad.path = path + " devices " + d + " drum_pads " + p;
            if (pad.getcount("chains") > 0) {
                pads.push({ name: [].concat(pad.get("name")).join(" "), note: firstValue(pad, "note") });
            }
        }
    }
    var mapping = clipTools.kitFromPads(pads, kitOverride);
    mapping.status = clipTools.kitText(mapping, hasRack || kitOverride !== "");
    return mapping;
}

// ---------------------------------------------------------------------------------------------
// The Song button (MidiDrumiGen.amxd): mdg_song.js reads the locators (else takes the Form field),
// builds /mdg/song, collects the sections and writes them at the locators or into scenes.

// The Form field ([textedit] -> [prepend songform]): "intro:4 verse:8 chorus:8", used without locators.
function songform() {
    typedForm = textFieldValue(arrayfromargs(arguments));
}

function song() {
    if (!liveSet || MODE !== "clip") {
        showStatus(liveSet ? "Song is on the MidiDrumiGen MIDI Effect" : "Live is not ready yet");
        return;
    }
    var kit = readKit(trackPath);
    var prepared = kit.error ? { error: kit.error } : session.prepareGenerate(liveTiming(), { purpose: "song", kit: kit.text });
    if (prepared.error) {
        showStatus(prepared.error);
        return;
    }
    var r = prepared.request;
    var started = songTools.startSong(LiveAPI, r, typedForm, session.settings.replyPort);
    if (started.error) {
        showStatus("Song: " + started.error);
        return;
    }
    songJob = { requestId: r.requestId, jobId: null, assembler: null, originBeats: started.originBeats,
        numerator: r.numerator, denominator: r.denominator, resent: false };
    outlet(OUT_SEED, "set", r.seed);
    outlet(OUT_OSC, started.message);
    songRequestIds[r.requestId] = true;
    showStatus("Sent: song " + started.form + ", " + r.styleName + ", seed " + r.seed + kitNote(kit));
}

// The replies of the song on its way. Returns true when a reply was the song's alone; /mdg/queued,
// /mdg/progress and /mdg/error also go on to the session, which shows them in the status line.
function receiveSong(address, args) {
    var a = songTools.SONG_ADDRESS;
    if (address === a.QUEUED && songRequestIds.hasOwnProperty(String(args[1]))
            && !(songJob && songJob.requestId === String(args[1]))) {
        staleSongJobs[args[0]] = true;
    }
    if (staleSongJobs.hasOwnProperty(args[0])) {
        return true;
    }
    if (!songJob) {
        return false;
    }
    if (address === a.QUEUED && String(args[1]) === songJob.requestId) {
        songJob.jobId = args[0];
        songJob.assembler = new songTools.SongAssembler(args[0]);
        return false;
    }
    var id = songJob.jobId === null ? songJob.requestId : songJob.jobId;
    if (args[0] !== id) {
        return false;
    }
    if (address === a.ERROR) {
        songJob = null;
        return false;
    }
    if (!songJob.assembler || (address !== a.SECTION && address !== a.NOTES && address !== a.DONE)) {
        return false;
    }
    var result = songJob.assembler.receive(address, args);
    if (result && result.type === "done") {
        var job = songJob;
        songJob = null;
        showStatus(songTools.writeSong(LiveAPI, trackPath, result.sections, job.numerator, job.denominator,
            job.originBeats).text);
    } else if (result && result.type === "missing" && !songJob.resent) {
        songJob.resent = true;
        outlet(OUT_OSC, core.resendMessage(songJob.jobId, session.settings.replyPort));
    } else if (result) {
        songJob = null;
        showStatus("Song: " + result.text + ": press Song again");
    }
    return true;
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

// Which clip slots of this device's track hold a clip; null (and the status says why) without slots.
function trackClips() {
    var slotCount = new LiveAPI(trackPath).getcount("clip_slots");
    if (!slotCount) {
        showStatus("Put MidiDrumiGen on a MIDI track (this one has no clip slots)");
        return null;
    }
    var hasClip = [];
    var probe = new LiveAPI(trackPath + " clip_slots 0");
    for (var i = 0; i < slotCount; i++) {
        probe.path = trackPath + " clip_slots " + i;
        hasClip.push(firstValue(probe, "has_clip") === 1);
    }
    return hasClip;
}

function selectedScene() {
    return core.indexAfter(new LiveAPI("live_set view selected_scene").path, "scenes");
}

function writeClip(action) {
    var request = action.request;
    var hasClip = trackClips();
    if (!hasClip) {
        return;
    }
    var target = core.chooseTarget({
        hasClip: hasClip,
        selectedScene: selectedScene(),
        replace: session.settings.replace === 1,
        againSlot: request.purpose === "again" ? againSlot : -1
    });
    writeInto(target, request, action.notes, core.requestClipName(request));
    againSlot = target.slot;
    showStatus(core.writtenText(request, action.notes.length, action.done));
}

// A variations job: each take into its own clip, in consecutive empty slots from the selected scene down.
function writeTakes(action) {
    var hasClip = trackClips();
    if (!hasClip) {
        return;
    }
    var targets = core.chooseTakeTargets({ hasClip: hasClip, selectedScene: selectedScene(),
        replace: session.settings.replace === 1 }, action.takes.length);
    var slots = [];
    for (var k = 0; k < action.takes.length; k++) {
        var take = action.takes[k];
        writeInto(targets[k], action.request, take.notes, core.requestClipName(action.request, take.seed));
        slots.push(targets[k].slot);
    }
    againSlot = slots[0];
    showStatus(core.takesWrittenText(action.request, action.takes, slots));
}

// One pattern into the slot `target` names (a new clip, or the cleared clip it replaces).
function writeInto(target, request, notes, name) {
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
    clip.call("add_new_notes", core.buildNotesDict(notes, 0));
    clip.set("name", name);
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

// The request for an apply cycle's shape: a new pattern, a continuation of the bars before the
// selection (Generator, Mode Continue), or the cycle's notes grooved (the Transformation tool).
function sendToolRequest(shape) {
    if (!liveSet) {
        showStatus("Live is not ready yet");
        return;
    }
    var live = { tempo: firstValue(liveSet, "tempo"), numerator: shape.numerator, denominator: shape.denominator };
    var request = null;
    if (MODE === "groove") {
        var kit = readKit(kitTrackPath());
        request = sendClipJob(live, { mode: "groove", notes: shape.notes, clipBars: shape.clipBars, kit: kit.text,
            purpose: "tool" }, kit);
    } else if (core.TOOL_MODES[session.settings.toolModeIndex] === "continue") {
        request = sendContinue(live, shape);
    } else {
        var toolKit = readKit(kitTrackPath());
        var prepared = toolKit.error ? { error: toolKit.error }
            : session.prepareGenerate(live, { purpose: "tool", bars: shape.bars, kit: toolKit.text });
        if (prepared.error) {
            showStatus(prepared.error);
            return;
        }
        request = prepared.request;
        outlet(OUT_SEED, "set", request.seed);
        outlet(OUT_OSC, prepared.message);
    }
    if (!request) {
        return;
    }
    flow.sent(request.requestId);
    if (toolTimeout) {
        toolTimeout.cancel();
    }
    toolTimeout = new Task(toolTimedOut, this, [request.requestId]); // Task takes an array of arguments
    toolTimeout.schedule(core.TOOL_REPLY_TIMEOUT_MS);
}

// The Generator's Continue: the bars before the time selection of the clip being edited are the prompt.
function sendContinue(live, shape) {
    var prompt;
    try {
        prompt = clipTools.promptBefore(shape.startBeats, shape.numerator, shape.denominator);
    } catch (e) {
        showStatus(e.message);
        return null;
    }
    var clip = new LiveAPI("live_set view detail_clip");
    var notes = clipTools.notesFromLive(readNotes(clip, prompt.fromBeats, shape.startBeats), prompt.fromBeats,
        shape.startBeats, prompt.fromBeats);
    var kit = readKit(kitTrackPath());
    return sendClipJob(live, { mode: "continue", notes: notes, clipBars: prompt.clipBars, bars: shape.bars,
        kit: kit.text, purpose: "tool" }, kit);
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

// What a [textedit] sent, as one line: a leading "text" (how some Max versions tag its output) is dropped.
// A text field's words: [textedit] may lead with "text"; the [pattr] that keeps the field with the Set
// sends what it stored when the device loads, which before anything was typed is its initial "text"
// (a pattr never written would send 0: that is no text either).
function textFieldValue(args) {
    if (args.length && args[0] === "text") {
        args.shift();
    }
    if (args.length === 1 && args[0] === 0) {
        return "";
    }
    return args.join(" ");
}

function showStatus(text) {
    outlet(OUT_STATUS, String(text));
}
