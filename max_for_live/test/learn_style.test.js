// Learn style on the MIDI Effect (MidiDrumiGen.js through live_harness.js): the selected clip goes up
// in /mdg/clip chunks and /mdg/style/learn names it with the typed style name, the track's kit and
// the Set's tempo; /mdg/style/learned is shown, refreshes the style menu and selects the new style;
// a refusal (daemon or device) is one status line and nothing is learned.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");

const { Device, valueOf } = require("./live_harness.js");

const RACK = [{ name: "BD Tight", note: 48 }, { name: "Snare Crack", note: 50 }, { name: "Hi-Hat Closed", note: 52 }];

function beat(bars) {
    const notes = [];
    for (let b = 0; b < bars * 4; b++) {
        notes.push({ pitch: b % 2 ? 50 : 48, start_time: b, duration: 0.25, velocity: 100, mute: 0 });
        notes.push({ pitch: 52, start_time: b + 0.5, duration: 0.1, velocity: 70, mute: 0 });
    }
    return notes;
}

function learner() {
    const d = new Device("clip", { rack: RACK, tempo: 92 });
    d.live.putClip(0, beat(2), 2);
    return d;
}

function lastStatus(device) {
    return device.status[device.status.length - 1];
}

test("Learn style uploads the selected clip and asks for the style under the typed name", () => {
    const d = learner();
    d.send("learnname", "text", "Late", "Night");
    d.send("learnstyle");
    const [request] = d.requests("/mdg/style/learn");
    const clipId = valueOf(request, "clip_id");
    assert.equal(d.uploaded(clipId).length, 16);
    assert.ok(d.osc.findIndex((m) => m[0] === "/mdg/clip") < d.osc.indexOf(request), "the upload goes first");
    assert.equal(valueOf(request, "name"), "Late Night");
    assert.equal(valueOf(request, "tempo"), 92);
    assert.equal(valueOf(request, "replace"), 0);
    assert.equal(valueOf(request, "kit"), "kick:48,snare:50,closed_hat:52");
    assert.equal(valueOf(request, "request_id"), clipId);
    assert.match(lastStatus(d), /^Learning style Late Night from 16 notes/);

    d.send("/mdg/style/learned", clipId, "late_night", "Late Night", "saved late_night.yaml: Late Night (late_night) ...");
    assert.match(lastStatus(d), /^Learned style Late Night: saved late_night.yaml/);
    assert.equal(d.requests("/mdg/styles").length, 1, "the style menu is refreshed");
    for (const [id, name] of [["j_dilla", "J Dilla"], ["late_night", "Late Night"], ["questlove", "Questlove"]]) {
        d.send("/mdg/style", id, name, 80, 100, "");
    }
    d.send("/mdg/styles/end", 3, 0);
    assert.equal(d.js.session.selectedStyle().id, "late_night", "the new style is selected for the next Generate");
});

test("With Replace on the learn replaces a user style; a daemon refusal is one status line", () => {
    const d = learner();
    d.control("replace", 1);
    d.send("learnname", "Late Night");
    d.send("learnstyle");
    const [request] = d.requests("/mdg/style/learn");
    assert.equal(valueOf(request, "replace"), 1);
    d.send("/mdg/error", valueOf(request, "request_id"), "bad_request", "name 'Questlove' makes the id questlove of a built-in style");
    assert.equal(lastStatus(d), "Learn style: name 'Questlove' makes the id questlove of a built-in style");
    assert.equal(d.requests("/mdg/styles").length, 0);
});

test("No name, no clip, an empty clip or a clip not in 4/4 sends nothing and says why", () => {
    const d = learner();
    d.send("learnstyle");
    assert.match(lastStatus(d), /Type a name for the style/);
    d.send("learnname", "Late Night");
    d.live.selectedScene = 3;
    d.send("learnstyle");
    assert.match(lastStatus(d), /Select a scene whose clip on this track holds your beat, then press Learn style/);
    d.live.putClip(3, [], 1);
    d.send("learnstyle");
    assert.match(lastStatus(d), /no notes to learn from/);
    d.live.putClip(3, beat(1), 1);
    d.live.slots[3].signature_numerator = 3;
    d.send("learnstyle");
    assert.match(lastStatus(d), /learned from 4\/4 clips; this one is 3\/4/);
    d.send("learnname", "x".repeat(61));
    d.live.selectedScene = 0;
    d.send("learnstyle");
    assert.match(lastStatus(d), /at most 60 characters/);
    assert.equal(d.osc.filter((m) => m[0] === "/mdg/clip" || m[0] === "/mdg/style/learn").length, 0);
});

test("What the Set's stored text fields send on load restores them: words, the empty field, an unwritten 0", () => {
    const d = learner();
    d.send("kitoverride", "text", "kick:36");
    d.send("generate");
    assert.equal(valueOf(d.requests()[0], "kit"), "kick:36,snare:50,closed_hat:52");
    for (const restored of [["text"], [0]]) {
        d.send("kitoverride", ...restored);
        d.send("generate");
        assert.equal(valueOf(d.requests().at(-1), "kit"), "kick:48,snare:50,closed_hat:52", String(restored));
    }
    d.send("songform", 0);
    d.send("song");
    assert.match(lastStatus(d), /type a form/);
});
