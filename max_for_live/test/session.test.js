// The device session against scripted daemon replies: what each reply makes the device do.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const core = require(path.join(__dirname, "..", "mdg_core.js"));

const LIVE = { tempo: 92, numerator: 4, denominator: 4 };

// A deterministic random source: the same sequence on every run.
function seededRandom(seed) {
    let state = seed >>> 0;
    return () => {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        return state / 4294967296;
    };
}

function newSession() {
    return new core.Session({ random: seededRandom(42), tag: "test", replyPort: 7711 });
}

function notesReply(jobId, chunk, chunks, notes) {
    const args = [jobId, chunk, chunks];
    for (const n of notes) {
        args.push(...n);
    }
    return args;
}

// Send one /mdg/generate and answer /mdg/queued as the daemon would; returns the request.
function queue(session, jobId, options) {
    const prepared = session.prepareGenerate(LIVE, options || { purpose: "new" });
    assert.equal(prepared.message[0], "/mdg/generate");
    const actions = session.receive("/mdg/queued", [jobId, prepared.request.requestId]);
    assert.deepEqual(actions, [{ type: "status", text: "Queued" }]);
    return prepared.request;
}

const CHUNKS = [
    [[36, 0, 0.25, 110], [42, 0, 0.125, 70]],
    [[38, 1, 0.25, 100], [42, 0.5, 0.125, 60]],
    [[36, 2.5, 0.25, 90]],
];

function allNotes() {
    return CHUNKS.flat().map((n) => ({ pitch: n[0], start: n[1], duration: n[2], velocity: n[3] }));
}

test("pong connects and shows the daemon", () => {
    const s = newSession();
    s.startRefresh();
    assert.equal(s.connected, false);
    const actions = s.receive("/mdg/pong", ["0.1.0", "mididrumigen@5000", "cuda", 0]);
    assert.equal(s.connected, true);
    assert.deepEqual(actions[0], { type: "connected", version: "0.1.0", model: "mididrumigen@5000", device: "cuda" });
    assert.equal(actions[1].text, "Connected: MidiDrumiGen 0.1.0, mididrumigen@5000 on cuda");
});

test("the style list refills the menu and keeps the selected style by name", () => {
    const s = newSession();
    s.set("style", 2); // Questlove in the built-in menu
    s.startRefresh();
    assert.deepEqual(s.receive("/mdg/style", ["j_dilla", "J Dilla", 82, 98, "Loose MPC swing"]), []);
    s.receive("/mdg/style", ["metro_boomin", "Metro Boomin", 130, 160, "Trap"]);
    s.receive("/mdg/style", ["my_style", "My Style", 60, 200, "Mine"]);
    s.receive("/mdg/style", ["questlove", "Questlove", 85, 105, "Pocket"]);
    const actions = s.receive("/mdg/styles/end", [4]);
    assert.deepEqual(actions, [{ type: "styles", names: ["J Dilla", "Metro Boomin", "My Style", "Questlove"], selected: 3 }]);
    assert.deepEqual(s.selectedStyle(), { id: "questlove", name: "Questlove" });
    const prepared = s.prepareGenerate(LIVE, { purpose: "new" });
    assert.equal(prepared.message[2], "questlove");
});

test("a style list with a lost datagram is not applied", () => {
    const s = newSession();
    s.startRefresh();
    s.receive("/mdg/style", ["j_dilla", "J Dilla", 82, 98, ""]);
    const actions = s.receive("/mdg/styles/end", [3]);
    assert.deepEqual(actions, [{ type: "status", text: "Received 1 of 3 styles: press Refresh" }]);
    assert.equal(s.styles.length, core.DEFAULT_STYLES.length);
});

test("before the daemon answers, the menu's built-in style names are sent", () => {
    const s = newSession();
    const prepared = s.prepareGenerate(LIVE, { purpose: "new" });
    assert.equal(prepared.message[1], "style");
    assert.equal(prepared.message[2], "J Dilla");
});

test("each generate gets a new seed and request id unless the seed is locked", () => {
    const s = newSession();
    const a = s.prepareGenerate(LIVE, { purpose: "new" }).request;
    const b = s.prepareGenerate(LIVE, { purpose: "again" }).request;
    assert.notEqual(a.seed, b.seed);
    assert.notEqual(a.requestId, b.requestId);
    assert.equal(s.settings.seed, b.seed);
    s.set("seedlock", 1);
    const c = s.prepareGenerate(LIVE, { purpose: "again" }).request;
    const d = s.prepareGenerate(LIVE, { purpose: "new" }).request;
    assert.equal(c.seed, b.seed);
    assert.equal(d.seed, b.seed);
    s.set("seed", 99);
    assert.equal(s.prepareGenerate(LIVE, { purpose: "new" }).request.seed, 99);
    assert.equal(b.purpose, "again");
});

