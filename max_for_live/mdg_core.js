// mdg_core.js: the MidiDrumiGen device's logic as plain functions, with no Max or Live globals.
//
// Both devices (MidiDrumiGen.amxd and the MIDI Tool "MidiDrumiGen Generator.amxd") load this file
// through MidiDrumiGen.js, and Node's test runner loads it directly (max_for_live/test/).
// It is written in ES5 (var, function, no arrow functions, let, const, classes or template strings)
// because Max's [js] object runs an old ES5 engine; max_for_live/test/es5.test.js enforces that.
// The source is ASCII only: the one non-ASCII character the device shows, the middle dot in clip
// names, is written as an escape.
//
// The wire protocol is the daemon's OSC protocol v1 (README, "The protocol"): every message built
// here is a list whose first element is the OSC address, which is what Max's [udpsend] expects.
// Times are in beats (quarter notes), as Live's clip API counts them.
//
// One module, although it is longer than this project's modules usually are: Max's require()
// finds a module by name on Max's search path and Node needs a relative path, so a module that
// required another could not be written once for both. The session at the end is state over the
// pure functions above it.

var PROTOCOL_VERSION = 1;
var DEFAULT_HOST = "127.0.0.1";
var DEFAULT_DAEMON_PORT = 7710;
var DEFAULT_REPLY_PORT = 7711;

var ADDRESS = {
    PING: "/mdg/ping",
    PONG: "/mdg/pong",
    STYLES: "/mdg/styles",
    STYLE: "/mdg/style",
    STYLES_END: "/mdg/styles/end",
    GENERATE: "/mdg/generate",
    QUEUED: "/mdg/queued",
    PROGRESS: "/mdg/progress",
    NOTES: "/mdg/notes",
    DONE: "/mdg/done",
    ERROR: "/mdg/error",
    STATUS: "/mdg/status",
    CANCEL: "/mdg/cancel",
    CANCELLED: "/mdg/cancelled",
    RESEND: "/mdg/resend",
    PLAY: "/mdg/play",
    STOP: "/mdg/stop",
    TRANSPORT: "/mdg/transport",
    CLIP: "/mdg/clip",
    CONTINUE: "/mdg/continue",
    GROOVE: "/mdg/groove",
    VARY: "/mdg/vary",
    WARNING: "/mdg/warning",
    TAKE: "/mdg/take",
    TAKE_NOTES: "/mdg/take/notes",
    STYLE_LEARN: "/mdg/style/learn",
    STYLE_LEARNED: "/mdg/style/learned"
};

// The requests on the producer's own clip: the mode each sends, and its address.
var CLIP_MODES = { "continue": ADDRESS.CONTINUE, groove: ADDRESS.GROOVE, vary: ADDRESS.VARY };

// /mdg/clip carries clip_id chunk chunks and 4 values a note; the daemon reads at most 256
// arguments a message, so a chunk holds at most 63 notes (about 1.3 KB, well under 4 KB).
var CLIP_NOTES_PER_CHUNK = 60;
var MAX_CLIP_NOTES = 4096;

// The Keep menu of Vary: its labels in menu order, and the voices (or bars) each keeps as they are.
// "allbutlast" keeps every bar but the clip's last, which Vary then plays anew.
var KEEP_CHOICES = [
    { label: "Kick + Snare", keep: "kick,snare" },
    { label: "Kick", keep: "kick" },
    { label: "Snare", keep: "snare" },
    { label: "Hats", keep: "closed_hat,open_hat" },
    { label: "Kick+Snare+Hats", keep: "kick,snare,closed_hat,open_hat" },
    { label: "All but last bar", keep: "", allButLastBar: true },
    { label: "Nothing", keep: "" }
];

// Learn style: the longest name the daemon takes (engine.style_learn.MAX_NAME_CHARS).
var MAX_STYLE_NAME_CHARS = 60;

// The Generator MIDI Tool's Mode menu.
var TOOL_MODES = ["generate", "continue"];

var MIN_BARS = 1;
var MAX_BARS = 32;

// Takes one Generate press may ask for (the daemon's `variations`, 1..8): made in one batched pass
// and written into consecutive empty clip slots from the selected scene down.
var MAX_VARIATIONS = 8;

// Live stores every device parameter as a 32-bit float, which holds whole numbers exactly only up
// to 2^24; a larger seed would come back rounded from a saved Set and no longer reproduce the pattern.
var SEED_MAX = 16777215;

var PATTERN_TYPES = ["intro", "verse", "chorus", "bridge", "outro"];

// The Output menu: its labels in menu order, and the /mdg/generate `output` value of each.
var OUTPUTS = [
    { label: "Clip", value: "clip" },
    { label: "Clip + File", value: "clip,file" },
    { label: "Live MIDI", value: "midi" },
    { label: "File", value: "file" },
    { label: "Clip + MIDI", value: "clip,midi" }
];

// The Denominator menu: index 0 follows Live, the others are the denominators the engine accepts.
var DENOMINATOR_LABELS = ["Live", "2", "4", "8", "16"];
var DENOMINATORS = [0, 2, 4, 8, 16];

// The style menu before the daemon has answered /mdg/styles: the built-in presets by name. The
// daemon resolves a style by id or name, case-insensitively, so these work without a round trip.
// tests/max_for_live/test_maxpat.py checks they match presets/*.yaml and the patchers' menus.
var DEFAULT_STYLES = [
    { id: "J Dilla", name: "J Dilla" },
    { id: "Metro Boomin", name: "Metro Boomin" },
    { id: "Questlove", name: "Questlove" }
];

var MIDDLE_DOT = "\u00b7";
var MAX_STATUS_CHARS = 140;
var MAX_TRACKED_JOBS = 16;
var MAX_RESEND_ATTEMPTS = 2;
var MIN_NOTE_DURATION_BEATS = 1 / 128;

// Device controls: the message each control sends to [js] (through [prepend <message>]), the
// setting it changes, and what it accepts. Values arrive as Max numbers (ints or floats).
var SETTINGS = {
    style: { key: "styleIndex", kind: "index", initial: 0 },
    bars: { key: "bars", kind: "int", min: MIN_BARS, max: MAX_BARS, initial: 4 },
    ptype: { key: "patternTypeIndex", kind: "int", min: 0, max: PATTERN_TYPES.length - 1, initial: 1 },
    temperature: { key: "temperature", kind: "float", min: 0.1, max: 2.0, initial: 0.9 },
    topk: { key: "topK", kind: "int", min: 0, max: 100, initial: 0 },
    topp: { key: "topP", kind: "float", min: 0.01, max: 1.0, initial: 0.95 },
    humanize: { key: "humanize", kind: "flag", initial: 1 },
    fill: { key: "fill", kind: "flag", initial: 1 },
    output: { key: "outputIndex", kind: "int", min: 0, max: OUTPUTS.length - 1, initial: 0 },
    seedlock: { key: "seedLock", kind: "flag", initial: 0 },
    seed: { key: "seed", kind: "int", min: 0, max: SEED_MAX, initial: 0 },
    replace: { key: "replace", kind: "flag", initial: 0 },
    loop: { key: "loop", kind: "flag", initial: 1 },
    tempo: { key: "tempoOverride", kind: "float", min: 0, max: 200, initial: 0 },
    numerator: { key: "numeratorOverride", kind: "int", min: 0, max: 16, initial: 0 },
    denominator: { key: "denominatorIndex", kind: "int", min: 0, max: DENOMINATORS.length - 1, initial: 0 },
    replyport: { key: "replyPort", kind: "int", min: 1, max: 65535, initial: DEFAULT_REPLY_PORT },
    daemonport: { key: "daemonPort", kind: "int", min: 1, max: 65535, initial: DEFAULT_DAEMON_PORT },
    keep: { key: "keepIndex", kind: "int", min: 0, max: KEEP_CHOICES.length - 1, initial: 0 },
    toolmode: { key: "toolModeIndex", kind: "int", min: 0, max: TOOL_MODES.length - 1, initial: 0 },
    variations: { key: "variations", kind: "int", min: 1, max: MAX_VARIATIONS, initial: 1 }
};

