// A stand-in for the Live Object Model paths mdg_song.js uses, on one MIDI track of one Set:
// live_set (cue_points, scenes, create_scene, and the tempo and meter the device reads), live_set cue_points N (name, time),
// live_set scenes N (name), the track's clip_slots N (has_clip, create_clip) and their clip
// (add_new_notes, name, looping), and the track's arrangement_clips N (start_time, end_time)
// with Track.create_midi_clip(start_time, length) and Track.duplicate_clip_to_arrangement(clip, time).
// Which of the two Track functions exist follows the Live version, as the track's `info` lists them
// (docs.cycling74.com/apiref/lom/track; `info` is the LiveAPI property describing an object).
// With `rack` ([{name, note}] filled pads) the track also holds a Drum Rack after this device, read
// as live_harness.js reads one (devices N can_have_drum_pads, drum_pads N name/note/chains).
"use strict";

const TRACK = "live_set tracks 0";

class SongSet {
    // version: "live12" (create_midi_clip), "live11" (duplicate_clip_to_arrangement only), "none"
    constructor(options) {
        const opts = options || {};
        this.version = opts.version || "live12";
        this.cues = opts.cues || [];
        this.songLength = opts.songLength || 0;
        this.tempo = opts.tempo || 120;
        this.numerator = opts.numerator || 4;
        this.denominator = opts.denominator || 4;
        this.slots = (opts.slots || [null, null, null, null]).slice();
        this.sceneNames = this.slots.map(() => "");
        this.arrangement = (opts.arrangement || []).map((c) => Object.assign({ notes: [], name: "" }, c));
        this.calls = [];
        this.nextId = 100;
        this.rack = opts.rack || null;
    }

    _pad(path) {
        const note = Number(path.match(/drum_pads (\d+)$/)[1]);
        const filled = (this.rack || []).find((p) => p.note === note);
        return { name: filled ? filled.name : "", note: note, chains: filled ? 1 : 0 };
    }

    _clipFor(path) {
        const arrangement = path.match(/arrangement_clips (\d+)$/);
        if (arrangement) {
            return this.arrangement[Number(arrangement[1])];
        }
        const slot = path.match(/clip_slots (\d+) clip$/);
        return slot ? this.slots[Number(slot[1])] : null;
    }

    classFor() {
        const set = this;
        return class LiveAPI {
            constructor(path) {
                // MidiDrumiGen.js finds its own track through the device (live_harness.js does the same)
                this.path = path === "this_device canonical_parent" ? TRACK : path;
                const clip = set._clipFor(path);
                this.id = clip ? clip.id : 0;
            }

            get info() {
                const functions = { live12: ["create_midi_clip", "duplicate_clip_to_arrangement"],
                    live11: ["duplicate_clip_to_arrangement"], none: [] }[set.version];
                return ["id 1", "type Track", ...functions.map((f) => "function " + f), "done"].join("\n");
            }

            getcount(what) {
                if (what === "devices") {
                    return set.rack ? 2 : 1; // this device, then the Drum Rack beside it
                }
                if (what === "drum_pads" || what === "chains") {
                    return what === "chains" ? set._pad(this.path).chains : 128;
                }
                if (this.path === "live_set") {
                    return what === "cue_points" ? set.cues.length : set.slots.length;
                }
                return what === "arrangement_clips" ? set.arrangement.length : set.slots.length;
            }

            get(property) {
                if (/ drum_pads \d+$/.test(this.path)) {
                    return [set._pad(this.path)[property]];
                }
                if (/ devices \d+$/.test(this.path)) {
                    return [property === "can_have_drum_pads" && set.rack && / devices 1$/.test(this.path) ? 1 : 0];
                }
                const cue = this.path.match(/^live_set cue_points (\d+)$/);
                if (cue) {
                    return [set.cues[Number(cue[1])][property]];
                }
                if (this.path === "live_set") {
                    const values = { song_length: set.songLength, tempo: set.tempo, signature_numerator: set.numerator,
                        signature_denominator: set.denominator };
                    return [values[property] || 0];
                }
                const slot = this.path.match(/clip_slots (\d+)$/);
                if (slot) {
                    return [set.slots[Number(slot[1])] ? 1 : 0];
                }
                return [set._clipFor(this.path)[property]];
            }

            set(property, value) {
                const scene = this.path.match(/^live_set scenes (\d+)$/);
                if (scene) {
                    set.sceneNames[Number(scene[1])] = value;
                    return;
                }
                set._clipFor(this.path)[property] = value;
            }

            call(name, ...args) {
                set.calls.push([this.path, name, ...args]);
                if (name === "create_scene") {
                    set.slots.push(null);
                    set.sceneNames.push("");
                } else if (name === "create_clip") {
                    const index = Number(this.path.match(/clip_slots (\d+)$/)[1]);
                    if (set.slots[index]) {
                        throw new Error("slot " + index + " already holds a clip");
                    }
                    set.slots[index] = { id: set.nextId++, length: args[0], notes: [], name: "", looping: 0 };
                } else if (name === "create_midi_clip") {
                    if (set.version !== "live12") {
                        throw new Error("create_midi_clip is not in this Live");
                    }
                    set.arrangement.push({ id: set.nextId++, start_time: args[0], end_time: args[0] + args[1],
                        notes: [], name: "" });
                } else if (name === "duplicate_clip_to_arrangement") {
                    const id = Number(String(args[0]).split(" ")[1]);
                    const source = set.slots.find((c) => c && c.id === id);
                    set.arrangement.push({ id: set.nextId++, start_time: args[1], end_time: args[1] + source.length,
                        notes: source.notes.slice(), name: source.name });
                } else if (name === "add_new_notes") {
                    set._clipFor(this.path).notes = args[0].notes;
                }
            }
        };
    }
}

// A three-section song as the daemon answers it: intro, verse, chorus, times in beats from each
// section's start, notes as [pitch, start, duration, velocity].
function sectionsFromDaemon() {
    return [
        { name: "Intro", kind: "intro", startBeats: 0, bars: 4, notes: [[36, 0, 0.125, 100], [42, 0.5, 0.125, 60]] },
        { name: "Verse", kind: "verse", startBeats: 16, bars: 8,
            notes: [[36, 0, 0.125, 110], [38, 1, 0.125, 100], [42, 1.5, 0.125, 70]] },
        { name: "Chorus", kind: "chorus", startBeats: 48, bars: 8, notes: [[49, 0, 0.125, 120]] },
    ];
}

// The replies the daemon sends for a song job (protocol v1, bridge/song_jobs.py), as argument lists.
function songReplies(jobId, sections) {
    const replies = [];
    let notes = 0;
    sections.forEach((s, index) => {
        replies.push(["/mdg/song/section", [jobId, index, sections.length, s.name, s.kind, s.startBeats, s.bars,
            s.notes.length]]);
        const chunks = [s.notes.slice(0, 2), s.notes.slice(2)].filter((c, i) => i === 0 || c.length);
        chunks.forEach((chunk, c) => {
            replies.push(["/mdg/song/notes", [jobId, index, c, chunks.length, ...chunk.flat()]]);
        });
        notes += s.notes.length;
    });
    replies.push(["/mdg/done", [jobId, notes, "", 1.5]]);
    return replies;
}

module.exports = { SongSet, songReplies, sectionsFromDaemon, TRACK };
