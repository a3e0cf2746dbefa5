// Monte Carlo (score distributions, rank acceptability), tornado and exact flip thresholds.
// The figures come from autosafety.analysis.figures via the API, labels already escaped.
import { api, el, fmt } from "./api.js";
import { PLOT_CONFIG, hasPlotly, showProblems } from "./results.js";

let currentSpec = () => null;
let generation = 0;

const drawn = {};

// Draw the analysis charts again (e.g. once Plotly.js has loaded).
export function redrawAnalysis() { for (const [id, fig] of Object.entries(drawn)) draw(id, fig); }

function draw(id, figure) {
  if (figure) drawn[id] = figure;
  if (!hasPlotly() || !figure) return;
  const layout = { ...figure.layout, autosize: true, height: 420, margin: { l: 10, r: 20, t: 50, b: 50 },
    yaxis: { ...(figure.layout.yaxis || {}), automargin: true },
    title: { ...(figure.layout.title || {}), font: { size: 13 } } };
  window.Plotly.react(id, figure.data, layout, PLOT_CONFIG);
}

function settings() {
  const data = new FormData(document.getElementById("mc-form"));
  const num = (k) => Number(data.get(k));
  const conc = String(data.get("weight_concentration") || "").trim();
  return { draws: num("draws"), seed: num("seed"), rating_noise: num("rating_noise"),
    weight_concentration: conc === "" ? null : Number(conc) };
}

function renderGaps(result) {
  const box = document.getElementById("mc-summary");
  const items = result.categories.map((g) => el("li", {},
    el("span", { text: `P(${g.higher} scores above ${g.lower})` }), el("b", { text: fmt(g.p_higher_above, 3) }),
    el("span", { text: ` ± ${fmt(g.se, 3)}; gap ${fmt(g.mean)} [${fmt(g.low)}, ${fmt(g.high)}]` })));
  box.replaceChildren(el("p", { className: "hint", text: `${result.draws.toLocaleString()} draws, seed ${result.seed}, `
    + `${fmt(result.seconds * 1000, 0)} ms` }), el("ul", { className: "kv" }, ...items));
}

function factorName(id) {
  const spec = currentSpec();
  const f = spec && spec.factors.find((x) => x.id === id);
  return f ? f.name || f.id : id;
}

function flipTable(caption, rows) {
  return el("div", { className: "scroll" }, el("table", { className: "compact" }, el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, ...["factor", "weight now", "flips at", "what it means"].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, el("td", { text: factorName(r.factor) }), el("td", { text: fmt(r.weight) }),
      el("td", { text: r.threshold === null ? "never" : fmt(r.threshold, 3) }), el("td", { text: r.statement }))))));
}

function renderFlips(flips) {
  const distance = (r) => (r.threshold === null ? Infinity : Math.abs(r.threshold - r.weight));
  const cats = [...flips.categories].sort((a, b) => distance(a) - distance(b));
  const pairs = flips.pairs.filter((r) => r.threshold !== null).sort((a, b) => distance(a) - distance(b)).slice(0, 10);
  const parts = [];
  if (cats.length) parts.push(flipTable("Category order: one weight at a time", cats));
  if (pairs.length) parts.push(flipTable("Area pairs: the ten smallest weight changes that swap two areas", pairs));
  if (!parts.length) parts.push(el("p", { className: "hint", text: "No single weight change reorders the areas." }));
  document.getElementById("flips").replaceChildren(...parts);
}

export async function runAnalysis(spec) {
  const mine = ++generation;
  const model = spec || currentSpec();
  if (!model) return;
  try {
    const [mc, sens] = await Promise.all([
      api("POST", "/api/montecarlo", { model, ...settings(), figures: true }),
      api("POST", "/api/sensitivity", { model, figures: true }),
    ]);
    if (mine !== generation) return;
    draw("chart-mc", mc.figures.scores);
    draw("chart-acceptability", mc.figures.ranks);
    if (sens.figures.tornado) draw("chart-tornado", sens.figures.tornado);
    else if (hasPlotly()) window.Plotly.purge("chart-tornado");
    renderGaps(mc.result);
    renderFlips(sens.flips);
    document.body.dataset.analysed = String(mine);
  } catch (err) {
    if (mine === generation) showProblems(err, "Could not run the analysis");
  }
}

export function bindAnalysis(getSpec) {
  currentSpec = getSpec;
  document.getElementById("mc-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runAnalysis();
  });
}
