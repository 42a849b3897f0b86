// The producer's own clip, driven through MidiDrumiGen.js the way Live drives it (live_harness.js):
// the MIDI Effect's Continue, Groove and Vary read the selected clip and the Drum Rack beside the
// device, upload the clip in /mdg/clip chunks and write the answer into the next empty slot (or in
// place with Replace); the Generator's Continue mode reads the bars before the time selection; the
// Groove Transformation tool answers every cycle at once and writes the grooved notes where they were.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");

const { Device, answer, finish, requestIdOf, valueOf } = require("./live_harness.js");

// A producer's 808 kit on non-GM notes, and a pad no voice uses.
const RACK = [
    { name: "BD Tight", note: 48 }, { name: "Snare Crack", note: 50 }, { name: "Hi-Hat Closed", note: 52 },
    { name: "Open Hat", note: 54 }, { name: "Clap", note: 39 }, { name: "Cowbell", note: 56 }
];

// Live-format notes: `bars` bars of kick on 1 and 3, snare on 2 and 4, hats on sixteenths, one muted note.
function beat(bars, start) {
    const offset = start || 0;
    const notes = [];
    for (let b = 0; b < bars * 4; b++) {
        notes.push({ pitch: b % 2 ? 50 : 48, start_time: offset + b, duration: 0.25, velocity: 100, mute: 0 });
        for (let s = 0; s < 4; s++) {
            notes.push({ pitch: 52, start_time: offset + b + s / 4, duration: 0.1, velocity: 70.5, mute: 0 });
        }
    }
    notes.push({ pitch: 60, start_time: offset, duration: 1, velocity: 90, mute: 1 });
    return notes;
}

function clipDevice(options) {
    const d = new Device("clip", Object.assign({ rack: RACK }, options || {}));
    d.live.putClip(0, beat(4), 4);
    return d;
}

function lastStatus(device) {
    return device.status[device.status.length - 1];
}

test("Groove uploads the selected clip in chunks with the Drum Rack's kit and writes into the next empty slot", () => {
    const d = clipDevice();
    d.send("grooveclip");
    const [request] = d.requests("/mdg/groove");
    const clipId = valueOf(request, "clip_id");
    assert.equal(clipId, requestIdOf(request));
    const chunks = d.requests("/mdg/clip");
    assert.equal(chunks.length, 2, "16 kicks and snares and 64 hats: 80 unmuted notes in two chunks");
    assert.ok(chunks.every((m) => m.length <= 3 + 1 + 4 * 63), "within the daemon's 256 arguments");
    assert.ok(d.osc.indexOf(chunks[1]) < d.osc.indexOf(request), "the upload goes first");
    const notes = d.uploaded(clipId);
    assert.equal(notes.length, 80);
    assert.ok(notes.every((n) => n[0] !== 60), "the muted note is not part of the clip");
    assert.deepEqual(notes.filter((n) => n[0] === 52)[1], [52, 0.25, 0.1, 71], "velocity made whole");
    assert.equal(valueOf(request, "clip_bars"), 4);
    assert.equal(valueOf(request, "bars"), 4);
    assert.equal(valueOf(request, "kit"), "kick:48,snare:50,closed_hat:52,open_hat:54");
    assert.equal(valueOf(request, "keep"), undefined, "only Vary keeps voices");
    assert.match(lastStatus(d), /No pad for low_tom, mid_tom, high_tom, crash, ride/);
    answer(d, request, "g1");
    assert.equal(d.live.addedNotes.length, 1);
    assert.equal(d.live.addedNotes[0].slot, 1, "the next empty slot after the selected clip");
    assert.equal(d.live.slots[0].notes.length, beat(4).length, "the producer's clip is left as it was");
    assert.match(d.live.slots[1].name, /groove/);
    assert.equal(d.live.slots[1].loop_end, 16);
});

test("Replace writes the grooved clip in place of the selected one", () => {
    const d = clipDevice();
    d.control("replace", 1);
    d.send("grooveclip");
    answer(d, d.requests("/mdg/groove")[0], "g1");
    assert.equal(d.live.addedNotes[0].slot, 0);
    assert.equal(d.live.slots[0].notes.length, 3, "the old notes were removed first");
});

test("Vary sends what the Keep menu keeps: voices, or every bar but the last", () => {
    const d = clipDevice();
    d.control("keep", 3);
    d.send("varyclip");
    let [request] = d.requests("/mdg/vary");
    assert.equal(valueOf(request, "keep"), "closed_hat,open_hat");
    assert.equal(valueOf(request, "keep_bars"), undefined);
    assert.match(lastStatus(d), /keeping Hats/);
    d.live.putClip(0, beat(4), 4);
    d.control("keep", 5);
    d.send("varyclip");
    request = d.requests("/mdg/vary")[1];
    assert.equal(valueOf(request, "keep"), undefined, "an empty keep is left out (Max sends no empty symbol)");
    assert.equal(valueOf(request, "keep_bars"), "1-3");
    assert.equal(valueOf(request, "clip_bars"), 4);
});

test("Continue asks for the Bars control's bars after the clip and writes them into the next slot", () => {
    const d = clipDevice();
    d.live.putClip(1, beat(1), 1);
    d.control("bars", 3);
    d.send("continueclip");
    const [request] = d.requests("/mdg/continue");
    assert.equal(valueOf(request, "bars"), 3);
    assert.equal(valueOf(request, "clip_bars"), 4);
    answer(d, request, "c1");
    assert.equal(d.live.addedNotes[0].slot, 2, "slots 0 and 1 hold clips");
    assert.equal(d.live.slots[2].loop_end, 12);
    assert.match(d.live.slots[2].name, /continue/);
});