// The controls that change what a pattern sounds like: moving one makes a pattern asked for
// before it stale (the MIDI Tool's Auto Apply regenerates on them).
var PATTERN_CONTROLS = ["style", "bars", "ptype", "temperature", "topk", "topp", "humanize", "fill", "seedlock", "seed",
    "toolmode"];

var ERROR_TEXT = {
    bad_request: "",
    unknown_style: "Style not found on the daemon: press Refresh. ",
    unknown_job: "The daemon no longer has that pattern (was it restarted?). ",
    busy: "The daemon is busy: try again in a moment. ",
    generation_failed: "Generation failed: ",
    no_midi_port: "No MIDI port on the daemon: ",
    internal: "Daemon error: "
};

// ---------------------------------------------------------------------------------------------
// Small helpers

function isNumber(value) {
    return typeof value === "number" && isFinite(value);
}

function isWhole(value) {
    return isNumber(value) && Math.floor(value) === value;
}

function clamp(value, low, high) {
    return value < low ? low : (value > high ? high : value);
}

function truncate(text, maxChars) {
    var s = String(text);
    return s.length <= maxChars ? s : s.substring(0, maxChars - 3) + "...";
}

function describe(value) {
    if (typeof value === "string") {
        return "\"" + truncate(value, 40) + "\"";
    }
    return String(value);
}

function basename(path) {
    var s = String(path);
    var cut = Math.max(s.lastIndexOf("/"), s.lastIndexOf("\\"));
    return cut >= 0 ? s.substring(cut + 1) : s;
}

// "\"live_set tracks 2\"" or "live_set tracks 2" -> "live_set tracks 2" (LiveAPI.path is quoted).
function unquotePath(path) {
    var s = String(path);
    if (s.length >= 2 && s.charAt(0) === "\"" && s.charAt(s.length - 1) === "\"") {
        return s.substring(1, s.length - 1);
    }
    return s;
}

// The index that follows `word` in a Live object path: ("live_set scenes 3", "scenes") -> 3; -1 if absent.
function indexAfter(path, word) {
    var parts = unquotePath(path).split(" ");
    for (var i = 0; i + 1 < parts.length; i++) {
        if (parts[i] === word && /^[0-9]+$/.test(parts[i + 1])) {
            return parseInt(parts[i + 1], 10);
        }
    }
    return -1;
}

// ---------------------------------------------------------------------------------------------
// Time

// Beats (quarter notes) in one bar: a 6/8 bar is 6 * 4 / 8 = 3 beats.
function beatsPerBar(numerator, denominator) {
    if (!isWhole(numerator) || numerator < 1) {
        throw new Error("numerator must be a whole number of at least 1, got " + describe(numerator));
    }
    if (!isWhole(denominator) || denominator < 1) {
        throw new Error("denominator must be a whole number of at least 1, got " + describe(denominator));
    }
    return numerator * 4 / denominator;
}

// Where the clip's loop ends, in beats: exactly the generated bars.
function loopEndBeats(bars, numerator, denominator) {
    if (!isWhole(bars) || bars < 1) {
        throw new Error("bars must be a whole number of at least 1, got " + describe(bars));
    }
    return bars * beatsPerBar(numerator, denominator);
}

// The clip properties to set, in an order Live accepts whatever the clip had before: both starts
// go to 0 first, so each end is set while its start is already below it.
function clipLoopSettings(lengthBeats) {
    return [
        ["looping", 1],
        ["loop_start", 0],
        ["loop_end", lengthBeats],
        ["start_marker", 0],
        ["end_marker", lengthBeats]
    ];
}

// ---------------------------------------------------------------------------------------------
// /mdg/notes chunks

// Parse the arguments of /mdg/notes job_id:s chunk:i chunks:i (pitch:i start:f duration:f velocity:i)*.
// Returns {jobId, chunk, chunks, notes: [{pitch, start, duration, velocity}]}; throws Error when malformed.
function parseNotesArgs(args) {
    if (!args || args.length < 3) {
        throw new Error("/mdg/notes needs job_id, chunk and chunks, got " + (args ? args.length : 0) + " arguments");
    }
    var jobId = args[0];
    var chunk = args[1];
    var chunks = args[2];
    if (typeof jobId !== "string" || jobId.length === 0) {
        throw new Error("/mdg/notes job_id must be text, got " + describe(jobId));
    }
    if (!isWhole(chunks) || chunks < 1) {
        throw new Error("/mdg/notes chunks must be a whole number of at least 1, got " + describe(chunks));
    }
    if (!isWhole(chunk) || chunk < 0 || chunk >= chunks) {
        throw new Error("/mdg/notes chunk must be between 0 and " + (chunks - 1) + ", got " + describe(chunk));
    }
    var values = args.length - 3;
    if (values % 4 !== 0) {
        throw new Error("/mdg/notes carries notes as groups of 4 values, got " + values + " values");
    }
    var notes = [];
    for (var i = 3; i < args.length; i += 4) {
        var pitch = args[i];
        var start = args[i + 1];
        var duration = args[i + 2];
        var velocity = args[i + 3];
        if (!isWhole(pitch) || pitch < 0 || pitch > 127) {
            throw new Error("note pitch must be 0..127, got " + describe(pitch));
        }
        if (!isNumber(start) || start < 0) {
            throw new Error("note start must be a number of beats >= 0, got " + describe(start));
        }
        if (!isNumber(duration) || duration < 0) {
            throw new Error("note duration must be a number of beats >= 0, got " + describe(duration));
        }
        if (!isWhole(velocity) || velocity < 0 || velocity > 127) {
            throw new Error("note velocity must be 0..127, got " + describe(velocity));
        }
        notes.push({ pitch: pitch, start: start, duration: duration, velocity: velocity });
    }
    return { jobId: jobId, chunk: chunk, chunks: chunks, notes: notes };
}

// A variations job's take chunk: /mdg/take/notes job_id:s index:i chunk:i chunks:i (notes)*. Returns
// parseNotesArgs's answer keyed by takeKey(job_id, index), so one assembler keeps every take apart.
function parseTakeNotesArgs(args) {
    if (!args || args.length < 4 || !isWhole(args[1]) || args[1] < 0 || args[1] >= MAX_VARIATIONS) {
        throw new Error("/mdg/take/notes needs job_id, a take index 0.." + (MAX_VARIATIONS - 1) + ", chunk and chunks");
    }
    var parsed = parseNotesArgs([args[0]].concat(args.slice(2)));
    parsed.take = args[1];
    parsed.jobId = takeKey(args[0], args[1]);
    return parsed;
}

function takeKey(jobId, index) {
    return jobId + "#" + index;
}

// Rebuilds each job's pattern from its chunks 0..chunks-1, arriving in any order. Duplicates (a
// resend) are ignored and jobs are kept apart; only the newest `maxJobs` jobs are remembered.
function ChunkAssembler(maxJobs) {
    this.maxJobs = maxJobs || MAX_TRACKED_JOBS;
    this.jobs = {};
    this.order = [];
}

// Store one parsed chunk. Returns {added: false when it was a duplicate, complete}.
ChunkAssembler.prototype.add = function (parsed) {
    var job = this.jobs[parsed.jobId];
    if (!job) {
        job = { chunks: parsed.chunks, parts: {}, received: 0 };
        this.jobs[parsed.jobId] = job;
        this.order.push(parsed.jobId);
        while (this.order.length > this.maxJobs) {
            delete this.jobs[this.order.shift()];
        }
    } else if (job.chunks !== parsed.chunks) {
        throw new Error("job " + parsed.jobId + " said " + job.chunks + " chunks, then " + parsed.chunks);
    }
    var key = String(parsed.chunk);
    if (job.parts.hasOwnProperty(key)) {
        return { added: false, complete: job.received === job.chunks };
    }
    job.parts[key] = parsed.notes;
    job.received += 1;
    return { added: true, complete: job.received === job.chunks };
};

ChunkAssembler.prototype.has = function (jobId) {
    return this.jobs.hasOwnProperty(jobId);
};

ChunkAssembler.prototype.isComplete = function (jobId) {
    var job = this.jobs[jobId];
    return !!job && job.received === job.chunks;
};

