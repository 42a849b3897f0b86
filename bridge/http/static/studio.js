// MidiDrumiGen studio: the daemon's own page. Everything it needs comes from the daemon itself
// (no CDN): the controls from /openapi.json (the engine's request schema) and /api/v1/styles,
// progress from server-sent events, sound from a small drum kit synthesized with Web Audio.
"use strict";

const API = "/api/v1";
const $ = (id) => document.getElementById(id);

const state = { takes: [], current: null, schema: null };
window.studio = state; // for the browser test and for curious producers in the console

// ---------- controls from the schema ----------

const NUMBER_FIELDS = ["bars", "tempo", "numerator", "temperature", "top_k", "top_p", "variations"];
const RANGE_STEPS = { temperature: 0.05, top_k: 1, top_p: 0.01 };

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function fillSelect(select, values, labels) {
  select.replaceChildren(...values.map((value, i) => new Option(labels ? labels[i] : String(value), String(value))));
}

async function buildControls() {
  const [openapi, styles] = await Promise.all([getJson("/openapi.json"), getJson(`${API}/styles`)]);
  const schemas = openapi.components.schemas;
  const fields = schemas.GenerationRequest.properties;
  state.schema = fields;
  for (const name of NUMBER_FIELDS) {
    const input = $(name), field = fields[name];
    const low = field.minimum ?? (field.exclusiveMinimum !== undefined ? field.exclusiveMinimum + RANGE_STEPS[name] : "");
    input.min = low;
    input.max = field.maximum ?? "";
    if (RANGE_STEPS[name]) input.step = RANGE_STEPS[name];
    input.value = field.default;
    input.title = field.description;
  }
  fillSelect($("denominator"), fields.denominator.enum);
  $("denominator").value = String(fields.denominator.default);
  const sections = schemas[fields.pattern_type.$ref.split("/").pop()].enum;
  fillSelect($("pattern_type"), sections);
  $("pattern_type").value = fields.pattern_type.default;
  $("humanize").checked = fields.humanize.default;
  $("fill").checked = fields.fill.default;
  const seed = fields.seed.anyOf.find((option) => option.type === "integer");
  $("seed").min = seed.minimum;
  $("seed").max = seed.maximum;
  fillSelect($("style"), styles.map((s) => s.id), styles.map((s) => `${s.name} (${s.tempo_min}–${s.tempo_max} BPM)`));
  $("style").addEventListener("change", () => showStyle(styles));
  showStyle(styles);
  for (const range of document.querySelectorAll("input[type=range]")) {
    const shown = document.querySelector(`output[for=${range.id}]`);
    const update = () => { shown.value = range.value; };
    range.addEventListener("input", update);
    update();
  }
}

function showStyle(styles) {
  const style = styles.find((s) => s.id === $("style").value);
  if (!style) return;
  $("style-about").textContent = style.description;
  const tempo = Number($("tempo").value);
  if (!(tempo >= style.tempo_min && tempo <= style.tempo_max)) {
    $("tempo").value = Math.round((style.tempo_min + style.tempo_max) / 2);
  }
}

/** The request as the producer set it: values as typed, so the daemon's own sentence explains a bad one. */
function readRequest() {
  const request = { style: $("style").value, pattern_type: $("pattern_type").value,
                    denominator: Number($("denominator").value),
                    humanize: $("humanize").checked, fill: $("fill").checked };
  for (const name of NUMBER_FIELDS) {
    const text = $(name).value.trim();
    if (text !== "") request[name] = Number(text);
  }
  if ($("seed-lock").checked && $("seed").value.trim() !== "") request.seed = Number($("seed").value);
  return request;
}

function setRequest(request) {
  for (const [name, value] of Object.entries(request)) {
    const input = $(name);
    if (!input || value === null) continue;
    if (input.type === "checkbox") input.checked = value; else input.value = String(value);
    input.dispatchEvent(new Event("input"));
  }
}

// ---------- generate, with progress ----------

function showError(text) {
  $("error").textContent = text;
  $("error").hidden = false;
}

function busy(on) {
  $("generate").disabled = on;
  $("progress").hidden = !on;
  if (on) { $("progress").value = 0; $("error").hidden = true; }
}

