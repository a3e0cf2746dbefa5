// Rendering results: ranking chart and table, category averages, compare with published.
import { el, fmt, plotText } from "./api.js";

const PALETTE = ["#1f6fb4", "#d9611e", "#2c9c5a", "#8a4fb8", "#b8323c", "#6b7a8f"];
export const PLOT_CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud"] };

export function categoryColour(categories, c) {
  return PALETTE[Math.max(0, categories.indexOf(c)) % PALETTE.length];
}

export function hasPlotly() { return typeof window.Plotly !== "undefined"; }

let last = null;

// Draw the ranking chart again (e.g. once Plotly.js has loaded).
export function redrawScore() { if (last) renderScore(...last); }

export function renderScore(result, categories) {
  last = [result, categories];
  const body = document.querySelector("#ranking tbody");
  body.replaceChildren(...result.areas.map((a) => el("tr", { "data-area": a.id },
    el("td", { text: `${a.rank}${a.tied ? "=" : ""}` }), el("td", { text: a.name }),
    el("td", { text: a.category }), el("td", { text: fmt(a.score) }))));
  const items = Object.entries(result.categories).map(([c, v]) =>
    el("li", {}, el("span", { text: `${c} average` }), el("b", { text: fmt(v) })));
  for (const [k, v] of Object.entries(result.gaps)) {
    items.push(el("li", { className: "gap" }, el("span", { text: `gap ${k}` }),
      el("b", { text: `${v >= 0 ? "+" : ""}${fmt(v)}` })));
  }
  document.getElementById("category-scores").replaceChildren(...items);
  if (!hasPlotly()) return;
  const areas = [...result.areas].reverse();
  const traces = categories.filter((c) => areas.some((a) => a.category === c)).map((c) => {
    const mine = areas.filter((a) => a.category === c);
    return {
      type: "bar", orientation: "h", name: plotText(c), marker: { color: categoryColour(categories, c) },
      x: mine.map((a) => a.score), y: mine.map((a) => plotText(a.name)),
      text: mine.map((a) => fmt(a.score)), textposition: "auto", hovertemplate: "%{y}: %{x:.2f}<extra></extra>",
    };
  });
  const lo = Math.min(...result.areas.map((a) => a.score));
  window.Plotly.react("chart-ranking", traces, {
    margin: { l: 10, r: 10, t: 30, b: 40 }, height: 80 + 28 * areas.length, barmode: "overlay",
    yaxis: { automargin: true, categoryorder: "array", categoryarray: areas.map((a) => plotText(a.name)) },
    xaxis: { title: { text: "Amenability to a 10x AI speedup" }, range: [Math.min(lo - 0.5, 0), null] },
    legend: { orientation: "h", x: 0, y: 1, yanchor: "bottom" },
  }, PLOT_CONFIG);
}

function table(caption, head, rows) {
  return el("div", { className: "scroll" }, el("table", { className: "compact" }, el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((x) => el("td", { text: x })))))));
}

// The differences between two models, as /api/compare returns them.
export function renderComparison(box, cmp, { mineLabel = "yours", otherLabel = "published" } = {}) {
  const parts = [];
  const moved = cmp.areas.filter((a) => a.other_rank !== null && a.other_rank !== a.rank);
  const gapKeys = Object.keys(cmp.gaps.mine);
  const summary = cmp.weights.length + cmp.cells.length + cmp.factors_added.length + cmp.factors_removed.length
    + cmp.areas_added.length + cmp.areas_removed.length;
  parts.push(el("p", { className: "summary", text: summary === 0
    ? `No differences from the ${otherLabel} numbers.`
    : `${cmp.weights.length} weight(s) and ${cmp.cells.length} rating(s) differ; `
      + `${moved.length} area(s) change rank.` }));
  if (gapKeys.length) {
    parts.push(table("Category gap", ["gap", mineLabel, otherLabel], gapKeys.map((k) =>
      [k, fmt(cmp.gaps.mine[k]), cmp.gaps.other[k] === undefined ? "–" : fmt(cmp.gaps.other[k])])));
  }
  parts.push(table("Ranking", ["area", `rank (${mineLabel})`, `rank (${otherLabel})`, `score (${mineLabel})`,
    `score (${otherLabel})`], cmp.areas.map((a) => [a.name, String(a.rank),
    a.other_rank === null ? "new" : String(a.other_rank), fmt(a.score), fmt(a.other_score)])));
  if (cmp.weights.length) {
    parts.push(table("Weights changed", ["factor", mineLabel, otherLabel],
      cmp.weights.map((w) => [w.name, fmt(w.mine), fmt(w.other)])));
  }
  if (cmp.cells.length) {
    parts.push(table("Ratings changed", ["area", "factor", mineLabel, otherLabel],
      cmp.cells.map((c) => [c.area, c.factor, fmt(c.mine), fmt(c.other)])));
  }
  const lists = [["Factors added", cmp.factors_added], ["Factors removed", cmp.factors_removed],
    ["Areas added", cmp.areas_added], ["Areas removed", cmp.areas_removed]];
  for (const [title, ids] of lists) {
    if (ids.length) parts.push(el("p", {}, el("b", { text: `${title}: ` }), ids.join(", ")));
  }
  box.replaceChildren(...parts);
}

export function showProblems(err, title) {
  const box = document.getElementById("problems");
  if (!err) { box.hidden = true; box.replaceChildren(); return; }
  const problems = err.problems && err.problems.length ? err.problems
    : [{ location: "page", message: err.message || String(err), fix: "" }];
  box.replaceChildren(el("h2", { text: title || err.message }), el("ul", {}, ...problems.map((p) =>
    el("li", {}, el("code", { text: p.location }), `: ${p.message}`, p.fix ? el("em", { text: ` (fix: ${p.fix})` }) : ""))));
  box.hidden = false;
}
