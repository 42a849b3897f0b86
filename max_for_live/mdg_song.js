// mdg_song.js: the device's Song button, as plain functions: read the Set's locators into a form,
// ask the daemon for /mdg/song, collect its sections, and write them into the Set.
//
// ES5 and ASCII only, like mdg_core.js (Max's [js] runs an old ES5 engine; test/es5.test.js checks
// it). It requires nothing: Max's require() finds a module by name and Node by path, so a module
// that required another could not be written once for both. Every Live call goes through the
// LiveAPI constructor the caller hands in (Max's global one in the device, a stand-in in the Node
// tests, test/song_harness.js), so nothing here touches a global.
//
// Where the song goes (Live Object Model, docs.cycling74.com/apiref/lom):
// - Live 12 (the releases whose Track lists create_midi_clip(start_time, length) among its
//   functions; third-party remote scripts gate it at 12.1.10): straight into the Arrangement, one
//   clip per section at its locator.
// - Live 11 and early Live 12: a device cannot create an empty Arrangement clip, but
//   Track.duplicate_clip_to_arrangement(clip, time) copies a Session clip there, so the sections are
//   written to scenes first and then copied to their locators.
// - Without locators (or without either call): consecutive scenes named after the sections.
// The choice is made by reading the track's `info` (the functions it lists), not a version number.
// Nothing already in the Set is overwritten: scenes are taken only where the track's slots are
// empty (new scenes are added below), and the Arrangement only where no clip overlaps a section.

var SONG_ADDRESS = {
    SONG: "/mdg/song",
    QUEUED: "/mdg/queued",
    PROGRESS: "/mdg/progress",
    SECTION: "/mdg/song/section",
    NOTES: "/mdg/song/notes",
    DONE: "/mdg/done",
    ERROR: "/mdg/error"
};
var SECTION_KINDS = ["intro", "verse", "chorus", "bridge", "outro"];
var SECTION_ALIASES = { hook: "chorus", refrain: "chorus", "break": "bridge", breakdown: "bridge", ending: "outro" };
var END_LOCATOR = "end";
var MAX_SONG_BARS = 256;
var BAR_TOLERANCE = 1e-6;

function firstValue(api, property) {
    var value = api.get(property);
    return (value && typeof value === "object" && value.length !== undefined) ? value[0] : value;
}

function barBeats(numerator, denominator) {
    return numerator * 4 / denominator;
}

// "Verse 2", "CHORUS", "Hook" -> a section kind; null for a locator that names no section.
function sectionKind(locatorName) {
    var key = String(locatorName).toLowerCase().replace(/[^a-z]+$/, "").replace(/[\s_-]+/g, "");
    if (SECTION_ALIASES.hasOwnProperty(key)) {
        return SECTION_ALIASES[key];
    }
    return SECTION_KINDS.indexOf(key) >= 0 ? key : null;
}

// The Set's cue points ([{name, time}], time in beats) as sections: each runs from its locator to
// the next one; a locator named End closes the last section, else `songEndBeats` (Song.song_length).
// Returns {sections: [{kind, name, startBeats, bars}], error: one line or null}; no locators gives
// no sections and no error (the device then uses the typed form).
function formFromCuePoints(cues, songEndBeats, numerator, denominator) {
    var sorted = cues.slice().sort(function (a, b) { return a.time - b.time; });
    var bar = barBeats(numerator, denominator);
    var starts = [];
    var end = null;
    var i;
    for (i = 0; i < sorted.length; i++) {
        if (sectionKind(sorted[i].name) === null && String(sorted[i].name).toLowerCase() === END_LOCATOR) {
            end = end === null ? sorted[i].time : end;
        } else if (end === null) {
            starts.push(sorted[i]);
        }
    }
    if (!starts.length) {
        return { sections: [], error: null };
    }
    var last = starts[starts.length - 1].time;
    if (end === null) {
        end = songEndBeats > last ? songEndBeats : null;
    }
    if (end === null) {
        return { sections: [], error: "put a locator named End where the song ends" };
    }
    var sections = [];
    var total = 0;
    for (i = 0; i < starts.length; i++) {
        var kind = sectionKind(starts[i].name);
        if (kind === null) {
            return { sections: [], error: "locator '" + starts[i].name + "' is not a section: name it " +
                SECTION_KINDS.join(", ") };
        }
        var next = i + 1 < starts.length ? starts[i + 1].time : end;
        var bars = (next - starts[i].time) / bar;
        if (Math.abs(bars - Math.round(bars)) > BAR_TOLERANCE || Math.round(bars) < 1) {
            return { sections: [], error: "locator '" + starts[i].name + "' is " + Math.round(bars * 100) / 100 +
                " bars long: put locators on bar lines" };
        }
        total += Math.round(bars);
        sections.push({ kind: kind, name: String(starts[i].name), startBeats: starts[i].time, bars: Math.round(bars) });
    }
    if (total > MAX_SONG_BARS) {
        return { sections: [], error: "the locators span " + total + " bars; a song holds at most " + MAX_SONG_BARS };
    }
    return { sections: sections, error: null };
}

