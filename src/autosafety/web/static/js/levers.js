// The Levers view: settings -> POST /api/levers (exact ranking) and, with the timeline toggle on,
// POST /api/levers/timeline (months, common random numbers); "Download report" -> POST /api/report.
// Nothing stale: while a request runs, or after one is refused, its results are marked out of date.
// The settings live in the URL (#model=...&units=...&timeline=1), so a view is a link. Names are
// always set as text.
import { ApiError, debounce, el } from "./api.js";

const BOOT = JSON.parse(document.getElementById("boot").textContent);
const $ = (id) => document.getElementById(id);
const answer = $("answer");
const tlPanel = $("tl");
const form = {
  model: $("model"), units: $("units"), timeline: $("timeline"), draws: $("draws"), seed: $("seed"),
};
const gens = { rank: 0, tl: 0 };
const controllers = { rank: null, tl: null };
let colours = BOOT.initial.colours;
let ready = 0;

const signed = (x, d) => (x === 0 ? "0" : (x > 0 ? "+" : "−") + Math.abs(x).toFixed(d));
const plus = (x, d) => (x === 0 ? "0" : (x > 0 ? "+" : "−") + Math.abs(x).toFixed(d));

function settings() {
  return {
    model: form.model.value, units: Number(form.units.value), timeline: form.timeline.checked,
    draws: Number(form.draws.value), seed: Number(form.seed.value),
  };
}

function markReady() {
  ready += 1;
  const busy = answer.dataset.state === "busy" || tlPanel.dataset.state === "busy";
  if (busy) document.body.dataset.busy = "1";
  else delete document.body.dataset.busy;
  document.body.dataset.ready = String(ready);
}

function setState(panel, state) {
  panel.dataset.state = state;
  markReady();
}

// Problems: each beside its field when it names one, all in the panel's list.
function showProblems(box, err) {
  document.querySelectorAll(".field-error").forEach((p) => { p.hidden = true; p.textContent = ""; });
  document.querySelectorAll("[aria-invalid]").forEach((i) => i.removeAttribute("aria-invalid"));
  if (!err) { box.hidden = true; box.textContent = ""; return; }
  const problems = err instanceof ApiError && err.problems.length ? err.problems
    : [{ location: "", message: err.message || String(err), fix: "" }];
  box.replaceChildren(el("p", { text: `${err.message || "The request was refused"}: the results below are out of date.` }),
    el("ul", {}, ...problems.map((p) => el("li", { text: `${p.location ? p.location + ": " : ""}${p.message}${p.fix ? ` (${p.fix})` : ""}` }))));
  box.hidden = false;
  for (const p of problems) {
    const field = (p.location || "").split(".")[0];
    const slot = document.querySelector(`[data-error-for="${field}"]`);
    if (slot) { slot.textContent = `${p.message}${p.fix ? ` (${p.fix})` : ""}`; slot.hidden = false; }
    if (form[field]) form[field].setAttribute("aria-invalid", "true");
  }
}

function swatchHeads(r) {
  const s = r.safety;
  const c = r.capabilities;
  const hs = $("head-safety");
  hs.querySelector(".swatch").style.background = colours[s];
  hs.querySelector(".cat-name").textContent = s;
  const hc = $("head-capabilities");
  hc.hidden = !c;
  if (c) {
    hc.querySelector(".swatch").style.background = colours[c];
    hc.querySelector(".cat-name").textContent = c;
  }
}

function leverCell(x) {
  const id = `q-${x.id}`;
  return el("td", { className: "lever" },
    el("span", { className: "lever-name", tabIndex: 0, "aria-describedby": id, text: x.name }),
    el("span", { className: "quote", id, role: "tooltip" }, `“${x.quote}” `,
      el("span", { className: "src", text: `One unit: ${x.unit}.` })));
}

// Two thin bars under a lever's name, on one scale for all rows: the safety change (upper) and the
// capabilities change (lower), right of the zero line = up.
function bars(x, r, scale) {
  const bar = (v, cat) => {
    const w = (Math.abs(v) / scale.span) * 100;
    const left = v >= 0 ? scale.zero : scale.zero - w;
    return el("i", { style: `left:${left}%;width:${w}%;background:${colours[cat]}` });
  };
  const box = el("span", { className: "bars", "aria-hidden": "true" }, el("b", { style: `left:${scale.zero}%` }));
  box.append(bar(x.safety, r.safety));
  if (r.capabilities) box.append(bar(x.capabilities, r.capabilities));
  return box;
}

function barScale(r) {
  const vals = r.levers.filter((x) => !x.timeline_only).flatMap((x) => [x.safety, r.capabilities ? x.capabilities : 0]);
  const lo = Math.min(0, ...vals);
  const hi = Math.max(0, ...vals);
  const span = hi - lo || 1;
  return { span, zero: (-lo / span) * 100 };
}

