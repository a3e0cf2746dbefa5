// The Timeline view: sliders -> POST /api/timeline (debounced) -> headline, 10x-date table, charts.
// Nothing stale: while a request runs, or after one is refused, the results are marked out of date;
// a refused setting shows its message beside it. The settings live in the URL (#...), so a
// scenario is a link. Names are always set as text.
import { ApiError, debounce, el, plotText } from "./api.js";

const BOOT = JSON.parse(document.getElementById("boot").textContent);
const P = BOOT.presets;
const PAGE = P.page;
const main = document.getElementById("main");
const KIND = { fact: "sourced fact", derived: "derived from facts", assumption: "our assumption", setting: "your choice" };
const PLOT_CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud", "lasso2d", "select2d"] };

const state = { trend: P.default_trend, reliability: 0.5, draws: PAGE.draws, seed: PAGE.seed, until: 2060,
  set: {}, bridge: {} };
const controls = {};
const localErrors = {};
let generation = 0;
let controller = null;
let last = BOOT.initial;

const trend = () => P.trends[state.trend];
const relKey = (t, r) => Object.keys(t.horizons).find((k) => Number(k) === r);

function horizonAt(t, r) {
  const key = relKey(t, r) ?? relKey(t, 0.5) ?? Object.keys(t.horizons)[0];
  return { q: t.horizons[key], at: Number(key) };
}

// The main sliders: what they set, their unit, range, scale and where their default comes from.
const MAIN = [
  { field: "doubling_time", label: "Doubling time of the AI time horizon", unit: "days", min: 30, max: 720,
    scale: "lin", step: 1, quantity: () => trend().doubling_time },
  { field: "reference_horizon", label: "Reference time horizon", unit: "minutes", min: 1, max: 5000, scale: "log",
    quantity: () => horizonAt(trend(), state.reliability).q,
    detail: () => { const h = horizonAt(trend(), state.reliability); const d = trend().reference_date;
      return `at ${Math.round(h.at * 100)}% reliability, ${d.source || d.value}` +
        (h.at !== state.reliability ? `; ${Math.round(state.reliability * 100)}% is derived from it along the logistic slope` : ""); } },
  { field: "milestone", label: "Milestone", unit: "x speedup", min: 1.5, max: 100, scale: "log",
    quantity: () => ({ value: 10, kind: "setting", source: "the 004 post's question: when does an area's research go 10x faster with AI help?" }) },
];

const nice = (v) => (v === null || v === undefined ? "" : String(Number(Number(v).toPrecision(3))));
// x with d decimals as Python's format() and so the CLI print it: an exact tie (0.125) goes to the
// even digit, where JavaScript's toFixed would round it up.
function fixed(x, d) {
  const y = x * 10 ** d;
  if (Number.isInteger(y * 2) && !Number.isInteger(y)) {
    const n = Math.floor(y);
    return ((n % 2 === 0 ? n : n + 1) / 10 ** d).toFixed(d);
  }
  return x.toFixed(d);
}
const year = (v) => (v === null || v === undefined ? "never" : fixed(Number(v), 1));
const label = (id) => id.replace(/_/g, " ").replace(/^ai\b/, "AI").replace(/^./, (c) => c.toUpperCase());

function toRange(def, v) { return def.scale === "log" ? Math.log10(v) : v; }
function fromRange(def, x) { return def.scale === "log" ? 10 ** x : x; }

function sourceText(q) {
  const parts = [];
  if (q.description) parts.push(q.description);
  if (q.low !== null && q.low !== undefined) {
    parts.push(`uncertain: ${nice(q.low)} to ${nice(q.high)} (${Math.round((q.level || 0.9) * 100)}% interval), drawn in every run`);
  }
  if (q.note) parts.push(q.note);
  if (q.source) parts.push(`Source: ${q.source}${q.date ? ` (${q.date})` : ""}`);
  else if (q.kind === "assumption") parts.push(`Source: autosafety's bridge '${P.bridge.id}' (docs/timeline.md); change it freely`);
  return parts.join(". ");
}

