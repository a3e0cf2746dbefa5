// Monte Carlo (score distributions, rank acceptability), tornado and exact flip thresholds.
// The Monte Carlo figures come from autosafety.analysis.figures via the API (labels escaped); the
// page recolours them by category and draws the tornado from the API's numbers.
import { api, el, fmt, plotText } from "./api.js";
import { FONT, PLOT_CONFIG, categoryColour, hasPlotly, narrow, panelState, showFieldProblems,
  showProblems, wrapLabel } from "./results.js";

let currentSpec = () => null;
let currentCategories = () => [];
let onDone = () => {};
let generation = 0;

const drawn = {};
const CHARTS = ["chart-mc", "chart-acceptability", "chart-tornado"];

// Draw the analysis charts again (e.g. once Plotly.js has loaded).
export function redrawAnalysis() { for (const [id, fig] of Object.entries(drawn)) draw(id, fig); }

function draw(id, figure) {
  if (figure) drawn[id] = figure;
  if (!hasPlotly() || !figure) return;
  const small = narrow();
  const layout = { ...figure.layout, autosize: true, font: { ...FONT, size: small ? 10 : 12 },
    height: figure.height || (small ? 440 : 420), margin: { l: 10, r: 20, t: 50, b: 50, ...(figure.margin || {}) },
    yaxis: { ...(figure.layout.yaxis || {}), automargin: true },
    title: { ...(figure.layout.title || {}), font: { size: small ? 12 : 14 }, x: 0, xanchor: "left" } };
  window.Plotly.react(id, figure.data, layout, PLOT_CONFIG);
}

// The inputs changed: an analysis still running answers for the old ones, so it is dropped.
export function supersede() {
  generation++;
  if (document.getElementById("analysis-panel").dataset.state !== "empty") panelState("analysis-panel", "busy");
}

// Clear every result (a new model: nothing of the old one may stay on screen).
export function clearAnalysis() {
  generation++;
  for (const id of CHARTS) {
    delete drawn[id];
    if (hasPlotly()) window.Plotly.purge(id);
  }
  document.getElementById("mc-summary").replaceChildren();
  document.getElementById("flips").replaceChildren();
  panelState("analysis-panel", "empty");
}

function settings() {
  const data = new FormData(document.getElementById("mc-form"));
  const num = (k) => Number(data.get(k));
  const conc = String(data.get("weight_concentration") || "").trim();
  return { draws: num("draws"), seed: num("seed"), rating_noise: num("rating_noise"),
    weight_concentration: conc === "" ? null : Number(conc) };
}

function names(kind) {
  const spec = currentSpec();
  return Object.fromEntries(((spec && spec[kind]) || []).map((x) => [x.id, x.name || x.id]));
}

function renderGaps(result) {
  const box = document.getElementById("mc-summary");
  const level = Math.round(100 * ((result.settings && result.settings.interval) || 0.9));
  const items = result.categories.map((g) => el("li", {},
    el("span", { text: `P(${g.higher} scores above ${g.lower})` }), el("b", { text: fmt(g.p_higher_above, 3) }),
    el("span", { text: ` ± ${fmt(g.se, 3)}. Gap ${g.higher} − ${g.lower}: mean ${fmt(g.mean)}, `
      + `${level}% of draws between ${fmt(g.low)} and ${fmt(g.high)}.` })));
  box.replaceChildren(el("ul", { className: "kv headline-mc" }, ...items),
    el("p", { className: "hint", text: `${result.draws.toLocaleString("en")} draws, seed ${result.seed}, `
      + `${fmt(result.seconds * 1000, 0)} ms.` }));
}

// The sentence of one flip threshold, with names (the API's statement uses ids).
export function flipSentence(r, areaNames, factorNames) {
  const n = (id) => (r.kind === "category" ? id : areaNames[id] || id);
  const factor = factorNames[r.factor] || r.factor;
  const lead = n(r.leader);
  const trail = n(r.trailer);
  if (r.threshold === null) return `No weight of ${factor}, however small or large, puts ${trail} above ${lead}.`;
  if (Math.abs(r.threshold - r.weight) < 1e-9) return `${lead} and ${trail} are tied at the current weight of ${factor}.`;
  const verb = r.threshold < r.weight ? "fall" : "rise";
  return `The weight of ${factor} would have to ${verb} from ${+r.weight.toPrecision(4)} to `
    + `${+r.threshold.toPrecision(4)} for ${trail} to come level with ${lead} (beyond it, ${trail} comes first).`;
}

function flipTable(caption, rows) {
  const areas = names("areas");
  const factors = names("factors");
  return el("div", { className: "scroll", tabIndex: 0, role: "region", "aria-label": caption }, el("table", { className: "compact flips" }, el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, ...["factor", "weight now", "flips at", "what it means"].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, el("td", { text: factors[r.factor] || r.factor }),
      el("td", { className: "num", text: fmt(r.weight) }),
      el("td", { className: "num", text: r.threshold === null ? "never" : fmt(r.threshold, 3) }),
      el("td", { text: flipSentence(r, areas, factors) }))))));
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

