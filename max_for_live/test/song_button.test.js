// The Song button of MidiDrumiGen.amxd, pressed in MidiDrumiGen.js itself (live_harness.js runs the
// glue as Max would) against a stand-in Set with locators, scenes and an Arrangement
// (song_harness.js): one press sends one /mdg/song, and the daemon's replies (protocol v1, scripted
// as bridge/song_jobs.py sends them) are written at the locators or into scenes.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");

const { Device, requestIdOf, valueOf } = require("./live_harness.js");
const { SongSet, songReplies, sectionsFromDaemon: sections } = require("./song_harness.js");

const LOCATORS = [
    { name: "Intro", time: 16 }, { name: "Verse", time: 32 }, { name: "Chorus", time: 64 }, { name: "End", time: 96 },
];

function songDevice(setOptions) {
    const set = new SongSet(setOptions);
    return { set, device: new Device("clip", { liveApi: set.classFor() }) };
}

// The daemon queues the song as `jobId`, then sends every reply (or those `keep` lets through).
function answerSong(device, message, jobId, keep) {
    device.send("/mdg/queued", jobId, requestIdOf(message));
    for (const [address, args] of songReplies(jobId, sections())) {
        if (!keep || keep(address, args)) {
            device.send(address, ...args);
        }
    }
}

function pitches(clip) {
    return clip.notes.map((n) => n.pitch);
}

test("Song with locators: one /mdg/song of the locators' form, written at the locators (Live 12)", () => {
    const { set, device } = songDevice({ version: "live12", cues: LOCATORS, tempo: 92 });
    device.control("style", 1);
    device.send("songform", "text", "verse:2"); // the typed form is for a Set without locators
    device.send("song");
    assert.equal(device.requests("/mdg/song").length, 1);
    assert.equal(device.requests().length, 0, "a song is not a /mdg/generate");
    const message = device.requests("/mdg/song")[0];
    assert.equal(valueOf(message, "form"), "intro:4 verse:8 chorus:8");
    assert.equal(valueOf(message, "tempo"), 92);
    assert.equal(valueOf(message, "reply_port"), 7711);
    for (const key of ["style", "seed", "temperature", "top_k", "top_p", "humanize", "fill", "request_id"]) {
        assert.notEqual(valueOf(message, key), undefined, key);
    }
    assert.equal(message.indexOf("bars"), -1);
    assert.match(device.status.at(-1), /^Sent: song intro:4 verse:8 chorus:8/);

    answerSong(device, message, "j9");
    assert.deepEqual(set.arrangement.map((c) => [c.name, c.start_time, c.end_time]),
        [["Intro", 16, 32], ["Verse", 32, 64], ["Chorus", 64, 96]]);
    assert.deepEqual(pitches(set.arrangement[1]), [36, 38, 42]);
    assert.deepEqual(set.slots, [null, null, null, null], "no scene is used");
    assert.equal(device.status.at(-1), "Song: 3 sections written at the locators");
    assert.equal(device.requests("/mdg/resend").length, 0);
});

test("Song without locators: the typed form, written into consecutive scenes named after the sections", () => {
    const { set, device } = songDevice({ version: "live12", slots: [{ id: 1, notes: [], name: "mine" }, null] });
    device.send("songform", "text", "intro:4", "verse:8", "chorus:8");
    device.send("song");
    const message = device.requests("/mdg/song")[0];
    assert.equal(valueOf(message, "form"), "intro:4 verse:8 chorus:8");
    answerSong(device, message, "j1");
    assert.equal(set.slots[0].name, "mine", "the producer's clip is kept");
    assert.deepEqual(set.sceneNames.slice(1), ["Intro", "Verse", "Chorus"]);
    assert.deepEqual(set.slots.slice(1).map((c) => [c.name, c.length, c.looping]),
        [["Intro", 16, 1], ["Verse", 32, 1], ["Chorus", 32, 1]]);
    assert.deepEqual(pitches(set.slots[3]), [49]);
    assert.deepEqual(set.arrangement, []);
    assert.equal(device.status.at(-1), "Song: 3 sections in scenes 2-4");
});