// One slider with its number box, unit, kind badge, source (shown on hover or focus) and error.
function makeControl(def, group, onChange) {
  const id = def.field.replace(/\./g, "-");
  const number = el("input", { type: "number", id: `n-${id}`, step: "any", inputMode: "decimal" });
  // log sliders move in steps of 0.01 decades, from and to whole steps (so End gives the maximum)
  const lo = def.scale === "log" ? Math.floor(toRange(def, def.min) * 100) / 100 : def.min;
  const hi = def.scale === "log" ? Math.ceil(toRange(def, def.max) * 100) / 100 : def.max;
  const range = el("input", { type: "range", id: `r-${id}`, min: lo, max: hi,
    step: def.step || (def.scale === "log" ? 0.01 : (def.max - def.min) / 200) });
  const kind = el("span", { className: "kind" });
  const lab = el("label", { htmlFor: `n-${id}`, id: `l-${id}` }, def.label, el("span", { className: "unit", text: ` (${def.unit})` }));
  range.setAttribute("aria-labelledby", `l-${id}`);
  const stateText = el("span", { className: "state" });
  const reset = el("button", { type: "button", className: "reset", text: "reset", hidden: true,
    "aria-label": `Reset ${def.label}` });
  const source = el("p", { className: "source", id: `s-${id}` });
  const error = el("p", { className: "field-error", hidden: true });
  error.dataset.errorFor = def.field;
  number.setAttribute("aria-describedby", `s-${id}`);
  const row = el("div", { className: "ctl" },
    el("div", { className: "ctl-head" }, lab, kind, stateText, reset),
    el("div", { className: "ctl-body" }, range, number),
    source, error);
  row.dataset.field = def.field;
  const c = { def, row, number, range, kind, source, stateText, reset, error };
  c.refresh = () => {
    const q = def.quantity();
    const own = group[def.field];
    const v = own !== undefined ? own : q.value;
    if (document.activeElement !== number) number.value = nice(v);
    range.value = toRange(def, Math.min(Math.max(v, def.min), def.max));
    const k = own !== undefined && def.field !== "milestone" ? "setting" : (q.kind || "assumption");
    kind.className = `kind ${k}`;
    kind.textContent = KIND[k] || k;
    stateText.textContent = own !== undefined && q.low !== null && q.low !== undefined ? `fixed (default ${nice(q.value)})` : "";
    reset.hidden = own === undefined;
    const text = (def.detail ? `${def.detail()}. ` : "") + sourceText(q);
    source.textContent = text;
    row.title = text;
  };
  range.addEventListener("input", () => {
    const v = Number(nice(fromRange(def, Number(range.value))));
    number.value = nice(v);
    setValue(c, group, v, onChange);
  });
  number.addEventListener("input", () => {
    const raw = number.value.trim();
    const v = Number(raw);
    if (raw === "" || !Number.isFinite(v)) {
      localErrors[def.field] = "Enter a number.";
      showFieldError(def.field, "Enter a number.");
      markStale("Not updated: a setting is not a number (marked below).");
      return;
    }
    delete localErrors[def.field];
    range.value = toRange(def, Math.min(Math.max(v, def.min), def.max));
    setValue(c, group, v, onChange);
  });
  number.addEventListener("blur", () => { if (!localErrors[def.field]) c.refresh(); });
  reset.addEventListener("click", () => {
    delete group[def.field];
    delete localErrors[def.field];
    c.refresh();
    onChange();
  });
  controls[def.field] = c;
  return c;
}

function setValue(c, group, v, onChange) {
  group[c.def.field] = v;
  c.refresh();
  onChange();
}

function bridgeDefs() {
  return Object.entries(P.bridge.parameters).map(([name, q]) => ({
    field: `bridge.${name}`, label: label(name), unit: q.unit, min: q.min, max: q.max,
    scale: q.min > 0 && q.max / q.min >= 20 ? "log" : "lin", quantity: () => q,
  }));
}

// ---- requests ---------------------------------------------------------------------------------

function requestBody() {
  const body = { model: PAGE.model, trend: state.trend, reliability: state.reliability, draws: state.draws,
    seed: state.seed, until: state.until, subsample: PAGE.subsample, figures: true };
  for (const [k, v] of Object.entries(state.set)) body[k] = v;
  const bridge = {};
  for (const [k, v] of Object.entries(state.bridge)) bridge[k.slice("bridge.".length)] = v;
  if (Object.keys(bridge).length) body.bridge = bridge;
  return body;
}

function setState(s) { main.dataset.state = s; }
function status(text) { document.getElementById("status").textContent = text; }

function markStale(text) {
  generation += 1;  // a request still running is for settings that no longer hold
  if (controller) controller.abort();
  setState("stale");
  status(text);
  delete document.body.dataset.busy;
}

function showFieldError(field, message) {
  const box = document.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
  if (!box) return false;
  box.textContent = message;
  box.hidden = false;
  const c = controls[field];
  if (c) { c.row.classList.add("invalid"); c.number.setAttribute("aria-invalid", "true"); }
  const input = document.querySelector(`#controls [name="${CSS.escape(field)}"]`);
  if (input) input.setAttribute("aria-invalid", "true");
  return true;
}