async function generate(event) {
  event.preventDefault();
  busy(true);
  $("stage").textContent = "sending…";
  try {
    const response = await fetch(`${API}/generate`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(readRequest()),
    });
    const answer = await response.json();
    if (!response.ok) {
      busy(false);
      $("stage").textContent = "";
      showError(answer.detail || `the daemon answered ${response.status}`);
      return;
    }
    follow(answer);
  } catch (error) {
    busy(false);
    showError(`the daemon cannot be reached: ${error.message}`);
  }
}

function follow(accepted) {
  const events = new EventSource(accepted.events_url);
  const finish = (handler) => (message) => {
    events.close();
    busy(false);
    handler(JSON.parse(message.data));
  };
  events.addEventListener("progress", (message) => {
    const status = JSON.parse(message.data);
    $("progress").value = status.percent;
    $("stage").textContent = status.state === "queued" ? "waiting in the queue…" : `${status.stage} ${status.percent}%`;
  });
  events.addEventListener("done", finish((status) => {
    $("stage").textContent = `done in ${status.result.seconds.toFixed(2)} s`;
    for (const result of status.takes) addTake(status, result); // variations: every take, in order
  }));
  events.addEventListener("failed", finish((status) => { $("stage").textContent = ""; showError(status.error.detail); }));
  events.addEventListener("cancelled", finish(() => { $("stage").textContent = "cancelled"; }));
  events.onerror = () => {
    if (events.readyState === EventSource.CLOSED) return;
    events.close();
    busy(false);
    showError("lost the connection to the daemon while the pattern was made");
  };
}

// ---------- takes ----------

function takeTitle(result) {
  return `${result.style} · ${result.pattern_type} · ${result.bars} bar${result.bars === 1 ? "" : "s"} · ` +
         `${result.numerator}/${result.denominator} · ${result.tempo} BPM · seed ${result.seed}`;
}

function addTake(status, result) {
  const take = { number: state.takes.length + 1, status, result };
  state.takes.push(take);
  if (!$("seed-lock").checked) $("seed").value = result.seed;
  const item = document.createElement("li");
  item.dataset.taskId = status.task_id;
  item.dataset.take = take.number;
  item.append(`${takeTitle(result)} `);
  const audition = document.createElement("button");
  audition.type = "button";
  audition.textContent = "audition";
  audition.addEventListener("click", () => { showTake(take); startPlayback(); });
  const recall = document.createElement("button");
  recall.type = "button";
  recall.textContent = "recall";
  recall.title = "set the controls to this take, seed locked";
  recall.addEventListener("click", () => {
    setRequest({ ...status.request, seed: result.seed, variations: 1 });
    $("seed-lock").checked = true;
  });
  item.append(audition, recall);
  $("takes").prepend(item);
  showTake(take);
  refreshHealth();
}

function downloadName(result) {
  return `${result.style}_${result.pattern_type}_${result.bars}bars_${result.tempo}bpm_seed${result.seed}.mid`;
}

function showTake(take) {
  const wasPlaying = player.playing;
  stopPlayback();
  state.current = take;
  const result = take.result;
  for (const item of $("takes").children) item.classList.toggle("current", item.dataset.take === String(take.number));
  $("take-title").textContent = `#${take.number} ${takeTitle(result)}`;
  const link = $("download");
  link.href = result.download_url;
  link.download = downloadName(result);
  link.classList.remove("disabled");
  $("play").disabled = false;
  drawRoll(result);
  if (wasPlaying) startPlayback();
}

// Drag the take straight into a DAW: Chromium browsers turn a DownloadURL drag into a file drop.
$("download").addEventListener("dragstart", (event) => {
  if (!state.current) return;
  const result = state.current.result;
  const url = new URL(result.download_url, location.href).href;
  event.dataTransfer.setData("DownloadURL", `audio/midi:${downloadName(result)}:${url}`);
  event.dataTransfer.setData("text/uri-list", url);
});

// ---------- piano roll ----------

const SVG = "http://www.w3.org/2000/svg";
const DRUM_NAMES = { 35: "kick 2", 36: "kick", 37: "rim", 38: "snare", 39: "clap", 40: "snare 2", 41: "floor tom 2",
  42: "closed hat", 43: "floor tom", 44: "pedal hat", 45: "low tom", 46: "open hat", 47: "mid tom", 48: "high tom",
  49: "crash", 50: "high tom 2", 51: "ride", 52: "china", 53: "ride bell", 54: "tambourine", 55: "splash",
  56: "cowbell", 57: "crash 2", 59: "ride 2" };
