// The schemes page: vanilla JS, no CDN. Every user-supplied string is written with textContent.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { body: null, data: null, types: [], svgUrl: null, pending: 0 };

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function busy(delta) {
  state.pending += delta;
  if (state.pending > 0) document.body.dataset.busy = "1";
  else delete document.body.dataset.busy;
}

async function call(url, options) {
  busy(1);
  try {
    const res = await fetch(url, options);
    return res;
  } finally {
    busy(-1);
  }
}

async function postJson(url, body) {
  return call(url, { method: "POST", headers: { "content-type": "application/json" },
                     body: JSON.stringify(body) });
}

function showErrors(payload) {
  const box = $("errors");
  const list = $("error-list");
  list.replaceChildren();
  $("errors-title").textContent = payload.error || "Problems";
  for (const p of payload.problems || []) {
    const li = el("li");
    li.append(el("code", p.location), document.createTextNode(": " + p.message));
    if (p.fix) li.append(el("span", " (fix: " + p.fix + ")", "fix"));
    list.append(li);
  }
  box.hidden = false;
  $("status").textContent = "invalid scheme";
}

function clearErrors() {
  $("errors").hidden = true;
  $("error-list").replaceChildren();
}

function renderReport(d) {
  $("result-pane").hidden = false;
  $("scheme-name").textContent = d.scheme;
  $("level").textContent = "Level " + d.level + ": " + d.level_name;
  $("level").dataset.level = String(d.level);
  const note = $("claimed-note");
  note.hidden = !d.claimed_level_note;
  note.textContent = d.claimed_level_note || "";
  const reasons = $("reasons");
  reasons.replaceChildren();
  for (const r of d.reasons) {
    const li = el("li");
    li.append(el("code", r.field + " = " + r.value));
    if (r.note) li.append(document.createTextNode(" (" + r.note + ")"));
    li.append(el("blockquote", r.quote));
    reasons.append(li);
  }
  $("verdict").textContent = d.verdict.summary;
  $("verdict").dataset.kind = d.verdict.kind;
  const collapses = $("collapses");
  collapses.hidden = !d.verdict.collapses_into.length;
  collapses.textContent = "Collapses into a human-written scheme of: " + d.verdict.collapses_into.join(", ");
  const obligations = $("obligations");
  obligations.replaceChildren(...d.verdict.obligations.map((o) => el("li", o)));
  const worries = $("worries");
  worries.replaceChildren();
  for (const w of d.worries) {
    const li = el("li");
    li.dataset.worry = w.id;
    const box = el("input");
    box.type = "checkbox";
    box.checked = !w.open;
    box.disabled = true;
    box.setAttribute("aria-label", w.open ? "open" : "evidence attached");
    li.append(box, el("strong", " " + w.name), document.createTextNode(" (" + w.family + "): " + w.claim));
    li.append(el("blockquote", w.quote));
    if (w.evidence.length) li.append(el("div", "evidence: " + w.evidence.join("; "), "evidence"));
    worries.append(li);
  }
  if (!d.worries.length) worries.append(el("li", "No known worry is triggered."));
  const tbody = $("less-automation").querySelector("tbody");
  tbody.replaceChildren();
  for (const o of d.less_automation) {
    const tr = el("tr");
    tr.append(el("td", o.component), el("td", o.instead_of), el("td", o.alternative),
              el("td", o.gains.map((g) => g.name).join(", ")));
    tbody.append(tr);
  }
  const s = d.case_summary;
  $("case-summary").textContent = s.elements + " elements, " + s.undeveloped + " undeveloped; " +
    (d.validation.length ? d.validation.length + " rule violation(s)" : "valid under gsn2x's rules");
  renderConfidence(d.confidence);
  fillForm(d.scheme_data);
}

const DOUBT_KINDS = { "open worry": "open worry", undeveloped: "undeveloped goal",
  "evidence without confidence": "evidence without a confidence", "unrefuted defeater": "unrefuted defeater" };

