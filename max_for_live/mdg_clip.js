// mdg_clip.js: what the devices read from Live about the producer's own material, as plain functions
// with no Max or Live globals: the Drum Rack's pads mapped to the model's voices (the kit map sent
// with requests), a clip's notes from Live's notes dictionary, the bars before a time selection
// (the MIDI Tool's Continue), and the selected notes a Transformation tool grooves.
//
// ES5 and ASCII only, like mdg_core.js (max_for_live/test/es5.test.js enforces both). It requires
// nothing, so Max's require("mdg_clip") and Node's require() load the same file.

// The model's nine voices (engine/constants.py VOICES), in order.
var VOICES = ["kick", "snare", "closed_hat", "open_hat", "low_tom", "mid_tom", "high_tom", "crash", "ride"];

// Pad names as producers and Live's own kits spell them, tried in order for each voice. A pad
// name is lower-cased and its punctuation turned into spaces first ("Hi-Hat Closed" -> "hi hat closed").
// Snare falls back to a clap, then a rim, when the rack has no snare pad.
var PAD_WORDS = {
    kick: [/\b(kick|kik|bd|bass ?drum)\b/],
    snare: [/\b(snare|snr|sd)\b/, /\bclap\b/, /\b(rim|rimshot|side ?stick)\b/],
    open_hat: [/\b(open|oh|ohh)\b.*\b(hat|hh|hihat)\b|\b(hat|hh|hihat)\b.*\bopen\b|\bohh?\b/],
    closed_hat: [/\b(closed|cl|chh|ch)\b.*\b(hat|hh|hihat)\b|\b(hat|hh|hihat)\b.*\bclosed\b|\bchh?\b/,
        /\b(hat|hh|hihat|hi hat)\b/],
    low_tom: [/\b(low|lo|floor)\b.*\btom\b|\btom\b.*\b(low|lo|floor)\b/],
    mid_tom: [/\b(mid|md)\b.*\btom\b|\btom\b.*\b(mid|md)\b/],
    high_tom: [/\b(high|hi)\b.*\btom\b|\btom\b.*\b(high|hi)\b/],
    crash: [/\b(crash|splash|china)\b/, /\bcymbal\b/],
    ride: [/\bride\b/, /\bbell\b/]
};

// The order voices pick their pads in: open hats before closed ones, whose last resort is any "hat".
var MATCH_ORDER = ["kick", "snare", "open_hat", "closed_hat", "low_tom", "mid_tom", "high_tom", "crash", "ride"];

// Toms named only "Tom": the lowest note plays low_tom, then mid, then high.
var TOM_VOICES = ["low_tom", "mid_tom", "high_tom"];

function padWords(name) {
    return String(name).toLowerCase().replace(/[^a-z0-9]+/g, " ").replace(/\s+/g, " ");
}

// Turn "kick:48, snare:50" or "kick:48 snare:50" (the device's override field) into {kit, error};
// an empty text is no override. Voice names are the engine's (closed_hat, not "closed hat").
function parseKitText(text) {
    var kit = {};
    var parts = String(text || "").split(/[\s,]+/);
    for (var i = 0; i < parts.length; i++) {
        var part = parts[i].replace(/^\s+|\s+$/g, "");
        if (!part) {
            continue;
        }
        var pieces = part.split(":");
        var voice = padWords(pieces[0]).replace(/^\s+|\s+$/g, "").replace(/ /g, "_");
        var note = Number(pieces[1]);
        if (pieces.length !== 2 || VOICES.indexOf(voice) < 0) {
            return { kit: {}, error: "Kit override: " + part + " is not voice:note (voices: " + VOICES.join(", ") + ")" };
        }
        if (!(Math.floor(note) === note && note >= 0 && note <= 127)) {
            return { kit: {}, error: "Kit override: the note of " + voice + " must be 0 to 127, got " + pieces[1] };
        }
        kit[voice] = note;
    }
    return { kit: kit, error: "" };
}

// Map the model's voices to a Drum Rack's pads.
//   pads: [{name, note}] for the pads that hold something (Live's DrumPad name and note)
//   overrideText: the user's "voice:note,..." table, which wins over names
// Returns {kit: {voice: note}, text: "kick:36,...", unmapped: [voices with no pad], error}.
function kitFromPads(pads, overrideText) {
    var sorted = pads.slice().sort(function (a, b) { return a.note - b.note; });
    var kit = {};
    var used = {};
    for (var v = 0; v < MATCH_ORDER.length; v++) {
        var voice = MATCH_ORDER[v];
        var patterns = PAD_WORDS[voice];
        for (var p = 0; p < patterns.length && !kit.hasOwnProperty(voice); p++) {
            for (var i = 0; i < sorted.length; i++) {
                if (!used[sorted[i].note] && patterns[p].test(padWords(sorted[i].name))) {
                    kit[voice] = sorted[i].note;
                    used[sorted[i].note] = true;
                    break;
                }
            }
        }
    }
    var plainToms = [];
    for (var t = 0; t < sorted.length; t++) {
        if (!used[sorted[t].note] && /\btom\b/.test(padWords(sorted[t].name))) {
            plainToms.push(sorted[t].note);
        }
    }
    for (var k = 0; k < TOM_VOICES.length && plainToms.length; k++) {
        if (!kit.hasOwnProperty(TOM_VOICES[k])) {
            kit[TOM_VOICES[k]] = plainToms.shift();
        }
    }
    var override = parseKitText(overrideText);
    for (var name in override.kit) {
        if (override.kit.hasOwnProperty(name)) {
            kit[name] = override.kit[name];
        }
    }
    var entries = [];
    var unmapped = [];
    for (var u = 0; u < VOICES.length; u++) {
        if (kit.hasOwnProperty(VOICES[u])) {
            entries.push(VOICES[u] + ":" + kit[VOICES[u]]);
        } else {
            unmapped.push(VOICES[u]);
        }
    }
    return { kit: kit, text: entries.join(","), unmapped: unmapped, error: override.error };
}

