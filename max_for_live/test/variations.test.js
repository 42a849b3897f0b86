// Variations on the MIDI Effect: the Variations control asks for N takes in one /mdg/generate, the
// session collects /mdg/take headers and /mdg/take/notes chunks in any order, and the glue writes
// each take into its own clip, in consecutive empty slots from the selected scene down.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const core = require(path.join(__dirname, "..", "mdg_core.js"));
const { Device, requestIdOf, valueOf } = require("./live_harness.js");

const LIVE = { tempo: 92, numerator: 4, denominator: 4 };

function session() {
    let state = 7;
    const random = () => {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        return state / 4294967296;
    };
    return new core.Session({ random, tag: "v", replyPort: 7711 });
}

// The notes of take k (pitch 36 + k first) as /mdg/take/notes values.
function takeNotes(k) {
    return [[36 + k, 0, 0.25, 100], [42, 0.5, 0.125, 70 + k]];
}

// What the daemon answers for a variations job: per take its header and one chunk, then /mdg/done.
function takeReplies(jobId, seed, count) {
    const replies = [];
    let total = 0;
    for (let k = 0; k < count; k++) {
        const notes = takeNotes(k);
        total += notes.length;
        replies.push(["/mdg/take", [jobId, k, count, String(seed + k), notes.length, ""]]);
        replies.push(["/mdg/take/notes", [jobId, k, 0, 1, ...notes.flat()]]);
    }
    replies.push(["/mdg/done", [jobId, total, "", 0.3]]);
    return replies;
}

test("the Variations control is a setting of 1 to 8, one take by default", () => {
    const s = session();
    assert.equal(s.settings.variations, 1);
    assert.equal(s.set("variations", 4), "");
    assert.equal(s.settings.variations, 4);
    assert.equal(s.set("variations", 9), "variations must be between 1 and 8, got 9");
    assert.equal(s.set("variations", 0), "variations must be between 1 and 8, got 0");
    assert.equal(core.SETTINGS.variations.max, core.MAX_VARIATIONS);
});

test("Generate sends variations only when it asks for more than one take; Again and clip jobs make one", () => {
    const s = session();
    assert.equal(valueOf(s.prepareGenerate(LIVE, { purpose: "new" }).message, "variations"), undefined);
    s.set("variations", 3);
    const prepared = s.prepareGenerate(LIVE, { purpose: "new" });
    assert.equal(valueOf(prepared.message, "variations"), 3);
    assert.equal(prepared.request.variations, 3);
    assert.equal(valueOf(s.prepareGenerate(LIVE, { purpose: "again" }).message, "variations"), undefined);
    assert.equal(valueOf(s.prepareGenerate(LIVE, { purpose: "tool", bars: 2 }).message, "variations"), undefined);
    const clip = s.prepareClipJob(LIVE, { mode: "groove", notes: [{ pitch: 36, start: 0, duration: 0.25, velocity: 90 }],
        clipBars: 1 });
    assert.equal(valueOf(clip.messages[clip.messages.length - 1], "variations"), undefined);
});

test("the takes are written once every header, chunk and /mdg/done is in, whatever the order", () => {
    for (const order of ["in order", "reversed", "done first"]) {
        const s = session();
        s.set("variations", 3);
        const prepared = s.prepareGenerate(LIVE, { purpose: "new" });
        s.receive("/mdg/queued", ["j1", prepared.request.requestId]);
        let replies = takeReplies("j1", prepared.request.seed, 3);
        if (order === "reversed") {
            replies = replies.slice(0, -1).reverse().concat(replies.slice(-1));
        } else if (order === "done first") {
            replies = replies.slice(-1).concat(replies.slice(0, -1));
        }
        const actions = replies.flatMap(([address, args]) => s.receive(address, args));
        const takes = actions.filter((a) => a.type === "takes");
        assert.equal(takes.length, 1, order);
        assert.deepEqual(takes[0].takes.map((t) => [t.index, t.seed, t.notes[0].pitch]),
            [[0, prepared.request.seed, 36], [1, prepared.request.seed + 1, 37], [2, prepared.request.seed + 2, 38]]);
        assert.equal(actions.filter((a) => a.type === "send").length, order === "done first" ? 1 : 0,
            "a /mdg/done before the takes asks for a resend, whose duplicates are then ignored");
        assert.deepEqual(s.receive("/mdg/done", ["j1", 6, "", 0.3]), [], "a late duplicate does nothing");
    }
});

