// Unit tests of mdg_core.js's pure functions: run with `node --test max_for_live/test/`.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const core = require(path.join(__dirname, "..", "mdg_core.js"));

// One /mdg/notes datagram's arguments, as [udpreceive] hands them to [js].
function notesArgs(jobId, chunk, chunks, notes) {
    const args = [jobId, chunk, chunks];
    for (const n of notes) {
        args.push(n[0], n[1], n[2], n[3]);
    }
    return args;
}

const KICK = [36, 0, 0.25, 110];
const SNARE = [38, 1, 0.25, 100];
const HAT = [42, 0.5, 0.125, 70];

test("beats per bar is numerator * 4 / denominator", () => {
    assert.equal(core.beatsPerBar(4, 4), 4);
    assert.equal(core.beatsPerBar(3, 4), 3);
    assert.equal(core.beatsPerBar(6, 8), 3);
    assert.equal(core.beatsPerBar(7, 8), 3.5);
    assert.equal(core.beatsPerBar(2, 2), 4);
    assert.equal(core.beatsPerBar(5, 16), 1.25);
    assert.throws(() => core.beatsPerBar(0, 4), /numerator/);
    assert.throws(() => core.beatsPerBar(4, 0), /denominator/);
});

test("loop end is bars * beats per bar", () => {
    assert.equal(core.loopEndBeats(4, 4, 4), 16);
    assert.equal(core.loopEndBeats(1, 4, 4), 4);
    assert.equal(core.loopEndBeats(32, 4, 4), 128);
    assert.equal(core.loopEndBeats(8, 6, 8), 24);
    assert.equal(core.loopEndBeats(3, 7, 8), 10.5);
    assert.throws(() => core.loopEndBeats(0, 4, 4), /bars/);
    assert.throws(() => core.loopEndBeats(2.5, 4, 4), /bars/);
});

test("clip loop settings set both starts to 0 before any end", () => {
    const settings = core.clipLoopSettings(16);
    const names = settings.map((s) => s[0]);
    assert.deepEqual(settings.find((s) => s[0] === "loop_end"), ["loop_end", 16]);
    assert.deepEqual(settings.find((s) => s[0] === "end_marker"), ["end_marker", 16]);
    assert.ok(names.indexOf("loop_start") < names.indexOf("loop_end"));
    assert.ok(names.indexOf("start_marker") < names.indexOf("end_marker"));
    assert.deepEqual(settings[0], ["looping", 1]);
});

test("parseNotesArgs reads job, chunk, chunks and groups of four", () => {
    const parsed = core.parseNotesArgs(notesArgs("ab12", 1, 3, [KICK, SNARE]));
    assert.equal(parsed.jobId, "ab12");
    assert.equal(parsed.chunk, 1);
    assert.equal(parsed.chunks, 3);
    assert.deepEqual(parsed.notes, [
        { pitch: 36, start: 0, duration: 0.25, velocity: 110 },
        { pitch: 38, start: 1, duration: 0.25, velocity: 100 },
    ]);
});

test("parseNotesArgs accepts an empty chunk (an empty pattern is one chunk of zero notes)", () => {
    assert.deepEqual(core.parseNotesArgs(["j", 0, 1]).notes, []);
});

test("parseNotesArgs refuses malformed chunks with a reason", () => {
    assert.throws(() => core.parseNotesArgs(["j", 0]), /job_id, chunk and chunks/);
    assert.throws(() => core.parseNotesArgs([7, 0, 1]), /job_id must be text/);
    assert.throws(() => core.parseNotesArgs(["j", 1, 1]), /chunk must be between 0 and 0/);
    assert.throws(() => core.parseNotesArgs(["j", 0, 0]), /chunks must be/);
    assert.throws(() => core.parseNotesArgs(["j", 0, 1, 36, 0, 0.25]), /groups of 4/);
    assert.throws(() => core.parseNotesArgs(["j", 0, 1, 128, 0, 0.25, 100]), /pitch/);
    assert.throws(() => core.parseNotesArgs(["j", 0, 1, 36, -1, 0.25, 100]), /start/);
    assert.throws(() => core.parseNotesArgs(["j", 0, 1, 36, 0, "x", 100]), /duration/);
    assert.throws(() => core.parseNotesArgs(["j", 0, 1, 36, 0, 0.25, 1.5]), /velocity/);
});