// The locators of the Set as {name, time} (live_set cue_points N).
function readCuePoints(LiveAPI) {
    var set = new LiveAPI("live_set");
    var count = set.getcount("cue_points");
    var cues = [];
    for (var i = 0; i < count; i++) {
        var cue = new LiveAPI("live_set cue_points " + i);
        cues.push({ name: String(firstValue(cue, "name")), time: Number(firstValue(cue, "time")) });
    }
    return cues;
}

// "intro:4 verse:8 ...", what /mdg/song's `form` takes.
function formText(sections) {
    var parts = [];
    for (var i = 0; i < sections.length; i++) {
        parts.push(sections[i].kind + ":" + sections[i].bars);
    }
    return parts.join(" ");
}

// The /mdg/song request: the pattern settings the device sends for /mdg/generate (style, tempo,
// meter, sampling, seed, the Drum Rack's kit) less bars and section, plus the form. `request` is mdg_core's resolved
// request (its fields topK and topP are sent as top_k and top_p).
var SONG_OPTIONAL_KEYS = [["temperature", "temperature"], ["top_k", "topK"], ["top_p", "topP"], ["seed", "seed"],
    ["humanize", "humanize"], ["fill", "fill"], ["kit", "kit"]];

function songMessage(request, form, replyPort) {
    var message = [SONG_ADDRESS.SONG, "style", request.style, "tempo", request.tempo,
        "numerator", request.numerator, "denominator", request.denominator, "form", form];
    for (var i = 0; i < SONG_OPTIONAL_KEYS.length; i++) {
        var value = request[SONG_OPTIONAL_KEYS[i][1]];
        if (value !== undefined && value !== null && value !== "") { // Max cannot send an empty symbol
            message.push(SONG_OPTIONAL_KEYS[i][0], value);
        }
    }
    message.push("request_id", request.requestId, "reply_port", replyPort);
    return message;
}

// What the Song button does first: the form from the Set's locators (the first locator is where the
// song goes in the Arrangement), or without locators the form typed on the device (then scenes), and
// the /mdg/song message. Returns {message, form, originBeats} or {error: one line}.
function startSong(LiveAPI, request, typedForm, replyPort) {
    var songEnd = Number(firstValue(new LiveAPI("live_set"), "song_length"));
    var located = formFromCuePoints(readCuePoints(LiveAPI), songEnd, request.numerator, request.denominator);
    if (located.error) {
        return { error: located.error };
    }
    if (located.sections.length) {
        var form = formText(located.sections);
        return { message: songMessage(request, form, replyPort), form: form, originBeats: located.sections[0].startBeats };
    }
    if (!typedForm || !String(typedForm).replace(/\s+/g, "")) {
        return { error: "no section locators in the Set: add locators (Intro, Verse, ...) or type a form" };
    }
    return { message: songMessage(request, String(typedForm), replyPort), form: String(typedForm), originBeats: null };
}

// Collects one song job's replies: each /mdg/song/section header and its /mdg/song/notes chunks.
// receive() returns null, or {type: "done", sections} once /mdg/done arrives with every chunk, or
// {type: "missing", text} when it arrives without them (the device then asks /mdg/resend),
// or {type: "error", text}.
function SongAssembler(jobId) {
    this.jobId = jobId;
    this.headers = {};
    this.chunks = {};
}