test("a lost take chunk is asked for again; a take whose count disagrees fails the job", () => {
    const s = session();
    s.set("variations", 2);
    const prepared = s.prepareGenerate(LIVE, { purpose: "new" });
    s.receive("/mdg/queued", ["j2", prepared.request.requestId]);
    const replies = takeReplies("j2", prepared.request.seed, 2);
    const lost = replies.filter(([address, args]) => !(address === "/mdg/take/notes" && args[1] === 1));
    const actions = lost.flatMap(([address, args]) => s.receive(address, args));
    assert.deepEqual(actions.find((a) => a.type === "send").message, ["/mdg/resend", "j2", 7711]);
    const resent = replies.flatMap(([address, args]) => s.receive(address, args));
    assert.equal(resent.filter((a) => a.type === "takes").length, 1);

    const bad = session();
    bad.set("variations", 2);
    const request = bad.prepareGenerate(LIVE, { purpose: "new" }).request;
    bad.receive("/mdg/queued", ["j3", request.requestId]);
    const wrong = takeReplies("j3", request.seed, 2).map(([address, args]) =>
        (address === "/mdg/take" && args[1] === 1 ? [address, ["j3", 1, 2, "5", 9, ""]] : [address, args]));
    const out = wrong.flatMap(([address, args]) => bad.receive(address, args));
    assert.ok(out.some((a) => a.type === "status" && a.text.startsWith("Take 2: got 2 notes but the daemon sent 9")));
    assert.ok(out.some((a) => a.type === "failed") && !out.some((a) => a.type === "takes"));
});

test("parseTakeNotesArgs keeps takes apart and refuses a bad take index", () => {
    const parsed = core.parseTakeNotesArgs(["j", 2, 0, 1, 36, 0, 0.25, 100]);
    assert.equal(parsed.jobId, "j#2");
    assert.equal(parsed.take, 2);
    assert.equal(parsed.notes[0].pitch, 36);
    assert.throws(() => core.parseTakeNotesArgs(["j", 8, 0, 1]), /take index 0..7/);
    assert.throws(() => core.parseTakeNotesArgs(["j", 0, 1, 1]), /chunk must be between 0 and 0/);
});

test("chooseTakeTargets: consecutive empty slots from the selected scene down, scenes added at the end", () => {
    const slots = (targets) => targets.map((t) => [t.slot, t.replace, t.createScene]);
    assert.deepEqual(slots(core.chooseTakeTargets({ hasClip: [false, false, false, false], selectedScene: 1 }, 3)),
        [[1, false, false], [2, false, false], [3, false, false]]);
    // A filled slot is never written over: the next take skips it.
    assert.deepEqual(slots(core.chooseTakeTargets({ hasClip: [false, true, false], selectedScene: 0 }, 2)),
        [[0, false, false], [2, false, false]]);
    // Past the last scene, each take adds one.
    assert.deepEqual(slots(core.chooseTakeTargets({ hasClip: [false, false], selectedScene: 1 }, 3)),
        [[1, false, false], [2, false, true], [3, false, true]]);
    // Replace reuses the selected clip for the first take only.
    assert.deepEqual(slots(core.chooseTakeTargets({ hasClip: [true, false], selectedScene: 0, replace: true }, 2)),
        [[0, true, false], [1, false, false]]);
});

test("clip device: one press with Variations 3 is one request and three clips in consecutive slots", () => {
    const d = new Device("clip", { slots: 4 });
    d.live.slots[2] = { length: 4, notes: [{ pitch: 60 }] }; // the producer's clip in scene 3 stays
    d.control("variations", 3);
    d.send("generate");
    const [request] = d.requests();
    assert.equal(valueOf(request, "variations"), 3);
    const seed = valueOf(request, "seed");
    d.send("/mdg/queued", "j1", requestIdOf(request));
    for (const [address, args] of takeReplies("j1", seed, 3)) {
        d.send(address, ...args);
    }
    assert.equal(d.requests().length, 1);
    assert.deepEqual(d.live.addedNotes.map((a) => [a.slot, a.notes[0].pitch]), [[0, 36], [1, 37], [3, 38]]);
    assert.deepEqual(d.live.slots[2].notes, [{ pitch: 60 }]);
    assert.deepEqual([0, 1, 3].map((slot) => d.live.slots[slot].name.split("seed ")[1]),
        [String(seed), String(seed + 1), String(seed + 2)]);
    assert.equal(d.status[d.status.length - 1].split(":")[0], "Wrote 3 takes (6 notes) into slots 1-4");
    // Again rewrites the first take's clip with one new pattern.
    d.send("again");
    const again = d.requests()[1];
    assert.equal(valueOf(again, "variations"), undefined);
    d.send("/mdg/queued", "j2", requestIdOf(again));
    d.send("/mdg/notes", "j2", 0, 1, 50, 0, 0.25, 100);
    d.send("/mdg/done", "j2", 1, "", 0.1);
    assert.deepEqual(d.live.addedNotes.map((a) => a.slot), [0, 1, 3, 0]);
});
