// The page: load a model, re-score on every edit (debounced), share, export, upload.
import { api, apiBlob, debounce, download, encodeScenario } from "./api.js";
import { bindAnalysis, redrawAnalysis, runAnalysis } from "./analysis.js";
import { bindAdders, blankSpec, categories, cleanSpec, refreshCells, renderEditor, setOnChange, state } from "./editor.js";
import { hasPlotly, redrawScore, renderComparison, renderScore, showProblems } from "./results.js";
import { bindScenarios, refreshScenarios } from "./scenarios.js";

const status = (text) => { document.getElementById("status").textContent = text; };
let generation = 0;

function scenario() { return { base: state.base, model: cleanSpec() }; }

const BOOT = JSON.parse(document.getElementById("boot").textContent);

// Plotly.js (4 MB) loads after the page is usable; charts are drawn once it arrives.
function loadPlotly() {
  if (!BOOT.plotly) return;
  const script = document.createElement("script");
  script.src = "/vendor/plotly.min.js";
  script.onload = () => { redrawScore(); redrawAnalysis(); };
  document.head.append(script);
}

async function refresh(precomputed) {
  const mine = ++generation;
  document.body.dataset.busy = "1";
  const model = cleanSpec();
  try {
    const result = precomputed || await api("POST", "/api/score", { model, grid: true });
    if (mine !== generation) return;
    state.pooled = result.pooled;
    renderScore(result, categories());
    refreshCells();
    showProblems(null);
    const token = await encodeScenario(scenario());
    if (mine !== generation) return;
    history.replaceState(null, "", `#s=${token}`);
    document.body.dataset.ready = String(mine);
    status("Up to date.");
    if (state.base) {
      const cmp = await api("POST", "/api/compare", { model, against: state.base });
      if (mine === generation) renderComparison(document.getElementById("compare"), cmp);
    }
    runAnalysisSoon();
  } catch (err) {
    if (mine === generation) {
      showProblems(err, err.status === 422 ? "The model has problems" : "Could not score the model");
      status("Not scored: see the problems above.");
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
  const select = document.getElementById("model-select");
  select.value = state.base || "";
  if (!state.base) document.getElementById("compare").replaceChildren();
  renderEditor();
  if (message) status(message);
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
    status("The upload was not loaded.");
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
        onclick: () => hasPlotly() && window.Plotly.downloadImage(tools.dataset.chart,
          { format, filename: `${state.spec.id}-${tools.dataset.chart}`, width: 1000, height: 600 }),
      }));
    }
  }
}

async function start() {
  setOnChange(refreshSoon);
  bindAdders();
  bindToolbar();
  bindAnalysis(() => cleanSpec());
  bindScenarios(load, scenario);
  refreshScenarios().catch((err) => showProblems(err, "Could not list the saved scenarios"));
  const hash = location.hash.startsWith("#s=") ? location.hash.slice(3) : "";
  if (hash) {
    status("Opening the shared scenario…");
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