// Score distributions: one colour per category, the legend grouped by category.
function scoresFigure(fig) {
  const cats = currentCategories();
  const data = fig.data.map((t) => ({ ...t, line: { ...t.line, color: categoryColour(cats, t.legendgroup) },
    legendgrouptitle: { text: plotText(t.legendgroup) } }));
  const small = narrow();
  return { data, height: small ? 640 : 440, margin: small ? { b: 40 } : {},
    layout: { ...fig.layout, title: { text: "Score distribution of each area (legend: mean score)" },
      legend: small ? { orientation: "h", x: 0, y: -0.14, yanchor: "top", groupclick: "toggleitem" }
        : { groupclick: "toggleitem" } } };
}

// Rank acceptability: percentages in dark text on a light scale (contrast 4.5:1 or more), ranks 1, 2, 3...
export const RANK_SCALE = [[0, "#ffffff"], [1, "#6baed6"]];
function ranksFigure(fig) {
  const data = fig.data.map((t) => ({ ...t, colorscale: RANK_SCALE, text: undefined, y: t.y.map((y) => wrapLabel(y)),
    texttemplate: narrow() ? "" : "%{z:.0%}", textfont: { color: FONT.color, size: 11 },
    hovertemplate: "%{y}: rank %{x} with probability %{z:.2f}<extra></extra>",
    colorbar: { title: { text: "P" }, tickformat: ".0%", thickness: 12 } }));
  return { data, height: narrow() ? 460 : 420,
    layout: { ...fig.layout, title: { text: "How likely each rank is (share of draws)" },
      xaxis: { ...fig.layout.xaxis, title: { text: "rank (1 = most amenable)" }, dtick: 1, type: "category" } } };
}

// Tornado of the category gap: each factor's weight swept from low to high, others fixed; the
// part of a bar where the first category leads in its colour, where the second leads in its own.
function tornadoFigure(t) {
  if (!t || !t.factors || !t.factors.length) return null;
  const cats = currentCategories();
  const [first, second] = t.gap.split(" - ");
  const factors = names("factors");
  const rows = [...t.factors].reverse();
  const labels = rows.map((r) => wrapLabel(plotText(`${factors[r.factor] || r.factor} (${+r.weight.toPrecision(3)})`), 18));
  const seg = (lo, hi) => rows.map((r) => [Math.max(lo, r.gap_min), Math.min(hi, r.gap_max)]);
  const trace = (name, parts, colour) => ({ type: "bar", orientation: "h", name: plotText(name), y: labels,
    base: parts.map(([a, b]) => (b > a ? a : 0)), x: parts.map(([a, b]) => Math.max(0, b - a)),
    marker: { color: colour }, customdata: rows.map((r) => [r.gap_at_low, r.gap_at_high]),
    hovertemplate: `%{y}: gap %{customdata[0]:.2f} at weight ${t.low}, %{customdata[1]:.2f} at ${t.high}<extra></extra>` });
  const base = rows[0].base_gap;
  const data = [trace(`${first} ahead`, seg(0, Infinity), categoryColour(cats, first)),
    trace(`${second} ahead`, seg(-Infinity, 0), categoryColour(cats, second))];
  return { data, height: 110 + (narrow() ? 44 : 34) * rows.length,
    layout: { title: { text: narrow() ? `Gap as each weight goes ${t.low} to ${t.high}`
      : `Gap ${first} − ${second} as each weight goes from ${t.low} to ${t.high}` },
      barmode: "overlay", showlegend: true,
      legend: { orientation: "h", x: 0, xanchor: "left", yref: "container", y: 0, yanchor: "bottom" },
      xaxis: { title: { text: `${first} − ${second} average` }, zeroline: true },
      shapes: [{ type: "line", x0: base, x1: base, y0: 0, y1: 1, yref: "paper",
        line: { dash: "dash", color: "#1b1f24" } }],
      annotations: [{ x: base, y: 1, yref: "paper", yanchor: "bottom", showarrow: false,
        text: `now ${fmt(base)}`, font: { size: 11 } }] },
    margin: { b: 100 } };
}

export async function runAnalysis(spec) {
  const mine = ++generation;
  const model = spec || currentSpec();
  if (!model) return;
  const form = document.getElementById("mc-form");
  panelState("analysis-panel", "busy");
  try {
    const [mc, sens] = await Promise.all([
      api("POST", "/api/montecarlo", { model, ...settings(), figures: true }),
      api("POST", "/api/sensitivity", { model, figures: false }),
    ]);
    if (mine !== generation) return;
    showFieldProblems(form, []);
    draw("chart-mc", scoresFigure(mc.figures.scores));
    draw("chart-acceptability", ranksFigure(mc.figures.ranks));
    const tornado = tornadoFigure(sens.tornado);
    if (tornado) draw("chart-tornado", tornado);
    else { delete drawn["chart-tornado"]; if (hasPlotly()) window.Plotly.purge("chart-tornado"); }
    renderGaps(mc.result);
    renderFlips(sens.flips);
    panelState("analysis-panel", "fresh");
    document.body.dataset.analysed = String(mine);
    onDone(null);
  } catch (err) {
    if (mine !== generation) return;
    showFieldProblems(form, err.problems);
    showProblems(err, "Could not run the analysis");
    panelState("analysis-panel", "stale");
    onDone(err);
  }
}

// getSpec: the model to analyse; getCategories: the category order (for colours);
// done(err): called after each run, with the error if it was refused.
export function bindAnalysis(getSpec, getCategories, done) {
  currentSpec = getSpec;
  currentCategories = getCategories;
  onDone = done;
  document.getElementById("mc-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runAnalysis();
  });
}
