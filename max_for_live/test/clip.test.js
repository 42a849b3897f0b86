// mdg_clip.js (pad names -> voices, notes from Live, the prompt before a selection, the groove shape)
// and mdg_core.js's clip jobs (chunked upload, the request, Keep).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const clip = require(path.join(__dirname, "..", "mdg_clip.js"));
const core = require(path.join(__dirname, "..", "mdg_core.js"));

test("pad names map to voices: open before closed hats, clap then rim stand in for a snare, bare toms by note", () => {
    const mapping = clip.kitFromPads([
        { name: "Kick 808", note: 36 }, { name: "Rim", note: 37 }, { name: "Clap", note: 39 },
        { name: "Hat Open", note: 46 }, { name: "HiHat", note: 42 }, { name: "Tom", note: 50 },
        { name: "Tom", note: 43 }, { name: "Floor Tom", note: 41 }, { name: "Crash Cymbal", note: 49 },
        { name: "Ride Bell", note: 53 }
    ], "");
    assert.deepEqual(mapping.kit, { kick: 36, snare: 39, open_hat: 46, closed_hat: 42, low_tom: 41, mid_tom: 43,
        high_tom: 50, crash: 49, ride: 53 });
    assert.deepEqual(mapping.unmapped, []);
    assert.equal(mapping.text, "kick:36,snare:39,closed_hat:42,open_hat:46,low_tom:41,mid_tom:43,high_tom:50,crash:49,ride:53");
    assert.equal(clip.kitText(mapping, true), "Kit: every voice has a pad");
});

test("Live's 808 Core Kit names and a rack with only a rim", () => {
    const mapping = clip.kitFromPads([
        { name: "Kick 808", note: 36 }, { name: "Snare 808", note: 38 }, { name: "Hihat Closed 808", note: 42 },
        { name: "Hihat Open 808", note: 46 }, { name: "Tom Low 808", note: 45 }, { name: "Tom Hi 808", note: 50 },
        { name: "Cymbal 808", note: 49 }, { name: "Cowbell 808", note: 56 }
    ], "");
    assert.deepEqual(mapping.kit, { kick: 36, snare: 38, closed_hat: 42, open_hat: 46, low_tom: 45, high_tom: 50,
        crash: 49 });
    assert.deepEqual(mapping.unmapped, ["mid_tom", "ride"]);
    assert.equal(clip.kitText(mapping, true), "No pad for mid_tom, ride (General MIDI notes used)");
    assert.deepEqual(clip.kitFromPads([{ name: "Side Stick", note: 37 }], "").kit, { snare: 37 });
    assert.equal(clip.kitText(clip.kitFromPads([], ""), false), "No Drum Rack beside the device: notes use General MIDI drums");
});

