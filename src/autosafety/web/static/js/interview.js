// The rater's interview (/interview#TOKEN): area, tasks with shares of time, durations, speed-up
// with current AI tools and characteristics; then the seed (calibration) questions. Everything
// saves as it is entered (debounced; at once on Enter or leaving a field) with the version last
// seen, so a second tab never silently overwrites: a 409 puts the newer interview in the form.
// "Saved" appears only after the server acknowledged. Texts are always set as text.
import { el } from "./api.js";

const DEBOUNCE_MS = 600;
const $ = (id) => document.getElementById(id);
const token = (() => { try { return decodeURIComponent(location.hash.slice(1)).trim(); } catch { return ""; } })();
let meta = null;         // task types, units, areas, limits
let version = 0;         // of the interview, as the server last acknowledged
let timer = null;
let inflight = null;
let again = false;
const seedVersions = new Map();

async function call(method, path, body) {
  const init = { method, headers: { authorization: `Bearer ${token}` }, cache: "no-store", credentials: "omit" };
  if (body !== undefined) { init.headers["content-type"] = "application/json"; init.body = JSON.stringify(body); }
  const resp = await fetch(path, init);
  let data = null;
  try { data = await resp.json(); } catch { data = null; }
  return { status: resp.status, data };
}

function status(text) { $("status").textContent = text; }
function clock() { return new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }); }

// Problems as a list: where, what, how to fix. A draft's "still to answer" list starts folded.
function showProblems(title, problems, { folded = false } = {}) {
  const box = $("problems");
  if (!problems || !problems.length) { box.hidden = true; box.replaceChildren(); box.dataset.kind = ""; return; }
  const list = el("ul", {}, ...problems.map((p) =>
    el("li", {}, p.location ? `${readable(p.location)}: ` : "", p.message || "", p.fix ? ` (${p.fix})` : "")));
  box.dataset.kind = folded ? "todo" : "error";
  if (folded) box.removeAttribute("role"); else box.setAttribute("role", "alert");
  box.replaceChildren(folded ? el("details", {}, el("summary", { text: `${title}: ${problems.length} item${problems.length === 1 ? "" : "s"}` }), list)
    : el("strong", { text: title }), ...(folded ? [] : [list]));
  box.hidden = false;
}

// "interview.tasks[1] (writing).duration" -> "Task 2 (Writing), duration"
function readable(loc) {
  const titles = [...document.querySelectorAll("#tasks .task-title")].map((h) => h.textContent.replace(/^Task \d+: /, ""));
  return String(loc).replace(/^interview\.?/, "").replace(/tasks\[(\d+)\] \(([^)]*)\)/, (_, i, id) =>
    `Task ${Number(i) + 1} (${titles[Number(i)] || id})`).replace(/\./g, ", ").replace(/_/g, " ") || "interview";
}

const numberOrNull = (input) => (input.value.trim() === "" ? null : Number(input.value));
const pct = (input) => { const x = numberOrNull(input); return x === null ? null : x / 100; };

function quantiles(li, prefix) {
  const q = [prefix + "05", prefix + "50", prefix + "95"].map((c) => numberOrNull(li.querySelector(".t-" + c)));
  if (q.every((x) => x === null)) return null;
  return { q05: q[0], q50: q[1], q95: q[2] };
}

// A task of the rater's own is identified by its name (so the same task named by several
// interviewees pools together): "Reviewing papers" -> "reviewing-papers"; unnamed: "other".
const slug = (name) => name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-")
  .replace(/^-+|-+$/g, "").slice(0, 56) || "other";

function customIds() {
  const used = new Set();
  for (const li of document.querySelectorAll("#tasks > li:not([data-custom])")) used.add(li.dataset.id);
  for (const li of document.querySelectorAll("#tasks > li[data-custom]")) {
    const base = slug(li.querySelector(".t-name").value.trim());
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
    used.add(id);
    li.dataset.id = id;
  }
}

