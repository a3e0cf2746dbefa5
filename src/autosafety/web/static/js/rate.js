// The rater's form (/rate#TOKEN): every assigned cell with its definition, anchors and citation.
// Answers save as they are entered (debounced; at once on leaving a question or pressing Enter)
// with the version last seen, so a second tab never silently overwrites: a 409 puts the newer
// answer in the form and says so. "Saved" appears only after the server acknowledged.
// Names and texts are always set as text.
import { el } from "./api.js";
import { call, clock, short, showProblems, tokenFromHash } from "./campaign-api.js";
import { groupView } from "./rate-group.js";

const DEBOUNCE_MS = 700;
const token = tokenFromHash();
const $ = (id) => document.getElementById(id);
const cells = [];
let view = null;
let open = false;

function fatal(title, message) {
  $("round").textContent = title;
  $("progress").hidden = true;
  $("how").hidden = true;
  showProblems($("problems"), title, { problems: [{ location: "", message, fix: "" }] });
  document.body.dataset.ready = "error";
}

// ---- one question ---------------------------------------------------------------------------
function cellView(c, i, n) {
  const id = `q${i}`;
  const { low: lo, high: hi } = c.scale;
  const start = c.answer || c.previous;
  const cs = { c, i, version: c.answer ? c.answer.version : 0, saved: null, timer: null, inflight: null,
    again: false, answered: Boolean(c.answer) };
  const numberAttrs = { type: "number", min: lo, max: hi, step: "any", inputMode: "decimal", autocomplete: "off" };
  cs.value = el("input", { ...numberAttrs, id: `${id}-value`, "aria-describedby": `${id}-anchors` });
  cs.slider = el("input", { type: "range", min: lo, max: hi, step: (hi - lo) <= 20 ? 0.5 : "any", tabIndex: -1,
    "aria-label": `${c.factor_name} for ${c.area_name}, slider` });
  cs.low = el("input", { ...numberAttrs, id: `${id}-low` });
  cs.high = el("input", { ...numberAttrs, id: `${id}-high` });
  cs.rationale = el("textarea", { id: `${id}-why`, maxLength: 5000, rows: 2 });
  cs.nma = el("input", { type: "checkbox", id: `${id}-nma` });
  cs.state = el("p", { class: "save-state", id: `${id}-state`, "aria-live": "polite" });
  cs.errors = el("p", { class: "field-error", hidden: true });
  const anchors = c.anchors.length ? c.anchors : [{ value: lo, text: "lowest" }, { value: hi, text: "highest" }];
  const directionNote = c.direction === "lower" ? " (here a lower rating means more amenable to automation)" : "";
  cs.root = el("section", { class: "cell", id: `cell-${i}`, "aria-labelledby": `${id}-title`,
      "data-area": c.area, "data-factor": c.factor },
    el("h2", { id: `${id}-title` }, `${c.area_name}: ${c.factor_name} `, el("span", { class: "of", text: `(${i + 1} of ${n})` })),
    c.area_description ? el("p", { class: "area-desc", text: `The area: ${c.area_description}` }) : "",
    el("p", { class: "definition", text: c.definition + directionNote }),
    el("ul", { class: "anchors", id: `${id}-anchors`, "aria-label": "Scale anchors" },
      ...anchors.map((a) => el("li", {}, el("b", { text: short(a.value) }), ` ${a.text}`))),
    c.citation ? el("p", { class: "citation", text: `Source: ${c.citation}` }) : "",
    c.group ? groupView(c, view.round.number - 1) : "",
    el("div", { class: "fields" },
      el("label", { for: cs.value.id }, `Your rating (${short(lo)}–${short(hi)})`,
        el("span", { class: "value-row" }, cs.value, cs.slider)),
      el("label", { for: cs.low.id }, "5th percentile", el("span", { class: "hint", text: "low end of your 90% range" }), cs.low),
      el("label", { for: cs.high.id }, "95th percentile", el("span", { class: "hint", text: "high end of your 90% range" }), cs.high),
      el("label", { for: cs.rationale.id, class: "full" }, "Rationale",
        el("span", { class: "hint", text: "optional; others see it without your name in the next round" }), cs.rationale),
      el("label", { class: "nma full", for: cs.nma.id }, cs.nma, "Not my area: I can't judge this question")),
    cs.errors, cs.state);
  if (start) fill(cs, start);
  else {
    cs.slider.value = String((lo + hi) / 2);
    cs.slider.classList.add("unset");
  }
  cs.saved = c.answer ? snapshot(payloadOf(c.answer)) : null;
  if (c.answer) setState(cs, "saved", `Saved ${clock(c.answer.saved_at)} (round ${view.round.number}).`);
  else if (c.previous) setState(cs, "carried", `Your round ${c.previous.round} answer is filled in: press Enter to keep it for this round, or revise it.`);
  else setState(cs, "empty", "Not answered yet.");
  wire(cs);
  return cs;
}