// The chunk indexes not received yet (all of them, as [0], for a job never seen).
ChunkAssembler.prototype.missing = function (jobId) {
    var job = this.jobs[jobId];
    if (!job) {
        return [0];
    }
    var out = [];
    for (var i = 0; i < job.chunks; i++) {
        if (!job.parts.hasOwnProperty(String(i))) {
            out.push(i);
        }
    }
    return out;
};

// The whole pattern in chunk order, or null while chunks are missing.
ChunkAssembler.prototype.notes = function (jobId) {
    if (!this.isComplete(jobId)) {
        return null;
    }
    var job = this.jobs[jobId];
    var out = [];
    for (var i = 0; i < job.chunks; i++) {
        out = out.concat(job.parts[String(i)]);
    }
    return out;
};

ChunkAssembler.prototype.forget = function (jobId) {
    if (!this.jobs.hasOwnProperty(jobId)) {
        return;
    }
    delete this.jobs[jobId];
    for (var i = 0; i < this.order.length; i++) {
        if (this.order[i] === jobId) {
            this.order.splice(i, 1);
            break;
        }
    }
};

// ---------------------------------------------------------------------------------------------
// Writing clips

// The dictionary Live's Clip.add_new_notes takes (and live.miditool.out): {notes: [{pitch,
// start_time, duration, velocity, mute}]}, sorted by time then pitch. `offsetBeats` moves every
// note (the MIDI Tool writes at the time selection's start). Live refuses a zero-length note, so
// durations are at least 1/128 beat; velocity is 1..127 because 0 would be a note-off.
function buildNotesDict(notes, offsetBeats) {
    var offset = offsetBeats || 0;
    var out = [];
    for (var i = 0; i < notes.length; i++) {
        var n = notes[i];
        out.push({
            pitch: n.pitch,
            start_time: n.start + offset,
            duration: Math.max(n.duration, MIN_NOTE_DURATION_BEATS),
            velocity: clamp(Math.round(n.velocity), 1, 127),
            mute: 0
        });
    }
    out.sort(function (a, b) {
        return a.start_time !== b.start_time ? a.start_time - b.start_time : a.pitch - b.pitch;
    });
    return { notes: out };
}

// "J Dilla \u00b7 verse \u00b7 4 bars \u00b7 seed 1234" (a clip job names its mode: "groove")
function clipName(styleName, patternType, bars, seed) {
    var sep = " " + MIDDLE_DOT + " ";
    return styleName + sep + patternType + sep + bars + (bars === 1 ? " bar" : " bars") + sep + "seed " + seed;
}

// Where a finished pattern goes on the device's track.
//   hasClip: one boolean per clip slot of the track (true where the slot holds a clip)
//   selectedScene: index of Live's selected scene
//   replace: the Replace switch (write into the selected clip instead of a new one)
//   againSlot: for "Again", the slot the previous pattern was written to (-1 otherwise)
// Returns {slot, replace, createScene}: replace means clear that slot's clip and reuse it;
// createScene means no slot at or after the selected scene is free, so append a scene first
// (its slot is then index hasClip.length).
function chooseTarget(options) {
    var hasClip = options.hasClip;
    var scene = options.selectedScene >= 0 ? options.selectedScene : 0;
    var again = isWhole(options.againSlot) ? options.againSlot : -1;
    if (again >= 0 && again < hasClip.length && hasClip[again]) {
        return { slot: again, replace: true, createScene: false };
    }
    if (options.replace && scene < hasClip.length && hasClip[scene]) {
        return { slot: scene, replace: true, createScene: false };
    }
    for (var i = scene; i < hasClip.length; i++) {
        if (!hasClip[i]) {
            return { slot: i, replace: false, createScene: false };
        }
    }
    return { slot: hasClip.length, replace: false, createScene: true };
}

// Where each of `count` takes goes: the first as chooseTarget says (Replace may reuse the selected
// clip), each next one in the first empty slot below the one before, adding scenes at the end as
// needed. Nothing already in a slot is overwritten by takes after the first.
function chooseTakeTargets(options, count) {
    var hasClip = options.hasClip.slice();
    var targets = [];
    var target = chooseTarget({ hasClip: hasClip, selectedScene: options.selectedScene, replace: options.replace,
        againSlot: -1 });
    for (var k = 0; k < count; k++) {
        if (k > 0) {
            target = chooseTarget({ hasClip: hasClip, selectedScene: targets[k - 1].slot + 1, replace: false,
                againSlot: -1 });
        }
        if (target.createScene) {
            hasClip.push(true);
        } else {
            hasClip[target.slot] = true;
        }
        targets.push(target);
    }
    return targets;
}

// How many beats remove_notes_extended must clear so that no old note survives a replace.
function removeSpanBeats(lengthBeats, clipState) {
    var span = lengthBeats;
    var keys = ["length", "loop_end", "end_marker"];
    for (var i = 0; i < keys.length; i++) {
        var v = clipState ? clipState[keys[i]] : undefined;
        if (isNumber(v) && v > span) {
            span = v;
        }
    }
    return span;
}

// ---------------------------------------------------------------------------------------------
// The MIDI Tool (Live 12 Generator)

// What the MIDI Tool generates for the clip being edited: the bars that fill the time selection of
// live.miditool.in's context dictionary, in the clip's own time signature.
//   context: the context dictionary ({clip: {time_selection_start, time_selection_end, ...}, ...})
//   signature: {numerator, denominator} of the clip
// Returns {startBeats, endBeats, bars, numerator, denominator, patternBeats}; throws Error when
// the selection is empty.
function toolShape(context, signature) {
    var clip = context && context.clip ? context.clip : {};
    var start = clip.time_selection_start;
    var end = clip.time_selection_end;
    if (!isNumber(start) || !isNumber(end)) {
        throw new Error("Live sent no time selection: select the clip (or a range in it) and try again");
    }
    if (end <= start) {
        throw new Error("The time selection is empty: select a range in the clip");
    }
    var bpb = beatsPerBar(signature.numerator, signature.denominator);
    var bars = clamp(Math.round((end - start) / bpb), MIN_BARS, MAX_BARS);
    return {
        startBeats: start,
        endBeats: end,
        bars: bars,
        numerator: signature.numerator,
        denominator: signature.denominator,
        patternBeats: bars * bpb
    };
}

// The MIDI Tool's notes: the pattern placed at the selection start and repeated until the
// selection ends (a selection longer than 32 bars gets the 32-bar pattern again), cut at the end.
function toolNotes(notes, shape) {
    var out = [];
    var length = shape.endBeats - shape.startBeats;
    for (var offset = 0; offset < length; offset += shape.patternBeats) {
        for (var i = 0; i < notes.length; i++) {
            var n = notes[i];
            var start = n.start + offset;
            if (start < length) {
                out.push({
                    pitch: n.pitch,
                    start: start,
                    duration: Math.min(n.duration, length - start),
                    velocity: n.velocity
                });
            }
        }
    }
    return buildNotesDict(out, shape.startBeats);
}

// The notes that leave an apply cycle unchanged: whatever live.miditool.in sent, or none.
function unchangedNotes(incoming) {
    return { notes: incoming && incoming.notes ? incoming.notes : [] };
}

// How long the MIDI Tool waits for a pattern before it stops waiting (a slow model on a CPU takes
// seconds for 32 bars; a daemon that is not running never answers).
var TOOL_REPLY_TIMEOUT_MS = 30000;