function collect() {
  customIds();
  const tasks = [...document.querySelectorAll("#tasks > li")].map((li) => {
    const d = quantiles(li, "d");
    const v = li.querySelector(".t-verifiability").value;
    return {
      id: li.dataset.id, name: li.querySelector(".t-name").value.trim() || undefined,
      share: numberOrNull(li.querySelector(".t-share")),
      duration: d && { unit: li.querySelector(".t-unit").value, ...d },
      speedup: quantiles(li, "s"), verifiability: v === "" ? null : Number(v),
      compute_fraction: pct(li.querySelector(".t-compute")), review_overhead: pct(li.querySelector(".t-review")),
      note: li.querySelector(".t-note").value.trim(),
    };
  });
  const lag = numberOrNull($("adoption-lag"));
  return { area: $("area").value || null, adoption_lag: lag, note: $("note").value.trim(), tasks };
}

function showTotal() {
  const total = [...document.querySelectorAll("#tasks .t-share")].reduce((s, i) => s + (Number(i.value) || 0), 0);
  const ok = Math.abs(total - 100) <= meta.limits.share_tolerance;
  $("total-value").textContent = `${Number(total.toFixed(1))}%`;
  $("total").dataset.ok = ok ? "yes" : "no";
  $("total-note").textContent = ok ? "of 100%: adds up" : total > 100 ? `of 100%: ${Number((total - 100).toFixed(1))} too many`
    : `of 100%: ${Number((100 - total).toFixed(1))} to go`;
}

function schedule(now = false) {
  showTotal();
  status("Not saved yet…");
  document.body.dataset.saved = "no";
  clearTimeout(timer);
  timer = setTimeout(save, now ? 0 : DEBOUNCE_MS);
}

async function save() {
  if (inflight) { again = true; return; }
  const body = { version, interview: collect(), draft: true };
  status("Saving…");
  inflight = call("PUT", "/api/interview", body);
  const r = await inflight.catch(() => ({ status: 0, data: null }));
  inflight = null;
  if (r.status !== 422) markFields([]);
  if (r.status === 200) {
    version = r.data.version;
    document.body.dataset.saved = String(version);
    status(`Saved at ${clock()}` + (r.data.complete ? ": your interview is complete. Thank you!" : ": still to answer, listed below."));
    showProblems("Still to answer", r.data.problems, { folded: true });
  } else if (r.status === 409) {
    const cur = r.data.current;
    version = cur.version;
    fill(cur.interview);
    status("Your interview was changed in another tab or device: the newer version is shown. Nothing was overwritten.");
    showProblems("Still to answer", cur.problems, { folded: true });
  } else if (r.status === 422) {
    status("Not saved: fix the entries marked in red.");
    showProblems("Not saved", r.data.problems);
    markFields(r.data.problems);
  } else if (r.status === 404) {
    status("This link opens nothing: open the whole private link you were sent.");
  } else {
    status("Not saved: the server could not be reached. It will retry on your next change.");
  }
  if (again) { again = false; save(); }
}

// A refused save: the fields it names get aria-invalid and their task its messages.
const FIELDS = { share: ".t-share", duration: ".t-d05, .t-d50, .t-d95", unit: ".t-unit",
  speedup: ".t-s05, .t-s50, .t-s95", verifiability: ".t-verifiability", compute_fraction: ".t-compute",
  review_overhead: ".t-review", note: ".t-note", name: ".t-name" };
function markFields(problems) {
  for (const node of document.querySelectorAll("[aria-invalid=true]")) node.removeAttribute("aria-invalid");
  for (const p of document.querySelectorAll(".task-problems")) p.textContent = "";
  const tasks = document.querySelectorAll("#tasks > li");
  for (const p of problems) {
    const loc = String(p.location || "");
    if (loc === "interview.adoption_lag") $("adoption-lag").setAttribute("aria-invalid", "true");
    if (loc === "interview.note") $("note").setAttribute("aria-invalid", "true");
    const m = loc.match(/^interview\.tasks\[(\d+)\][^.]*\.?([a-z_]*)\.?([a-z_0-9]*)$/);
    const li = m && tasks[Number(m[1])];
    if (!li) continue;
    const key = m[3] === "unit" ? "unit" : m[2];
    for (const node of li.querySelectorAll(FIELDS[key] || "none")) node.setAttribute("aria-invalid", "true");
    const box = li.querySelector(".task-problems");
    box.textContent = (box.textContent ? box.textContent + " " : "") + `${p.message} (${p.fix}).`;
  }
}

