// The device's JavaScript must run in Max's [js] object, an ES5 engine: parse it as ES5.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const DEVICE_FILES = ["mdg_core.js", "mdg_clip.js", "MidiDrumiGen.js", "mdg_song.js"].map((name) => path.join(__dirname, "..", name));

// Node ships acorn for its own use; --expose-internals lets a child process reach it, so no npm
// package is needed. Returns null where this Node keeps it elsewhere.
function parseAsEs5(file) {
    const script = [
        "const acorn = require('internal/deps/acorn/acorn/dist/acorn');",
        "const fs = require('fs');",
        "try { acorn.parse(fs.readFileSync(process.argv[1], 'utf8'), { ecmaVersion: 5, sourceType: 'script' }); console.log('ok'); }",
        "catch (e) { console.log('error: ' + e.message); }",
    ].join("\n");
    const result = spawnSync(process.execPath, ["--expose-internals", "-e", script, file], { encoding: "utf8" });
    if (result.status !== 0) {
        return null;
    }
    return result.stdout.trim();
}

for (const file of DEVICE_FILES) {
    const name = path.basename(file);

    test(`${name} parses as ECMAScript 5`, (t) => {
        const verdict = parseAsEs5(file);
        if (verdict === null) {
            t.skip("this Node does not expose its bundled acorn parser");
            return;
        }
        assert.equal(verdict, "ok", `${name} is not ES5: ${verdict}`);
    });

    test(`${name} avoids what ES5 and Max's require lack`, () => {
        const source = fs.readFileSync(file, "utf8");
        const code = source.replace(/\/\/.*$/gm, "").replace(/"(?:[^"\\]|\\.)*"/g, "\"\"");
        assert.doesNotMatch(code, /=>/, "arrow function");
        assert.doesNotMatch(code, /\b(let|const|class)\s/, "let/const/class");
        assert.doesNotMatch(code, /`/, "template string");
        assert.doesNotMatch(code, /\bmodule\.exports\b/, "Max's require has no module object");
        assert.match(source, /^[\x09\x0a\x0d\x20-\x7e]*$/, "non-ASCII character (write it as an escape)");
    });
}
