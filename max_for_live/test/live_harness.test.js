// MidiDrumiGen.js driven the way Live drives it (see live_harness.js for where each behaviour comes
// from): every apply cycle is answered inside the cycle, one press gives one request and one write,
// and nothing loops, whatever order Live sends the context and the notes in.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");

const { Device, answer, finish, requestIdOf, core } = require("./live_harness.js");

const ORDERS = ["context-first", "notes-first"];

function assertEveryCycleAnswered(device) {
    assert.deepEqual(device.mistakes, []);
    for (const cycle of device.cycles) {
        assert.equal(cycle.answers, 1);
        assert.ok(Array.isArray(cycle.answer.notes));
    }
}

// The pitches a write put into the clip (the harness's patterns differ by their first pitch).
function written(device) {
    return device.writes().map((c) => c.answer.notes.map((n) => n.pitch).sort((a, b) => a - b)[0]);
}

for (const order of ORDERS) {
    test(`MIDI Tool (${order}): one press of the device's Generate gives one request and one write`, () => {
        const d = new Device("tool", { order, selection: [4, 20] });
        d.send("generate");
        assert.equal(d.cycles.length, 1, "the press opens one apply cycle");
        assert.equal(d.cycles[0].wrote, false, "nothing is ready yet: the notes go back unchanged");
        assert.equal(d.requests().length, 1);
        answer(d, d.requests()[0], "j1");
        assert.equal(d.cycles.length, 2, "the pattern's arrival opens exactly one more cycle");
        assert.deepEqual(written(d), [36]);
        assert.equal(d.requests().length, 1, "writing asks for nothing");
        assertEveryCycleAnswered(d);
        // Placed at the selection start, in the 4 bars the 16 selected beats hold.
        assert.equal(d.requests()[0][d.requests()[0].indexOf("bars") + 1], 4);
        assert.deepEqual(d.cycles[1].answer.notes.map((n) => n.start_time), [4, 4.5, 5]);
    });

    test(`MIDI Tool (${order}): Live's own Generate button is answered at once and writes once`, () => {
        const d = new Device("tool", { order, clipNotes: [{ pitch: 60, start_time: 0, duration: 1, velocity: 90 }] });
        const first = d.applyCycle("generate");
        assert.deepEqual(first.answer.notes, first.incoming.notes, "answered in the cycle, clip unchanged");
        assert.equal(d.requests().length, 1);
        answer(d, d.requests()[0], "j1", { pitch: 35 });
        assert.deepEqual(written(d), [35]);
        // The next Generate press gets a new pattern the same way; the old one is not written again.
        d.applyCycle("generate");
        assert.equal(d.requests().length, 2);
        assert.equal(d.writes().length, 1);
        answer(d, d.requests()[1], "j2", { pitch: 37 });
        assert.deepEqual(written(d), [35, 37]);
        assertEveryCycleAnswered(d);
    });

    test(`MIDI Tool (${order}): Auto Apply re-triggers start one request, not one per knob move`, () => {
        const d = new Device("tool", { order });
        d.send("generate");
        for (let step = 1; step <= 40; step++) {
            d.control("temperature", 0.9 + step / 100); // Auto Apply: every move opens a cycle
            d.applyCycle("auto");
        }
        assert.equal(d.requests().length, 1, "cycles while a pattern is on its way ask for nothing");
        answer(d, d.requests()[0], "j1", { pitch: 35 });
        assert.equal(d.writes().length, 0, "a pattern made before the knob moved is not written");
        assert.equal(d.requests().length, 2, "it is asked for once more, with the knob where it stopped");
        assert.equal(d.requests()[1][d.requests()[1].indexOf("temperature") + 1], 1.3);
        answer(d, d.requests()[1], "j2", { pitch: 36 });
        assert.deepEqual(written(d), [36]);
        assert.equal(d.requests().length, 2);
        assertEveryCycleAnswered(d);
    });

    test(`MIDI Tool (${order}): a second press while waiting sends nothing more and writes once`, () => {
        const d = new Device("tool", { order });
        d.send("generate");
        d.send("generate");
        d.applyCycle("generate");
        assert.equal(d.requests().length, 1);
        assert.match(d.status[d.status.length - 1], /Generating/);
        answer(d, d.requests()[0], "j1");
        assert.equal(d.writes().length, 1);
        assert.equal(d.requests().length, 1);
        assertEveryCycleAnswered(d);
    });

    test(`MIDI Tool (${order}): a reply that never comes stops the wait; a late one is written on the next press`, () => {
        const d = new Device("tool", { order });
        d.send("generate");
        answer(d, d.requests()[0], "j1", { finish: false });
        d.scheduler.advance(core.TOOL_REPLY_TIMEOUT_MS - 1);
        d.applyCycle("generate");
        assert.equal(d.requests().length, 1, "still waiting");
        d.scheduler.advance(1);
        assert.match(d.status[d.status.length - 1], /No pattern from the daemon/);
        finish(d, "j1", 35); // arrives after the timeout: kept, not written behind the user's back
        assert.equal(d.writes().length, 0);
        assert.match(d.status[d.status.length - 1], /arrived late/);
        d.send("generate");
        assert.deepEqual(written(d), [35], "the next press writes the late pattern at once");
        assert.equal(d.requests().length, 1, "...and asks for nothing");
        assertEveryCycleAnswered(d);
    });

    test(`MIDI Tool (${order}): an error from the daemon ends the wait and the next press asks again`, () => {
        const d = new Device("tool", { order });
        d.send("generate");
        const requestId = requestIdOf(d.requests()[0]);
        d.send("/mdg/error", requestId, "unknown_style", "no style named x");
        assert.match(d.status[d.status.length - 1], /Style not found/);
        d.send("generate");
        assert.equal(d.requests().length, 2);
        answer(d, d.requests()[1], "j2");
        assert.equal(d.writes().length, 1);
        assertEveryCycleAnswered(d);
    });
}