const PX_PER_BEAT = 48, LANE_PX = 18, LABEL_PX = 78;

function svg(name, attributes, parent) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  parent.append(element);
  return element;
}

function drawRoll(result) {
  const roll = $("roll");
  roll.replaceChildren();
  const pitches = [...new Set(result.notes.map((n) => n.pitch))].sort((a, b) => b - a);
  const lane = new Map(pitches.map((pitch, i) => [pitch, i]));
  const width = LABEL_PX + result.length_beats * PX_PER_BEAT;
  const height = Math.max(1, pitches.length) * LANE_PX;
  roll.setAttribute("width", width);
  roll.setAttribute("height", height);
  roll.setAttribute("viewBox", `0 0 ${width} ${height}`);
  roll.style.height = `${height}px`;
  pitches.forEach((pitch, i) => {
    svg("rect", { class: i % 2 ? "lane alt" : "lane", x: 0, y: i * LANE_PX, width, height: LANE_PX }, roll);
    svg("text", { class: "lane-name", x: 4, y: i * LANE_PX + 13 }, roll).textContent = DRUM_NAMES[pitch] || `note ${pitch}`;
  });
  const beatsPerBar = result.numerator * 4 / result.denominator;
  const beatStep = 4 / result.denominator;
  for (let beat = 0; beat <= result.length_beats + 1e-9; beat += beatStep) {
    const x = LABEL_PX + beat * PX_PER_BEAT;
    const isBar = Math.abs(beat / beatsPerBar - Math.round(beat / beatsPerBar)) < 1e-6;
    svg("line", { class: isBar ? "bar" : "beat", x1: x, x2: x, y1: 0, y2: height }, roll);
  }
  for (const note of result.notes) {
    svg("rect", {
      class: "note", x: LABEL_PX + note.start_beats * PX_PER_BEAT, y: lane.get(note.pitch) * LANE_PX + 3,
      width: Math.max(3, note.duration_beats * PX_PER_BEAT), height: LANE_PX - 6, rx: 2,
      "fill-opacity": (0.35 + 0.65 * note.velocity / 127).toFixed(2),
      "data-pitch": note.pitch, "data-start": note.start_beats, "data-velocity": note.velocity,
    }, roll).append(Object.assign(document.createElementNS(SVG, "title"),
      { textContent: `${DRUM_NAMES[note.pitch] || note.pitch} · beat ${note.start_beats.toFixed(2)} · velocity ${note.velocity}` }));
  }
  player.playhead = svg("line", { class: "playhead", x1: LABEL_PX, x2: LABEL_PX, y1: 0, y2: height, visibility: "hidden" }, roll);
}

// ---------- playback: a synthesized kit, looped, in the pattern's tempo ----------

const player = { context: null, playing: false, timer: null, frame: null, start: 0, loop: 0, index: 0,
                 cycle: 0, notes: [], playhead: null, noise: null };
const LOOKAHEAD_S = 0.12, TICK_MS = 25;

function audio() {
  if (!player.context) {
    player.context = new AudioContext();
    const length = player.context.sampleRate;
    player.noise = player.context.createBuffer(1, length, player.context.sampleRate);
    const data = player.noise.getChannelData(0);
    for (let i = 0; i < length; i++) data[i] = Math.random() * 2 - 1;
  }
  return player.context;
}

function envelope(ctx, time, level, decay) {
  const gain = ctx.createGain();
  gain.gain.setValueAtTime(level, time);
  gain.gain.exponentialRampToValueAtTime(0.001, time + decay);
  gain.connect(ctx.destination);
  return gain;
}

function tone(ctx, time, level, from, to, decay, type = "sine") {
  const osc = ctx.createOscillator();
  osc.type = type;
  osc.frequency.setValueAtTime(from, time);
  osc.frequency.exponentialRampToValueAtTime(to, time + decay * 0.6);
  osc.connect(envelope(ctx, time, level, decay));
  osc.start(time);
  osc.stop(time + decay + 0.02);
}