const snapshot = (p) => JSON.stringify([p.value, p.low, p.high, p.rationale, p.not_my_area]);
const payloadOf = (a) => ({ value: a.value, low: a.low, high: a.high, rationale: a.rationale || "", not_my_area: Boolean(a.not_my_area) });

function fill(cs, a) {
  const put = (input, v) => { input.value = v === null || v === undefined ? "" : String(v); };
  put(cs.value, a.value);
  put(cs.low, a.low);
  put(cs.high, a.high);
  cs.rationale.value = a.rationale || "";
  cs.nma.checked = Boolean(a.not_my_area);
  if (a.value !== null && a.value !== undefined) {
    cs.slider.value = String(a.value);
    cs.slider.classList.remove("unset");
  }
  syncDisabled(cs);
}

function syncDisabled(cs) {
  const off = cs.nma.checked || !open;
  for (const input of [cs.value, cs.slider, cs.low, cs.high]) input.disabled = off;
  cs.rationale.disabled = !open;
  cs.nma.disabled = !open;
}

function payload(cs) {
  const read = (input) => (input.value.trim() === "" ? null : Number(input.value));
  const nma = cs.nma.checked;
  return { value: nma ? null : read(cs.value), low: nma ? null : read(cs.low), high: nma ? null : read(cs.high),
    rationale: cs.rationale.value, not_my_area: nma };
}

function notReady(p, cs) {
  if (p.not_my_area) return null;
  if ([p.value, p.low, p.high].some((v) => v !== null && !Number.isFinite(v))) return "type numbers only";
  if (p.value === null) return cs.value.validity.badInput ? "type a number" : "give your rating";
  if ((p.low === null) !== (p.high === null)) return "give both ends of the 90% range, or neither";
  return null;
}

function setState(cs, state, text) {
  cs.root.dataset.state = state;
  cs.state.textContent = text;
}

function markInvalid(cs, problems) {
  for (const input of [cs.value, cs.low, cs.high, cs.rationale]) input.removeAttribute("aria-invalid");
  const byField = { value: cs.value, low: cs.low, high: cs.high, rationale: cs.rationale };
  for (const p of problems) {
    const input = byField[p.location];
    if (input) input.setAttribute("aria-invalid", "true");
    if (p.location === "answer") [cs.value, cs.low, cs.high].forEach((x) => x.setAttribute("aria-invalid", "true"));
  }
  cs.errors.hidden = problems.length === 0;
  cs.errors.textContent = problems.map((p) => `${p.message}${p.fix ? ` (${p.fix})` : ""}`).join("; ");
}

function schedule(cs) {
  clearTimeout(cs.timer);
  cs.dirty = true;
  setState(cs, "pending", "Not saved yet…");
  cs.timer = setTimeout(() => save(cs), DEBOUNCE_MS);
}