function renderConfidence(c) {
  const top = c.top_confidence;
  const p = $("confidence-top");
  if (!top) {
    p.textContent = "The case has no single top claim.";
  } else {
    const bounds = "[" + top.bounds[0].toFixed(2) + ", " + top.bounds[1].toFixed(2) + "]";
    p.textContent = top.state === "unknown"
      ? "Unknown until evidence is attached: bounds " + bounds + " (" + c.register.length +
        " residual doubt(s) below)."
      : top.state + ": bounds " + bounds + " (under independence [" + top.independent[0].toFixed(2) +
        ", " + top.independent[1].toFixed(2) + "]).";
    p.dataset.state = top.state;
  }
  const list = $("doubts");
  list.replaceChildren(...c.register.slice(0, 12).map((x) => {
    const li = el("li");
    li.append(el("strong", x.node + " "), document.createTextNode(
      "(" + (DOUBT_KINDS[x.kind] || x.kind) + (x.cost == null ? "" : "; left open, it costs the " +
      "top claim's lower bound " + x.cost.toFixed(2)) + "): " + x.text));
    return li;
  }));
  if (c.register.length > 12) list.append(el("li", "... and " + (c.register.length - 12) + " more."));
}

function fillForm(s) {
  $("f-written-by").value = s.algorithm.written_by;
  $("f-humans-check").value = s.oversight.humans_check;
  $("f-checkers").value = (s.oversight.checkers || []).join(", ");
  const op = s.optimisation_pressure || {};
  $("f-limited").checked = !!op.limited;
  $("f-limits").value = (op.limits || []).join("; ");
  const box = $("f-experiments");
  box.replaceChildren();
  const exps = (s.evaluation && s.evaluation.experiments) || [];
  exps.forEach((e, i) => {
    const row = el("div", null, "experiment-row");
    row.append(el("span", "experiment " + e.id + ": "));
    const type = el("select");
    type.name = "type-" + i;
    type.dataset.index = String(i);
    type.dataset.field = "type";
    type.setAttribute("aria-label", "Type of experiment " + e.id);
    for (const t of state.types) {
      const opt = el("option", t);
      opt.value = t;
      type.append(opt);
    }
    type.value = e.type;
    const by = el("select");
    by.dataset.index = String(i);
    by.dataset.field = "designed_by";
    by.setAttribute("aria-label", "Who designs experiment " + e.id);
    for (const v of ["humans", "ai_parameters", "ai"]) {
      const opt = el("option", "designed by " + v.replace("_", " "));
      opt.value = v;
      by.append(opt);
    }
    by.value = e.designed_by || "humans";
    row.append(type, by);
    box.append(row);
  });
}

function formScheme() {
  const s = JSON.parse(JSON.stringify(state.data.scheme_data));
  s.algorithm.written_by = $("f-written-by").value;
  s.oversight.humans_check = $("f-humans-check").value;
  s.oversight.checkers = $("f-checkers").value.split(",").map((x) => x.trim()).filter(Boolean);
  const limits = $("f-limits").value.split(";").map((x) => x.trim()).filter(Boolean);
  s.optimisation_pressure = Object.assign({}, s.optimisation_pressure || {},
                                          { limited: $("f-limited").checked, limits: limits });
  for (const sel of $("f-experiments").querySelectorAll("select")) {
    s.evaluation.experiments[Number(sel.dataset.index)][sel.dataset.field] = sel.value;
  }
  return completeScheme(s);
}

// Every choice of the key-fields form applies: what a choice needs is added with editable
// defaults, and what it contradicts is removed (the YAML box then shows the result).
const NEEDED_MODELS = { adversarial_probing: ["attacker", "defender"], model_as_judge: ["judge"],
                        controller_generated_dataset: ["generator"] };