function noise(ctx, time, level, filter, frequency, decay) {
  const source = ctx.createBufferSource();
  source.buffer = player.noise;
  const shape = ctx.createBiquadFilter();
  shape.type = filter;
  shape.frequency.value = frequency;
  source.connect(shape).connect(envelope(ctx, time, level, decay));
  source.start(time);
  source.stop(time + decay + 0.02);
}

/** One hit of the General MIDI drum map, near enough to judge a groove. */
function hit(ctx, pitch, time, velocity) {
  const level = 0.15 + 0.85 * velocity / 127;
  if (pitch === 35 || pitch === 36) tone(ctx, time, level, 150, 45, 0.35);
  else if (pitch === 38 || pitch === 40 || pitch === 37 || pitch === 39) {
    noise(ctx, time, level * 0.7, "highpass", 1200, pitch === 37 ? 0.05 : 0.18);
    tone(ctx, time, level * 0.5, 220, 160, 0.08, "triangle");
  } else if (pitch === 42 || pitch === 44) noise(ctx, time, level * 0.45, "highpass", 7500, 0.05);
  else if (pitch === 46) noise(ctx, time, level * 0.45, "highpass", 7000, 0.35);
  else if ([41, 43, 45, 47, 48, 50].includes(pitch)) tone(ctx, time, level * 0.8, 80 + (pitch - 41) * 18, 60 + (pitch - 41) * 12, 0.3);
  else if ([49, 52, 55, 57].includes(pitch)) noise(ctx, time, level * 0.4, "bandpass", 6000, 1.2);
  else if ([51, 53, 59].includes(pitch)) noise(ctx, time, level * 0.3, "bandpass", 9000, 0.5);
  else tone(ctx, time, level * 0.4, 900, 700, 0.04, "square");
}

function schedule() {
  const ctx = player.context;
  const horizon = ctx.currentTime + LOOKAHEAD_S;
  const secondsPerBeat = 60 / state.current.result.tempo;
  while (player.notes.length) {
    const note = player.notes[player.index];
    const time = player.start + player.cycle * player.loop + note.start_beats * secondsPerBeat;
    if (time > horizon) break;
    if (time >= ctx.currentTime - 0.01) hit(ctx, note.pitch, Math.max(time, ctx.currentTime), note.velocity);
    player.index += 1;
    if (player.index >= player.notes.length) { player.index = 0; player.cycle += 1; }
  }
}

function movePlayhead() {
  if (!player.playing) return;
  const elapsed = (player.context.currentTime - player.start) % player.loop;
  const result = state.current.result;
  const x = LABEL_PX + Math.max(0, elapsed) / player.loop * result.length_beats * PX_PER_BEAT;
  player.playhead.setAttribute("x1", x);
  player.playhead.setAttribute("x2", x);
  player.frame = requestAnimationFrame(movePlayhead);
}

function startPlayback() {
  if (!state.current) return;
  const ctx = audio();
  ctx.resume();
  const result = state.current.result;
  player.notes = [...result.notes].sort((a, b) => a.start_beats - b.start_beats);
  player.loop = result.length_beats * 60 / result.tempo; // tempo-true: the clip's own BPM
  player.start = ctx.currentTime + 0.05;
  player.index = 0;
  player.cycle = 0;
  player.playing = true;
  player.timer = setInterval(schedule, TICK_MS);
  schedule();
  player.playhead.setAttribute("visibility", "visible");
  player.frame = requestAnimationFrame(movePlayhead);
  $("play").textContent = "Stop";
}

function stopPlayback() {
  if (!player.playing) return;
  player.playing = false;
  clearInterval(player.timer);
  cancelAnimationFrame(player.frame);
  if (player.playhead) player.playhead.setAttribute("visibility", "hidden");
  $("play").textContent = "Play";
}

$("play").addEventListener("click", () => (player.playing ? stopPlayback() : startPlayback()));

// ---------- health ----------

async function refreshHealth() {
  try {
    const health = await getJson(`${API}/health`);
    $("health").textContent = `${health.model} on ${health.device} · ${health.queue_depth} waiting`;
    $("health").classList.toggle("bad", health.status === "failed");
  } catch (error) {
    $("health").textContent = "the daemon cannot be reached";
    $("health").classList.add("bad");
  }
}

$("controls").addEventListener("submit", generate);
buildControls().then(() => { document.body.dataset.ready = "true"; }).catch((error) => showError(error.message));
refreshHealth();