test("Song in Live 11: sections go to scenes and are copied to the locators", () => {
    const { set, device } = songDevice({ version: "live11", cues: LOCATORS });
    device.send("song");
    answerSong(device, device.requests("/mdg/song")[0], "j2");
    assert.deepEqual(set.arrangement.map((c) => [c.name, c.start_time]), [["Intro", 16], ["Verse", 32], ["Chorus", 64]]);
    assert.match(device.status.at(-1), /copied to the locators$/);
});

test("a bad form shows in the status line and nothing is written", () => {
    // Locators that do not make a form: refused on the device, nothing sent.
    const offGrid = songDevice({ cues: [{ name: "Verse", time: 0 }, { name: "End", time: 18 }] });
    offGrid.device.send("song");
    assert.equal(offGrid.device.requests("/mdg/song").length, 0);
    assert.equal(offGrid.device.status.at(-1), "Song: locator 'Verse' is 4.5 bars long: put locators on bar lines");

    // No locators and an empty Form field.
    const empty = songDevice({});
    empty.device.send("song");
    assert.equal(empty.device.requests("/mdg/song").length, 0);
    assert.match(empty.device.status.at(-1), /^Song: no section locators in the Set/);

    // A typed form the daemon refuses: its one line, and later replies of no song write nothing.
    const { set, device } = songDevice({});
    device.send("songform", "text", "verse:0");
    device.send("song");
    const message = device.requests("/mdg/song")[0];
    device.send("/mdg/error", requestIdOf(message), "bad_request", "form: verse:0 has 0 bars; a section has 1 to 256");
    assert.match(device.status.at(-1), /verse:0 has 0 bars/);
    for (const [address, args] of songReplies("j3", sections())) {
        device.send(address, ...args);
    }
    assert.deepEqual(set.slots, [null, null, null, null]);
});

test("a section that did not arrive is asked for once with /mdg/resend, then the song is written", () => {
    const { set, device } = songDevice({ cues: LOCATORS });
    device.send("song");
    const message = device.requests("/mdg/song")[0];
    answerSong(device, message, "j4", (address, args) => !(address === "/mdg/song/notes" && args[1] === 1));
    assert.deepEqual(device.requests("/mdg/resend"), [["/mdg/resend", "j4", 7711]]);
    assert.deepEqual(set.arrangement, []);
    for (const [address, args] of songReplies("j4", sections())) {
        device.send(address, ...args);
    }
    assert.equal(set.arrangement.length, 3);

    // Twice missing: the status says so and nothing more is asked.
    const second = songDevice({ cues: LOCATORS });
    second.device.send("song");
    const again = second.device.requests("/mdg/song")[0];
    const noVerse = (address, args) => !(address === "/mdg/song/notes" && args[1] === 1);
    answerSong(second.device, again, "j5", noVerse);
    answerSong(second.device, again, "j5", noVerse);
    assert.equal(second.device.requests("/mdg/resend").length, 1);
    assert.equal(second.device.status.at(-1), "Song: section 2 of 3 did not arrive whole: press Song again");
    assert.deepEqual(second.set.arrangement, []);
});

test("a second press supersedes the song on its way: the first one's replies write nothing, ask nothing", () => {
    const { set, device } = songDevice({ cues: LOCATORS });
    device.send("song");
    device.send("song");
    const [first, second] = device.requests("/mdg/song");
    answerSong(device, first, "j6");
    assert.deepEqual(set.arrangement, []);
    assert.equal(device.requests("/mdg/resend").length, 0);
    answerSong(device, second, "j7");
    assert.equal(set.arrangement.length, 3);
    assert.equal(device.status.at(-1), "Song: 3 sections written at the locators");
});
