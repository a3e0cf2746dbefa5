// The organiser's dashboard (/campaigns/ID#ORGANISER_TOKEN): the answer first (responses so far,
// pooled vs published), then scores, rounds (close/reopen, export), disagreement, agreement,
// responses per rater and cell, change between rounds. Refreshes every 30 s. Names set as text.
import { debounce, download, el } from "./api.js";
import { call, num, short, showProblems, tokenFromHash, when } from "./campaign-api.js";

const $ = (id) => document.getElementById(id);
const id = Number(document.body.dataset.campaign);
const token = tokenFromHash();
const REFRESH_MS = 30_000;
let data = null;
let pendingAction = null;

const cellName = (c) => `${c.area_name}: ${c.factor_name}`;
const signed = (x) => (x > 0 ? "+" : "") + num(x);
const alphaText = (a) => (a === null || a === undefined ? "–" : num(a, 2));

function weights() {
  const out = {};
  for (const k of ["human", "llm", "other"]) {
    const v = Number($(`w-${k}`).value);
    if (!(v > 0) || !Number.isFinite(v)) return null;
    out[k] = v;
  }
  return out;
}

async function load({ quiet = false } = {}) {
  if (!token) {
    showProblems($("problems"), "This page needs the organiser link", { problems: [{ message: "open the organiser link you saved when you created the campaign (it ends in #key), or open the dashboard from /campaigns with the id and token" }] });
    $("headline").textContent = "No organiser token in the link.";
    document.body.dataset.ready = "error";
    return;
  }
  const w = weights();
  if (!w) {
    $("weights-error").textContent = "Every source weight must be a number above 0.";
    return;
  }
  $("weights-error").textContent = "";
  if (!quiet) $("status").textContent = "Updating…";
  let r;
  try {
    r = await call("GET", `/api/campaigns/${id}?${new URLSearchParams(w)}`, token);
  } catch {
    $("status").textContent = "Cannot reach the server; the numbers shown may be out of date.";
    return;
  }
  if (r.status === 404) {
    showProblems($("problems"), "This link does not open a campaign", { problems: [{ message: "check the campaign id and that the organiser link is complete (the part after '#')" }] });
    $("headline").textContent = "Campaign not found.";
    document.body.dataset.ready = "error";
    return;
  }
  if (!r.ok) {
    showProblems($("problems"), r.data.error || `The server answered ${r.status}`, r.data);
    return;
  }
  $("problems").hidden = true;
  data = r.data;
  render();
  $("status").textContent = `Updated ${new Date().toLocaleTimeString()}.`;
  document.body.dataset.ready = String(Date.now());
}

function render() {
  const c = data.campaign;
  $("title").textContent = `${c.name} (campaign ${c.id})`;
  document.title = `autosafety: ${c.name}, dashboard`;
  $("headline").textContent = data.headline;
  const p = data.progress;
  $("progress").max = p.total || 1;
  $("progress").value = p.answered;
  const latest = data.alpha[data.alpha.length - 1];
  const hv = data.human_vs_reference;
  const refName = hv.reference === "llm" ? "the LLM raters" : "the published table";
  $("kpis").replaceChildren(
    kpi(`${p.answered} / ${p.total}`, `answers in round ${c.round}`),
    kpi(`${p.raters_started} / ${p.raters}`, "raters started"),
    kpi(alphaText(latest && latest.alpha), `Krippendorff's α, round ${c.round}`),
    kpi(hv.mean_abs_difference === null ? "–" : num(hv.mean_abs_difference), `mean |experts − ${refName}|`));
  renderScores();
  renderRounds();
  rows("disagree", data.disagreement, (x) => [th(cellName(x)), td(x.values), td(short(x.median)), td(num(x.iqr)), dOnly(num(x.sd)), dOnly(short(x.range))],
    "No cell has two answers yet.", 6);
  rows("raters", data.raters, (x) => [th(x.display_name ? `${x.pseudonym} · ${x.display_name}` : x.pseudonym),
    td(`${x.answered} / ${x.cells}`, meter(x.answered / (x.cells || 1))), td(x.not_my_area), el("td", { text: when(x.last_saved) })], "No raters.", 4);
  rows("cells", data.cells, (x) => [th(cellName(x)), td(x.responses), dOnly(x.not_my_area), td(short(x.median)),
    dOnly(x.q1 === null ? "–" : `${short(x.q1)}–${short(x.q3)}`)], "No cells.", 5);
  renderChanges();
  renderCooke();
}