function renderRanking(data) {
  const r = data.ranking;
  colours = data.colours;
  swatchHeads(r);
  const scale = barScale(r);
  $("headline").textContent = data.headline;
  $("status").textContent = `Up to date for the model “${data.model.name}”: ${r.units} unit${r.units === 1 ? "" : "s"} of each lever alone; exact (scores are linear in the ratings).`;
  const rows = r.levers.map((x, i) => {
    const tr = el("tr", { "data-lever": x.id, "data-safety": x.safety, "data-capabilities": x.capabilities, "data-net": x.net });
    const cell = leverCell(x);
    if (!x.timeline_only) cell.append(bars(x, r, scale));
    tr.append(el("td", { className: "num", text: i + 1 }), cell);
    if (x.timeline_only) {
      tr.append(el("td", { className: "num only", colSpan: r.capabilities ? 3 : 2, text: "timeline only" }));
    } else {
      tr.append(el("td", { className: "num", text: plus(x.safety, 3) }));
      if (r.capabilities) tr.append(el("td", { className: "num", text: plus(x.capabilities, 3) }));
      tr.append(el("td", { className: "num net", text: plus(x.net, 3) }));
    }
    return tr;
  });
  $("ranking").tBodies[0].replaceChildren(...rows);
  const notes = [];
  for (const x of r.levers) for (const n of x.clipped) notes.push(`${x.name}: ${n}.`);
  for (const x of r.not_applicable) notes.push(`Not applicable: ${data.lever_names[x.id] || x.id} (${x.reason}).`);
  $("notes").replaceChildren(...notes.map((t) => el("li", { text: t })));
}

function renderTimeline(data, names) {
  const b = data.baseline;
  const colours = data.colours;
  $("tl-baseline").textContent = `Without any lever: median 10x date of the safety areas ${b.safety_median.toFixed(2)}, of the capabilities areas ${b.capabilities_median.toFixed(2)} (decimal years, mean over each category's areas); P(every safety area before the median capabilities area) = ${b.p_all_safety_before_median_capabilities.toFixed(4)}.`;
  document.querySelector("#tl-table .cat-s").style.background = colours.safety || "#1f77b4";
  document.querySelector("#tl-table .cat-c").style.background = colours.capabilities || "#d62728";
  const rows = data.levers.map((x, i) => el("tr", { "data-lever": x.id, "data-safety": x.safety_months,
    "data-capabilities": x.capabilities_months, "data-net": x.net_months, "data-dp": x.dp },
  el("td", { className: "num", text: i + 1 }), leverCell({ ...names[x.id], id: `tl-${x.id}`, name: x.name }),
  el("td", { className: "num", text: plus(x.safety_months, 2) }),
  el("td", { className: "num", text: plus(x.capabilities_months, 2) }),
  el("td", { className: "num net", text: plus(x.net_months, 2) }),
  el("td", { className: "num", text: signed(x.dp, 4) })));
  $("tl-table").tBodies[0].replaceChildren(...rows);
  $("tl-method").textContent = `${data.draws.toLocaleString("en")} draws, seed ${data.seed}, ${data.units} unit${data.units === 1 ? "" : "s"} of each lever; ${data.method}. Computed in ${data.seconds.toFixed(1)} s.`;
}

let lastRanking = BOOT.initial;

function leverNames() {
  const out = {};
  for (const x of lastRanking.ranking.levers) out[x.id] = { quote: x.quote, unit: x.unit };
  return out;
}

async function post(kind, path, body) {
  if (controllers[kind]) controllers[kind].abort();
  const ctl = new AbortController();
  controllers[kind] = ctl;
  const resp = await fetch(path, { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify(body), signal: ctl.signal });
  const data = await resp.json();
  if (!resp.ok) throw new ApiError(resp.status, data);
  return data;
}

async function updateRanking() {
  const st = settings();
  const gen = ++gens.rank;
  setState(answer, "busy");
  try {
    const data = await post("rank", "/api/levers", { model: st.model, units: st.units });
    if (gen !== gens.rank) return;
    lastRanking = data;
    showProblems($("problems"), null);
    renderRanking(data);
    setState(answer, "fresh");
  } catch (err) {
    if (err.name === "AbortError" || gen !== gens.rank) return;
    showProblems($("problems"), err);
    $("status").textContent = "Out of date: the settings were refused (see above); the ranking shown is for the last accepted settings.";
    setState(answer, "stale");
  }
}

async function updateTimeline() {
  const st = settings();
  const gen = ++gens.tl;
  tlPanel.hidden = !st.timeline;
  if (!st.timeline) {
    if (controllers.tl) controllers.tl.abort();
    setState(tlPanel, "off");
    return;
  }
  setState(tlPanel, "busy");
  try {
    const data = await post("tl", "/api/levers/timeline", { model: st.model, units: st.units, draws: st.draws, seed: st.seed });
    if (gen !== gens.tl) return;
    showProblems($("tl-problems"), null);
    renderTimeline(data, leverNames());
    setState(tlPanel, "fresh");
  } catch (err) {
    if (err.name === "AbortError" || gen !== gens.tl) return;
    showProblems($("tl-problems"), err);
    setState(tlPanel, "stale");
  }
}