// The MIDI Tool's flow. Live 12 opens an apply cycle (the device's Generate button banging
// live.miditool.in, Live's own Generate button, or Auto Apply after a control moved) and sends the
// context dictionary and the notes dictionary; the notes must be answered on live.miditool.out
// before that call returns ("Did not receive a Note dictionary in time"). A pattern takes a network
// round trip, so a cycle never waits for one:
//   - a cycle answers at once: with the ready pattern nobody has written yet (made with the current
//     settings), or else with its notes unchanged plus a status;
//   - a cycle that had nothing to write asks for a pattern, unless one is already on its way;
//   - the pattern arrives in the background and the glue bangs live.miditool.in once: that cycle
//     writes it (and asks for nothing);
//   - a context never answers or bangs; it only sends the request a notes-first cycle deferred to it.
// So one press gives one request and one write, a burst of Auto Apply cycles gives at most one
// request in flight (plus one more when the controls moved while it was out), and nothing loops
// whatever order the context and the notes come in. Every method returns what the glue must do:
//   {answer}       the notes dictionary for live.miditool.out (cycle only; always present there)
//   {status}       text for the status display, or ""
//   {generate}     a shape to request a pattern for now (prepareGenerate + send, then sent())
//   {bang}         true: bang live.miditool.in so the next cycle writes the pattern
//   {write}        the pattern that this answer writes (cycle only)
//
// The same flow serves the Transformation tool (MidiDrumiGen Groove): `shaper` says what a cycle
// asks for and where the answer goes. shaper.shape(context, signature, incoming) returns the
// request's shape (or throws Error with what to do); shaper.place(notes, shape) gives the notes
// dictionary. A shape with a `key` (the notes it was made from) is written only by a cycle whose
// notes have the same key, so a groove never lands on notes other than the ones it grooved.
// The default shaper is the Generator's: toolShape, and toolNotes from the selection start.
var GENERATOR_SHAPER = {
    shape: function (context, signature) { return toolShape(context, signature); },
    place: function (notes, shape) { return toolNotes(notes, shape); }
};

function ToolFlow(shaper) {
    this.shaper = shaper || GENERATOR_SHAPER;
    this.incoming = null;             // the notes of the last cycle (a Transformation's input)
    this.context = null;
    this.requestAfterContext = false; // a notes-first cycle left its request to the context
    this.lastShape = null;
    this.ready = null;                // {action, version, written}
    this.inFlight = null;             // {requestId, version}
    this.late = null;                 // the request that timed out, in case its pattern still comes
    this.version = 0;                 // counts changes of the controls that shape a pattern
}

function toolResult(status) {
    return { answer: null, status: status || "", generate: null, bang: false, write: null };
}

// A control that shapes the pattern moved (Auto Apply's trigger): a pattern asked for before is stale.
ToolFlow.prototype.settingsChanged = function () {
    this.version += 1;
};

// The shape for a request now, into `out` (or why there is none).
ToolFlow.prototype._askInto = function (out, signature) {
    try {
        this.lastShape = this.shaper.shape(this.context, signature, this.incoming);
    } catch (e) {
        out.status = e.message;
        return;
    }
    out.generate = this.lastShape;
    out.status = "Generating...";
};

// live.miditool.in sent the context of an apply cycle; the signature is the edited clip's.
ToolFlow.prototype.receiveContext = function (context, signature) {
    this.context = context;
    var out = toolResult("");
    if (this.requestAfterContext) {
        this.requestAfterContext = false;
        if (!this.inFlight) {
            this._askInto(out, signature);
        }
    }
    return out;
};

// live.miditool.in sent the notes of an apply cycle: answer now, from what is ready.
ToolFlow.prototype.receiveNotes = function (incoming, signature) {
    var out = toolResult("");
    var shape = null;
    var shapeError = "";
    this.incoming = incoming;
    if (this.context !== null) {
        try {
            shape = this.shaper.shape(this.context, signature, incoming);
        } catch (e) {
            shapeError = e.message;
        }
    }
    var ready = this.ready;
    if (ready && !ready.written && ready.version === this.version && shape && ready.key === shape.key) {
        ready.written = true;
        out.answer = this.shaper.place(ready.action.notes, shape);
        out.write = ready.action;
        out.status = writtenText(ready.action.request, ready.action.notes.length, ready.action.done);
        return out;
    }
    out.answer = unchangedNotes(incoming);
    if (this.inFlight) {
        out.status = "Generating: the pattern goes in when it arrives";
    } else if (this.context === null) {
        this.requestAfterContext = true; // the notes came first: the context follows
        out.status = "Waiting for Live's clip details";
    } else if (shape) {
        this.lastShape = shape;
        out.generate = shape;
        out.status = "Generating...";
    } else {
        out.status = shapeError;
    }
    return out;
};

// The glue sent the request for `generate`.
ToolFlow.prototype.sent = function (requestId) {
    this.inFlight = { requestId: requestId, version: this.version, key: this.lastShape ? this.lastShape.key : undefined };
};

// The Session finished a pattern (its "write" action).
ToolFlow.prototype.patternArrived = function (action) {
    var requestId = action.request.requestId;
    var out = toolResult("");
    if (this.inFlight && this.inFlight.requestId === requestId) {
        var version = this.inFlight.version;
        var key = this.inFlight.key;
        this.inFlight = null;
        if (version !== this.version) {
            // The controls moved while it was out: ask once more with them instead of writing it.
            out.generate = this.lastShape;
            out.status = "The controls changed: generating again";
            return out;
        }
        this.ready = { action: action, version: version, written: false, key: key };
        out.bang = true;
        out.status = "Pattern ready: writing it";
        return out;
    }
    if (this.late && this.late.requestId === requestId) {
        this.ready = { action: action, version: this.late.version, written: false, key: this.late.key };
        this.late = null;
        out.status = "The pattern arrived late: press Generate to write it";
    }
    return out;
};

// The Session says the request will never give a pattern (an /mdg/error, lost notes).
ToolFlow.prototype.failed = function (requestId) {
    if (this.inFlight && this.inFlight.requestId === requestId) {
        this.inFlight = null;
    }
    this.requestAfterContext = false;
};

// TOOL_REPLY_TIMEOUT_MS passed since `requestId` was sent.
ToolFlow.prototype.timedOut = function (requestId) {
    if (!this.inFlight || this.inFlight.requestId !== requestId) {
        return toolResult("");
    }
    this.late = this.inFlight;
    this.inFlight = null;
    return toolResult("No pattern from the daemon after " + TOOL_REPLY_TIMEOUT_MS / 1000
        + " s: is `mididrumigen serve` running? Press Generate to try again");
};

// ---------------------------------------------------------------------------------------------
// Building requests

function defaultSettings() {
    var settings = {};
    for (var name in SETTINGS) {
        if (SETTINGS.hasOwnProperty(name)) {
            settings[SETTINGS[name].key] = SETTINGS[name].initial;
        }
    }
    return settings;
}

// Store a control's value. Returns "" or a message saying why the value was refused.
function applySetting(settings, message, value) {
    if (!SETTINGS.hasOwnProperty(message)) {
        return "unknown control " + describe(message);
    }
    var spec = SETTINGS[message];
    if (!isNumber(value)) {
        return message + " must be a number, got " + describe(value);
    }
    var v = value;
    if (spec.kind === "flag") {
        v = value ? 1 : 0;
    } else if (spec.kind === "index" || spec.kind === "int") {
        v = Math.round(value);
    }
    if (spec.kind === "index" && v < 0) {
        return message + " must be 0 or more, got " + describe(value);
    }
    if ((spec.kind === "int" || spec.kind === "float") && (v < spec.min || v > spec.max)) {
        return message + " must be between " + spec.min + " and " + spec.max + ", got " + describe(value);
    }
    settings[spec.key] = v;
    return "";
}

// A new random seed in 0..SEED_MAX, or the locked one.
function chooseSeed(locked, lockedSeed, random) {
    if (locked) {
        return lockedSeed;
    }
    return Math.floor(random() * (SEED_MAX + 1)) % (SEED_MAX + 1);
}