async function save(cs, { confirm = false } = {}) {
  clearTimeout(cs.timer);
  if (!open) return false;
  // an untouched question (empty, or carrying an earlier round's answer) is not saved by leaving it
  // (Enter keeps a carried answer; on an untouched empty question it just moves on)
  const untouched = !cs.dirty && ["carried", "empty"].includes(cs.root.dataset.state);
  if (untouched && !(confirm && cs.root.dataset.state === "carried")) return false;
  if (cs.inflight) {
    cs.again = true;
    return cs.inflight;
  }
  const p = payload(cs);
  const why = notReady(p, cs);
  if (why) {
    setState(cs, "pending", `Not saved yet: ${why}.`);
    return false;
  }
  const snap = snapshot(p);
  if (snap === cs.saved && !confirm) {
    cs.dirty = false;
    if (cs.root.dataset.state === "pending") setState(cs, "saved", "Saved (no change).");
    return true;
  }
  if (snap === cs.saved && cs.answered) return true;
  setState(cs, "saving", "Saving…");
  const path = `/api/rater/answers/${encodeURIComponent(cs.c.area)}/${encodeURIComponent(cs.c.factor)}`;
  cs.inflight = call("PUT", path, token, { ...p, version: cs.version }).then((r) => r, () => null);
  const r = await cs.inflight;
  cs.inflight = null;
  let ok = false;
  if (r === null) {
    setState(cs, "error", "Not saved: no connection to the server. Trying again in 5 seconds…");
    cs.timer = setTimeout(() => save(cs), 5000);
  } else if (r.ok) {
    ok = true;
    cs.dirty = false;
    cs.version = r.data.version;
    cs.saved = snap;
    cs.answered = true;
    markInvalid(cs, []);
    setState(cs, "saved", `Saved ${clock(r.data.saved_at)}.`);
    progress();
  } else if (r.status === 409) {
    const cur = r.data.current;
    cs.again = false;
    cs.dirty = false;
    if (cur) {
      fill(cs, cur);
      cs.version = cur.version;
      cs.saved = snapshot(payloadOf(cur));
      cs.answered = true;
      progress();
    }
    markInvalid(cs, []);
    setState(cs, "conflict", `This answer was changed in another tab or on another device${cur ? ` (saved ${clock(cur.saved_at)})` : ""}. ` +
      "The newer answer has been loaded; your last edit was not saved. Edit it again to change it.");
    notice(cs, "was changed in another tab or device: the newer answer has been loaded and your edit was not saved.");
  } else if (r.status === 422) {
    markInvalid(cs, r.data.problems || []);
    setState(cs, "error", "Not saved: please correct the answer (see above).");
    notice(cs, "was not saved: please correct it.");
  } else if (r.status === 423) {
    closeForm("The round has been closed, so this answer was not saved. Your saved answers are kept.");
  } else if (r.status === 404) {
    fatal("This link no longer opens a campaign", "The private link did not match any rater. Check that you opened the whole link you were sent.");
  } else {
    setState(cs, "error", `Not saved: the server answered ${r.status}. Trying again in 5 seconds…`);
    cs.timer = setTimeout(() => save(cs), 5000);
  }
  if (cs.again) {
    cs.again = false;
    if (ok) return save(cs);
  }
  return ok;
}

function wire(cs) {
  cs.value.addEventListener("input", () => {
    const v = Number(cs.value.value);
    if (cs.value.value.trim() !== "" && Number.isFinite(v)) {
      cs.slider.value = String(v);
      cs.slider.classList.remove("unset");
    }
    schedule(cs);
  });
  cs.slider.addEventListener("input", () => {
    cs.value.value = cs.slider.value;
    cs.slider.classList.remove("unset");
    schedule(cs);
  });
  for (const input of [cs.low, cs.high, cs.rationale]) input.addEventListener("input", () => schedule(cs));
  cs.nma.addEventListener("change", () => {
    cs.dirty = true;
    syncDisabled(cs);
    save(cs);
  });
  cs.root.addEventListener("change", (e) => {
    if (e.target !== cs.nma) save(cs);
  });
  cs.root.addEventListener("focusout", (e) => {
    if (!cs.root.contains(e.relatedTarget)) save(cs);
  });
  cs.root.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || e.target.tagName === "TEXTAREA" || e.isComposing) return;
    e.preventDefault();
    save(cs, { confirm: true });
    next(cs.i);
  });
}

// A message at the top (always in view) about a question that may have scrolled away.
function notice(cs, text) {
  if (cs.root.contains(document.activeElement)) return;
  const go = el("button", { type: "button", text: `Go to question ${cs.i + 1}`, onclick: () => {
    show(cs);
    firstInput(cs).focus({ preventScroll: true });
  } });
  $("status").replaceChildren(el("strong", { class: "warn", text: `Question ${cs.i + 1} (${cs.c.area_name}: ${cs.c.factor_name}) ${text} ` }), go);
}

// Scroll a question's top into view, below the progress panel where it stays on screen (wide
// screens; on a phone it scrolls away).
function show(cs) {
  const top = document.querySelector(".rate-top");
  const below = getComputedStyle(top).position === "sticky" ? top.offsetHeight : 0;
  window.scrollTo({ top: cs.root.getBoundingClientRect().top + window.scrollY - below - 8, behavior: "auto" });
}