test("A kit override wins over pad names; without a Drum Rack no kit is sent and the status says so", () => {
    const d = clipDevice();
    d.send("kitoverride", "text", "kick:36,", "ride:51");
    assert.match(lastStatus(d), /No pad for low_tom, mid_tom, high_tom, crash \(/);
    d.send("grooveclip");
    assert.equal(valueOf(d.requests("/mdg/groove")[0], "kit"), "kick:36,snare:50,closed_hat:52,open_hat:54,ride:51");
    d.send("kitoverride", "cowbell:56");
    assert.match(lastStatus(d), /Kit override: cowbell:56 is not voice:note/);
    d.send("grooveclip");
    assert.equal(d.requests("/mdg/groove").length, 1, "a wrong override sends nothing");

    const bare = new Device("clip", {});
    bare.live.putClip(0, beat(1), 1);
    bare.send("grooveclip");
    const [request] = bare.requests("/mdg/groove");
    assert.equal(valueOf(request, "kit"), undefined);
    assert.match(lastStatus(bare), /No Drum Rack beside the device/);
});

test("No clip in the selected slot, or an empty clip, is refused on the status line and sends nothing", () => {
    const d = new Device("clip", { rack: RACK });
    d.send("grooveclip");
    assert.match(lastStatus(d), /Select a scene whose clip on this track holds your beat/);
    d.live.putClip(0, [], 1);
    d.send("varyclip");
    assert.match(lastStatus(d), /no notes to vary/);
    assert.equal(d.osc.filter((m) => m[0] !== "/mdg/transport").length, 0);
});

test("A daemon error about the clip reaches the status line", () => {
    const d = clipDevice();
    d.send("grooveclip");
    const [request] = d.requests("/mdg/groove");
    d.send("/mdg/error", requestIdOf(request), "bad_request", "clip x is missing chunk 1 of 0..1; send the clip again");
    assert.match(lastStatus(d), /missing chunk 1/);
    d.send("/mdg/queued", "j9", requestIdOf(request));
    d.send("/mdg/warning", "j9", "1 notes on pitches 60 are not drums of the kit; passed through untouched");
    assert.match(lastStatus(d), /passed through untouched/);
});

test("Generator, Mode Continue: the bars before the time selection are the prompt; the answer fills the selection", () => {
    const d = new Device("tool", { selection: [8, 16], rack: RACK });
    d.clipNotes = beat(2).concat([{ pitch: 48, start_time: 9, duration: 0.25, velocity: 100, mute: 0 }]);
    d.control("toolmode", 1);
    d.send("generate");
    const [request] = d.requests("/mdg/continue");
    assert.equal(d.requests().length, 0, "no plain /mdg/generate");
    assert.equal(valueOf(request, "clip_bars"), 2);
    assert.equal(valueOf(request, "bars"), 2);
    const prompt = d.uploaded(valueOf(request, "clip_id"));
    assert.equal(prompt.length, 40, "only the unmuted notes before the selection, from its 2 bars");
    assert.ok(prompt.every((n) => n[1] >= 0 && n[1] < 8));
    answer(d, request, "c1");
    assert.equal(d.writes().length, 1);
    assert.deepEqual(d.writes()[0].answer.notes.map((n) => n.start_time), [8, 8.5, 9]);
    assert.deepEqual(d.mistakes, []);
});

test("Generator, Mode Continue with the selection in the first bar says what to do and sends nothing", () => {
    const d = new Device("tool", { selection: [0, 8] });
    d.control("toolmode", 1);
    d.send("generate");
    assert.match(lastStatus(d), /Continue needs a bar or more before the time selection/);
    assert.equal(d.requests("/mdg/continue").length, 0);
    assert.deepEqual(d.mistakes, []);
});

test("Groove tool: a cycle answers at once, the grooved notes are written back where they were", () => {
    const d = new Device("groove", { selection: [4, 8], rack: RACK });
    d.clipNotes = beat(1, 4).filter((n) => !n.mute);
    const first = d.applyCycle("generate");
    assert.deepEqual(first.answer.notes, first.incoming.notes, "unchanged while the groove is asked for");
    const [request] = d.requests("/mdg/groove");
    assert.equal(valueOf(request, "clip_bars"), 1);
    const sent = d.uploaded(valueOf(request, "clip_id"));
    assert.deepEqual(sent[0], [48, 0, 0.25, 100], "times from the bar line before the first note");
    d.send("/mdg/queued", "g1", requestIdOf(request));
    finish(d, "g1", 0, [[48, 0.02, 0.25, 111], [50, 1.01, 0.25, 97]]);
    assert.equal(d.writes().length, 1);
    assert.deepEqual(d.writes()[0].answer.notes.map((n) => [n.pitch, n.start_time, n.velocity]),
        [[48, 4.02, 111], [50, 5.01, 97]]);
    assert.deepEqual(d.mistakes, []);
});

test("Groove tool: a groove that arrives after the notes changed is not written over other notes", () => {
    const d = new Device("groove", { selection: [0, 4] });
    d.clipNotes = [{ pitch: 36, start_time: 0, duration: 0.25, velocity: 100, mute: 0 }];
    d.applyCycle("generate");
    const [request] = d.requests("/mdg/groove");
    d.clipNotes = [{ pitch: 38, start_time: 1, duration: 0.25, velocity: 100, mute: 0 }];
    d.send("/mdg/queued", "g1", requestIdOf(request));
    finish(d, "g1", 0, [[36, 0.03, 0.25, 90]]);
    assert.equal(d.writes().length, 0, "the cycle the arrival opened left the new notes alone");
    assert.equal(d.requests("/mdg/groove").length, 2, "and asked to groove the notes now selected");
    assert.deepEqual(d.mistakes, []);
});
