// A stand-in for Max and Live that runs max_for_live/MidiDrumiGen.js itself, so the device glue is
// driven through the calls Live makes, in the orders Live makes them. Not a copy of Live: only what
// the glue touches, each behaviour taken from a public source:
//   - Max's [js]: top-level functions are the messages it handles, anything() gets the rest with
//     `messagename` set; outlet() calls the connected object at once (synchronously).
//   - live.miditool.in (docs.cycling74.com/reference/live.miditool.in): a bang opens an apply cycle
//     that sends the notes dictionary out the left outlet and the context out the middle one; Max
//     sends outlets right to left, so the context comes first (h1data/M4L-MIDI-tool-examples,
//     retrigger-transform/code/js-retrigger-transformation.js: "receives note context ... before
//     dictionary function runs"). The harness can also send them notes first.
//   - live.miditool.out: the answer must come back inside that cycle (memo/README.md of the same
//     repository: "Did not receive a Note dictionary in time" / "Received a Note dictionary
//     asynchronously"). The harness records both mistakes instead of failing on the spot.
//   - Live's Generate button and Auto Apply open cycles too, without the device asking.
//   - Task: schedule(ms) runs the function later with the argument array (docs.cycling74.com/apiref/js/task).
//   - LiveAPI / Dict: the few Live Object Model paths and calls the clip device uses.
//   - The producer's clip and kit (Live Object Model reference, docs.cycling74.com/apiref/lom):
//     Clip.get_notes_extended(from_pitch, pitch_span, from_time, time_span) gives the notes that
//     start in the range as a dictionary, which [js]'s LiveAPI.call returns as JSON text
//     (JanZaion/chord-spawner, getStepsFromLive.js: clip.call('get_notes_extended', ...).toString());
//     a track's `devices`, a rack's `can_have_drum_pads` and its 128 `drum_pads`, each with
//     `name`, `note` and `chains` (a pad holds a sound when it has a chain).
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const core = require(path.join(__dirname, "..", "mdg_core.js"));

const GLUE = path.join(__dirname, "..", "MidiDrumiGen.js");
const OUT = { OSC: 0, STATUS: 1, STYLE_MENU: 2, SEED: 3, TOOL_IN: 4, TOOL_OUT: 5 };
const MAX_NESTED_CYCLES = 8;

// Max's named dictionaries: one registry shared by the device and Live.
class DictRegistry {
    constructor() {
        this.contents = new Map();
        this.counter = 0;
    }

    classFor() {
        const registry = this;
        return class Dict {
            constructor(name) {
                registry.counter += 1;
                this.name = name || "u" + registry.counter;
                if (!registry.contents.has(this.name)) {
                    registry.contents.set(this.name, "{}");
                }
            }

            parse(json) {
                JSON.parse(json);
                registry.contents.set(this.name, json);
            }

            stringify() {
                return registry.contents.get(this.name);
            }
        };
    }

    put(value) {
        this.counter += 1;
        const name = "live" + this.counter;
        this.contents.set(name, JSON.stringify(value));
        return name;
    }

    read(name) {
        return JSON.parse(this.contents.get(name));
    }
}

// Tasks run when the test advances the clock.
class Scheduler {
    constructor() {
        this.now = 0;
        this.tasks = new Set();
    }

    classFor() {
        const scheduler = this;
        return class Task {
            constructor(fn, self, args) {
                this.fn = fn;
                this.self = self;
                this.args = args || [];
                this.due = null;
            }

            schedule(ms) {
                this.due = scheduler.now + (ms || 0);
                scheduler.tasks.add(this);
            }

            cancel() {
                scheduler.tasks.delete(this);
            }
        };
    }

    advance(ms) {
        this.now += ms;
        for (const task of [...this.tasks].sort((a, b) => a.due - b.due)) {
            if (task.due <= this.now) {
                this.tasks.delete(task);
                task.fn.apply(task.self, task.args);
            }
        }
    }
}

// The Live Object Model paths the glue reads and the calls it makes, on one MIDI track.
class LiveSet {
    constructor(options) {
        this.tempo = options.tempo || 120;
        this.numerator = 4;
        this.denominator = 4;
        this.slots = Array.from({ length: options.slots || 4 }, () => null);
        this.selectedScene = 0;
        this.addedNotes = []; // one entry per add_new_notes call: {slot, notes}
        this.rack = options.rack || null; // the Drum Rack's filled pads [{name, note}], or no rack
        this.detailNotes = () => [];      // the notes of the clip in the detail view (the MIDI Tools')
    }

    // A clip the producer made: Live-format notes, loop from 0 to `bars` bars of 4/4.
    putClip(slot, notes, bars) {
        this.slots[slot] = { length: bars * 4, loop_start: 0, loop_end: bars * 4, signature_numerator: 4,
            signature_denominator: 4, notes: notes.slice() };
    }