function completeScheme(s) {
  const alg = s.algorithm;
  const exps = (s.evaluation && s.evaluation.experiments) || [];
  const mayNeeded = [];
  if (alg.written_by === "ai") {
    if (!alg.ai_explores) alg.ai_explores = "algorithms (describe the space the AI explores)";
  } else {
    delete alg.ai_explores;
    delete alg.novel_training_algorithms;
    if (!(alg.ai_fills_in || []).length) alg.ai_fills_in = ["details of the algorithm (describe them)"];
    if (s.controller) s.controller.may = (s.controller.may || []).filter((m) => m !== "write_algorithms");
  }
  for (const e of exps) {
    if (e.designed_by === "ai") mayNeeded.push("design_experiments");
    if (e.designed_by === "ai_parameters") mayNeeded.push("set_experiment_parameters");
    for (const role of NEEDED_MODELS[e.type] || []) {
      e.models = Object.assign({}, e.models || {});
      if (!e.models[role]) e.models[role] = role + " model (name it)";
    }
  }
  if (alg.written_by === "ai" || mayNeeded.length) {
    s.controller = s.controller || { model: "controller agent (name the model)", may: ["run_experiments"] };
    s.controller.may = [...new Set([...(s.controller.may || []), ...mayNeeded])];
  }
  const ov = s.oversight;
  if (ov.humans_check === "nothing") ov.checkers = [];
  else if (!(ov.checkers || []).length) ov.checkers = ["human reviewers (name them)"];
  const op = s.optimisation_pressure;
  if (!op.limited) op.limits = [];
  else if (!op.limits.length) op.limits = ["a limit on the optimisation (state it)"];
  return s;
}

async function drawDiagram() {
  const res = await postJson("/api/schemes/case?format=svg", state.body);
  if (!res.ok) return;
  const blob = await res.blob();
  if (state.svgUrl) URL.revokeObjectURL(state.svgUrl);
  state.svgUrl = URL.createObjectURL(blob);
  $("diagram").src = state.svgUrl;
}

async function assess(body, { replaceText } = {}) {
  $("status").textContent = "assessing…";
  const res = await postJson("/api/schemes/assess", body);
  const data = await res.json();
  if (!res.ok) {
    showErrors(data);
    // nothing stale: the old assessment does not stay beside the new input's errors
    $("result-pane").hidden = true;
    $("status").textContent = "invalid scheme: the previous assessment is cleared";
    return;
  }
  clearErrors();
  state.body = body;
  state.data = data;
  if (replaceText) $("scheme-yaml").value = data.yaml;
  renderReport(data);
  await drawDiagram();
  $("status").textContent = "level " + data.level;
}

async function loadExample(name) {
  const res = await call("/api/schemes/examples/" + encodeURIComponent(name));
  const data = await res.json();
  if (!res.ok) {
    showErrors(data);
    return;
  }
  $("scheme-yaml").value = data.text;
  await assess({ yaml: data.text });
}

async function download(format) {
  if (!state.body) return;
  const res = await postJson("/api/schemes/case?format=" + encodeURIComponent(format), state.body);
  if (!res.ok) {
    showErrors(await res.json());
    return;
  }
  const blob = await res.blob();
  const a = el("a");
  const ext = { mermaid: "mmd", yaml: "gsn.yaml" }[format] || format;
  a.href = URL.createObjectURL(blob);
  a.download = "safety-case." + ext;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function init() {
  const [exRes, schemaRes] = await Promise.all([call("/api/schemes/examples"), call("/api/schemes/schema")]);
  const examples = await exRes.json();
  const schema = await schemaRes.json();
  state.types = schema.$defs.Experiment.properties.type.enum || [];
  const select = $("example");
  for (const e of examples) {
    const opt = el("option", e.title + " (level " + e.level + ")");
    opt.value = e.name;
    select.append(opt);
  }
  select.addEventListener("change", () => { if (select.value) loadExample(select.value); });
  $("assess").addEventListener("click", () => assess({ yaml: $("scheme-yaml").value }));
  $("quick-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (state.data) assess({ scheme: formScheme() }, { replaceText: true });
  });
  for (const b of document.querySelectorAll(".downloads button")) {
    b.addEventListener("click", () => download(b.dataset.format));
  }
  if (examples.length) {
    select.value = examples[1] ? examples[1].name : examples[0].name;
    await loadExample(select.value);
  }
  document.body.dataset.ready = "1";
}

document.addEventListener("DOMContentLoaded", init);