// What the status line says about a kit map: which voices have no pad (their hits keep the
// style's General MIDI notes, which this rack may not play).
function kitText(mapping, hasRack) {
    if (!hasRack) {
        return "No Drum Rack beside the device: notes use General MIDI drums";
    }
    if (mapping.unmapped.length === 0) {
        return "Kit: every voice has a pad";
    }
    return "No pad for " + mapping.unmapped.join(", ") + " (General MIDI notes used)";
}

// Live's notes dictionary ({notes: [{pitch, start_time, duration, velocity, mute, ...}]}, from
// Clip.get_notes_extended or live.miditool.in) as [{pitch, start, duration, velocity}] from
// `originBeats`, keeping the notes that start in [fromBeats, toBeats) and are not muted.
function notesFromLive(dict, fromBeats, toBeats, originBeats) {
    var list = dict && dict.notes ? dict.notes : [];
    var origin = originBeats || 0;
    var out = [];
    for (var i = 0; i < list.length; i++) {
        var n = list[i];
        if (n.mute || n.start_time < fromBeats || n.start_time >= toBeats) {
            continue;
        }
        out.push({ pitch: n.pitch, start: n.start_time - origin, duration: n.duration, velocity: n.velocity });
    }
    out.sort(function (a, b) { return a.start !== b.start ? a.start - b.start : a.pitch - b.pitch; });
    return out;
}

function beatsPerBar(numerator, denominator) {
    return numerator * 4 / denominator;
}

// A clip's length in whole bars (a partly filled last bar counts), at least 1.
function barsIn(lengthBeats, numerator, denominator) {
    return Math.max(1, Math.ceil(lengthBeats / beatsPerBar(numerator, denominator) - 1e-9));
}

// The MIDI Tool's Continue: the bars before the time selection are the prompt, at most
// MAX_PROMPT_BARS of them, starting on a bar line. Returns {fromBeats, clipBars} or throws Error
// when the selection starts in the first bar (there is nothing before it to continue).
var MAX_PROMPT_BARS = 8;

function promptBefore(selectionStart, numerator, denominator) {
    var bpb = beatsPerBar(numerator, denominator);
    var bars = Math.min(Math.floor(selectionStart / bpb + 1e-9), MAX_PROMPT_BARS);
    if (bars < 1) {
        throw new Error("Continue needs a bar or more before the time selection: select a range after your beat");
    }
    return { fromBeats: selectionStart - bars * bpb, clipBars: bars };
}

// The Transformation tool: the notes it is given (the selection) grooved as one clip that starts on
// the bar line at or before the first note. Returns {originBeats, clipBars, notes, key} or throws
// Error for no notes or a span over 32 bars; `key` tells a later cycle whether the notes changed.
function grooveShape(incoming, numerator, denominator) {
    var list = incoming && incoming.notes ? incoming.notes : [];
    if (list.length === 0) {
        throw new Error("Select the notes to groove (or a range that holds some)");
    }
    var bpb = beatsPerBar(numerator, denominator);
    var first = Infinity;
    var last = 0;
    for (var i = 0; i < list.length; i++) {
        first = Math.min(first, list[i].start_time);
        last = Math.max(last, list[i].start_time);
    }
    var origin = Math.floor(first / bpb + 1e-9) * bpb;
    var clipBars = Math.floor((last - origin) / bpb + 1e-9) + 1;
    if (clipBars > 32) {
        throw new Error("The selected notes span " + clipBars + " bars; Groove takes at most 32");
    }
    var notes = notesFromLive(incoming, -Infinity, Infinity, origin);
    var key = [];
    for (var k = 0; k < notes.length; k++) {
        key.push(notes[k].pitch + "@" + notes[k].start);
    }
    return { originBeats: origin, clipBars: clipBars, bars: clipBars, numerator: numerator,
        denominator: denominator, notes: notes, key: key.join(" ") };
}

var clipApi = {
    VOICES: VOICES,
    MAX_PROMPT_BARS: MAX_PROMPT_BARS,
    parseKitText: parseKitText,
    kitFromPads: kitFromPads,
    kitText: kitText,
    notesFromLive: notesFromLive,
    barsIn: barsIn,
    promptBefore: promptBefore,
    grooveShape: grooveShape
};

if (typeof exports !== "undefined") {
    for (var clipExport in clipApi) {
        if (clipApi.hasOwnProperty(clipExport)) {
            exports[clipExport] = clipApi[clipExport];
        }
    }
}