function clearFieldErrors() {
  for (const box of document.querySelectorAll("[data-error-for]")) {
    if (localErrors[box.dataset.errorFor]) continue;
    box.hidden = true;
    box.textContent = "";
  }
  for (const c of Object.values(controls)) {
    if (localErrors[c.def.field]) continue;
    c.row.classList.remove("invalid");
    c.number.removeAttribute("aria-invalid");
  }
  for (const input of document.querySelectorAll("#controls [name][aria-invalid]")) {
    if (!localErrors[input.name]) input.removeAttribute("aria-invalid");
  }
  const problems = document.getElementById("problems");
  problems.hidden = true;
  problems.replaceChildren();
}

function showProblems(err) {
  const general = [];
  for (const p of err.problems || []) {
    const fix = p.fix && !p.fix.startsWith("see the API schema") ? ` (${p.fix})` : "";
    const text = `${p.message}${fix}`;
    if (!showFieldError(p.location, text)) general.push(`${p.location}: ${text}`);
  }
  if (!err.problems || !err.problems.length) general.push(err.message);
  if (general.length) {
    const box = document.getElementById("problems");
    box.replaceChildren(el("strong", { text: err.message }), el("ul", {}, ...general.map((t) => el("li", { text: t }))));
    box.hidden = false;
  }
}

async function update() {
  if (Object.keys(localErrors).length) { markStale("Not updated: a setting is not a number (marked below)."); return; }
  const mine = ++generation;
  if (controller) controller.abort();
  controller = new AbortController();
  document.body.dataset.busy = "1";
  setState("busy");
  status("Updating for the new settings…");
  writeHash();
  try {
    const resp = await fetch("/api/timeline", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify(requestBody()), signal: controller.signal });
    const data = await resp.json().catch(() => ({ error: `HTTP ${resp.status}` }));
    if (mine !== generation) return;
    if (!resp.ok) throw new ApiError(resp.status, data);
    clearFieldErrors();
    render(data);
    setState("fresh");
    status(`Up to date: ${data.draws.toLocaleString("en")} draws, seed ${data.seed}, trend ${data.trend}, computed in ${data.seconds.toFixed(2)} s.`);
    document.body.dataset.ready = String(mine);
  } catch (err) {
    if (mine !== generation || err.name === "AbortError") return;
    clearFieldErrors();
    showProblems(err);
    setState("stale");
    status(err.status === 422
      ? "Not updated: the settings were refused (see the message beside the setting). The results shown are for earlier settings."
      : `Could not update (${err.message}). The results shown are for earlier settings.`);
    document.body.dataset.ready = String(mine);
  } finally {
    if (mine === generation) delete document.body.dataset.busy;
  }
}

const updateSoon = debounce(update, 250);
function changed() {
  for (const c of Object.values(controls)) if (!localErrors[c.def.field]) c.refresh();
  setState("busy");
  status("Updating for the new settings…");
  document.body.dataset.busy = "1";
  updateSoon();
}

// ---- rendering --------------------------------------------------------------------------------

function render(data) {
  last = data;
  document.getElementById("headline").textContent = data.summary.headline;
  document.getElementById("assumptions").textContent = data.assumptions;
  const ms = data.milestone.split(" ")[0];
  const until = data.settings.until;
  document.getElementById("dates-caption").textContent =
    `Date each area reaches ${ms}: median and 10–90% range, in decimal years (2027.5 is mid-2027)`;
  document.getElementById("never-head").title = `probability of no ${ms} speedup by ${until}`;
  const cats = Object.keys(data.colours);
  const { lo, hi } = dateAxis(data);
  document.getElementById("axis-head").replaceChildren(el("span", { text: String(lo) }), el("span", { text: String(hi) }));
  const pos = (v) => `${(100 * (Math.min(v ?? hi, hi) - lo)) / (hi - lo)}%`;
  const rows = [];
  for (const c of cats) {
    const colour = data.colours[c];
    const swatch = () => el("span", { className: "swatch", style: `background: ${colour}` });
    rows.push(el("tr", { className: "cat" }, el("th", { scope: "rowgroup", colSpan: 6 }, swatch(), c)));
    const mine = data.areas.filter((a) => a.category === c)
      .sort((a, b) => (a.p50 ?? Infinity) - (b.p50 ?? Infinity));
    for (const a of mine) {
      const bottleneck = a.p50 === null
        ? (a.cap < data.settings.milestone ? `capped at ${fixed(a.cap, 1)}x` : `not by ${until} in most draws`)
        : a.bottleneck_name;
      const bar = () => el("div", { className: "bar", "aria-hidden": "true" },
        el("span", { className: a.p90 === null ? "open" : "",
          style: `left: ${pos(a.p10)}; width: calc(${pos(a.p90)} - ${pos(a.p10)}); background: ${colour}` }),
        a.p50 === null ? "" : el("i", { style: `left: ${pos(a.p50)}; background: ${colour}` }));
      const range = `${year(a.p10)} – ${year(a.p90)}`;
      const tr = el("tr", {},
        el("th", { scope: "row" }, swatch(), a.name, el("span", { className: "sub m-only", text: bottleneck })),
        el("td", { className: "num median" }, el("span", { text: year(a.p50) }),
          el("span", { className: "sub m-only", text: range }), el("div", { className: "m-only" }, bar())),
        el("td", { className: "num d-only", text: range }),
        el("td", { className: "d-only barcell" }, bar()),
        el("td", { className: "num", text: fixed(a.p_never, 2) }),
        el("td", { className: "d-only bneck", text: bottleneck }));
      tr.dataset.area = a.id;
      rows.push(tr);
    }
  }
  document.querySelector("#dates tbody").replaceChildren(...rows);
  drawCharts();
}