function reportBody() {
  const st = settings();
  return { model: st.model, levers: true, timeline: st.timeline, draws: BOOT.page.report_draws, seed: st.seed };
}

function describeReport() {
  const b = reportBody();
  $("report-command").textContent = `autosafety report ${b.model}${b.timeline ? " --timeline" : ""} --levers --seed ${b.seed}`;
  $("report-tl").hidden = !b.timeline;
}

function saveHash() {
  const st = settings();
  const p = new URLSearchParams();
  if (st.model !== BOOT.page.model) p.set("model", st.model);
  if (st.units !== BOOT.page.units) p.set("units", form.units.value);
  if (st.timeline) p.set("timeline", "1");
  if (st.draws !== BOOT.page.draws) p.set("draws", String(st.draws));
  if (st.seed !== BOOT.page.seed) p.set("seed", form.seed.value);
  const h = p.toString();
  history.replaceState(null, "", h ? `#${h}` : location.pathname);
}

function loadHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  if (p.has("model") && [...form.model.options].some((o) => o.value === p.get("model"))) form.model.value = p.get("model");
  if (p.has("units")) form.units.value = p.get("units");
  form.timeline.checked = p.get("timeline") === "1";
  if (p.has("draws") && [...form.draws.options].some((o) => o.value === p.get("draws"))) form.draws.value = p.get("draws");
  if (p.has("seed")) form.seed.value = p.get("seed");
  return p.toString() !== "";
}

function localCheck() {
  const u = form.units.value.trim() === "" ? NaN : Number(form.units.value);
  if (!Number.isFinite(u) || u < 0 || u > BOOT.max_units) {
    return new ApiError(422, { error: "invalid settings", problems: [{ location: "units", message: `${form.units.value || "(empty)"} is not a number of units from 0 to ${BOOT.max_units}`, fix: "e.g. 1" }] });
  }
  const s = form.seed.value.trim() === "" ? NaN : Number(form.seed.value);
  if (!Number.isInteger(s) || s < 0) {
    return new ApiError(422, { error: "invalid settings", problems: [{ location: "seed", message: `${form.seed.value || "(empty)"} is not a whole number >= 0`, fix: "e.g. 0" }] });
  }
  return null;
}

function changed(what) {
  const bad = localCheck();
  describeReport();
  if (bad) {   // refused here: never send it, and mark every result computed before as out of date
    gens.rank++; gens.tl++;
    showProblems($("problems"), bad);
    $("status").textContent = "Out of date: the settings were refused (see above); the ranking shown is for the last accepted settings.";
    setState(answer, "stale");
    if (!tlPanel.hidden) setState(tlPanel, "stale");
    return;
  }
  saveHash();
  // marked at once: a result never sits beside inputs it was not computed from, even for the debounce
  if (what !== "timeline") { setState(answer, "busy"); refreshRanking(); }
  if (form.timeline.checked) { tlPanel.hidden = false; setState(tlPanel, "busy"); }
  refreshTimeline();
}
const refreshRanking = debounce(updateRanking, 200);
const refreshTimeline = debounce(updateTimeline, 250);

async function downloadReport() {
  const button = $("download");
  const status = $("report-status");
  const body = reportBody();
  button.disabled = true;
  status.textContent = `Preparing the report (${body.draws.toLocaleString("en")} draws${body.timeline ? ", with the timeline" : ""})…`;
  try {
    const resp = await fetch("/api/report", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!resp.ok) throw new ApiError(resp.status, await resp.json());
    const name = /filename="([^"]+)"/.exec(resp.headers.get("content-disposition") || "")?.[1] || "autosafety-report.html";
    const url = URL.createObjectURL(await resp.blob());
    const a = el("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
    status.textContent = `Downloaded ${name}.`;
  } catch (err) {
    status.textContent = `The report failed: ${err.message}${err.problems && err.problems.length ? ` (${err.problems.map((p) => `${p.location}: ${p.message}`).join("; ")})` : ""}`;
  } finally {
    button.disabled = false;
  }
}

form.model.addEventListener("change", () => changed("model"));
form.units.addEventListener("input", () => changed("units"));
form.timeline.addEventListener("change", () => changed("timeline"));
form.draws.addEventListener("change", () => changed("timeline"));
form.seed.addEventListener("input", () => changed("timeline"));
$("controls").addEventListener("submit", (e) => e.preventDefault());
$("download").addEventListener("click", downloadReport);

renderRanking(BOOT.initial);
describeReport();
if (loadHash()) {
  describeReport();
  if (form.model.value !== BOOT.page.model || Number(form.units.value) !== BOOT.page.units) updateRanking();
  updateTimeline();
} else {
  markReady();
}