// The request the device sends, from its controls and what Live reports.
//   settings: the device's controls (defaultSettings() shape)
//   live: {tempo, numerator, denominator} read from live_set (or, for the MIDI Tool, the clip)
//   style: {id, name} from the style menu
//   extra: {requestId, seed, purpose, bars (optional override), kit (the Drum Rack's "kick:36,..." or "")}
// Live's tempo and time signature are used unless the Tempo / Numerator / Denominator controls
// override them (0 and "Live" mean "follow Live"). Nothing is clamped here: the daemon validates
// with the engine's schema and says in words what is out of range.
function resolveRequest(settings, live, style, extra) {
    var denominator = DENOMINATORS[settings.denominatorIndex];
    return {
        requestId: extra.requestId,
        purpose: extra.purpose,
        style: style.id,
        styleName: style.name,
        bars: extra.bars ? extra.bars : settings.bars,
        tempo: settings.tempoOverride > 0 ? settings.tempoOverride : live.tempo,
        numerator: settings.numeratorOverride > 0 ? settings.numeratorOverride : live.numerator,
        denominator: denominator > 0 ? denominator : live.denominator,
        humanize: settings.humanize ? 1 : 0,
        fill: settings.fill ? 1 : 0,
        patternType: PATTERN_TYPES[settings.patternTypeIndex],
        temperature: settings.temperature,
        topK: settings.topK,
        topP: settings.topP,
        seed: extra.seed,
        output: OUTPUTS[settings.outputIndex].value,
        loop: settings.loop ? 1 : 0,
        variations: extra.purpose === "new" ? settings.variations : 1, // Again, clip jobs, songs, tools: one take
        kit: extra.kit || ""
    };
}

// /mdg/generate key value key value ... for a resolved request (`variations` only when it asks for
// more than one take, so a one-take request is the protocol's plain /mdg/generate); the kit map goes
// with it so the pattern lands on the Drum Rack's pads (left out when empty: Max cannot send an
// empty symbol).
function generateMessage(request, replyPort) {
    var message = [
        ADDRESS.GENERATE,
        "style", request.style,
        "bars", request.bars,
        "tempo", request.tempo,
        "numerator", request.numerator,
        "denominator", request.denominator,
        "humanize", request.humanize,
        "fill", request.fill,
        "pattern_type", request.patternType,
        "temperature", request.temperature,
        "top_k", request.topK,
        "top_p", request.topP,
        "seed", request.seed,
        "output", request.output,
        "request_id", request.requestId,
        "reply_port", replyPort
    ];
    if (request.variations > 1) {
        message.push("variations", request.variations);
    }
    if (request.kit) {
        message.push("kit", request.kit);
    }
    return message;
}

// /mdg/continue, /mdg/groove or /mdg/vary: /mdg/generate's keys (the kit map among them) plus the
// uploaded clip's id and length, and what Vary keeps.
function clipJobMessage(request, replyPort) {
    var message = generateMessage(request, replyPort);
    message[0] = CLIP_MODES[request.mode];
    message.push("clip_id", request.clipId, "clip_bars", request.clipBars);
    if (request.mode === "vary") {
        if (request.keep) {
            message.push("keep", request.keep); // Max cannot send an empty symbol: "" is left out
        }
        if (request.keepBars) {
            message.push("keep_bars", request.keepBars);
        }
    }
    return message;
}

// The /mdg/clip messages that upload `notes` ([{pitch, start, duration, velocity}], beats from the
// clip start) as clip `clipId`: CLIP_NOTES_PER_CHUNK notes each; an empty clip is one empty chunk
// (the daemon then says the clip is empty). Velocities are whole numbers, as Live may give 100.0.
function clipUploadMessages(clipId, notes) {
    var chunks = Math.max(1, Math.ceil(notes.length / CLIP_NOTES_PER_CHUNK));
    var messages = [];
    for (var c = 0; c < chunks; c++) {
        var message = [ADDRESS.CLIP, clipId, c, chunks];
        var group = notes.slice(c * CLIP_NOTES_PER_CHUNK, (c + 1) * CLIP_NOTES_PER_CHUNK);
        for (var i = 0; i < group.length; i++) {
            var n = group[i];
            message.push(n.pitch, n.start, n.duration, clamp(Math.round(n.velocity), 1, 127));
        }
        messages.push(message);
    }
    return messages;
}

// /mdg/style/learn: a style learned from the uploaded clip, saved by the daemon as a user preset. With
// Replace on, a user style of the same name is replaced (a built-in one never is).
function learnMessage(request, replyPort) {
    var message = [ADDRESS.STYLE_LEARN, "name", request.name, "clip_id", request.clipId, "tempo", request.tempo,
        "replace", request.replace, "request_id", request.requestId, "reply_port", replyPort];
    if (request.kit) {
        message.push("kit", request.kit);
    }
    return message;
}

// The keep and keep_bars of the Keep menu's choice for a clip of `clipBars` bars.
function keepChoice(index, clipBars) {
    var choice = KEEP_CHOICES[clamp(index, 0, KEEP_CHOICES.length - 1)];
    var keepBars = "";
    if (choice.allButLastBar && clipBars > 1) {
        keepBars = clipBars === 2 ? "1" : "1-" + (clipBars - 1);
    }
    return { keep: choice.keep, keepBars: keepBars, label: choice.label };
}

function pingMessage(replyPort) {
    return [ADDRESS.PING, replyPort];
}

function stylesMessage(replyPort) {
    return [ADDRESS.STYLES, replyPort];
}

// Both name the reply port, so a play error reaches this device even on a non-default port.
function playMessage(jobId, loop, replyPort) {
    return [ADDRESS.PLAY, jobId, loop ? 1 : 0, replyPort];
}

function stopMessage(replyPort) {
    return [ADDRESS.STOP, replyPort];
}

function resendMessage(jobId, replyPort) {
    return [ADDRESS.RESEND, jobId, replyPort];
}

function statusMessage(jobId, replyPort) {
    return [ADDRESS.STATUS, jobId, replyPort];
}

function cancelMessage(jobId, replyPort) {
    return [ADDRESS.CANCEL, jobId, replyPort];
}

// /mdg/transport beat:f tempo:f playing:i, from Live's current_song_time, tempo and is_playing.
function transportMessage(beat, tempo, playing) {
    return [ADDRESS.TRANSPORT, beat, tempo, playing ? 1 : 0];
}

// ---------------------------------------------------------------------------------------------
// Words for the status display

// A short message for /mdg/error's code; the daemon's own message already names the field and range.
function errorText(code, message) {
    var prefix = ERROR_TEXT.hasOwnProperty(code) ? ERROR_TEXT[code] : code + ": ";
    return truncate(prefix + message, MAX_STATUS_CHARS);
}

function noAnswerText(host, port) {
    return "No answer from the daemon at " + host + ":" + port + ". Is `mididrumigen serve` running?";
}

function progressText(percent, stage) {
    return "Generating " + percent + "%" + (stage ? " (" + stage + ")" : "");
}

// ---------------------------------------------------------------------------------------------
// The device session: its controls, the requests in flight, and what each reply means.

// A device's state. `receive` turns each OSC reply into actions for the glue to carry out:
//   {type: "status", text}                       show text in the status display
//   {type: "connected", version, model, device}  the daemon answered /mdg/pong
//   {type: "styles", names, selected}            refill the style menu, select index `selected`
//   {type: "send", message}                      send this OSC message (e.g. /mdg/resend)
//   {type: "write", request, notes, jobId, done} write this pattern (a clip, or the MIDI Tool's notes)
//   {type: "failed", requestId}                  this request will never give a pattern
// Options: replyPort, random (a () -> [0, 1) function), tag (text that keeps this device's
// request ids apart from another instance's).
function Session(options) {
    var opts = options || {};
    this.random = opts.random || Math.random;
    this.tag = opts.tag || randomTag(this.random);
    this.settings = defaultSettings();
    if (opts.replyPort) {
        this.settings.replyPort = opts.replyPort;
    }
    this.counter = 0;
    this.requests = {};
    this.requestOrder = [];
    this.jobToRequest = {};
    this.doneByJob = {};
    this.resendAttempts = {};
    this.assembler = new ChunkAssembler(MAX_TRACKED_JOBS);
    this.takeHeaders = {};   // job id -> {count, takes: {index: {seed, noteCount, file}}} (variations jobs)
    this.takeAssembler = new ChunkAssembler(MAX_TRACKED_JOBS * MAX_VARIATIONS);
    this.styles = DEFAULT_STYLES.slice();
    this.incomingStyles = null;
    this.connected = false;
    this.lastJobId = "";
    this.learning = {};       // Learn style requests waiting for /mdg/style/learned or /mdg/error
    this.selectAfterRefresh = ""; // a style id to select once the refreshed style list arrives
}