const percent = (w) => (w === null || w === undefined ? "–" : w > 0 && w < 0.005 ? "<1%" : `${Math.round(100 * w)}%`);

// Cooke's classical model: each rater's calibration, information and weight from the seed
// questions, and the decision maker's pooled cells; or, without seeds, how to add them.
function renderCooke() {
  const k = data.cooke;
  const body = $("cooke-body");
  const note = $("cooke-note");
  $("cooke-how").hidden = true;
  if (!k.seed_questions) {
    body.hidden = true;
    note.replaceChildren("No seed questions in this campaign, so every rater weighs the same. Seed questions (calibration items with known answers) are given when a campaign is created: a seed-question file on ",
      el("a", { href: "/campaigns", text: "/campaigns" }), ", or ", el("code", { text: "autosafety campaign create … --seed-questions FILE" }),
      ". Without them, ", el("code", { text: `autosafety campaign pool ${data.campaign.id} --method equal` }), " pools the raters with equal weights.");
    return;
  }
  const q = `${k.seed_questions} seed question${k.seed_questions === 1 ? "" : "s"}`;
  if (!k.pool) {
    body.hidden = true;
    note.textContent = `${q}: ${k.problems.map((p) => p.message).join("; ")}. Raters answer them on their interview page (/interview#KEY, with the key of their private link); each rater's calibration, information and weight appear here once they have.`;
    return;
  }
  const pool = k.pool;
  const scored = pool.raters.filter((r) => r.seeds_answered > 0).length;
  const passing = pool.raters.filter((r) => r.passes_cutoff).length;
  note.textContent = `${q}, answered by ${scored} of ${data.progress.raters} raters; ${passing} ${passing === 1 ? "passes" : "pass"} the calibration cutoff α = ${short(pool.alpha)} and ${passing === 1 ? "carries all the weight" : "share the weight"}.` +
    (pool.skipped.length ? ` ${pool.skipped.length} cell answer${pool.skipped.length === 1 ? "" : "s"} without a 5–95% range around the value left out.` : "");
  $("cooke-how").hidden = false;
  const raters = [...pool.raters].sort((a, b) => (b.weight || 0) - (a.weight || 0) || a.id.localeCompare(b.id));
  const names = Object.fromEntries(data.raters.map((r) => [r.pseudonym, r.display_name]));
  const status = (r) => (r.seeds_answered === 0 ? "no seed answers" : r.passes_cutoff ? "✓ passes" : "below cutoff");
  rows("cooke-raters", raters, (r) => [el("th", { scope: "row" }, names[r.id] ? `${r.id} · ${names[r.id]}` : r.id,
    el("span", { class: `sub m-only ${r.passes_cutoff ? "pass" : "fail"}`, text: status(r) })), dOnly(r.seeds_answered),
    td(short(r.calibration)), td(num(r.information)), td(percent(r.weight)),
    el("td", { class: `d-only ${r.passes_cutoff ? "pass" : "fail"}`, text: status(r) })],
  "No rater has answered yet.", 6);
  const dm = pool.decision_maker;
  $("cooke-raters").querySelector("tfoot").replaceChildren(el("tr", {}, th("Pooled (decision maker)"), dOnly(""),
    td(short(dm.calibration)), td(num(dm.information)), td(""), el("td", { class: "d-only" })));
  rows("cooke-cells", pool.cells, (c) => [th(cellName(c)), td(short(c.low)), td(short(c.value)), td(short(c.high))],
    "No cell answered with a 5–95% interval yet.", 4);
  body.hidden = false;
}

function kpi(value, label) {
  return el("li", {}, el("b", { text: value }), el("span", { text: label }));
}
function th(text) {
  return el("th", { scope: "row", text });
}
function td(text, ...more) {
  return el("td", { class: "num" }, String(text), ...more);
}
function dOnly(text) {
  return el("td", { class: "num d-only", text: String(text) });
}
function meter(share) {
  return el("span", { class: "meter", style: `width:${Math.round(40 * share)}px;margin-left:6px`, "aria-hidden": "true" });
}
function rows(tableId, items, cellsOf, empty, span) {
  const body = $(tableId).querySelector("tbody");
  if (!items.length) {
    body.replaceChildren(el("tr", {}, el("td", { colSpan: span, class: "hint", text: empty })));
    return;
  }
  body.replaceChildren(...items.map((x) => el("tr", {}, ...cellsOf(x))));
}