function setValue(input, x, scale = 1) { input.value = x === null || x === undefined ? "" : String(Number((x * scale).toPrecision(12))); }

function addTask(id, data = null) {
  const type = meta.task_types.find((t) => t.id === id);
  const li = $("task-template").content.firstElementChild.cloneNode(true);
  const n = document.querySelectorAll("#tasks > li").length;
  const custom = !type;
  li.dataset.id = custom ? (data ? data.id : "other") : id;
  if (custom) li.dataset.custom = "";
  li.querySelector(".task-title").textContent = `Task ${n + 1}: ` + (custom ? (data && data.name) || "Other" : type.name);
  li.querySelector(".name-field").hidden = !custom;
  li.querySelector(".remove").setAttribute("aria-label", `Remove task ${n + 1}`);
  li.querySelector(".remove").addEventListener("click", () => {
    const next = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    renumber();
    (next ? next.querySelector(".t-share") : $("new-task")).focus();
    schedule(true);
  });
  li.querySelector(".t-name").addEventListener("input", (e) => {
    const title = li.querySelector(".task-title");
    title.textContent = title.textContent.replace(/: .*$/, ": " + (e.target.value.trim() || "Other"));
  });
  if (data) {
    li.querySelector(".t-name").value = custom ? data.name || "" : "";
    setValue(li.querySelector(".t-share"), data.share);
    const d = data.duration || {};
    for (const q of ["05", "50", "95"]) setValue(li.querySelector(".t-d" + q), d["q" + q]);
    if (d.unit) li.querySelector(".t-unit").value = d.unit;
    const s = data.speedup || {};
    for (const q of ["05", "50", "95"]) setValue(li.querySelector(".t-s" + q), s["q" + q]);
    li.querySelector(".t-verifiability").value = data.verifiability === null ? "" : String(data.verifiability);
    setValue(li.querySelector(".t-compute"), data.compute_fraction, 100);
    setValue(li.querySelector(".t-review"), data.review_overhead, 100);
    li.querySelector(".t-note").value = data.note || "";
  }
  $("tasks").append(li);
  return li;
}

function renumber() {
  [...document.querySelectorAll("#tasks > li")].forEach((li, i) => {
    const title = li.querySelector(".task-title");
    title.textContent = title.textContent.replace(/^Task \d+/, `Task ${i + 1}`);
    li.querySelector(".remove").setAttribute("aria-label", `Remove task ${i + 1}`);
  });
}

function fill(iv) {
  $("tasks").replaceChildren();
  $("area").value = (iv && iv.area) || "";
  setValue($("adoption-lag"), iv ? iv.adoption_lag : null);
  $("note").value = (iv && iv.note) || "";
  for (const t of (iv && iv.tasks) || []) addTask(t.id, t);
  showTotal();
}

