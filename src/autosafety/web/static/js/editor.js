// The editable model: ratings grid (heatmap), weight sliders, factors, areas and categories.
// Every edit changes state.spec (a model in the file format) and calls onChange().
import { el } from "./api.js";
import { offerUndo } from "./undo.js";

// invalid: entries typed but refused ("area:factor" or "weight:factor" -> message); while any is
// there the results are for the last valid values, and the page says so.
export const state = { base: null, spec: null, pooled: {}, extraCategories: [], invalid: new Map() };
let onChange = () => {};
let onInvalid = () => {};

export function setOnChange(fn, invalidFn) { onChange = fn; if (invalidFn) onInvalid = invalidFn; }

function setInvalid(key, message) {
  if (message) state.invalid.set(key, message);
  else state.invalid.delete(key);
  const box = document.getElementById("grid-problems");
  box.replaceChildren(...[...state.invalid.values()].map((m) => el("span", { text: m })));
  box.hidden = state.invalid.size === 0;
  onInvalid();
}

// Keep what a destructive button removes, so that Undo can put it back.
function undoable(message, remove) {
  const before = { spec: structuredClone(state.spec), extra: [...state.extraCategories] };
  remove();
  offerUndo(message, () => {
    state.spec = before.spec;
    state.extraCategories = before.extra;
    state.pooled = {};
    changed();
  });
}

const scaleOf = (f) => f.scale || state.spec.scale || { min: 1, max: 10 };
const label = (x) => x.name || x.id;

export function blankSpec() {
  const spec = {
    schema_version: 1, id: "my-model", name: "My model", scale: { min: 1, max: 10 },
    categories: ["safety", "capabilities"],
    factors: [{ id: "factor_1", name: "Factor 1", weight: 1 }],
    areas: [{ id: "area_1", name: "Area 1", category: "safety" },
            { id: "area_2", name: "Area 2", category: "capabilities" }],
    raters: [{ id: "you", kind: "human", description: "edits made in the browser" }],
    ratings: [],
  };
  spec.ratings = spec.areas.map((a) => ({ area: a.id, factor: "factor_1", rater: "you", value: 5.5 }));
  return spec;
}

// The spec as sent to the server: declared categories that no area uses are left out.
export function cleanSpec() {
  const used = new Set(state.spec.areas.map((a) => a.category));
  return { ...state.spec, categories: (state.spec.categories || []).filter((c) => used.has(c)) };
}

export function categories() {
  const cats = [...(state.spec.categories || [])];
  for (const a of state.spec.areas) if (!cats.includes(a.category)) cats.push(a.category);
  for (const c of state.extraCategories) if (!cats.includes(c)) cats.push(c);
  return cats;
}

function uniqueId(name, taken) {
  const base = (name.normalize("NFKD").replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/^_+|_+$/g, "")
    .toLowerCase() || "item").slice(0, 40);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  return id;
}

function ensureBrowserRater() {
  if (!state.spec.raters.some((r) => r.id === "you")) {
    state.spec.raters.push({ id: "you", kind: "human", description: "edits made in the browser" });
  }
  return "you";
}

// Set the pooled rating of a cell: a lone rating is edited in place; several are replaced by one.
export function setCell(areaId, factorId, value) {
  const spec = state.spec;
  const mine = spec.ratings.filter((r) => r.area === areaId && r.factor === factorId);
  if (mine.length === 1) {
    const r = mine[0];
    r.value = value;
    if (r.low !== undefined && r.low !== null && (value < r.low || value > r.high)) {
      delete r.low; delete r.high; delete r.credibility;
    }
  } else {
    spec.ratings = spec.ratings.filter((r) => !(r.area === areaId && r.factor === factorId));
    spec.ratings.push({ area: areaId, factor: factorId, rater: ensureBrowserRater(), value });
  }
  state.pooled[areaId] = { ...(state.pooled[areaId] || {}), [factorId]: value };
}

export function cellValue(areaId, factorId) {
  const p = state.pooled[areaId] && state.pooled[areaId][factorId];
  if (p !== undefined) return p;
  const rs = state.spec.ratings.filter((r) => r.area === areaId && r.factor === factorId);
  return rs.length ? rs.reduce((s, r) => s + r.value, 0) / rs.length : NaN;
}

// Light blue (least amenable) to orange (most): light enough everywhere for dark text at 4.5:1.
function heat(cell, factor, value) {
  const s = scaleOf(factor);
  let t = (value - s.min) / (s.max - s.min);
  if (factor.direction === "lower") t = 1 - t;
  t = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0));
  cell.style.background = `hsl(${200 - 170 * t}, 75%, ${93 - 28 * t}%)`;
}

