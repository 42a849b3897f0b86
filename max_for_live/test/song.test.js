// The Song button's logic (mdg_song.js) against a stand-in Live Set: locators into a form, the
// /mdg/song request, the section replies, and writing the song to scenes or the Arrangement.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const song = require(path.join(__dirname, "..", "mdg_song.js"));
const { SongSet, songReplies, sectionsFromDaemon, TRACK } = require(path.join(__dirname, "song_harness.js"));

const LOCATORS = [
    { name: "Intro", time: 16 }, { name: "Verse 1", time: 32 }, { name: "Chorus", time: 64 },
    { name: "Verse 2", time: 96 }, { name: "Outro", time: 128 }, { name: "End", time: 144 },
];

function assembled(jobId, sections) {
    const assembler = new song.SongAssembler(jobId);
    let result = null;
    for (const [address, args] of songReplies(jobId, sections)) {
        result = assembler.receive(address, args) || result;
    }
    assert.equal(result.type, "done");
    return result.sections;
}

test("locator names map to sections, digits and aliases allowed", () => {
    assert.equal(song.sectionKind("Verse 2"), "verse");
    assert.equal(song.sectionKind("CHORUS"), "chorus");
    assert.equal(song.sectionKind("Hook"), "chorus");
    assert.equal(song.sectionKind("Pre-Chorus"), null);
    assert.equal(song.sectionKind("End"), null);
});

test("the Set's cue points become the form, each section running to the next locator", () => {
    const live = new SongSet({ cues: LOCATORS.slice().reverse() });
    const cues = song.readCuePoints(live.classFor());
    const form = song.formFromCuePoints(cues, 0, 4, 4);
    assert.equal(form.error, null);
    assert.deepEqual(form.sections.map((s) => [s.kind, s.startBeats, s.bars]),
        [["intro", 16, 4], ["verse", 32, 8], ["chorus", 64, 8], ["verse", 96, 8], ["outro", 128, 4]]);
    assert.equal(song.formText(form.sections), "intro:4 verse:8 chorus:8 verse:8 outro:4");
});

test("without an End locator the song's length closes the last section, in any meter", () => {
    const cues = [{ name: "Verse", time: 0 }, { name: "Chorus", time: 14 }];
    const form = song.formFromCuePoints(cues, 28, 7, 8); // 7/8: 3.5 beats a bar
    assert.deepEqual(form.sections.map((s) => s.bars), [4, 4]);
    assert.equal(song.formFromCuePoints(cues, 10, 7, 8).error, "put a locator named End where the song ends");
});

test("locators that cannot make a form give one clear line", () => {
    assert.deepEqual(song.formFromCuePoints([], 100, 4, 4), { sections: [], error: null }); // the typed form then
    assert.equal(song.formFromCuePoints([{ name: "Solo", time: 0 }, { name: "End", time: 16 }], 0, 4, 4).error,
        "locator 'Solo' is not a section: name it intro, verse, chorus, bridge, outro");
    assert.equal(song.formFromCuePoints([{ name: "Verse", time: 0 }, { name: "End", time: 18 }], 0, 4, 4).error,
        "locator 'Verse' is 4.5 bars long: put locators on bar lines");
    assert.equal(song.formFromCuePoints([{ name: "Verse", time: 0 }, { name: "End", time: 1200 }], 0, 4, 4).error,
        "the locators span 300 bars; a song holds at most 256");
});

test("the request carries the form and the pattern settings, never bars", () => {
    const message = song.songMessage({ style: "j_dilla", tempo: 92, numerator: 4, denominator: 4, seed: 5,
        temperature: 0.9, requestId: "song-1" }, "intro:4 verse:8", 7711);
    assert.deepEqual(message, ["/mdg/song", "style", "j_dilla", "tempo", 92, "numerator", 4, "denominator", 4,
        "form", "intro:4 verse:8", "temperature", 0.9, "seed", 5, "request_id", "song-1", "reply_port", 7711]);
    assert.ok(!message.includes("bars"));
});

test("the Song button takes the locators when the Set has them, else the typed form", () => {
    const request = { style: "questlove", tempo: 96, numerator: 4, denominator: 4, requestId: "s" };
    const located = song.startSong(new SongSet({ cues: LOCATORS }).classFor(), request, "verse:4", 7711);
    assert.equal(located.form, "intro:4 verse:8 chorus:8 verse:8 outro:4");
    assert.equal(located.originBeats, 16);
    assert.equal(located.message[located.message.indexOf("form") + 1], located.form);
    const typed = song.startSong(new SongSet({}).classFor(), request, "verse:4 chorus:4", 7711);
    assert.deepEqual([typed.form, typed.originBeats], ["verse:4 chorus:4", null]);
    assert.match(song.startSong(new SongSet({}).classFor(), request, " ", 7711).error, /no section locators/);
    const bad = song.startSong(new SongSet({ cues: [{ name: "Solo", time: 0 }, { name: "End", time: 8 }] }).classFor(),
        request, "verse:4", 7711);
    assert.match(bad.error, /locator 'Solo' is not a section/);
});