test("ChunkAssembler rebuilds a pattern from chunks in any order, ignoring duplicates", () => {
    const a = new core.ChunkAssembler();
    const c0 = core.parseNotesArgs(notesArgs("j1", 0, 3, [KICK]));
    const c1 = core.parseNotesArgs(notesArgs("j1", 1, 3, [SNARE]));
    const c2 = core.parseNotesArgs(notesArgs("j1", 2, 3, [HAT]));
    assert.deepEqual(a.add(c2), { added: true, complete: false });
    assert.deepEqual(a.add(c0), { added: true, complete: false });
    assert.deepEqual(a.add(c0), { added: false, complete: false });
    assert.deepEqual(a.missing("j1"), [1]);
    assert.equal(a.notes("j1"), null);
    assert.deepEqual(a.add(c1), { added: true, complete: true });
    assert.deepEqual(a.add(c2), { added: false, complete: true });
    assert.deepEqual(a.notes("j1").map((n) => n.pitch), [36, 38, 42]);
});

test("ChunkAssembler keeps jobs apart", () => {
    const a = new core.ChunkAssembler();
    a.add(core.parseNotesArgs(notesArgs("one", 0, 2, [KICK])));
    a.add(core.parseNotesArgs(notesArgs("two", 1, 2, [HAT])));
    a.add(core.parseNotesArgs(notesArgs("two", 0, 2, [SNARE])));
    assert.equal(a.isComplete("one"), false);
    assert.deepEqual(a.notes("two").map((n) => n.pitch), [38, 42]);
    a.add(core.parseNotesArgs(notesArgs("one", 1, 2, [HAT])));
    assert.deepEqual(a.notes("one").map((n) => n.pitch), [36, 42]);
});

test("ChunkAssembler refuses a job whose chunk count changes, forgets, and evicts the oldest", () => {
    const a = new core.ChunkAssembler(2);
    a.add(core.parseNotesArgs(notesArgs("j", 0, 2, [KICK])));
    assert.throws(() => a.add(core.parseNotesArgs(notesArgs("j", 0, 3, [KICK]))), /said 2 chunks, then 3/);
    a.forget("j");
    assert.equal(a.has("j"), false);
    assert.deepEqual(a.missing("j"), [0]);
    for (const id of ["a", "b", "c"]) {
        a.add(core.parseNotesArgs(notesArgs(id, 0, 2, [KICK])));
    }
    assert.equal(a.has("a"), false);
    assert.equal(a.has("b"), true);
    assert.equal(a.has("c"), true);
});

test("buildNotesDict makes Live's add_new_notes dictionary", () => {
    const notes = [
        { pitch: 42, start: 0.5, duration: 0.125, velocity: 70 },
        { pitch: 38, start: 0, duration: 0.25, velocity: 100 },
        { pitch: 36, start: 0, duration: 0, velocity: 0 },
    ];
    assert.deepEqual(core.buildNotesDict(notes), {
        notes: [
            { pitch: 36, start_time: 0, duration: 1 / 128, velocity: 1, mute: 0 },
            { pitch: 38, start_time: 0, duration: 0.25, velocity: 100, mute: 0 },
            { pitch: 42, start_time: 0.5, duration: 0.125, velocity: 70, mute: 0 },
        ],
    });
    assert.equal(core.buildNotesDict(notes, 8).notes[2].start_time, 8.5);
    assert.deepEqual(core.buildNotesDict([]), { notes: [] });
});

test("clip names read style, section, bars and seed", () => {
    assert.equal(core.clipName("J Dilla", "verse", 4, 1234), "J Dilla \u00b7 verse \u00b7 4 bars \u00b7 seed 1234");
    assert.equal(core.clipName("Questlove", "intro", 1, 0), "Questlove \u00b7 intro \u00b7 1 bar \u00b7 seed 0");
});