function renderScores() {
  const s = data.scores;
  for (const label of document.querySelectorAll("#weights label[data-kind]")) label.hidden = !s.kinds.includes(label.dataset.kind);
  const areas = [...s.areas].sort((a, b) => b.pooled - a.pooled);
  const body = $("scores").querySelector("tbody");
  const all = [...s.areas.flatMap((a) => [a.published, a.pooled]),
    ...Object.values(s.categories).flatMap((v) => [v.published, v.pooled])];
  const range = [Math.floor(Math.min(...all)), Math.ceil(Math.max(...all))];
  if (range[1] - range[0] < 1) range[1] = range[0] + 1;
  $("score-range").textContent = `scale ${range[0]}–${range[1]}`;
  const lines = [];
  for (const [cat, v] of Object.entries(s.categories)) {
    lines.push(el("tr", { class: "cat" }, el("th", { scope: "row" }, el("b", { text: `${cat} (average)` })),
      td(num(v.published)), td(num(v.pooled)), changeCell(v.pooled - v.published),
      chartCell(v.published, v.pooled, range, data.colours[cat])));
  }
  for (const a of areas) {
    lines.push(el("tr", {}, el("th", { scope: "row" }, el("span", { class: "swatch", style: `background:${data.colours[a.category]}`, "aria-hidden": "true" }),
      a.name, el("span", { class: "sub", text: a.category })),
      td(num(a.published)), td(num(a.pooled)), changeCell(a.change), chartCell(a.published, a.pooled, range, data.colours[a.category])));
  }
  body.replaceChildren(...lines);
}

// Published (open circle) and pooled (filled) on one axis for every row, in the category's colour.
function chartCell(published, pooled, [lo, hi], colour) {
  const W = 160;
  const x = (v) => 6 + ((v - lo) / (hi - lo)) * (W - 12);
  const s = svg("svg", { viewBox: `0 0 ${W} 16`, width: W, height: 16, "aria-hidden": "true" });
  s.append(svg("line", { x1: 6, x2: W - 6, y1: 8, y2: 8, stroke: "#d5dae0" }));
  s.append(svg("line", { x1: x(published), x2: x(pooled), y1: 8, y2: 8, stroke: colour, "stroke-width": 2 }));
  s.append(svg("circle", { cx: x(published), cy: 8, r: 4, fill: "#fff", stroke: colour, "stroke-width": 1.5 }));
  s.append(svg("circle", { cx: x(pooled), cy: 8, r: 3.5, fill: colour }));
  return el("td", { class: "d-only chart-col" }, s);
}