    classFor() {
        const live = this;
        return class LiveAPI {
            constructor(pathText) {
                this._path = pathText;
            }

            get path() {
                if (this._path === "this_device canonical_parent") {
                    return "\"live_set tracks 0\"";
                }
                if (this._path === "live_set view selected_scene") {
                    return "\"live_set scenes " + live.selectedScene + "\"";
                }
                if (this._path === "live_set view selected_track") {
                    return "\"live_set tracks 0\"";
                }
                return "\"" + this._path + "\"";
            }

            set path(value) {
                this._path = value;
            }

            get id() {
                return this._path === "live_set view detail_clip" ? 0 : 1;
            }

            _slot() {
                return core.indexAfter(this._path, "clip_slots");
            }

            _pad() {
                const pad = core.indexAfter(this._path, "drum_pads");
                const filled = (live.rack || []).find((p) => p.note === pad);
                return { name: filled ? filled.name : "", note: pad, chains: filled ? 1 : 0 };
            }

            get(property) {
                if (this._path.indexOf("drum_pads") >= 0) {
                    return [this._pad()[property]];
                }
                if (this._path.indexOf(" devices ") >= 0) {
                    const device = core.indexAfter(this._path, "devices");
                    return [property === "can_have_drum_pads" && live.rack && device === 1 ? 1 : 0];
                }
                if (this._path === "live_set") {
                    const values = { tempo: live.tempo, signature_numerator: live.numerator,
                        signature_denominator: live.denominator, current_song_time: 0, is_playing: 0 };
                    return [values[property]];
                }
                const slot = this._slot();
                if (property === "has_clip") {
                    return [live.slots[slot] ? 1 : 0];
                }
                const clip = live.slots[slot];
                return [clip ? clip[property] || 0 : 0];
            }

            set(property, value) {
                live.slots[this._slot()][property] = value;
            }

            getcount(what) {
                if (what === "devices") {
                    return live.rack ? 2 : 1; // this device, then the Drum Rack beside it
                }
                if (what === "drum_pads") {
                    return 128;
                }
                if (what === "chains") {
                    return this._pad().chains;
                }
                return what === "clip_slots" ? live.slots.length : 0;
            }

            call(name, ...args) {
                if (name === "get_notes_extended") {
                    const [fromPitch, pitchSpan, fromTime, timeSpan] = args;
                    const notes = this._path === "live_set view detail_clip" ? live.detailNotes()
                        : live.slots[this._slot()].notes;
                    return JSON.stringify({ notes: notes.filter((n) => n.pitch >= fromPitch
                        && n.pitch < fromPitch + pitchSpan && n.start_time >= fromTime
                        && n.start_time < fromTime + timeSpan) });
                }
                if (name === "create_scene") {
                    live.slots.push(null);
                } else if (name === "create_clip") {
                    live.slots[this._slot()] = { length: args[0], notes: [] };
                } else if (name === "remove_notes_extended") {
                    live.slots[this._slot()].notes = [];
                } else if (name === "add_new_notes") {
                    live.slots[this._slot()].notes = args[0].notes;
                    live.addedNotes.push({ slot: this._slot(), notes: args[0].notes });
                }
            }
        };
    }
}

// The device as Max runs it, plus Live's MIDI Tool objects around it.
class Device {
    // mode: "clip" (MidiDrumiGen.amxd) or "tool" (MidiDrumiGen Generator.amxd); options.liveApi: a
    // LiveAPI class standing in for Live instead of this file's LiveSet (song_harness.js's SongSet)
    constructor(mode, options) {
        const opts = options || {};
        this.dicts = new DictRegistry();
        this.scheduler = new Scheduler();
        this.live = new LiveSet(opts);
        this.osc = [];            // every message sent to [udpsend]
        this.status = [];         // every status text
        this.cycles = [];         // MIDI Tool apply cycles: {source, incoming, answers, answer}
        this.mistakes = [];       // what Live would report: no answer in time, an answer out of a cycle
        this.order = opts.order || "context-first";
        this.selection = opts.selection || [0, 16];
        this.clipNotes = opts.clipNotes || [];
        this._openCycle = null;
        this._depth = 0;
        const sandbox = {
            jsarguments: mode === "clip" ? ["MidiDrumiGen.js"] : ["MidiDrumiGen.js", mode],
            messagename: "",
            setinletassist: () => {},
            setoutletassist: () => {},
            post: () => {},
            arrayfromargs: (args) => Array.prototype.slice.call(args),
            require: (name) => require(path.join(__dirname, "..", name + ".js")),
            outlet: (index, ...args) => this._outlet(index, args),
            Dict: this.dicts.classFor(),
            Task: this.scheduler.classFor(),
            LiveAPI: opts.liveApi || this.live.classFor(), // another Set's stand-in (song_harness.js) when given
            JSON,
        };
        this.live.detailNotes = () => this.clipNotes;
        this.js = vm.createContext(sandbox);
        vm.runInContext(fs.readFileSync(GLUE, "utf8"), this.js, { filename: GLUE });
        this.js.init();
    }