test("the override table wins, and a wrong entry is named", () => {
    const mapping = clip.kitFromPads([{ name: "Kick", note: 36 }], " closed_hat:44 , kick:35");
    assert.deepEqual(mapping.kit, { kick: 35, closed_hat: 44 });
    assert.equal(mapping.error, "");
    assert.match(clip.parseKitText("kick:128").error, /the note of kick must be 0 to 127, got 128/);
    assert.match(clip.parseKitText("kick").error, /kick is not voice:note/);
    assert.deepEqual(clip.parseKitText("kick:36 snare:38").kit, { kick: 36, snare: 38 });
    assert.match(clip.parseKitText("tabla:40").error, /tabla:40 is not voice:note \(voices: kick, snare/);
});

test("notes from Live's dictionary: muted left out, a range, times from an origin, sorted", () => {
    const dict = { notes: [
        { pitch: 38, start_time: 5, duration: 0.25, velocity: 90, mute: 0 },
        { pitch: 36, start_time: 4, duration: 0.25, velocity: 100, mute: 0 },
        { pitch: 42, start_time: 4.5, duration: 0.25, velocity: 60, mute: 1 },
        { pitch: 36, start_time: 8, duration: 0.25, velocity: 100, mute: 0 }
    ] };
    assert.deepEqual(clip.notesFromLive(dict, 4, 8, 4), [
        { pitch: 36, start: 0, duration: 0.25, velocity: 100 }, { pitch: 38, start: 1, duration: 0.25, velocity: 90 }
    ]);
    assert.equal(clip.barsIn(8, 4, 4), 2);
    assert.equal(clip.barsIn(9, 4, 4), 3);
    assert.equal(clip.barsIn(7, 7, 8), 2);
});

test("the prompt before a selection: whole bars, at most 8, none in the first bar", () => {
    assert.deepEqual(clip.promptBefore(8, 4, 4), { fromBeats: 0, clipBars: 2 });
    assert.deepEqual(clip.promptBefore(10, 4, 4), { fromBeats: 2, clipBars: 2 });
    assert.deepEqual(clip.promptBefore(64, 4, 4), { fromBeats: 32, clipBars: 8 });
    assert.throws(() => clip.promptBefore(3, 4, 4), /Continue needs a bar or more/);
});

test("the groove shape starts on the bar line before the first note and keys the notes it was made from", () => {
    const incoming = { notes: [{ pitch: 36, start_time: 5, duration: 0.25, velocity: 100, mute: 0 },
        { pitch: 38, start_time: 9.5, duration: 0.25, velocity: 80, mute: 0 }] };
    const shape = clip.grooveShape(incoming, 4, 4);
    assert.equal(shape.originBeats, 4);
    assert.equal(shape.clipBars, 2);
    assert.deepEqual(shape.notes.map((n) => n.start), [1, 5.5]);
    assert.equal(shape.key, "36@1 38@5.5");
    assert.throws(() => clip.grooveShape({ notes: [] }, 4, 4), /Select the notes to groove/);
    assert.throws(() => clip.grooveShape({ notes: [{ pitch: 36, start_time: 0, duration: 1, velocity: 9 },
        { pitch: 36, start_time: 200, duration: 1, velocity: 9 }] }, 4, 4), /span 51 bars; Groove takes at most 32/);
});

test("a clip upload: 60 notes a chunk, whole velocities, an empty clip is one empty chunk", () => {
    const notes = Array.from({ length: 130 }, (_, i) => ({ pitch: 36, start: i / 4, duration: 0.1, velocity: 99.6 }));
    const messages = core.clipUploadMessages("c-1", notes);
    assert.deepEqual(messages.map((m) => [m[2], m[3], (m.length - 4) / 4]), [[0, 3, 60], [1, 3, 60], [2, 3, 10]]);
    assert.deepEqual(messages[2].slice(4, 8), [36, 30, 0.1, 100]);
    assert.deepEqual(core.clipUploadMessages("c-2", []), [["/mdg/clip", "c-2", 0, 1]]);
});

test("a clip job: the upload, then the request with generate's keys, the clip's and the kit", () => {
    const session = new core.Session({ tag: "t", random: () => 0.25 });
    session.set("keep", 5);
    const live = { tempo: 97, numerator: 4, denominator: 4 };
    const notes = [{ pitch: 36, start: 0, duration: 0.25, velocity: 100 }];
    const prepared = session.prepareClipJob(live, { mode: "vary", notes, clipBars: 4, kit: "kick:48" });
    const [upload, message] = prepared.messages;
    assert.deepEqual(upload, ["/mdg/clip", "t-1", 0, 1, 36, 0, 0.25, 100]);
    assert.equal(message[0], "/mdg/vary");
    const pairs = {};
    for (let i = 1; i < message.length; i += 2) {
        pairs[message[i]] = message[i + 1];
    }
    assert.equal(pairs.clip_id, "t-1");
    assert.equal(pairs.clip_bars, 4);
    assert.equal(pairs.bars, 4);
    assert.equal(pairs.keep_bars, "1-3");
    assert.equal(pairs.kit, "kick:48");
    assert.equal(pairs.request_id, "t-1");
    assert.equal(core.requestClipName(prepared.request), "J Dilla \u00b7 vary \u00b7 4 bars \u00b7 seed " + prepared.request.seed);
    assert.match(session.prepareClipJob(live, { mode: "groove", notes: [], clipBars: 1 }).error, /no notes to groove/);
    assert.match(session.prepareClipJob(live, { mode: "groove", notes, clipBars: 33 }).error, /33 bars long; groove takes 1 to 32/);
    assert.match(session.prepareClipJob(live, { mode: "drumify", notes, clipBars: 1 }).error, /unknown clip mode/);
    const cont = session.prepareClipJob(live, { mode: "continue", notes, clipBars: 2, bars: 8 });
    assert.equal(cont.messages[1][0], "/mdg/continue");
    assert.equal(cont.messages[1][cont.messages[1].indexOf("bars") + 1], 8);
    assert.equal(cont.messages[1].indexOf("kit"), -1, "no kit: left out");
});