test("the assembler waits for every section's chunks and refuses a song with one missing", () => {
    const sections = assembled("job1", sectionsFromDaemon());
    assert.deepEqual(sections.map((s) => [s.name, s.bars, s.notes.length]), [["Intro", 4, 2], ["Verse", 8, 3],
        ["Chorus", 8, 1]]);
    assert.deepEqual(sections[1].notes[2], { pitch: 42, start_time: 1.5, duration: 0.125, velocity: 70 });
    const assembler = new song.SongAssembler("job2");
    const replies = songReplies("job2", sectionsFromDaemon()).filter(([address, args]) =>
        !(address === "/mdg/song/notes" && args[1] === 1 && args[2] === 1));
    const results = replies.map(([address, args]) => assembler.receive(address, args)).filter(Boolean);
    assert.deepEqual(results, [{ type: "missing", text: "section 2 of 3 did not arrive whole" }]);
    assert.equal(assembler.receive("/mdg/notes", ["other", 0, 1]), null);
    assert.deepEqual(new song.SongAssembler("j").receive("/mdg/error", ["j", "bad_request", "verse must be ..."]),
        { type: "error", text: "verse must be ..." });
});

test("Live 12 writes each section into the Arrangement at its locator", () => {
    const live = new SongSet({ version: "live12" });
    const result = song.writeSong(live.classFor(), TRACK, assembled("j", sectionsFromDaemon()), 4, 4, 16);
    assert.equal(result.where, "arrangement");
    assert.deepEqual(live.arrangement.map((c) => [c.name, c.start_time, c.end_time, c.notes.length]),
        [["Intro", 16, 32, 2], ["Verse", 32, 64, 3], ["Chorus", 64, 96, 1]]);
    assert.ok(live.slots.every((s) => s === null)); // no scene used
});

test("Live 11 writes scenes and copies them to the locators", () => {
    const live = new SongSet({ version: "live11" });
    const result = song.writeSong(live.classFor(), TRACK, assembled("j", sectionsFromDaemon()), 4, 4, 16);
    assert.equal(result.where, "arrangement");
    assert.deepEqual(live.sceneNames.slice(0, 3), ["Intro", "Verse", "Chorus"]);
    assert.deepEqual(live.arrangement.map((c) => [c.start_time, c.end_time, c.notes.length]),
        [[16, 32, 2], [32, 64, 3], [64, 96, 1]]);
    assert.equal(result.text, "Song: 3 sections in scenes 1-3 and copied to the locators");
});

test("without locators the sections go to consecutive empty scenes named after them, nothing overwritten", () => {
    const kept = { id: 1, length: 4, notes: [{ pitch: 36 }], name: "mine", looping: 1 };
    const live = new SongSet({ version: "live12", slots: [null, kept, null, null] });
    const result = song.writeSong(live.classFor(), TRACK, assembled("j", sectionsFromDaemon()), 4, 4, null);
    assert.equal(result.text, "Song: 3 sections in scenes 3-5");
    assert.equal(live.slots[1], kept);
    assert.deepEqual(live.slots.slice(2).map((c) => [c.name, c.length, c.looping, c.notes.length]),
        [["Intro", 16, 1, 2], ["Verse", 32, 1, 3], ["Chorus", 32, 1, 1]]);
    assert.deepEqual(live.sceneNames.slice(2), ["Intro", "Verse", "Chorus"]);
    assert.equal(live.calls.filter((c) => c[1] === "create_scene").length, 1);
});

test("an Arrangement that already has clips there is left alone: the song goes to scenes", () => {
    const live = new SongSet({ version: "live12", arrangement: [{ id: 9, start_time: 40, end_time: 48 }] });
    const result = song.writeSong(live.classFor(), TRACK, assembled("j", sectionsFromDaemon()), 4, 4, 16);
    assert.equal(result.where, "scenes");
    assert.match(result.text, /the Arrangement has clips there/);
    assert.equal(live.arrangement.length, 1);
});

test("a track whose Live has neither arrangement call gets scenes", () => {
    assert.equal(song.arrangementMode("function create_midi_clip\nfunction x"), "create");
    assert.equal(song.arrangementMode("function duplicate_clip_to_arrangement"), "duplicate");
    const live = new SongSet({ version: "none" });
    assert.equal(song.writeSong(live.classFor(), TRACK, assembled("j", sectionsFromDaemon()), 4, 4, 0).where,
        "scenes");
});