// The years the range bars span: the earliest 10% date to the latest 90% date within the run.
function dateAxis(data) {
  const until = data.settings.until;
  const p10 = data.areas.filter((a) => a.p10 !== null).map((a) => a.p10);
  const p90 = data.areas.filter((a) => a.p90 !== null).map((a) => a.p90);
  const lo = p10.length ? Math.floor(Math.min(...p10)) : Math.floor(until - 10);
  const hi = Math.min(until, Math.max(lo + 2, p90.length ? Math.ceil(Math.max(...p90)) + 1 : until));
  return { lo, hi };
}

function drawCharts() {
  if (!last || !last.figures || typeof window.Plotly === "undefined") return;
  const narrow = window.innerWidth < 700;
  const font = { size: narrow ? 11 : 12 };
  const t0 = last.figures.fan.data[1].x[0];
  const end = Math.min(last.settings.until, dateAxis(last).hi + 1);
  // Wide: the figure's legend (area and category) at the right. Narrow: no room for ten names, so
  // the category legend is drawn under the chart and a tap on a line names its area.
  const legend = { orientation: "v", x: 1.02, y: 1, font: { size: 11 } };
  const base = (fig, height) => ({ ...fig.layout, title: undefined, font, legend, height, showlegend: !narrow,
    hovermode: "closest", margin: { l: 52, r: narrow ? 8 : 10, t: 8, b: 44 } });
  const fan = base(last.figures.fan, narrow ? 320 : 420);
  fan.xaxis = { ...fan.xaxis, range: [t0, end], title: { text: "year" } };
  const ticks = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 1e4, 1e5, 1e6];
  fan.yaxis = { ...fan.yaxis, title: { text: "speedup (x today)" }, tickvals: ticks, ticktext: ticks.map((t) => `${t}x`) };
  window.Plotly.react("chart-fan", last.figures.fan.data, fan, PLOT_CONFIG);
  const cdf = base(last.figures.cdf, narrow ? 300 : 380);
  cdf.xaxis = { ...cdf.xaxis, range: [t0, end] };
  window.Plotly.react("chart-cdf", last.figures.cdf.data, cdf, PLOT_CONFIG);
  const n = last.areas.length;
  const heat = { ...last.figures.pairs.layout, title: undefined, font: { size: narrow ? 10 : 11 },
    height: Math.max(360, 28 * n + 190), margin: { l: 10, r: 10, t: 8, b: 10 },
    xaxis: { automargin: true, tickangle: -40 }, yaxis: { autorange: "reversed", automargin: true } };
  window.Plotly.react("chart-pairs", last.figures.pairs.data, heat, PLOT_CONFIG);
  for (const box of document.querySelectorAll(".cat-legend")) {
    box.replaceChildren(...Object.entries(last.colours).map(([c, colour]) =>
      el("span", {}, el("span", { className: "swatch", style: `background: ${colour}` }), c)),
    el("span", { className: "hint", text: narrow ? "tap a line for its area" : "" }));
  }
}

function loadPlotly() {
  if (!BOOT.plotly) return;
  const script = document.createElement("script");
  script.src = "/vendor/plotly.min.js";
  script.onload = drawCharts;
  document.head.append(script);
}

// ---- the URL is the scenario ---------------------------------------------------------------