function svg(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function changeCell(x) {
  const cls = Math.abs(x) < 0.005 ? "num" : x > 0 ? "num up" : "num down";
  return el("td", { class: cls, text: Math.abs(x) < 0.005 ? "0.00" : signed(x) });
}

function renderRounds() {
  const c = data.campaign;
  const alpha = Object.fromEntries(data.alpha.map((a) => [a.round, a]));
  rows("round-list", c.rounds, (r) => [th(`Round ${r.number}${r.number === c.round && !r.closed ? " (open)" : ""}`),
    el("td", { text: when(r.opened) }), el("td", { text: r.closed ? when(r.closed) : "open" }),
    td(alphaText(alpha[r.number] && alpha[r.number].alpha))], "", 4);
  const close = $("close-round");
  const reopen = $("reopen-round");
  const last = c.round >= c.rounds_planned;
  close.hidden = !c.open;
  close.textContent = last ? `Close round ${c.round} (the last): finish the campaign` : `Close round ${c.round} and open round ${c.round + 1}`;
  reopen.hidden = c.open;
  reopen.textContent = `Reopen round ${c.round}`;
  const hv = data.human_vs_reference;
  const ref = hv.reference === "llm" ? `the model's LLM raters (${hv.reference_raters.join(", ")})` : "the model's published ratings";
  $("agreement").textContent = `α: Krippendorff's alpha (interval) among the experts over the cells, on the answers standing at the end of each round (1 = full agreement, 0 = chance). ` +
    (hv.cells ? `Experts vs ${ref}: the experts' mean per cell against the reference on ${hv.cells} cells: α ${alphaText(hv.alpha)}, mean absolute difference ${num(hv.mean_abs_difference)} points.`
      : `Experts vs ${ref}: no cell answered yet.`);
}

function renderChanges() {
  const box = $("changes");
  if (!data.changes.length) {
    box.replaceChildren(el("p", { class: "hint", text: "Shown once round 2 has opened: per cell, the median's shift and how many raters revised." }));
    return;
  }
  const parts = [];
  for (const ch of data.changes) {
    const moved = ch.cells.filter((x) => x.revised || x.new || (x.shift && Math.abs(x.shift) > 1e-9));
    const revised = ch.cells.reduce((n, x) => n + x.revised, 0);
    parts.push(el("p", { text: `Round ${ch.before} → ${ch.after}: ${revised} revision${revised === 1 ? "" : "s"} on ${ch.cells.filter((x) => x.revised).length} of ${ch.cells.length} cells.` }));
    if (!moved.length) continue;
    const table = el("table", { class: "data" }, el("caption", { class: "visually-hidden", text: `Change from round ${ch.before} to ${ch.after}` }),
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Cell" }), el("th", { scope: "col", class: "num", text: "Median" }),
        el("th", { scope: "col", class: "num", text: "Shift" }), el("th", { scope: "col", class: "num", text: "Revised" }))),
      el("tbody", {}, ...moved.map((x) => el("tr", {}, th(cellName(x)), td(`${short(x.median_before)} → ${short(x.median_after)}`),
        x.shift === null ? td("–") : changeCell(x.shift), td(x.new ? `${x.revised} (+${x.new} new)` : x.revised)))));
    parts.push(el("div", { class: "scroll", tabIndex: 0, role: "region", "aria-label": `Change from round ${ch.before} to ${ch.after}` }, table));
  }
  box.replaceChildren(...parts);
}

async function roundAction(action) {
  const r = await call("POST", `/api/campaigns/${id}/rounds/${action}`, token);
  $("confirm").hidden = true;
  if (!r.ok) {
    showProblems($("problems"), r.data.error || `The server answered ${r.status}`, r.data);
    return;
  }
  $("status").textContent = r.data.finished ? "The last round is closed: the campaign is finished."
    : r.data.open ? `Round ${r.data.round} is open.` : "";
  await load({ quiet: true });
  $("rounds").focus();
}

$("close-round").addEventListener("click", () => {
  const c = data.campaign;
  const last = c.round >= c.rounds_planned;
  pendingAction = "close";
  $("confirm-text").textContent = last
    ? `Close round ${c.round}? It is the last planned round: raters can no longer change their answers (you can reopen it).`
    : `Close round ${c.round}? Raters can no longer change round ${c.round} answers. Round ${c.round + 1} opens at once, and every rater then sees the group's round ${c.round} answers and rationales without names.`;
  $("confirm-yes").textContent = `Yes, close round ${c.round}`;
  $("confirm").hidden = false;
  $("confirm-yes").focus();
});
$("reopen-round").addEventListener("click", () => roundAction("reopen"));
$("confirm-yes").addEventListener("click", () => pendingAction && roundAction(pendingAction));
$("confirm-no").addEventListener("click", () => {
  $("confirm").hidden = true;
  $("close-round").focus();
});
$("export").addEventListener("click", async () => {
  const r = await call("GET", `/api/campaigns/${id}/export.csv`, token);
  if (r.ok) download(r.data, `campaign-${id}-ratings.csv`);
  else showProblems($("problems"), "The export failed", r.data);
});
$("refresh").addEventListener("click", () => load());
$("weights").addEventListener("input", debounce(() => load(), 400));
$("weights").addEventListener("submit", (e) => e.preventDefault());
setInterval(() => {
  if (document.visibilityState === "visible" && data) load({ quiet: true });
}, REFRESH_MS);
window.addEventListener("hashchange", () => location.reload());
load();
