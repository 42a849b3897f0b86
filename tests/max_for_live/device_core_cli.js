// A line-oriented bridge to max_for_live/mdg_core.js for tests/max_for_live/test_device_protocol.py:
// one JSON command per line on stdin, one JSON answer per line on stdout. The Python test sends
// the messages this builds to a real daemon and feeds the daemon's replies back, so the device's
// own JavaScript session is what talks to the daemon.
//
// Commands ({"op": ...}):
//   reset {seed, replyPort}        a fresh Session with a seeded random source
//   set {name, value}              a control value, as [prepend <name>] delivers it -> refusal text
//   refresh                        the Refresh button was pressed -> null
//   generate {live, options}       -> {message, request} or {error}
//   clipjob {live, clip}           -> {messages, request} or {error}: the /mdg/clip upload and the job
//   learn {live, learn}            -> {messages, request} or {error}: the upload and /mdg/style/learn
//   play                           -> {message} or {error}
//   stop                           -> {message}
//   transport {beat, tempo, playing} -> the /mdg/transport message
//   receive {address, args}        -> the actions the reply caused; a write also says what would
//                                     go to Live: clip name, loop end, signature, add_new_notes dict
//                                     (a variations job's "takes": the same for each take, in order)
//   song {live, form, kit}         -> {message, request}: the Song button's /mdg/song (mdg_song.js)
//   songreceive {address, args}    -> what mdg_song's SongAssembler makes of a song reply: null, or
//                                     {type: done, sections} / {type: missing | error, text}
"use strict";

const path = require("node:path");
const readline = require("node:readline");

const core = require(path.join(__dirname, "..", "..", "max_for_live", "mdg_core.js"));
const song = require(path.join(__dirname, "..", "..", "max_for_live", "mdg_song.js"));

function seededRandom(seed) {
    let state = seed >>> 0;
    return () => {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        return state / 4294967296;
    };
}

let session = new core.Session({ random: seededRandom(1), tag: "py" });
let songAssemblers = {}; // job id -> SongAssembler

function describeWrite(action) {
    const r = action.request;
    return {
        type: "write",
        jobId: action.jobId,
        request: r,
        noteCount: action.notes.length,
        clip: {
            name: core.requestClipName(r),
            loopEndBeats: core.loopEndBeats(r.bars, r.numerator, r.denominator),
            signature: [r.numerator, r.denominator],
            notesDict: core.buildNotesDict(action.notes, 0),
        },
        status: core.writtenText(r, action.notes.length, action.done),
    };
}

function describeTakes(action) {
    const r = action.request;
    return {
        type: "takes",
        jobId: action.jobId,
        request: r,
        takes: action.takes.map((take) => ({
            index: take.index,
            seed: take.seed,
            noteCount: take.notes.length,
            clip: { name: core.requestClipName(r, take.seed), notesDict: core.buildNotesDict(take.notes, 0) },
        })),
        targets: core.chooseTakeTargets({ hasClip: [false, true, false, false], selectedScene: 0 }, action.takes.length),
    };
}

function run(cmd) {
    switch (cmd.op) {
    case "reset":
        session = new core.Session({ random: seededRandom(cmd.seed || 1), tag: "py", replyPort: cmd.replyPort });
        songAssemblers = {};
        return null;
    case "set":
        return session.set(cmd.name, cmd.value);
    case "refresh":
        session.startRefresh();
        return null;
    case "generate":
        return session.prepareGenerate(cmd.live, cmd.options || {});
    case "clipjob":
        return session.prepareClipJob(cmd.live, cmd.clip);
    case "learn":
        return session.prepareLearn(cmd.live, cmd.learn);

    case "song": {
        const prepared = session.prepareGenerate(cmd.live, { purpose: "song", kit: cmd.kit });
        return prepared.error ? prepared
            : { request: prepared.request, message: song.songMessage(prepared.request, cmd.form, session.settings.replyPort) };
    }
    case "songreceive": {
        const jobId = cmd.args[0];
        songAssemblers[jobId] = songAssemblers[jobId] || new song.SongAssembler(jobId);
        return songAssemblers[jobId].receive(cmd.address, cmd.args);
    }

    case "play":
        return session.preparePlay();
    case "stop":
        return session.prepareStop();
    case "transport":
        return core.transportMessage(cmd.beat, cmd.tempo, cmd.playing);
    case "receive":
        return session.receive(cmd.address, cmd.args).map((a) => (a.type === "write" ? describeWrite(a)
            : a.type === "takes" ? describeTakes(a) : a));
    default:
        throw new Error("unknown op " + cmd.op);
    }
}

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
    let answer;
    try {
        answer = run(JSON.parse(line));
    } catch (e) {
        answer = { error: e.message };
    }
    process.stdout.write(JSON.stringify(answer === undefined ? null : answer) + "\n");
});
