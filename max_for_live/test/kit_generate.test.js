// The Drum Rack's kit on plain Generate and Song (MidiDrumiGen.js through live_harness.js): the MIDI
// Effect sends the map it reads beside it with /mdg/generate and /mdg/song, the Generator MIDI Tool
// with its own /mdg/generate, so the daemon writes and plays on those pads; a bad Kit override sends
// nothing and says why; without a Drum Rack no kit is sent (General MIDI, as before).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");

const { Device, valueOf } = require("./live_harness.js");
const { SongSet } = require("./song_harness.js");

const RACK = [
    { name: "BD Tight", note: 48 }, { name: "Snare Crack", note: 50 }, { name: "Hi-Hat Closed", note: 52 },
    { name: "Open Hat", note: 54 }
];
const RACK_KIT = "kick:48,snare:50,closed_hat:52,open_hat:54";

function lastStatus(device) {
    return device.status[device.status.length - 1];
}

test("Generate sends the Drum Rack's kit and names the voices without a pad", () => {
    const d = new Device("clip", { rack: RACK });
    d.send("generate");
    const [request] = d.requests();
    assert.equal(valueOf(request, "kit"), RACK_KIT);
    assert.match(lastStatus(d), /^Sent: .*, 4 bars, seed \d+\. No pad for low_tom, mid_tom, high_tom, crash, ride/);
    d.send("again");
    assert.equal(valueOf(d.requests()[1], "kit"), RACK_KIT, "Again carries it too");
});

test("Generate without a Drum Rack sends no kit; a wrong override sends nothing", () => {
    const bare = new Device("clip", {});
    bare.send("generate");
    assert.equal(valueOf(bare.requests()[0], "kit"), undefined);
    assert.match(lastStatus(bare), /^Sent: .*, seed \d+$/);

    const d = new Device("clip", { rack: RACK });
    d.send("kitoverride", "text", "ride:51");
    d.send("generate");
    assert.equal(valueOf(d.requests()[0], "kit"), RACK_KIT + ",ride:51");
    d.send("kitoverride", "kick:300");
    d.send("generate");
    assert.equal(d.requests().length, 1, "a wrong override sends nothing");
    assert.match(lastStatus(d), /Kit override/);
});

test("Song sends the Drum Rack's kit with the form", () => {
    const set = new SongSet({ rack: RACK });
    const d = new Device("clip", { liveApi: set.classFor() });
    d.send("songform", "verse:4 chorus:4");
    d.send("song");
    const [message] = d.requests("/mdg/song");
    assert.equal(valueOf(message, "kit"), RACK_KIT);
    assert.match(lastStatus(d), /^Sent: song verse:4 chorus:4, .*\. No pad for low_tom/);

    const bare = new Device("clip", { liveApi: new SongSet({}).classFor() });
    bare.send("songform", "verse:4");
    bare.send("song");
    assert.equal(bare.requests("/mdg/song")[0].indexOf("kit"), -1);
});

test("The Generator MIDI Tool sends the selected track's kit with its Generate", () => {
    const d = new Device("tool", { rack: RACK });
    d.send("generate");
    const [request] = d.requests();
    assert.equal(valueOf(request, "kit"), RACK_KIT);
});