test("chooseTarget picks the first empty slot at or after the selected scene", () => {
    const hasClip = [false, true, true, false, false];
    assert.deepEqual(core.chooseTarget({ hasClip, selectedScene: 1, replace: false, againSlot: -1 }),
        { slot: 3, replace: false, createScene: false });
    assert.deepEqual(core.chooseTarget({ hasClip, selectedScene: 0, replace: false, againSlot: -1 }),
        { slot: 0, replace: false, createScene: false });
    assert.deepEqual(core.chooseTarget({ hasClip, selectedScene: -1, replace: false, againSlot: -1 }),
        { slot: 0, replace: false, createScene: false });
});

test("chooseTarget appends a scene when every slot from the selected one is full", () => {
    assert.deepEqual(core.chooseTarget({ hasClip: [false, true, true], selectedScene: 1, replace: false, againSlot: -1 }),
        { slot: 3, replace: false, createScene: true });
    assert.deepEqual(core.chooseTarget({ hasClip: [], selectedScene: 0, replace: false, againSlot: -1 }),
        { slot: 0, replace: false, createScene: true });
});

test("chooseTarget replaces the selected clip with Replace on, or a new clip when that slot is empty", () => {
    const hasClip = [true, true, false];
    assert.deepEqual(core.chooseTarget({ hasClip, selectedScene: 1, replace: true, againSlot: -1 }),
        { slot: 1, replace: true, createScene: false });
    assert.deepEqual(core.chooseTarget({ hasClip, selectedScene: 2, replace: true, againSlot: -1 }),
        { slot: 2, replace: false, createScene: false });
});

test("chooseTarget rewrites the last clip for Again, unless it was deleted", () => {
    assert.deepEqual(core.chooseTarget({ hasClip: [true, true, false], selectedScene: 0, replace: false, againSlot: 1 }),
        { slot: 1, replace: true, createScene: false });
    assert.deepEqual(core.chooseTarget({ hasClip: [true, false, false], selectedScene: 0, replace: false, againSlot: 1 }),
        { slot: 1, replace: false, createScene: false });
    assert.deepEqual(core.chooseTarget({ hasClip: [true], selectedScene: 0, replace: false, againSlot: 5 }),
        { slot: 1, replace: false, createScene: true });
});

test("removeSpanBeats clears the whole old clip", () => {
    assert.equal(core.removeSpanBeats(16, { length: 32, loop_end: 8, end_marker: 40 }), 40);
    assert.equal(core.removeSpanBeats(16, { length: 4, loop_end: 4, end_marker: 4 }), 16);
    assert.equal(core.removeSpanBeats(16, null), 16);
});

test("Live object paths give their indexes", () => {
    assert.equal(core.indexAfter("\"live_set scenes 3\"", "scenes"), 3);
    assert.equal(core.indexAfter("live_set tracks 12 clip_slots 7", "clip_slots"), 7);
    assert.equal(core.indexAfter("live_set tracks 12 clip_slots 7", "tracks"), 12);
    assert.equal(core.indexAfter("live_set", "scenes"), -1);
    assert.equal(core.unquotePath("\"live_set tracks 0\""), "live_set tracks 0");
    assert.equal(core.unquotePath("live_set"), "live_set");
});

test("toolShape fills the time selection with whole bars of the clip's signature", () => {
    const ctx = { clip: { time_selection_start: 4, time_selection_end: 20 } };
    assert.deepEqual(core.toolShape(ctx, { numerator: 4, denominator: 4 }),
        { startBeats: 4, endBeats: 20, bars: 4, numerator: 4, denominator: 4, patternBeats: 16 });
    const waltz = core.toolShape({ clip: { time_selection_start: 0, time_selection_end: 12 } }, { numerator: 3, denominator: 4 });
    assert.equal(waltz.bars, 4);
    const long = core.toolShape({ clip: { time_selection_start: 0, time_selection_end: 256 } }, { numerator: 4, denominator: 4 });
    assert.equal(long.bars, 32);
    const short = core.toolShape({ clip: { time_selection_start: 0, time_selection_end: 1 } }, { numerator: 4, denominator: 4 });
    assert.equal(short.bars, 1);
    assert.throws(() => core.toolShape({ clip: { time_selection_start: 4, time_selection_end: 4 } }, { numerator: 4, denominator: 4 }), /empty/);
    assert.throws(() => core.toolShape({}, { numerator: 4, denominator: 4 }), /no time selection/);
});