test("a job is written once its chunks and /mdg/done are in, whatever the order", () => {
    for (const order of [[0, 1, 2], [2, 0, 1], [1, 2, 0]]) {
        const s = newSession();
        const request = queue(s, "job1");
        assert.equal(s.receive("/mdg/progress", ["job1", 50, "sampling"])[0].text, "Generating 50% (sampling)");
        for (const i of order) {
            assert.deepEqual(s.receive("/mdg/notes", notesReply("job1", i, 3, CHUNKS[i])), []);
        }
        const actions = s.receive("/mdg/done", ["job1", 5, "", 0.4]);
        assert.equal(actions.length, 1);
        assert.equal(actions[0].type, "write");
        assert.equal(actions[0].request, request);
        assert.deepEqual(actions[0].notes, allNotes());
        assert.equal(s.lastJobId, "job1");
    }
});

test("/mdg/done before the last chunk waits for it", () => {
    const s = newSession();
    queue(s, "job1");
    s.receive("/mdg/notes", notesReply("job1", 0, 3, CHUNKS[0]));
    s.receive("/mdg/notes", notesReply("job1", 2, 3, CHUNKS[2]));
    const asked = s.receive("/mdg/done", ["job1", 5, "", 0.4]);
    assert.deepEqual(asked[1], { type: "send", message: ["/mdg/resend", "job1", 7711] });
    const actions = s.receive("/mdg/notes", notesReply("job1", 1, 3, CHUNKS[1]));
    assert.equal(actions[0].type, "write");
    assert.deepEqual(actions[0].notes, allNotes());
    // The daemon's answer to the resend: all chunks and /mdg/done again, all ignored now.
    for (let i = 0; i < 3; i++) {
        assert.deepEqual(s.receive("/mdg/notes", notesReply("job1", i, 3, CHUNKS[i])), []);
    }
    assert.deepEqual(s.receive("/mdg/done", ["job1", 5, "", 0.4]), []);
});

test("lost chunks are asked for again, then given up on", () => {
    const s = newSession();
    const request = queue(s, "job1");
    s.receive("/mdg/notes", notesReply("job1", 0, 3, CHUNKS[0]));
    for (let attempt = 0; attempt < core.MAX_RESEND_ATTEMPTS; attempt++) {
        const actions = s.receive("/mdg/done", ["job1", 5, "", 0.4]);
        assert.deepEqual(actions[1], { type: "send", message: ["/mdg/resend", "job1", 7711] });
    }
    const last = s.receive("/mdg/done", ["job1", 5, "", 0.4]);
    assert.deepEqual(last, [
        { type: "status", text: "Some notes never arrived (network?): press Generate again" },
        { type: "failed", requestId: request.requestId },
    ]);
    assert.deepEqual(s.receive("/mdg/done", ["job1", 5, "", 0.4]), []);
});

test("jobs are kept apart and replies for other jobs are ignored", () => {
    const s = newSession();
    const first = queue(s, "a");
    const second = queue(s, "b");
    s.receive("/mdg/notes", notesReply("b", 0, 1, [[38, 1, 0.25, 100]]));
    s.receive("/mdg/notes", notesReply("a", 0, 1, [[36, 0, 0.25, 100]]));
    assert.deepEqual(s.receive("/mdg/notes", notesReply("stranger", 0, 1, [[40, 0, 0.25, 100]])), []);
    assert.deepEqual(s.receive("/mdg/done", ["stranger", 1, "", 0.1]), []);
    assert.deepEqual(s.receive("/mdg/progress", ["stranger", 10, "x"]), []);
    const doneB = s.receive("/mdg/done", ["b", 1, "", 0.1])[0];
    const doneA = s.receive("/mdg/done", ["a", 1, "", 0.1])[0];
    assert.equal(doneB.request, second);
    assert.equal(doneA.request, first);
    assert.equal(doneB.notes[0].pitch, 38);
    assert.equal(doneA.notes[0].pitch, 36);
    assert.deepEqual(s.receive("/mdg/queued", ["c", "someone-else-1"]), []);
});