test("MIDI Tool: notes before any context answer unchanged and the request waits for the context", () => {
    const d = new Device("tool", { order: "notes-first" });
    const cycle = d.applyCycle("generate");
    assert.equal(cycle.answers, 1);
    assert.equal(d.requests().length, 1, "sent once the context arrived, in the same cycle");
    assert.equal(d.requests()[0][d.requests()[0].indexOf("bars") + 1], 4, "16 beats of 4/4 selected");
});

test("MIDI Tool: an empty selection is answered, explained and asks for nothing", () => {
    const d = new Device("tool", { selection: [4, 4] });
    d.send("generate");
    assert.equal(d.cycles[0].answers, 1);
    assert.equal(d.requests().length, 0);
    assert.match(d.status[d.status.length - 1], /time selection is empty/);
});

test("MIDI Tool: ports, loop and output are not pattern controls; Auto Apply on them asks for nothing new", () => {
    const d = new Device("tool");
    d.send("generate");
    d.control("daemonport", 7720);
    d.control("replyport", 7721);
    answer(d, d.requests()[0], "j1");
    assert.equal(d.writes().length, 1);
    assert.equal(d.requests().length, 1);
});

// The clip device (MidiDrumiGen.amxd) writes Session clips through the Live API.
test("clip device: one press, one request, one clip; a duplicate /mdg/done writes nothing more", () => {
    const d = new Device("clip");
    d.send("generate");
    assert.equal(d.requests().length, 1);
    answer(d, d.requests()[0], "c1");
    d.send("/mdg/done", "c1", 3, "", 0.2); // a resend's second /mdg/done
    assert.equal(d.live.addedNotes.length, 1);
    assert.equal(d.live.addedNotes[0].slot, 0);
    assert.equal(d.live.slots[0].name, core.clipName("J Dilla", "verse", 4, d.requests()[0][d.requests()[0].indexOf("seed") + 1]));
});

test("clip device: a second press while waiting is its own request and its own clip, in reply order", () => {
    const d = new Device("clip");
    d.send("generate");
    d.send("generate");
    assert.equal(d.requests().length, 2);
    answer(d, d.requests()[1], "c2", { pitch: 37 });
    answer(d, d.requests()[0], "c1", { pitch: 35 });
    assert.deepEqual(d.live.addedNotes.map((w) => [w.slot, w.notes[0].pitch]), [[0, 37], [1, 35]]);
});

test("clip device: a reply that never comes writes nothing and sends nothing more", () => {
    const d = new Device("clip");
    d.send("generate");
    answer(d, d.requests()[0], "c1", { finish: false });
    d.scheduler.advance(60000);
    assert.equal(d.live.addedNotes.length, 0);
    assert.deepEqual(d.osc.map((m) => m[0]), ["/mdg/generate"]);
    finish(d, "c1", 36); // late: still written, once
    assert.equal(d.live.addedNotes.length, 1);
});

test("clip device: Play and Stop name the reply port so their errors come back", () => {
    const d = new Device("clip");
    d.control("replyport", 9100);
    d.send("generate");
    answer(d, d.requests()[0], "c1");
    d.send("play");
    d.send("stop");
    const sent = d.osc.filter((m) => m[0] === "/mdg/play" || m[0] === "/mdg/stop");
    assert.deepEqual(sent, [["/mdg/play", "c1", 1, 9100], ["/mdg/stop", 9100]]);
    d.send("/mdg/error", "c1", "no_midi_port", "/mdg/play needs a MIDI port");
    assert.match(d.status[d.status.length - 1], /^No MIDI port on the daemon/);
});