function writeHash() {
  const q = new URLSearchParams();
  if (state.trend !== P.default_trend) q.set("trend", state.trend);
  if (state.reliability !== 0.5) q.set("reliability", state.reliability);
  if (state.draws !== PAGE.draws) q.set("draws", state.draws);
  if (state.seed !== PAGE.seed) q.set("seed", state.seed);
  if (state.until !== 2060) q.set("until", state.until);
  for (const [k, v] of Object.entries({ ...state.set, ...state.bridge })) q.set(k, v);
  const hash = q.toString();
  history.replaceState(null, "", hash ? `#${hash}` : location.pathname);
}

function readHash() {
  const q = new URLSearchParams(location.hash.slice(1));
  let any = false;
  for (const [k, raw] of q) {
    const v = Number(raw);
    any = true;
    if (k === "trend" && P.trends[raw]) state.trend = raw;
    else if (!Number.isFinite(v)) continue;
    else if (k === "reliability" || k === "draws" || k === "seed" || k === "until") state[k] = v;
    else if (k.startsWith("bridge.") && P.bridge.parameters[k.slice(7)]) state.bridge[k] = v;
    else if (MAIN.some((d) => d.field === k)) state.set[k] = v;
  }
  return any;
}

// ---- wiring ---------------------------------------------------------------------------------

function syncForm() {
  document.getElementById("trend").value = state.trend;
  for (const r of document.querySelectorAll("input[name=reliability]")) r.checked = Number(r.value) === state.reliability;
  const draws = document.getElementById("draws");
  if (![...draws.options].some((o) => Number(o.value) === state.draws)) {
    draws.append(el("option", { value: state.draws, text: state.draws.toLocaleString("en") }));
  }
  draws.value = String(state.draws);
  document.getElementById("seed").value = state.seed;
  document.getElementById("until").value = state.until;
  for (const c of Object.values(controls)) c.refresh();
  document.getElementById("bridge-count").textContent =
    `${Object.keys(P.bridge.parameters).length} constants, ${Object.keys(state.bridge).length || "none"} changed`;
}

function plainNumber(id, key) {
  const input = document.getElementById(id);
  input.addEventListener("input", () => {
    const v = Number(input.value);
    if (input.value.trim() === "" || !Number.isFinite(v)) {
      localErrors[key] = "Enter a number.";
      showFieldError(key, "Enter a number.");
      input.setAttribute("aria-invalid", "true");
      markStale("Not updated: a setting is not a number (marked below).");
      return;
    }
    delete localErrors[key];
    input.removeAttribute("aria-invalid");
    state[key] = v;
    changed();
  });
}

function init() {
  const sliders = document.getElementById("sliders");
  for (const def of MAIN) sliders.append(makeControl(def, state.set, () => { syncForm(); changed(); }).row);
  const box = document.getElementById("bridge-sliders");
  for (const def of bridgeDefs()) box.append(makeControl(def, state.bridge, () => { syncForm(); changed(); }).row);
  document.getElementById("bridge-about").textContent =
    `${P.bridge.description} Every constant is an assumption of autosafety (bridge '${P.bridge.id}'); ` +
    "moving one fixes it at that value (by default each is drawn from its interval).";
  document.getElementById("trend").addEventListener("change", (e) => {
    state.trend = e.target.value;
    delete state.set.doubling_time;      // the new trend's own numbers
    delete state.set.reference_horizon;
    syncForm();
    changed();
  });
  for (const r of document.querySelectorAll("input[name=reliability]")) {
    r.addEventListener("change", () => {
      state.reliability = Number(r.value);
      delete state.set.reference_horizon;  // a horizon is measured at one reliability
      syncForm();
      changed();
    });
  }
  document.getElementById("draws").addEventListener("change", (e) => { state.draws = Number(e.target.value); changed(); });
  plainNumber("seed", "seed");
  plainNumber("until", "until");
  document.getElementById("reset-all").addEventListener("click", () => {
    Object.assign(state, { trend: P.default_trend, reliability: 0.5, draws: PAGE.draws, seed: PAGE.seed, until: 2060 });
    for (const group of [state.set, state.bridge, localErrors]) for (const k of Object.keys(group)) delete group[k];
    syncForm();
    changed();
  });
  document.getElementById("copy-link").addEventListener("click", async () => {
    const out = document.getElementById("copied");
    try {
      await navigator.clipboard.writeText(location.href);
      out.textContent = "Link copied.";
    } catch {
      out.textContent = location.href;
    }
  });
  window.addEventListener("resize", debounce(drawCharts, 200));
  const fromLink = readHash();
  syncForm();
  if (last && !fromLink) {
    render(last);
    document.body.dataset.ready = "boot";
  } else {
    update();
  }
  loadPlotly();
}

init();