function addArea(name, category) {
  const spec = state.spec;
  const id = uniqueId(name, new Set(spec.areas.map((a) => a.id)));
  spec.areas.push({ id, name, category });
  const rater = spec.raters.length === 1 ? spec.raters[0].id : ensureBrowserRater();
  for (const f of spec.factors) {
    const s = scaleOf(f);
    spec.ratings.push({ area: id, factor: f.id, rater, value: (s.min + s.max) / 2 });
  }
}

function addFactor(name) {
  const spec = state.spec;
  const id = uniqueId(name, new Set(spec.factors.map((f) => f.id)));
  spec.factors.push({ id, name, weight: 1 });
  const rater = spec.raters.length === 1 ? spec.raters[0].id : ensureBrowserRater();
  const s = spec.scale || { min: 1, max: 10 };
  for (const a of spec.areas) spec.ratings.push({ area: a.id, factor: id, rater, value: (s.min + s.max) / 2 });
}

function removeFactor(id) {
  state.spec.factors = state.spec.factors.filter((f) => f.id !== id);
  state.spec.ratings = state.spec.ratings.filter((r) => r.factor !== id);
}

function removeArea(id) {
  state.spec.areas = state.spec.areas.filter((a) => a.id !== id);
  state.spec.ratings = state.spec.ratings.filter((r) => r.area !== id);
  if (state.spec.stated_ranking) {
    state.spec.stated_ranking.order = state.spec.stated_ranking.order.filter((a) => a !== id);
  }
}

function definition(f) {
  return [label(f), f.description, f.citation && `Source: ${f.citation}`,
    f.direction === "lower" ? "Lower rating = more amenable." : ""].filter(Boolean).join("\n");
}

function changed(render = true) { if (render) renderEditor(); onChange(); }

function renderGrid() {
  const spec = state.spec;
  const cats = categories();
  const head = el("tr", {}, el("th", { scope: "col", text: "Area" }), el("th", { scope: "col", text: "Category" }));
  for (const f of spec.factors) {
    const s = scaleOf(f);
    head.append(el("th", { scope: "col", title: definition(f), className: "factor-head" },
      el("textarea", { value: label(f), "aria-label": `Name of factor ${label(f)}`, className: "name", rows: 4,
        maxLength: 120, onkeydown: (e) => { if (e.key === "Enter") { e.preventDefault(); e.target.blur(); } },
        onchange: (e) => { f.name = e.target.value.replace(/\s+/g, " ").trim() || f.id; changed(); } }),
      el("span", { className: "scale", text: `${s.min}–${s.max}${f.direction === "lower" ? " ↓" : ""}` }),
      el("button", { type: "button", className: "remove", text: "×", title: `Remove factor ${label(f)}`,
        "aria-label": `Remove factor ${label(f)}`,
        onclick: () => undoable(`Removed factor "${label(f)}".`, () => { removeFactor(f.id); changed(); }) })));
  }
  head.append(el("th", { scope: "col", text: "" }));
  const body = el("tbody");
  for (const a of spec.areas) {
    const catSelect = el("select", { "aria-label": `Category of ${label(a)}`,
      onchange: (e) => { a.category = e.target.value; changed(); } },
      ...cats.map((c) => el("option", { value: c, text: c, selected: c === a.category })));
    const row = el("tr", {}, el("th", { scope: "row" },
      el("input", { value: label(a), className: "name", "aria-label": `Name of area ${label(a)}`,
        onchange: (e) => { a.name = e.target.value.trim() || a.id; changed(); } })),
      el("td", {}, catSelect));
    for (const f of spec.factors) {
      const s = scaleOf(f);
      const v = cellValue(a.id, f.id);
      const td = el("td", { className: "cell" });
      const input = el("input", {
        type: "number", min: s.min, max: s.max, step: "any",
        value: Number.isFinite(v) ? +v.toFixed(3) : "",
        "aria-label": `${label(a)}, ${label(f)}`, "data-area": a.id, "data-factor": f.id,
        title: definition(f),
        oninput: (e) => {
          const x = parseFloat(e.target.value);
          const key = `${a.id}:${f.id}`;
          if (!Number.isFinite(x) || x < s.min || x > s.max) {
            td.classList.add("invalid");
            e.target.setAttribute("aria-invalid", "true");
            setInvalid(key, `${label(a)}, ${label(f)}: "${e.target.value}" is not a rating from ${s.min} to ${s.max}; `
              + "the results still use the last valid rating.");
            return;
          }
          td.classList.remove("invalid");
          e.target.removeAttribute("aria-invalid");
          if (state.invalid.has(key)) setInvalid(key, null);
          setCell(a.id, f.id, x);
          heat(td, f, x);
          changed(false);
        },
      });
      td.append(input);
      heat(td, f, v);
      row.append(td);
    }
    row.append(el("td", {}, el("button", { type: "button", className: "remove", text: "×",
      title: `Remove area ${label(a)}`, "aria-label": `Remove area ${label(a)}`,
      onclick: () => undoable(`Removed area "${label(a)}".`, () => { removeArea(a.id); changed(); }) })));
    body.append(row);
  }
  const grid = document.getElementById("grid");
  grid.replaceChildren(el("thead", {}, head), body);
  const s = spec.scale || { min: 1, max: 10 };
  document.getElementById("scale-hint").textContent =
    `(scale ${s.min}–${s.max}; higher = more amenable to automation unless marked ↓)`;
}