test("toolNotes places the pattern at the selection and repeats it to the end", () => {
    const shape = { startBeats: 8, endBeats: 14, bars: 1, numerator: 4, denominator: 4, patternBeats: 4 };
    const notes = [
        { pitch: 36, start: 0, duration: 0.25, velocity: 100 },
        { pitch: 38, start: 3.5, duration: 1, velocity: 90 },
    ];
    const out = core.toolNotes(notes, shape).notes;
    assert.deepEqual(out.map((n) => [n.pitch, n.start_time, n.duration]), [
        [36, 8, 0.25], [38, 11.5, 1], [36, 12, 0.25],
    ]);
});

test("settings accept control values and refuse out-of-range ones", () => {
    const s = core.defaultSettings();
    assert.equal(s.bars, 4);
    assert.equal(s.replyPort, core.DEFAULT_REPLY_PORT);
    assert.equal(core.applySetting(s, "bars", 8), "");
    assert.equal(s.bars, 8);
    assert.equal(core.applySetting(s, "bars", 7.6), "");
    assert.equal(s.bars, 8);
    assert.match(core.applySetting(s, "bars", 33), /bars must be between 1 and 32, got 33/);
    assert.match(core.applySetting(s, "bars", "x"), /must be a number/);
    assert.match(core.applySetting(s, "volume", 1), /unknown control/);
    assert.equal(core.applySetting(s, "humanize", 0), "");
    assert.equal(s.humanize, 0);
    assert.equal(core.applySetting(s, "temperature", 0.85), "");
    assert.equal(s.temperature, 0.85);
});

test("seeds are new each time unless locked, and stay below 2^24", () => {
    assert.equal(core.chooseSeed(1, 1234, () => 0.5), 1234);
    assert.equal(core.chooseSeed(0, 1234, () => 0), 0);
    assert.equal(core.chooseSeed(0, 1234, () => 0.9999999999), core.SEED_MAX);
    assert.equal(core.SEED_MAX, Math.pow(2, 24) - 1);
    assert.equal(Math.fround(core.SEED_MAX), core.SEED_MAX);
});

const STYLE = { id: "j_dilla", name: "J Dilla" };
const LIVE = { tempo: 92, numerator: 4, denominator: 4 };

test("generate messages are key value pairs with Live's tempo and signature", () => {
    const s = core.defaultSettings();
    const request = core.resolveRequest(s, LIVE, STYLE, { requestId: "r-1", seed: 1234, purpose: "new" });
    assert.deepEqual(core.generateMessage(request, 7711), [
        "/mdg/generate",
        "style", "j_dilla", "bars", 4, "tempo", 92, "numerator", 4, "denominator", 4,
        "humanize", 1, "fill", 1, "pattern_type", "verse", "temperature", 0.9, "top_k", 0, "top_p", 0.95,
        "seed", 1234, "output", "clip", "request_id", "r-1", "reply_port", 7711,
    ]);
});

test("the Fill control turns the fill bar off in the generate message", () => {
    const s = core.defaultSettings();
    assert.equal(s.fill, 1);
    assert.equal(core.applySetting(s, "fill", 0), "");
    assert.equal(s.fill, 0);
    const request = core.resolveRequest(s, LIVE, STYLE, { requestId: "r-2", seed: 7, purpose: "new" });
    assert.equal(request.fill, 0);
    const message = core.generateMessage(request, 7711);
    const at = message.indexOf("fill");
    assert.ok(at > 0 && at % 2 === 1, "fill is a key");
    assert.equal(message[at + 1], 0);
    assert.equal(message[message.indexOf("humanize") + 1], 1);
});

