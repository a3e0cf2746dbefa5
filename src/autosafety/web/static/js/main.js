// The page: load a model, re-score on every edit (debounced), share, export, upload.
// Nothing stale: every panel is marked Updating… while its request runs, Out of date when a request
// or an entry was refused, and cleared when the model changes; the status line says which.
import { api, apiBlob, debounce, download, encodeScenario } from "./api.js";
import { bindAnalysis, clearAnalysis, redrawAnalysis, runAnalysis, supersede } from "./analysis.js";
import { bindAdders, blankSpec, categories, cleanSpec, refreshCells, renderEditor, setOnChange, state } from "./editor.js";
import { hasPlotly, panelState, redrawScore, renderComparison, renderScore, showProblems } from "./results.js";
import { bindScenarios, refreshScenarios } from "./scenarios.js";
import { bindUndo } from "./undo.js";

// note: what the last load did ("Loaded scenario …"), kept before the status until the next edit.
let note = "";
const status = (text) => { document.getElementById("status").textContent = `${note} ${text}`.trim(); };
let generation = 0;
let scoreRefused = false;

function scenario() { return { base: state.base, model: cleanSpec() }; }

const BOOT = JSON.parse(document.getElementById("boot").textContent);

// Plotly.js (1.5 MB) loads after the page is usable; charts are drawn once it arrives.
function loadPlotly() {
  if (!BOOT.plotly) return;
  const script = document.createElement("script");
  script.src = "/vendor/plotly.min.js";
  script.onload = () => { redrawScore(); redrawAnalysis(); };
  document.head.append(script);
}

const RESULT_PANELS = ["answer", "compare-panel", "analysis-panel"];

function markAll(value) {
  for (const id of RESULT_PANELS) {
    const panel = document.getElementById(id);
    if (panel.dataset.state !== "empty") panelState(id, value);
  }
}

// Entries typed but refused: the results stay, marked out of date, until the entry is fixed.
function invalidChanged() {
  if (state.invalid.size) {
    generation++;  // a score request still running answers for the old value: drop it
    markAll("stale");
    status(`Out of date: ${state.invalid.size === 1 ? "one entry is" : `${state.invalid.size} entries are`} `
      + "refused (see below the ratings); the results are for the last valid values.");
  } else {
    refreshSoon();
  }
}

// The analysis finished (err: the refusal, or null).
function analysisDone(err) {
  if (state.invalid.size || scoreRefused) return;
  status(err ? "Ranking up to date; the uncertainty analysis was refused (see the problems above), "
    + "so its panel is out of date." : "Up to date.");
}

async function refresh(precomputed) {
  if (state.invalid.size) return;
  const mine = ++generation;
  document.body.dataset.busy = "1";
  supersede();
  markAll("busy");
  const model = cleanSpec();
  try {
    const result = precomputed || await api("POST", "/api/score", { model, grid: true });
    if (mine !== generation) return;
    scoreRefused = false;
    state.pooled = result.pooled;
    renderScore(result, categories());
    panelState("answer", "fresh");
    refreshCells();
    showProblems(null);
    const token = await encodeScenario(scenario());
    if (mine !== generation) return;
    history.replaceState(null, "", `#s=${token}`);
    document.body.dataset.ready = String(mine);
    status("Ranking up to date; uncertainty analysis running…");
    if (state.base) {
      const cmp = await api("POST", "/api/compare", { model, against: state.base });
      if (mine !== generation) return;
      const names = Object.fromEntries([...model.areas, ...model.factors].map((x) => [x.id, x.name || x.id]));
      renderComparison(document.getElementById("compare"), cmp, { names });
      panelState("compare-panel", "fresh");
    }
    panelState("analysis-panel", "busy");
    runAnalysisSoon();
  } catch (err) {
    if (mine === generation) {
      scoreRefused = true;
      markAll("stale");
      showProblems(err, err.status === 422 ? "The model has problems" : "Could not score the model");
      status("Out of date: the model was refused (see the problems above); "
        + "the results shown are for the last model that scored.");
    }
  } finally {
    if (mine === generation) delete document.body.dataset.busy;
  }
}

const refreshSoon = debounce(refresh, 200);
const runAnalysisSoon = debounce(() => runAnalysis(cleanSpec()), 600);