function randomTag(random) {
    var letters = "abcdefghijkmnpqrstuvwxyz23456789";
    var s = "";
    for (var i = 0; i < 4; i++) {
        s += letters.charAt(Math.floor(random() * letters.length) % letters.length);
    }
    return s;
}

// Store a control's value (see SETTINGS); returns "" or why it was refused.
Session.prototype.set = function (message, value) {
    return applySetting(this.settings, message, value);
};

Session.prototype.selectedStyle = function () {
    var i = this.settings.styleIndex;
    return i >= 0 && i < this.styles.length ? this.styles[i] : null;
};

// Build the next /mdg/generate. `live` is {tempo, numerator, denominator}; options: purpose
// ("new", "again" or "tool"), for the MIDI Tool bars, and kit (the Drum Rack's map, "" for none).
// Unless the seed is locked a new random seed is chosen and becomes the Seed control's value, so
// locking afterwards keeps it.
// Returns {request, message} or {error}.
Session.prototype.prepareGenerate = function (live, options) {
    var opts = options || {};
    var style = this.selectedStyle();
    if (!style) {
        return { error: "Pick a style (press Refresh if the menu is empty)" };
    }
    var seed = chooseSeed(this.settings.seedLock, this.settings.seed, this.random);
    this.settings.seed = seed;
    this.counter += 1;
    var request = resolveRequest(this.settings, live, style, {
        requestId: this.tag + "-" + this.counter,
        seed: seed,
        purpose: opts.purpose || "new",
        bars: opts.bars,
        kit: opts.kit
    });
    this.requests[request.requestId] = request;
    this.requestOrder.push(request.requestId);
    while (this.requestOrder.length > MAX_TRACKED_JOBS) {
        var old = this.requests[this.requestOrder.shift()];
        if (old && old.jobId) {
            this._forgetJob(old.jobId);
        }
        delete this.requests[old.requestId];
    }
    return { request: request, message: generateMessage(request, this.settings.replyPort) };
};

// Build a job on the producer's clip: the /mdg/clip upload and then /mdg/continue, /groove or /vary.
//   live: {tempo, numerator, denominator} of the clip
//   clip: {mode, notes, clipBars, bars (continue: bars to add), kit (text or ""), purpose}
// Groove and Vary give a clip as long as the input; Continue gives `bars` new bars. Returns
// {request, messages} (send them in order) or {error}.
Session.prototype.prepareClipJob = function (live, clip) {
    if (!CLIP_MODES.hasOwnProperty(clip.mode)) {
        return { error: "unknown clip mode " + describe(clip.mode) };
    }
    if (!clip.notes || clip.notes.length === 0) {
        return { error: "The clip has no notes to " + clip.mode + ": select a clip with a beat in it" };
    }
    if (clip.notes.length > MAX_CLIP_NOTES) {
        return { error: "The clip has " + clip.notes.length + " notes; " + clip.mode + " takes at most " + MAX_CLIP_NOTES };
    }
    if (!(clip.clipBars >= MIN_BARS && clip.clipBars <= MAX_BARS)) {
        return { error: "The clip is " + clip.clipBars + " bars long; " + clip.mode + " takes 1 to " + MAX_BARS + " bars" };
    }
    var bars = clip.mode === "continue" ? (clip.bars || this.settings.bars) : clip.clipBars;
    var prepared = this.prepareGenerate(live, { purpose: clip.purpose || clip.mode, bars: bars, kit: clip.kit });
    if (prepared.error) {
        return prepared;
    }
    var request = prepared.request;
    var kept = keepChoice(this.settings.keepIndex, clip.clipBars);
    request.mode = clip.mode;
    request.clipId = request.requestId;
    request.clipBars = clip.clipBars;
    request.keep = kept.keep;
    request.keepBars = kept.keepBars;
    request.keepLabel = kept.label;
    var messages = clipUploadMessages(request.clipId, clip.notes);
    messages.push(clipJobMessage(request, this.settings.replyPort));
    return { request: request, messages: messages };
};

// Learn style: the /mdg/clip upload of the selected clip and /mdg/style/learn naming it.
//   live: {tempo, numerator, denominator} of the clip
//   learn: {name (the typed style name), notes, clipBars, kit (text or "")}
// A style is learned from 4/4 clips of 1 to 32 bars. Returns {request, messages} or {error}.
Session.prototype.prepareLearn = function (live, learn) {
    var name = String(learn.name || "").replace(/^\s+|\s+$/g, "");
    if (!name) {
        return { error: "Type a name for the style, then press Learn style" };
    }
    if (name.length > MAX_STYLE_NAME_CHARS) {
        return { error: "A style name has at most " + MAX_STYLE_NAME_CHARS + " characters" };
    }
    if (!learn.notes || learn.notes.length === 0) {
        return { error: "The clip has no notes to learn from: select a clip with a beat in it" };
    }
    if (learn.notes.length > MAX_CLIP_NOTES) {
        return { error: "The clip has " + learn.notes.length + " notes; a style is learned from at most " + MAX_CLIP_NOTES };
    }
    if (live.numerator !== 4 || live.denominator !== 4) {
        return { error: "A style is learned from 4/4 clips; this one is " + live.numerator + "/" + live.denominator };
    }
    if (!(learn.clipBars >= MIN_BARS && learn.clipBars <= MAX_BARS)) {
        return { error: "The clip is " + learn.clipBars + " bars long; a style is learned from 1 to " + MAX_BARS + " bars" };
    }
    this.counter += 1;
    var request = { requestId: this.tag + "-" + this.counter, purpose: "learn", name: name, tempo: live.tempo,
        replace: this.settings.replace ? 1 : 0, kit: learn.kit || "" };
    request.clipId = request.requestId;
    this.learning[request.requestId] = request;
    var messages = clipUploadMessages(request.clipId, learn.notes);
    messages.push(learnMessage(request, this.settings.replyPort));
    return { request: request, messages: messages };
};

// /mdg/play for the last finished pattern, or {error} when there is none yet.
Session.prototype.preparePlay = function () {
    if (!this.lastJobId) {
        return { error: "Generate a pattern first, then press Play" };
    }
    return { message: playMessage(this.lastJobId, this.settings.loop, this.settings.replyPort) };
};

// /mdg/stop, answered on this device's reply port if it is refused.
Session.prototype.prepareStop = function () {
    return { message: stopMessage(this.settings.replyPort) };
};

// The Refresh button (and loading the device) sent /mdg/ping and /mdg/styles: forget the old
// connection state and collect a fresh style list.
Session.prototype.startRefresh = function () {
    this.connected = false;
    this.incomingStyles = [];
};

Session.prototype.receive = function (address, args) {
    var a = args || [];
    switch (address) {
    case ADDRESS.PONG:
        return this._pong(a);
    case ADDRESS.STYLE:
        return this._style(a);
    case ADDRESS.STYLES_END:
        return this._stylesEnd(a);
    case ADDRESS.QUEUED:
        return this._queued(a);
    case ADDRESS.PROGRESS:
        return this._progress(a);
    case ADDRESS.NOTES:
        return this._notes(a);
    case ADDRESS.TAKE:
        return this._take(a);
    case ADDRESS.TAKE_NOTES:
        return this._takeNotes(a);
    case ADDRESS.DONE:
        return this._done(a);
    case ADDRESS.ERROR:
        return this._error(a);
    case ADDRESS.CANCELLED:
        return [{ type: "status", text: "Cancelled" }];
    case ADDRESS.WARNING:
        return this.jobToRequest.hasOwnProperty(a[0])
            ? [{ type: "status", text: truncate(String(a[1] || ""), MAX_STATUS_CHARS) }] : [];
    case ADDRESS.STATUS:
        return [{ type: "status", text: "Job " + a[0] + ": " + a[1] + " " + a[2] + "%" }];
    case ADDRESS.STYLE_LEARNED:
        return this._learned(a);
    default:
        return [];
    }
};