function firstInput(cs) {
  return [cs.value, cs.low, cs.nma].find((x) => !x.disabled) || cs.rationale;
}

function next(i) {
  const after = cells[i + 1];
  if (after) {
    firstInput(after).focus({ preventScroll: true });
    show(after);
  } else {
    $("status").textContent = progressText() + " That was the last question.";
  }
}

function progressText() {
  const done = cells.filter((cs) => cs.answered).length;
  const total = cells.length;
  const r = view.round.number;
  if (r > 1) {
    const note = `Answers you do not review keep their round ${r - 1} value.`;
    return done === total ? `All ${total} questions reviewed for round ${r}: thank you.` : `${done} of ${total} reviewed for round ${r}. ${note}`;
  }
  if (done === total) return `All ${total} questions answered: thank you. You can change any answer while the round is open.`;
  return `${done} of ${total} answered.`;
}

function progress() {
  const done = cells.filter((cs) => cs.answered).length;
  const bar = $("progress");
  bar.max = cells.length || 1;
  bar.value = done;
  $("progress-text").textContent = progressText();
}

function closeForm(message) {
  open = false;
  for (const cs of cells) {
    clearTimeout(cs.timer);
    syncDisabled(cs);
  }
  const note = el("p", { class: "closed-note", role: "alert", text: message });
  $("status").replaceChildren(note);
}

function render(data) {
  view = data;
  open = data.round.open;
  const name = data.campaign.name;
  $("title").textContent = `Rate: ${name}`;
  document.title = `autosafety: ${name}, round ${data.round.number}`;
  const who = data.rater.display_name ? `${data.rater.display_name} (${data.rater.pseudonym})` : data.rater.pseudonym;
  $("round").textContent = `Round ${data.round.number} of ${data.round.planned}` +
    (open ? "" : " (closed)") + ` · ${data.cells.length} questions · you are ${who}`;
  data.cells.forEach((c, i) => cells.push(cellView(c, i, data.cells.length)));
  for (const cs of cells) syncDisabled(cs);
  $("cells").replaceChildren(...cells.map((cs) => cs.root));
  progress();
  if (data.round.number > 1 && open) {
    $("status").textContent = `Under each question: the group's round ${data.round.number - 1} answers (no names) and your own. ` +
      "Your earlier answer is filled in: press Enter to keep it, or revise it.";
  }
  if (!open) {
    closeForm(`Round ${data.round.number} is closed. Your saved answers are kept; the organiser may open another round.`);
  } else {
    const first = cells.find((cs) => !cs.answered);
    if (first && first.i > 0) {
      firstInput(first).focus({ preventScroll: true });
      show(first);
      $("status").textContent = `Welcome back: continuing at question ${first.i + 1}, the first one not answered yet.`;
    } else if (first) {
      firstInput(first).focus({ preventScroll: true });
    }
  }
  $("interview-link").href = `/interview#${encodeURIComponent(token)}`;
  $("interview").hidden = false;
  document.body.dataset.ready = "1";
}

async function load() {
  if (!token) {
    fatal("This page needs your private link", "Open the link the organiser sent you (it ends in #followed-by-a-long-key).");
    return;
  }
  let r;
  try {
    r = await call("GET", "/api/rater", token);
  } catch {
    fatal("Cannot reach the server", "Check your connection and reload the page; answers already saved are kept.");
    return;
  }
  if (r.status === 404) {
    fatal("This link does not open any campaign", "Check that you opened the whole private link you were sent, including the part after '#'.");
    return;
  }
  if (!r.ok) {
    fatal("The questions could not be loaded", `The server answered ${r.status}. Reload the page to try again.`);
    return;
  }
  render(r.data);
}

// Leaving the page (or hiding it on a phone) sends what is typed but not yet saved.
function flush() {
  for (const cs of cells) if (cs.dirty && !cs.inflight) save(cs);
}
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") flush();
});
window.addEventListener("pagehide", flush);
window.addEventListener("hashchange", () => location.reload());
window.addEventListener("beforeunload", (e) => {
  if (cells.some((cs) => cs.inflight || cs.root.dataset.state === "saving")) e.preventDefault();
});
load();