function load(spec, base, message, precomputed) {
  state.spec = structuredClone(spec);
  state.base = base || null;
  state.pooled = {};
  state.extraCategories = [];
  state.invalid.clear();
  note = message || "";
  const select = document.getElementById("model-select");
  select.value = state.base || "";
  // A new model: nothing computed for the old one stays on screen.
  clearAnalysis();
  const compare = document.getElementById("compare");
  if (state.base) { compare.replaceChildren(); panelState("compare-panel", "busy"); }
  else {
    compare.replaceChildren(Object.assign(document.createElement("p"),
      { className: "hint", textContent: "Start from a built-in model to compare with it." }));
    panelState("compare-panel", "fresh");
  }
  renderEditor();
  status("Computing…");
  return refresh(precomputed);
}

async function loadBuiltin(name) {
  if (!name) return load(blankSpec(), null, "Started a blank model.");
  const data = await api("GET", `/api/models/${encodeURIComponent(name)}`);
  return load(data.model, name);
}

async function upload(file) {
  const ext = file.name.split(".").pop().toLowerCase();
  const format = ext === "yml" ? "yaml" : ext;
  if (!["yaml", "json", "csv"].includes(format)) {
    showProblems({ message: "unknown file type", problems: [{ location: file.name,
      message: `unknown file extension '.${ext}'`, fix: "use .yaml, .yml, .json or .csv" }] });
    return;
  }
  try {
    const data = await api("POST", "/api/parse", { text: await file.text(), format, filename: file.name });
    await load(data.model, null, `Loaded ${file.name}.`);
  } catch (err) {
    showProblems(err, err.message);
    status(`${file.name} was not loaded (see the problems above); the model shown is unchanged.`);
  }
}

function bindToolbar() {
  document.getElementById("model-select").addEventListener("change", (e) => loadBuiltin(e.target.value));
  document.getElementById("upload").addEventListener("change", (e) => {
    if (e.target.files.length) upload(e.target.files[0]);
    e.target.value = "";
  });
  for (const button of document.querySelectorAll("[data-export]")) {
    button.addEventListener("click", async () => {
      try {
        const fmt = button.dataset.export;
        download(await apiBlob("/api/export", { model: cleanSpec(), format: fmt }), `${state.spec.id}.${fmt}`);
      } catch (err) { showProblems(err, "Could not export"); }
    });
  }
  document.getElementById("share").addEventListener("click", async () => {
    const url = `${location.origin}${location.pathname}#s=${await encodeScenario(scenario())}`;
    const box = document.getElementById("share-link");
    box.value = url;
    box.hidden = false;
    box.select();
    try { await navigator.clipboard.writeText(url); status("Share link copied."); }
    catch { status("Share link ready: copy it from the box."); }
  });
  for (const tools of document.querySelectorAll(".chart-tools")) {
    for (const format of ["svg", "png"]) {
      tools.append(Object.assign(document.createElement("button"), {
        type: "button", textContent: format.toUpperCase(), title: `Download the chart as ${format.toUpperCase()}`,
        ariaLabel: `Download the chart as ${format.toUpperCase()}`,
        onclick: () => hasPlotly() && window.Plotly.downloadImage(tools.dataset.chart,
          { format, filename: `${state.spec.id}-${tools.dataset.chart}`, width: 1000, height: 600 }),
      }));
    }
  }
}

async function start() {
  setOnChange(() => { note = ""; refreshSoon(); }, invalidChanged);
  bindUndo();
  bindAdders();
  bindToolbar();
  bindAnalysis(() => cleanSpec(), () => categories(), analysisDone);
  bindScenarios(load, scenario);
  refreshScenarios().catch((err) => showProblems(err, "Could not list the saved scenarios"));
  const hash = location.hash.startsWith("#s=") ? location.hash.slice(3) : "";
  if (hash) {
    note = "Opening the shared scenario…";
    status("");
    try {
      const data = await api("POST", "/api/share/decode", { token: hash });
      return load(data.model, data.base, "Loaded the shared scenario.");
    } catch (err) {
      await loadBuiltin(document.getElementById("model-select").value);
      showProblems(err, "The shared link could not be opened");
      return undefined;
    }
  }
  const initial = BOOT.initial;
  if (document.getElementById("model-select").value === initial.name) {
    return load(initial.model, initial.name, "", initial.score);
  }
  return loadBuiltin(document.getElementById("model-select").value);
}

// Plotly.js loads once the page is usable, so parsing it never delays the first interaction.
start().finally(loadPlotly);