SongAssembler.prototype.receive = function (address, args) {
    if (args[0] !== this.jobId) {
        return null;
    }
    if (address === SONG_ADDRESS.SECTION) {
        this.headers[args[1]] = { index: args[1], count: args[2], name: String(args[3]), kind: String(args[4]),
            startBeats: Number(args[5]), bars: args[6], noteCount: args[7] };
    } else if (address === SONG_ADDRESS.NOTES) {
        var section = this.chunks[args[1]] || (this.chunks[args[1]] = { total: args[3], parts: {} });
        section.parts[args[2]] = args.slice(4);
    } else if (address === SONG_ADDRESS.ERROR) {
        return { type: "error", text: String(args[2]) };
    } else if (address === SONG_ADDRESS.DONE) {
        return this._finish();
    }
    return null;
};

SongAssembler.prototype._finish = function () {
    var indices = Object.keys(this.headers);
    var count = indices.length ? this.headers[indices[0]].count : 0;
    var sections = [];
    for (var index = 0; index < count; index++) {
        var header = this.headers[index];
        var notes = header ? this._notes(index) : null;
        if (!header || notes === null || notes.length !== header.noteCount) {
            return { type: "missing", text: "section " + (index + 1) + " of " + count + " did not arrive whole" };
        }
        header.notes = notes;
        sections.push(header);
    }
    return count ? { type: "done", sections: sections } : { type: "missing", text: "no sections arrived" };
};

SongAssembler.prototype._notes = function (index) {
    var section = this.chunks[index];
    if (!section) {
        return null;
    }
    var notes = [];
    for (var chunk = 0; chunk < section.total; chunk++) {
        var values = section.parts[chunk];
        if (!values) {
            return null;
        }
        for (var i = 0; i + 3 < values.length; i += 4) {
            notes.push({ pitch: values[i], start_time: values[i + 1], duration: values[i + 2], velocity: values[i + 3] });
        }
    }
    return notes;
};

// Which way the song can reach the Arrangement on this track: "create", "duplicate" or "none".
function arrangementMode(trackInfo) {
    var info = String(trackInfo);
    if (/function create_midi_clip\b/.test(info)) {
        return "create";
    }
    return /function duplicate_clip_to_arrangement\b/.test(info) ? "duplicate" : "none";
}

function fillClip(LiveAPI, clipPath, section) {
    var clip = new LiveAPI(clipPath);
    clip.call("add_new_notes", { notes: section.notes });
    clip.set("name", section.name);
    return clip;
}

// The first scene from which `count` slots of the track are empty in a row (scenes are added below
// the last one as needed); nothing already in a slot is touched.
function firstFreeScenes(LiveAPI, trackPath, count) {
    var set = new LiveAPI("live_set");
    var scenes = set.getcount("scenes");
    var start = scenes;
    var run = 0;
    for (var i = 0; i < scenes; i++) {
        var filled = Number(firstValue(new LiveAPI(trackPath + " clip_slots " + i), "has_clip"));
        run = filled ? 0 : run + 1;
        if (run === count) {
            start = i - count + 1;
            break;
        }
    }
    if (run < count) {
        start = scenes - run;
    }
    for (var added = scenes; added < start + count; added++) {
        set.call("create_scene", -1);
    }
    return start;
}

// Each section as a looping Session clip in consecutive scenes, each scene named after its section.
// Returns the scene index of each section.
function writeSongToScenes(LiveAPI, trackPath, sections) {
    var first = firstFreeScenes(LiveAPI, trackPath, sections.length);
    var scenes = [];
    for (var i = 0; i < sections.length; i++) {
        var slotPath = trackPath + " clip_slots " + (first + i);
        var lengthBeats = sections[i].lengthBeats;
        new LiveAPI(slotPath).call("create_clip", lengthBeats);
        var clip = fillClip(LiveAPI, slotPath + " clip", sections[i]);
        clip.set("looping", 1);
        new LiveAPI("live_set scenes " + (first + i)).set("name", sections[i].name);
        scenes.push(first + i);
    }
    return scenes;
}