// /mdg/style/learned request_id id name message: say so, then refresh the style menu and select it.
Session.prototype._learned = function (a) {
    var requestId = String(a[0]);
    if (!this.learning.hasOwnProperty(requestId)) {
        return [];
    }
    delete this.learning[requestId];
    this.selectAfterRefresh = String(a[1]);
    this.startRefresh();
    return [
        { type: "status", text: truncate("Learned style " + String(a[2]) + ": " + String(a[3]), MAX_STATUS_CHARS) },
        { type: "learned", id: String(a[1]), name: String(a[2]) },
        { type: "send", message: stylesMessage(this.settings.replyPort) }
    ];
};

Session.prototype._pong = function (a) {
    this.connected = true;
    var version = String(a[0]);
    var model = String(a[1]);
    var device = String(a[2]);
    return [
        { type: "connected", version: version, model: model, device: device },
        {
            type: "status",
            text: truncate("Connected: MidiDrumiGen " + version + ", " + model + " on " + device, MAX_STATUS_CHARS)
        }
    ];
};

Session.prototype._style = function (a) {
    if (a.length < 2 || typeof a[0] !== "string" || a[0].length === 0) {
        return [];
    }
    if (!this.incomingStyles) {
        this.incomingStyles = [];
    }
    this.incomingStyles.push({ id: a[0], name: String(a[1]) });
    return [];
};

Session.prototype._stylesEnd = function (a) {
    var incoming = this.incomingStyles || [];
    this.incomingStyles = null;
    var count = a[0];
    if (incoming.length !== count) {
        return [{ type: "status", text: "Received " + incoming.length + " of " + count + " styles: press Refresh" }];
    }
    if (count === 0) {
        return [{ type: "status", text: "The daemon has no styles loaded" }];
    }
    var current = this.selectedStyle();
    var wanted = this.selectAfterRefresh;
    this.selectAfterRefresh = "";
    var selected = 0;
    for (var i = 0; i < incoming.length; i++) {
        if (wanted ? incoming[i].id === wanted : current && (incoming[i].name.toLowerCase() === current.name.toLowerCase()
                || incoming[i].id.toLowerCase() === String(current.id).toLowerCase())) {
            selected = i;
            break;
        }
    }
    this.styles = incoming;
    this.settings.styleIndex = selected;
    var names = [];
    for (var j = 0; j < incoming.length; j++) {
        names.push(incoming[j].name);
    }
    return [{ type: "styles", names: names, selected: selected }];
};

Session.prototype._queued = function (a) {
    var jobId = a[0];
    var requestId = String(a[1]);
    if (!this.requests.hasOwnProperty(requestId)) {
        return [];
    }
    this.jobToRequest[jobId] = requestId;
    this.requests[requestId].jobId = jobId;
    return [{ type: "status", text: "Queued" }];
};

Session.prototype._progress = function (a) {
    if (!this.jobToRequest.hasOwnProperty(a[0])) {
        return [];
    }
    return [{ type: "status", text: progressText(a[1], a[2]) }];
};

// Parse one note chunk with `parse` and store it in `assembler`: {jobId, result} for a job of this
// device, else {actions}: a status for a malformed reply, nothing for another device's job.
Session.prototype._addChunk = function (a, parse, assembler) {
    var parsed;
    try {
        parsed = parse(a);
    } catch (e) {
        return { actions: [{ type: "status", text: truncate("Bad reply from the daemon: " + e.message, MAX_STATUS_CHARS) }] };
    }
    if (!this.jobToRequest.hasOwnProperty(a[0])) {
        return { actions: [] };
    }
    try {
        return { jobId: a[0], result: assembler.add(parsed) };
    } catch (e2) {
        return { actions: [{ type: "status", text: truncate("Bad reply from the daemon: " + e2.message, MAX_STATUS_CHARS) }] };
    }
};

Session.prototype._notes = function (a) {
    var chunk = this._addChunk(a, parseNotesArgs, this.assembler);
    if (chunk.actions) {
        return chunk.actions;
    }
    // A write waits for both the last chunk and /mdg/done; whichever comes second triggers it.
    if (chunk.result.added && chunk.result.complete && this.doneByJob.hasOwnProperty(chunk.jobId)) {
        return this._finish(chunk.jobId);
    }
    return [];
};

Session.prototype._done = function (a) {
    var jobId = a[0];
    if (!this.jobToRequest.hasOwnProperty(jobId)) {
        return [];
    }
    var done = { jobId: jobId, notes: a[1], file: String(a[2] || ""), seconds: a[3] };
    var request = this.requests[this.jobToRequest[jobId]];
    this.lastJobId = jobId;
    if (!request || request.output.indexOf("clip") < 0) {
        this._forgetJob(jobId);
        return [{ type: "status", text: doneText(request ? request.output : "", done) }];
    }
    if (this.doneByJob.hasOwnProperty(jobId) && !this._complete(jobId)) {
        // A second /mdg/done for a job still missing chunks: the answer to our /mdg/resend.
        return this._resendOrGiveUp(jobId);
    }
    this.doneByJob[jobId] = done;
    if (this._complete(jobId)) {
        return this._finish(jobId);
    }
    return this._resendOrGiveUp(jobId);
};

// Every note of the job is here: its /mdg/notes chunks, or for variations every take's header and chunks.
Session.prototype._complete = function (jobId) {
    var request = this.requests[this.jobToRequest[jobId]];
    if (!request || !(request.variations > 1)) {
        return this.assembler.isComplete(jobId);
    }
    var headers = this.takeHeaders[jobId];
    if (!headers) {
        return false;
    }
    for (var i = 0; i < headers.count; i++) {
        if (!headers.takes.hasOwnProperty(String(i)) || !this.takeAssembler.isComplete(takeKey(jobId, i))) {
            return false;
        }
    }
    return true;
};

// /mdg/take job_id:s index:i takes:i seed:s notes:i file:s, the header of one take of a variations job.
Session.prototype._take = function (a) {
    var jobId = a[0];
    if (!this.jobToRequest.hasOwnProperty(jobId)) {
        return [];
    }
    var index = a[1];
    var count = a[2];
    if (!isWhole(count) || count < 1 || count > MAX_VARIATIONS || !isWhole(index) || index < 0 || index >= count
            || !isWhole(a[4]) || a[4] < 0) {
        return [{ type: "status", text: truncate("Bad reply from the daemon: /mdg/take " + a.join(" "), MAX_STATUS_CHARS) }];
    }
    var headers = this.takeHeaders[jobId] || (this.takeHeaders[jobId] = { count: count, takes: {} });
    headers.takes[String(index)] = { seed: Number(a[3]), noteCount: a[4], file: String(a[5] || "") };
    return [];
};

Session.prototype._takeNotes = function (a) {
    var chunk = this._addChunk(a, parseTakeNotesArgs, this.takeAssembler);
    if (chunk.actions) {
        return chunk.actions;
    }
    // As for /mdg/notes: the last missing chunk after /mdg/done (a resend's) finishes the job.
    if (chunk.result.added && chunk.result.complete && this.doneByJob.hasOwnProperty(chunk.jobId)
            && this._complete(chunk.jobId)) {
        return this._finish(chunk.jobId);
    }
    return [];
};

Session.prototype._resendOrGiveUp = function (jobId) {
    var tries = this.resendAttempts[jobId] || 0;
    if (tries >= MAX_RESEND_ATTEMPTS) {
        var failed = this._failed(jobId);
        return [{ type: "status", text: "Some notes never arrived (network?): press Generate again" }, failed];
    }
    this.resendAttempts[jobId] = tries + 1;
    return [
        { type: "status", text: "Some notes went missing: asking again" },
        { type: "send", message: resendMessage(jobId, this.settings.replyPort) }
    ];
};

Session.prototype._finish = function (jobId) {
    var done = this.doneByJob[jobId];
    var request = this.requests[this.jobToRequest[jobId]];
    if (request.variations > 1) {
        return this._finishTakes(jobId, request, done);
    }
    var notes = this.assembler.notes(jobId);
    if (notes.length !== done.notes) {
        var text = "Got " + notes.length + " notes but the daemon sent " + done.notes + ": press Generate again";
        return [{ type: "status", text: text }, this._failed(jobId)];
    }
    this._forgetJob(jobId);
    return [{ type: "write", request: request, notes: notes, jobId: jobId, done: done }];
};

