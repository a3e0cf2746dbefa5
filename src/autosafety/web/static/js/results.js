// Rendering results: the headline, ranking chart and table, category averages, compare with published.
import { el, fmt, plotText } from "./api.js";

// One colour per category on every chart of every view: the palette of autosafety.analysis.figures
// (also the timeline's), indexed by the category's position in the model.
const BOOT = JSON.parse(document.getElementById("boot").textContent);
const PALETTE = BOOT.palette || ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
export const PLOT_CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud"] };
export const FONT = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif", color: "#1b1f24" };

export function categoryColour(categories, c) {
  return PALETTE[Math.max(0, categories.indexOf(c)) % PALETTE.length];
}

export function hasPlotly() { return typeof window.Plotly !== "undefined"; }

// Narrow screens get shorter charts and smaller type.
export const narrow = () => window.matchMedia("(max-width: 600px)").matches;

// On a phone, an axis label (already escaped) is broken into lines of about ``width`` characters,
// so the plot keeps most of the width.
export function wrapLabel(label, width = 15) {
  if (!narrow()) return label;
  const lines = [];
  for (const word of String(label).split(" ")) {
    const lastLine = lines[lines.length - 1];
    if (lastLine !== undefined && (lastLine + " " + word).length <= width) lines[lines.length - 1] = `${lastLine} ${word}`;
    else lines.push(word);
  }
  return lines.join("<br>");
}

const cap = (s) => (s ? s[0].toUpperCase() + s.slice(1) : s);

// The answer in one sentence (autosafety.web.routers.pages.headline writes the same one).
export function headline(result) {
  const areas = result.areas;
  const cats = Object.entries(result.categories).sort((x, y) => y[1] - x[1]);
  const top = areas.length ? `Top area: ${areas[0].name} (${areas[0].category}, ${fmt(areas[0].score)}).` : "";
  if (cats.length < 2) return top || "The model has no areas yet.";
  const [[first, a], [second, b]] = [cats[0], cats[cats.length - 1]];
  let lead;
  if (Math.round((a - b) * 100) === 0) lead = `${cap(first)} and ${second} tie: both average ${fmt(a)}.`;
  else if (cats.length === 2) {
    lead = `${cap(first)} comes first: its areas average ${fmt(a)}, ${second}'s ${fmt(b)} (a gap of ${fmt(a - b)}).`;
  } else lead = `Highest average first: ${cats.map(([c, v]) => `${c} ${fmt(v)}`).join(", ")}.`;
  return `${lead} ${top}`.trim();
}

// Mark a panel's results: "fresh", "busy" (Updating…), "stale" (Out of date) or "empty".
export function panelState(id, value) {
  const panel = document.getElementById(id);
  if (panel) panel.dataset.state = value;
}

let last = null;

// Draw the ranking chart again (e.g. once Plotly.js has loaded).
export function redrawScore() { if (last) renderScore(...last); }

export function renderScore(result, categories) {
  last = [result, categories];
  document.getElementById("headline").textContent = headline(result);
  const body = document.querySelector("#ranking tbody");
  body.replaceChildren(...result.areas.map((a) => el("tr", { "data-area": a.id },
    el("td", { text: `${a.rank}${a.tied ? "=" : ""}` }), el("td", { text: a.name }),
    el("td", { text: a.category }), el("td", { className: "num", text: fmt(a.score) }))));
  const items = Object.entries(result.categories).map(([c, v]) =>
    el("li", {}, el("i", { className: "swatch", style: `background:${categoryColour(categories, c)}` }),
      el("span", { text: `${c} average` }), el("b", { text: fmt(v) })));
  for (const [k, v] of Object.entries(result.gaps)) {
    items.push(el("li", { className: "gap" }, el("span", { text: `gap ${k}` }),
      el("b", { text: `${v >= 0 ? "+" : ""}${fmt(v)}` })));
  }
  document.getElementById("category-scores").replaceChildren(...items);
  if (!hasPlotly()) return;
  const areas = [...result.areas].reverse();
  const small = narrow();
  const traces = categories.filter((c) => areas.some((a) => a.category === c)).map((c) => {
    const mine = areas.filter((a) => a.category === c);
    return {
      type: "bar", orientation: "h", name: plotText(c), marker: { color: categoryColour(categories, c) },
      x: mine.map((a) => a.score), y: mine.map((a) => wrapLabel(plotText(a.name))),
      text: mine.map((a) => fmt(a.score)), textposition: "outside", cliponaxis: false,
      textfont: { color: FONT.color }, hovertemplate: "%{y}: %{x:.2f}<extra></extra>",
    };
  });
  const hi = Math.max(...result.areas.map((a) => a.score), 0);
  window.Plotly.react("chart-ranking", traces, {
    font: { ...FONT, size: small ? 11 : 12 },
    margin: { l: 10, r: 36, t: 28, b: 40 }, height: 90 + (small ? 30 : 24) * areas.length, barmode: "overlay",
    yaxis: { automargin: true, categoryorder: "array", categoryarray: areas.map((a) => wrapLabel(plotText(a.name))) },
    xaxis: { title: { text: small ? "Score (amenability)" : "Score: amenability to a 10x AI speedup" }, range: [0, hi * 1.08 || 1], fixedrange: true },
    legend: { orientation: "h", x: 1, xanchor: "right", y: 1, yanchor: "bottom", title: { text: "Category " } },
    showlegend: true,
  }, { ...PLOT_CONFIG, displayModeBar: false });
}