test("the tempo and signature controls override Live's", () => {
    const s = core.defaultSettings();
    core.applySetting(s, "tempo", 140);
    core.applySetting(s, "numerator", 7);
    core.applySetting(s, "denominator", 3); // menu index 3 = 8
    core.applySetting(s, "output", 1);
    core.applySetting(s, "ptype", 2);
    const r = core.resolveRequest(s, LIVE, STYLE, { requestId: "r", seed: 1, purpose: "new" });
    assert.equal(r.tempo, 140);
    assert.equal(r.numerator, 7);
    assert.equal(r.denominator, 8);
    assert.equal(r.output, "clip,file");
    assert.equal(r.patternType, "chorus");
    const tool = core.resolveRequest(core.defaultSettings(), LIVE, STYLE, { requestId: "r", seed: 1, purpose: "tool", bars: 9 });
    assert.equal(tool.bars, 9);
});

test("the other messages follow protocol v1", () => {
    assert.deepEqual(core.pingMessage(7711), ["/mdg/ping", 7711]);
    assert.deepEqual(core.stylesMessage(9000), ["/mdg/styles", 9000]);
    assert.deepEqual(core.playMessage("ab", 1, 7711), ["/mdg/play", "ab", 1, 7711]);
    assert.deepEqual(core.playMessage("ab", 0, 9000), ["/mdg/play", "ab", 0, 9000]);
    assert.deepEqual(core.stopMessage(9000), ["/mdg/stop", 9000]);
    assert.deepEqual(core.resendMessage("ab", 7711), ["/mdg/resend", "ab", 7711]);
    assert.deepEqual(core.statusMessage("ab", 7711), ["/mdg/status", "ab", 7711]);
    assert.deepEqual(core.cancelMessage("ab", 7711), ["/mdg/cancel", "ab", 7711]);
    assert.deepEqual(core.transportMessage(16.5, 120, true), ["/mdg/transport", 16.5, 120, 1]);
    assert.deepEqual(core.transportMessage(0, 95, 0), ["/mdg/transport", 0, 95, 0]);
});

test("every error code has a short message", () => {
    assert.equal(core.errorText("bad_request", "bars must be between 1 and 32, got 99"), "bars must be between 1 and 32, got 99");
    assert.match(core.errorText("unknown_style", "unknown style 'x'"), /^Style not found on the daemon: press Refresh/);
    assert.match(core.errorText("unknown_job", "no job 12"), /no longer has that pattern/);
    assert.match(core.errorText("busy", "queue full"), /busy: try again/);
    assert.match(core.errorText("generation_failed", "CUDA out of memory"), /^Generation failed: CUDA out of memory$/);
    assert.match(core.errorText("internal", "boom"), /^Daemon error: boom$/);
    assert.equal(core.errorText("something_new", "x"), "something_new: x");
    assert.ok(core.errorText("internal", "x".repeat(500)).length <= 140);
});

test("status texts", () => {
    assert.equal(core.progressText(40, "sampling"), "Generating 40% (sampling)");
    assert.match(core.noAnswerText("127.0.0.1", 7710), /127\.0\.0\.1:7710.*mididrumigen serve/);
    const request = { styleName: "J Dilla", patternType: "verse", bars: 4, seed: 7, output: "clip,file" };
    assert.equal(core.writtenText(request, 40, { file: "/home/me/clips/j_dilla_4bars.mid" }),
        "Wrote 40 notes: J Dilla \u00b7 verse \u00b7 4 bars \u00b7 seed 7 (saved j_dilla_4bars.mid)");
    assert.equal(core.doneText("midi", { notes: 12, file: "" }), "Playing on the MIDI port from the next bar (12 notes)");
    assert.equal(core.doneText("file", { notes: 12, file: "C:\\clips\\a.mid" }), "Saved a.mid (12 notes)");
});

test("menus and constants line up", () => {
    assert.deepEqual(core.PATTERN_TYPES, ["intro", "verse", "chorus", "bridge", "outro"]);
    assert.equal(core.DENOMINATORS.length, core.DENOMINATOR_LABELS.length);
    assert.equal(core.DEFAULT_DAEMON_PORT, 7710);
    assert.equal(core.DEFAULT_REPLY_PORT, 7711);
    for (const o of core.OUTPUTS) {
        assert.match(o.value, /^(clip|midi|file)(,(clip|midi|file))*$/);
    }
});