// A variations job's takes, in order: one "takes" action {request, takes: [{index, seed, notes, file}],
// jobId, done} that the clip device writes into consecutive slots (chooseTakeTargets).
Session.prototype._finishTakes = function (jobId, request, done) {
    var headers = this.takeHeaders[jobId];
    var takes = [];
    var total = 0;
    for (var i = 0; i < headers.count; i++) {
        var header = headers.takes[String(i)];
        var notes = this.takeAssembler.notes(takeKey(jobId, i));
        if (notes.length !== header.noteCount) {
            var text = "Take " + (i + 1) + ": got " + notes.length + " notes but the daemon sent " + header.noteCount
                + ": press Generate again";
            return [{ type: "status", text: text }, this._failed(jobId)];
        }
        total += notes.length;
        takes.push({ index: i, seed: header.seed, notes: notes, file: header.file });
    }
    if (total !== done.notes) {
        return [{ type: "status", text: "Got " + total + " notes but the daemon sent " + done.notes
            + ": press Generate again" }, this._failed(jobId)];
    }
    this._forgetJob(jobId);
    return [{ type: "takes", request: request, takes: takes, jobId: jobId, done: done }];
};

// Drop everything about a finished or failed job, so a late duplicate reply (a second /mdg/done
// answering an earlier resend) is ignored instead of asking again.
Session.prototype._forgetJob = function (jobId) {
    var headers = this.takeHeaders[jobId];
    for (var i = 0; headers && i < headers.count; i++) {
        this.takeAssembler.forget(takeKey(jobId, i));
    }
    delete this.takeHeaders[jobId];
    delete this.jobToRequest[jobId];
    delete this.doneByJob[jobId];
    delete this.resendAttempts[jobId];
    this.assembler.forget(jobId);
};

// Forget a job that will not finish; the action tells the MIDI Tool's flow to stop waiting for it.
Session.prototype._failed = function (jobId) {
    var requestId = this.jobToRequest[jobId];
    this._forgetJob(jobId);
    return { type: "failed", requestId: requestId };
};

// /mdg/error names a job id, or the request_id when the request was refused before it was queued.
Session.prototype._error = function (a) {
    var id = String(a[0] || "");
    var code = String(a[1] || "internal");
    var message = String(a[2] || "");
    var status = { type: "status", text: errorText(code, message) };
    if (this.jobToRequest.hasOwnProperty(id)) {
        return [status, this._failed(id)];
    }
    if (this.requests.hasOwnProperty(id) && !this.requests[id].jobId) {
        return [status, { type: "failed", requestId: id }];
    }
    if (this.learning.hasOwnProperty(id)) {
        delete this.learning[id];
        return [{ type: "status", text: errorText(code, "Learn style: " + message) }];
    }
    return [status];
};

// What the status display says once a finished pattern has been written.
// The clip name of a finished request: its pattern type, or for a clip job its mode; `seed`: a take's own.
function requestClipName(request, seed) {
    return clipName(request.styleName, request.mode || request.patternType, request.bars,
        seed === undefined ? request.seed : seed);
}

// What the status display says once a variations job's takes are in their clip slots (`slots` from 0).
function takesWrittenText(request, takes, slots) {
    var notes = 0;
    for (var i = 0; i < takes.length; i++) {
        notes += takes[i].notes.length;
    }
    var where = slots.length > 1 ? "slots " + (slots[0] + 1) + "-" + (slots[slots.length - 1] + 1) : "slot " + (slots[0] + 1);
    var text = "Wrote " + takes.length + " takes (" + notes + " notes) into " + where + ": "
        + requestClipName(request, takes[0].seed) + "-" + takes[takes.length - 1].seed;
    if (request.output.indexOf("midi") >= 0) {
        text += " (take 1 playing on the MIDI port)";
    }
    return truncate(text, MAX_STATUS_CHARS);
}

function writtenText(request, noteCount, done) {
    var name = requestClipName(request);
    var text = "Wrote " + noteCount + " notes: " + name;
    if (done && done.file) {
        text += " (saved " + basename(done.file) + ")";
    }
    if (request.output.indexOf("midi") >= 0) {
        text += " (playing on the MIDI port)";
    }
    return truncate(text, MAX_STATUS_CHARS);
}

// What the status display says for a job whose output has no clip.
function doneText(output, done) {
    var parts = [];
    if (done.file) {
        parts.push("Saved " + basename(done.file));
    }
    if (output.indexOf("midi") >= 0) {
        parts.push("Playing on the MIDI port from the next bar");
    }
    if (parts.length === 0) {
        parts.push("Done");
    }
    return truncate(parts.join("; ") + " (" + done.notes + " notes)", MAX_STATUS_CHARS);
}

// ---------------------------------------------------------------------------------------------
// Exports: Node and Max's require() both read `exports`; Max's implementation has no `module`.

var api = {
    PROTOCOL_VERSION: PROTOCOL_VERSION,
    DEFAULT_HOST: DEFAULT_HOST,
    DEFAULT_DAEMON_PORT: DEFAULT_DAEMON_PORT,
    DEFAULT_REPLY_PORT: DEFAULT_REPLY_PORT,
    ADDRESS: ADDRESS,
    MIN_BARS: MIN_BARS,
    MAX_BARS: MAX_BARS,
    MAX_VARIATIONS: MAX_VARIATIONS,
    SEED_MAX: SEED_MAX,
    PATTERN_TYPES: PATTERN_TYPES,
    OUTPUTS: OUTPUTS,
    DENOMINATOR_LABELS: DENOMINATOR_LABELS,
    DENOMINATORS: DENOMINATORS,
    DEFAULT_STYLES: DEFAULT_STYLES,
    SETTINGS: SETTINGS,
    PATTERN_CONTROLS: PATTERN_CONTROLS,
    MAX_RESEND_ATTEMPTS: MAX_RESEND_ATTEMPTS,
    unquotePath: unquotePath,
    indexAfter: indexAfter,
    beatsPerBar: beatsPerBar,
    loopEndBeats: loopEndBeats,
    clipLoopSettings: clipLoopSettings,
    parseNotesArgs: parseNotesArgs,
    parseTakeNotesArgs: parseTakeNotesArgs,
    ChunkAssembler: ChunkAssembler,
    buildNotesDict: buildNotesDict,
    clipName: clipName,
    chooseTarget: chooseTarget,
    chooseTakeTargets: chooseTakeTargets,
    removeSpanBeats: removeSpanBeats,
    toolShape: toolShape,
    toolNotes: toolNotes,
    unchangedNotes: unchangedNotes,
    TOOL_REPLY_TIMEOUT_MS: TOOL_REPLY_TIMEOUT_MS,
    ToolFlow: ToolFlow,
    defaultSettings: defaultSettings,
    applySetting: applySetting,
    chooseSeed: chooseSeed,
    resolveRequest: resolveRequest,
    generateMessage: generateMessage,
    clipJobMessage: clipJobMessage,
    learnMessage: learnMessage,
    MAX_STYLE_NAME_CHARS: MAX_STYLE_NAME_CHARS,
    clipUploadMessages: clipUploadMessages,
    keepChoice: keepChoice,
    requestClipName: requestClipName,
    CLIP_MODES: CLIP_MODES,
    CLIP_NOTES_PER_CHUNK: CLIP_NOTES_PER_CHUNK,
    MAX_CLIP_NOTES: MAX_CLIP_NOTES,
    KEEP_CHOICES: KEEP_CHOICES,
    TOOL_MODES: TOOL_MODES,
    pingMessage: pingMessage,
    stylesMessage: stylesMessage,
    playMessage: playMessage,
    stopMessage: stopMessage,
    resendMessage: resendMessage,
    statusMessage: statusMessage,
    cancelMessage: cancelMessage,
    transportMessage: transportMessage,
    errorText: errorText,
    noAnswerText: noAnswerText,
    progressText: progressText,
    writtenText: writtenText,
    takesWrittenText: takesWrittenText,
    doneText: doneText,
    Session: Session
};

if (typeof exports !== "undefined") {
    for (var exportName in api) {
        if (api.hasOwnProperty(exportName)) {
            exports[exportName] = api[exportName];
        }
    }
}