function arrangementIsFree(LiveAPI, trackPath, startBeats, endBeats) {
    var track = new LiveAPI(trackPath);
    var count = track.getcount("arrangement_clips");
    for (var i = 0; i < count; i++) {
        var clip = new LiveAPI(trackPath + " arrangement_clips " + i);
        if (Number(firstValue(clip, "start_time")) < endBeats && Number(firstValue(clip, "end_time")) > startBeats) {
            return false;
        }
    }
    return true;
}

function arrangementClipAt(LiveAPI, trackPath, startBeats) {
    var count = new LiveAPI(trackPath).getcount("arrangement_clips");
    for (var i = 0; i < count; i++) {
        var path = trackPath + " arrangement_clips " + i;
        if (Math.abs(Number(firstValue(new LiveAPI(path), "start_time")) - startBeats) < BAR_TOLERANCE) {
            return path;
        }
    }
    return null;
}

// Write the song: into the Arrangement at `originBeats` (the first locator) where the track allows
// it and nothing is there yet, else into scenes. `sections` are SongAssembler's, with bars; the
// meter gives their lengths. Returns {where: "arrangement" | "scenes", text: one status line}.
function writeSong(LiveAPI, trackPath, sections, numerator, denominator, originBeats) {
    var bar = barBeats(numerator, denominator);
    var placed = [];
    var i;
    for (i = 0; i < sections.length; i++) {
        placed.push({ name: sections[i].name, notes: sections[i].notes, lengthBeats: sections[i].bars * bar,
            songBeats: originBeats + sections[i].startBeats });
    }
    var songEnd = placed.length ? placed[placed.length - 1].songBeats + placed[placed.length - 1].lengthBeats : 0;
    var mode = originBeats === null ? "none" : arrangementMode(new LiveAPI(trackPath).info);
    var free = mode !== "none" && arrangementIsFree(LiveAPI, trackPath, originBeats, songEnd);
    if (free && mode === "create") {
        for (i = 0; i < placed.length; i++) {
            new LiveAPI(trackPath).call("create_midi_clip", placed[i].songBeats, placed[i].lengthBeats);
            fillClip(LiveAPI, arrangementClipAt(LiveAPI, trackPath, placed[i].songBeats), placed[i]);
        }
        return { where: "arrangement", text: "Song: " + placed.length + " sections written at the locators" };
    }
    var scenes = writeSongToScenes(LiveAPI, trackPath, placed);
    if (free && mode === "duplicate") {
        for (i = 0; i < placed.length; i++) {
            var clip = new LiveAPI(trackPath + " clip_slots " + scenes[i] + " clip");
            new LiveAPI(trackPath).call("duplicate_clip_to_arrangement", "id " + clip.id, placed[i].songBeats);
        }
        return { where: "arrangement", text: "Song: " + placed.length + " sections in scenes " + (scenes[0] + 1) +
            "-" + (scenes[scenes.length - 1] + 1) + " and copied to the locators" };
    }
    var why = mode !== "none" && !free ? " (the Arrangement has clips there)" : "";
    return { where: "scenes", text: "Song: " + placed.length + " sections in scenes " + (scenes[0] + 1) + "-" +
        (scenes[scenes.length - 1] + 1) + why };
}

var songApi = {
    SONG_ADDRESS: SONG_ADDRESS,
    SECTION_KINDS: SECTION_KINDS,
    MAX_SONG_BARS: MAX_SONG_BARS,
    sectionKind: sectionKind,
    formFromCuePoints: formFromCuePoints,
    readCuePoints: readCuePoints,
    formText: formText,
    songMessage: songMessage,
    startSong: startSong,
    SongAssembler: SongAssembler,
    arrangementMode: arrangementMode,
    writeSongToScenes: writeSongToScenes,
    writeSong: writeSong
};

if (typeof exports !== "undefined") {
    for (var songExportName in songApi) {
        if (songApi.hasOwnProperty(songExportName)) {
            exports[songExportName] = songApi[songExportName];
        }
    }
}