function renderWeights() {
  const box = document.getElementById("weights");
  const maxW = Math.max(5, ...state.spec.factors.map((f) => 2 * f.weight));
  box.replaceChildren(...state.spec.factors.map((f) => {
    const id = `w-${f.id}`;
    const slider = el("input", { type: "range", id, min: 0, max: maxW, step: 0.1, value: f.weight,
      "data-factor": f.id, "aria-label": `Weight of ${label(f)}` });
    const num = el("input", { type: "number", min: 0, step: "any", value: f.weight,
      "data-factor": f.id, "aria-label": `Weight of ${label(f)} (number)` });
    const set = (x, other) => {
      const key = `weight:${f.id}`;
      if (!Number.isFinite(x) || x < 0) {
        setInvalid(key, `Weight of ${label(f)}: "${num.value}" is not a number of 0 or more; `
          + "the results still use the last valid weight.");
        return;
      }
      if (state.invalid.has(key)) setInvalid(key, null);
      f.weight = x;
      other.value = x;
      changed(false);
    };
    slider.addEventListener("input", () => set(parseFloat(slider.value), num));
    num.addEventListener("input", () => set(parseFloat(num.value), slider));
    return el("div", { className: "weight", title: definition(f) },
      el("label", { htmlFor: id, text: label(f) }), slider, num);
  }));
}

function renderCategories() {
  const cats = categories();
  document.getElementById("add-area-category").replaceChildren(
    ...cats.map((c) => el("option", { value: c, text: c })));
  document.getElementById("categories").replaceChildren(...cats.map((c) => el("li", {},
    el("input", { value: c, "aria-label": `Name of category ${c}`, maxLength: 60,
      onchange: (e) => renameCategory(c, e.target.value.trim()) }),
    el("button", { type: "button", className: "remove", text: "×", "aria-label": `Remove category ${c}`,
      onclick: () => removeCategory(c) }))));
  document.getElementById("definitions").replaceChildren(...state.spec.factors.flatMap((f) => [
    el("dt", { text: `${label(f)} (weight ${f.weight})` }),
    el("dd", { text: [f.description || "No definition given.", f.citation && `Source: ${f.citation}`]
      .filter(Boolean).join(" ") })]));
}

function renameCategory(old, name) {
  if (!name || name === old) return;
  state.spec.categories = categories().map((c) => (c === old ? name : c));
  state.extraCategories = state.extraCategories.map((c) => (c === old ? name : c));
  for (const a of state.spec.areas) if (a.category === old) a.category = name;
  changed();
}

function removeCategory(c) {
  if (state.spec.areas.some((a) => a.category === c)) {
    document.getElementById("status").textContent =
      `Category "${c}" still has areas: move or remove them first.`;
    return;
  }
  undoable(`Removed category "${c}".`, () => {
    state.spec.categories = (state.spec.categories || []).filter((x) => x !== c);
    state.extraCategories = state.extraCategories.filter((x) => x !== c);
    changed();
  });
}

export function renderEditor() {
  if (state.invalid.size) { state.invalid.clear(); setInvalid("", null); }
  renderGrid();
  renderWeights();
  renderCategories();
  document.getElementById("model-name").textContent = state.spec.name || state.spec.id;
}

// Update cell colours and values from the server's pooled grid without stealing focus.
export function refreshCells() {
  for (const input of document.querySelectorAll("#grid input[data-area]")) {
    if (input === document.activeElement) continue;
    const v = cellValue(input.dataset.area, input.dataset.factor);
    if (Number.isFinite(v)) input.value = +v.toFixed(3);
  }
}

export function bindAdders() {
  const form = (id, fn) => document.getElementById(id).addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(e.target);
    const name = String(data.get("name") || "").trim();
    if (!name) return;
    fn(name, data);
    e.target.reset();
    changed();
  });
  form("add-area", (name, data) => addArea(name, String(data.get("category") || "safety")));
  form("add-factor", (name) => addFactor(name));
  form("add-category", (name) => { if (!categories().includes(name)) state.extraCategories.push(name); });
}