test("a count mismatch between chunks and /mdg/done is reported, not written", () => {
    const s = newSession();
    const request = queue(s, "job1");
    s.receive("/mdg/notes", notesReply("job1", 0, 1, CHUNKS[0]));
    const actions = s.receive("/mdg/done", ["job1", 3, "", 0.1]);
    assert.deepEqual(actions, [
        { type: "status", text: "Got 2 notes but the daemon sent 3: press Generate again" },
        { type: "failed", requestId: request.requestId },
    ]);
});

test("a malformed chunk shows what was wrong", () => {
    const s = newSession();
    queue(s, "job1");
    const actions = s.receive("/mdg/notes", ["job1", 0, 1, 36, 0, 0.25]);
    assert.match(actions[0].text, /^Bad reply from the daemon: .*groups of 4/);
});

test("file and MIDI outputs finish without writing a clip", () => {
    const s = newSession();
    s.set("output", 3); // File
    queue(s, "f1");
    assert.deepEqual(s.receive("/mdg/done", ["f1", 30, "/clips/j_dilla_92bpm_4bars_seed1_f1.mid", 0.5]),
        [{ type: "status", text: "Saved j_dilla_92bpm_4bars_seed1_f1.mid (30 notes)" }]);
    s.set("output", 2); // Live MIDI
    queue(s, "m1");
    assert.deepEqual(s.receive("/mdg/done", ["m1", 30, "", 0.5]),
        [{ type: "status", text: "Playing on the MIDI port from the next bar (30 notes)" }]);
    assert.equal(s.lastJobId, "m1");
});

test("errors show their short message and end the job", () => {
    const s = newSession();
    const request = queue(s, "j");
    const byJob = s.receive("/mdg/error", ["j", "generation_failed", "the model produced no notes"]);
    assert.deepEqual(byJob, [
        { type: "status", text: "Generation failed: the model produced no notes" },
        { type: "failed", requestId: request.requestId },
    ]);
    assert.deepEqual(s.receive("/mdg/done", ["j", 0, "", 0.1]), []);
    const refused = s.prepareGenerate(LIVE, { purpose: "new" }).request;
    const byRequest = s.receive("/mdg/error", [refused.requestId, "bad_request", "tempo must be between 60 and 200, got 240.0"]);
    assert.equal(byRequest[0].text, "tempo must be between 60 and 200, got 240.0");
    assert.deepEqual(byRequest[1], { type: "failed", requestId: refused.requestId });
    assert.equal(s.receive("/mdg/error", ["", "no_midi_port", "/mdg/play needs a MIDI port"])[0].text,
        "No MIDI port on the daemon: /mdg/play needs a MIDI port");
    assert.equal(s.receive("/mdg/error", ["", "busy", "busy: queue is full"])[0].text,
        "The daemon is busy: try again in a moment. busy: queue is full");
});

test("play needs a finished pattern and honours the loop switch", () => {
    const s = newSession();
    assert.deepEqual(s.preparePlay(), { error: "Generate a pattern first, then press Play" });
    queue(s, "p1");
    s.receive("/mdg/notes", notesReply("p1", 0, 1, [[36, 0, 0.25, 100]]));
    s.receive("/mdg/done", ["p1", 1, "", 0.1]);
    assert.deepEqual(s.preparePlay(), { message: ["/mdg/play", "p1", 1, 7711] });
    s.set("loop", 0);
    assert.deepEqual(s.preparePlay(), { message: ["/mdg/play", "p1", 0, 7711] });
    assert.deepEqual(s.prepareStop(), { message: ["/mdg/stop", 7711] });
});

test("generate without a style, and unknown replies, are handled", () => {
    const s = newSession();
    s.set("style", 9);
    assert.match(s.prepareGenerate(LIVE, {}).error, /Pick a style/);
    assert.deepEqual(s.receive("/mdg/whatever", [1, 2]), []);
    assert.deepEqual(s.receive("/mdg/cancelled", ["x"]), [{ type: "status", text: "Cancelled" }]);
});

test("only the newest requests are remembered", () => {
    const s = newSession();
    const first = s.prepareGenerate(LIVE, {}).request;
    s.receive("/mdg/queued", ["old", first.requestId]);
    for (let i = 0; i < 20; i++) {
        s.prepareGenerate(LIVE, {});
    }
    assert.equal(s.requests[first.requestId], undefined);
    assert.deepEqual(s.receive("/mdg/done", ["old", 0, "", 0.1]), []);
});