// ---- seed questions ---------------------------------------------------------------------------
function seedItem(q) {
  const li = $("seed-template").content.firstElementChild.cloneNode(true);
  li.dataset.id = q.id;
  li.querySelector(".seed-question").textContent = q.question + (q.unit ? ` (${q.unit})` : "");
  li.querySelector(".unit").textContent = q.unit;
  const inputs = ["s05", "s50", "s95"].map((c) => li.querySelector("." + c));
  ["5%", "best guess (50%)", "95%"].forEach((w, i) => inputs[i].setAttribute("aria-label", `${q.question}: ${w}`));
  if (q.answer) [q.answer.q05, q.answer.q50, q.answer.q95].forEach((x, i) => setValue(inputs[i], x));
  seedVersions.set(q.id, q.version);
  const state = li.querySelector(".seed-state");
  if (q.answer) { li.dataset.state = "saved"; state.textContent = "Saved."; }
  let t = null;
  let busy = false;
  let redo = false;
  let last = q.answer ? JSON.stringify([q.answer.q05, q.answer.q50, q.answer.q95]) : "";
  const go = async () => {
    if (busy) { redo = true; return; }
    const v = inputs.map(numberOrNull);
    if (JSON.stringify(v) === last) return;
    if (v.some((x) => x === null || !Number.isFinite(x))) { li.dataset.state = "pending"; state.textContent = "Give all three numbers to save."; return; }
    if (!(v[0] < v[1] && v[1] < v[2])) { li.dataset.state = "error"; state.textContent = "Not saved: 5% < best guess < 95% is needed."; return; }
    li.dataset.state = "saving"; state.textContent = "Saving…";
    busy = true;
    const r = await call("PUT", `/api/seeds/${encodeURIComponent(q.id)}`, { version: seedVersions.get(q.id), q05: v[0], q50: v[1], q95: v[2] })
      .catch(() => ({ status: 0, data: null }));
    busy = false;
    if (r.status === 200) {
      seedVersions.set(q.id, r.data.version);
      last = JSON.stringify(v);
      li.dataset.state = "saved";
      state.textContent = `Saved at ${clock()}.`;
    }
    else if (r.status === 409 && r.data.current) {
      const cur = r.data.current;
      seedVersions.set(q.id, cur.version);
      if (cur.answer) [cur.answer.q05, cur.answer.q50, cur.answer.q95].forEach((x, i) => setValue(inputs[i], x));
      last = cur.answer ? JSON.stringify([cur.answer.q05, cur.answer.q50, cur.answer.q95]) : "";
      li.dataset.state = "conflict"; state.textContent = "Changed in another tab: the newer answer is shown.";
    } else {
      li.dataset.state = "error";
      state.textContent = "Not saved: " + ((r.data && r.data.problems || []).map((p) => p.message).join("; ") || "the server could not be reached");
    }
    if (redo) { redo = false; go(); }
  };
  for (const input of inputs) {
    input.addEventListener("input", () => { clearTimeout(t); li.dataset.state = "pending"; state.textContent = "Not saved yet…"; t = setTimeout(go, DEBOUNCE_MS); });
    input.addEventListener("change", () => { clearTimeout(t); go(); });
    input.addEventListener("keydown", (e) => { if (e.key === "Enter") { clearTimeout(t); go(); } });
  }
  return li;
}

// ---- start ----------------------------------------------------------------------------------
async function start() {
  if (!token) { status("Open the whole private link you were sent (the key is the part after '#')."); document.body.dataset.ready = "error"; return; }
  const [iv, seeds] = await Promise.all([call("GET", "/api/interview"), call("GET", "/api/seeds")]);
  if (iv.status !== 200) {
    status("This link opens nothing: open the whole private link you were sent (the key is the part after '#').");
    document.body.dataset.ready = "error";
    return;
  }
  meta = iv.data;
  const rate = el("a", { href: `/rate#${encodeURIComponent(token)}`, text: "your rating form" });
  $("who").replaceChildren(`Campaign “${meta.campaign.name}”, you are ${meta.rater.pseudonym}`,
    ...(meta.rater.cells ? [" (", rate, ")"] : []), ". ");
  for (const a of meta.areas) $("area").append(el("option", { value: a.id, text: `${a.name} (${a.category})` }));
  version = meta.version;
  fill(meta.interview);
  status(version ? "Your saved interview is shown; changes save as you type." : "Changes save as you type.");
  if (!meta.complete && version) showProblems("Still to answer", meta.problems, { folded: true });
  if (seeds.status === 200 && seeds.data.questions.length) {
    $("seeds").replaceChildren(...seeds.data.questions.map(seedItem));
    $("seeds-panel").hidden = false;
  }
  const main = $("main");
  main.addEventListener("input", (e) => { if (!e.target.closest("#seeds, .add-row")) schedule(); });
  main.addEventListener("change", (e) => { if (!e.target.closest("#seeds, .add-row")) schedule(true); });
  main.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target.matches("#tasks input, #area-panel input")) { e.preventDefault(); schedule(true); }
  });
  $("add-task").addEventListener("click", () => {
    if (document.querySelectorAll("#tasks > li").length >= meta.limits.tasks) { status(`At most ${meta.limits.tasks} tasks: merge small ones.`); return; }
    const li = addTask($("new-task").value);
    (li.querySelector(".name-field").hidden ? li.querySelector(".t-share") : li.querySelector(".t-name")).focus();
    schedule(true);
  });
  document.body.dataset.ready = "1";
}

start();