    // A message into the [js] inlet: a function it defines, or anything() with messagename set.
    send(selector, ...args) {
        if (typeof this.js[selector] === "function" && selector.charAt(0) !== "/") {
            return this.js[selector](...args);
        }
        this.js.messagename = selector;
        return this.js.anything(...args);
    }

    // A control moved: [prepend <name>] delivers its value.
    control(name, value) {
        this.send(name, value);
    }

    _outlet(index, args) {
        const flat = [].concat(...args);
        if (index === OUT.OSC) {
            this.osc.push(flat);
        } else if (index === OUT.STATUS) {
            this.status.push(String(flat[0]));
        } else if (index === OUT.TOOL_IN && flat[0] === "bang") {
            this.applyCycle("device");
        } else if (index === OUT.TOOL_OUT) {
            this._answer(flat);
        }
    }

    // live.miditool.in opens an apply cycle. source: "device" (a bang from the js), "generate"
    // (Live's Generate button) or "auto" (Auto Apply after a control moved).
    applyCycle(source) {
        this._depth += 1;
        if (this._depth > MAX_NESTED_CYCLES) {
            throw new Error("apply cycles keep opening each other: a loop");
        }
        const incoming = { notes: this.clipNotes.slice() };
        const context = { clip: { time_selection_start: this.selection[0], time_selection_end: this.selection[1] },
            grid: { interval: 0.25, enabled: 1 } };
        const cycle = { source, incoming, answers: 0, answer: null };
        const outer = this._openCycle;
        this._openCycle = cycle;
        this.cycles.push(cycle);
        const contextName = this.dicts.put(context);
        const notesName = this.dicts.put(incoming);
        if (this.order === "context-first") {
            this.js.context("dictionary", contextName);
            this.js.clipnotes("dictionary", notesName);
        } else {
            this.js.clipnotes("dictionary", notesName);
            this.js.context("dictionary", contextName);
        }
        this._openCycle = outer;
        this._depth -= 1;
        if (cycle.answers !== 1) {
            this.mistakes.push(cycle.answers === 0 ? "Did not receive a Note dictionary in time"
                : "answered " + cycle.answers + " times in one cycle");
        }
        return cycle;
    }

    _answer(flat) {
        const cycle = this._openCycle;
        if (!cycle || flat[0] !== "dictionary") {
            this.mistakes.push("Received a Note dictionary asynchronously");
            return;
        }
        cycle.answers += 1;
        cycle.answer = this.dicts.read(flat[1]);
        const changed = JSON.stringify(cycle.answer.notes) !== JSON.stringify(cycle.incoming.notes);
        cycle.wrote = changed;
        if (changed) {
            this.clipNotes = cycle.answer.notes; // Live puts the answer into the clip
        }
    }

    // The /mdg/generate messages sent so far (or those to another address).
    requests(address) {
        return this.osc.filter((m) => m[0] === (address || "/mdg/generate"));
    }

    // The notes of every /mdg/clip chunk of `clipId`, in chunk order, as [pitch, start, duration, velocity].
    uploaded(clipId) {
        const chunks = this.osc.filter((m) => m[0] === "/mdg/clip" && m[1] === clipId);
        const notes = [];
        for (const chunk of chunks.sort((a, b) => a[2] - b[2])) {
            for (let i = 4; i < chunk.length; i += 4) {
                notes.push(chunk.slice(i, i + 4));
            }
        }
        return notes;
    }

    // Cycles whose answer changed the clip (a pattern written).
    writes() {
        return this.cycles.filter((c) => c.wrote);
    }
}

// The daemon's side, scripted: answers a /mdg/generate (or a clip job) the way protocol v1 does.
function requestIdOf(message) {
    return message[message.indexOf("request_id") + 1];
}

function pattern(pitch) {
    return [[pitch, 0, 0.25, 100], [42, 0.5, 0.125, 70], [38, 1, 0.25, 96]];
}

// /mdg/queued, then the notes and /mdg/done (or only /mdg/queued when `finish` is false).
function answer(device, message, jobId, options) {
    const opts = options || {};
    device.send("/mdg/queued", jobId, requestIdOf(message));
    if (opts.finish === false) {
        return;
    }
    finish(device, jobId, opts.pitch || 36);
}

function finish(device, jobId, pitch, notesOverride) {
    const notes = notesOverride || pattern(pitch);
    device.send("/mdg/notes", jobId, 0, 1, ...[].concat(...notes));
    device.send("/mdg/done", jobId, notes.length, "", 0.2);
}

// The value after `key` in a key value request.
function valueOf(message, key) {
    const index = message.indexOf(key);
    return index < 0 ? undefined : message[index + 1];
}

module.exports = { Device, answer, finish, requestIdOf, valueOf, OUT, core };