function table(caption, head, rows) {
  return el("div", { className: "scroll", tabIndex: 0, role: "region", "aria-label": caption }, el("table", { className: "compact" }, el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((x) => el("td", { text: x })))))));
}

// The differences between two models, as /api/compare returns them. ``names`` maps ids of
// factors and areas to their names (ids of things only the other model has stay ids).
export function renderComparison(box, cmp, { mineLabel = "yours", otherLabel = "published", names = {} } = {}) {
  const name = (id) => names[id] || id;
  const parts = [];
  const moved = cmp.areas.filter((a) => a.other_rank !== null && a.other_rank !== a.rank);
  const gapKeys = Object.keys(cmp.gaps.mine);
  const summary = cmp.weights.length + cmp.cells.length + cmp.factors_added.length + cmp.factors_removed.length
    + cmp.areas_added.length + cmp.areas_removed.length;
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  parts.push(el("p", { className: "summary", text: summary === 0
    ? `No differences from the ${otherLabel} numbers.`
    : `${plural(cmp.weights.length, "weight", "weights")} and ${plural(cmp.cells.length, "rating", "ratings")} `
      + `differ; ${plural(moved.length, "area changes", "areas change")} rank.` }));
  if (gapKeys.length) {
    parts.push(table("Category gap", ["gap", mineLabel, otherLabel], gapKeys.map((k) =>
      [k, fmt(cmp.gaps.mine[k]), cmp.gaps.other[k] === undefined ? "–" : fmt(cmp.gaps.other[k])])));
  }
  parts.push(table("Ranking", ["area", `rank, ${mineLabel}`, `rank, ${otherLabel}`, `score, ${mineLabel}`,
    `score, ${otherLabel}`], cmp.areas.map((a) => [a.name, String(a.rank),
    a.other_rank === null ? "new" : String(a.other_rank), fmt(a.score), fmt(a.other_score)])));
  if (cmp.weights.length) {
    parts.push(table("Weights changed", ["factor", mineLabel, otherLabel],
      cmp.weights.map((w) => [w.name, fmt(w.mine), fmt(w.other)])));
  }
  if (cmp.cells.length) {
    parts.push(table("Ratings changed", ["area", "factor", mineLabel, otherLabel],
      cmp.cells.map((c) => [name(c.area), name(c.factor), fmt(c.mine), fmt(c.other)])));
  }
  const lists = [["Factors added", cmp.factors_added], ["Factors removed", cmp.factors_removed],
    ["Areas added", cmp.areas_added], ["Areas removed", cmp.areas_removed]];
  for (const [title, ids] of lists) {
    if (ids.length) parts.push(el("p", {}, el("b", { text: `${title}: ` }), ids.map(name).join(", ")));
  }
  box.replaceChildren(...parts);
}

// Field-level messages: a problem whose location is a form field's name is shown beside it.
export function showFieldProblems(form, problems) {
  for (const span of form.querySelectorAll(".field-error")) span.textContent = "";
  for (const input of form.querySelectorAll("input")) input.removeAttribute("aria-invalid");
  for (const p of problems || []) {
    const field = String(p.location).split(/[.[]/)[0];
    const span = form.querySelector(`#err-${CSS.escape(field)}`);
    if (!span) continue;
    span.textContent = p.message;
    const input = form.querySelector(`[name="${CSS.escape(field)}"]`);
    if (input) input.setAttribute("aria-invalid", "true");
  }
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
