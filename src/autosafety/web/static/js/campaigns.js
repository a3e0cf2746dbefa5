// /campaigns: create a campaign (POST /api/campaigns) and show its links once; open a dashboard
// by id and organiser token (the token goes into the fragment, never to the server in a URL).
import { download, el } from "./api.js";
import { call, showProblems } from "./campaign-api.js";

const $ = (id) => document.getElementById(id);
let made = null;

function csvCell(s) {
  const t = String(s ?? "");
  return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

const MAX_SEED_FILE = 400_000; // characters, as the server's cap

function linksText() {
  const seeds = made.seed_questions > 0;
  const rows = [["role", "pseudonym", "name", "link", ...(seeds ? ["interview and seed questions"] : [])],
    ["organiser", "", "", made.organiser_link, ...(seeds ? [""] : [])],
    ...made.raters.map((r) => ["rater", r.pseudonym, r.display_name || "", r.link, ...(seeds ? [r.interview_link] : [])])];
  return rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}

function show(data) {
  made = data;
  $("problems").hidden = true;
  $("created-title").textContent = `Campaign ${data.id} “${data.name}” created: ${data.cells} cells, ${data.raters.length} raters, ${data.rounds} round${data.rounds === 1 ? "" : "s"}${data.seed_questions ? `, ${data.seed_questions} seed question${data.seed_questions === 1 ? "" : "s"}` : ""}`;
  const a = $("organiser-link");
  a.href = data.organiser_link;
  a.textContent = data.organiser_link;
  const note = $("seed-note");
  note.hidden = !data.seed_questions;
  note.textContent = data.seed_questions
    ? `${data.seed_questions} seed question${data.seed_questions === 1 ? "" : "s"}: raters answer them on their interview page, /interview#KEY with the key of their private link (the CSV download lists these links). The dashboard then weighs the raters by Cooke's classical model.`
    : "";
  $("links").replaceChildren(...data.raters.map((r) => el("tr", {},
    el("td", { text: r.pseudonym }), el("td", { text: r.display_name || "–" }),
    el("td", { class: "link" }, el("a", { href: r.link, text: r.link, target: "_blank", rel: "noopener" })))));
  $("created").hidden = false;
  $("created-title").focus({ preventScroll: true });
  $("created").scrollIntoView({ block: "start" });
}

$("create-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const names = $("names").value.split("\n").map((s) => s.trim()).filter(Boolean);
  const cells = $("cells").value.split(",").map((s) => s.trim()).filter(Boolean);
  const body = { model: $("model").value, name: $("name").value.trim(), rounds: Number($("rounds").value),
    raters: names.length ? names : Number($("raters").value), cells: cells.length ? cells : null };
  const file = $("seeds").files[0];
  if (file) {
    const text = await file.text();
    if (text.length > MAX_SEED_FILE) {
      showProblems($("problems"), "The seed-question file is too long", { problems: [{ location: file.name, message: `${text.length.toLocaleString()} characters, over ${MAX_SEED_FILE.toLocaleString()}`, fix: "keep at most 100 questions" }] });
      return;
    }
    body.seed_questions = text;
  }
  const button = e.submitter || $("create-form").querySelector("button");
  button.disabled = true;
  try {
    const r = await call("POST", "/api/campaigns", null, body);
    if (r.ok) show(r.data);
    else {
      // the server locates problems in the file as "seed_questions: ..."; name the file instead
      const problems = ((r.data && r.data.problems) || []).map((p) => (file && p.location && p.location.startsWith("seed_questions")
        ? { ...p, location: file.name + p.location.slice("seed_questions".length) } : p));
      showProblems($("problems"), r.data.error || `The server answered ${r.status}`, { ...r.data, problems });
    }
  } catch {
    showProblems($("problems"), "Cannot reach the server", { problems: [{ message: "check the connection and try again" }] });
  } finally {
    button.disabled = false;
  }
});

$("copy-all").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(linksText());
    $("copied").textContent = "Copied.";
  } catch {
    $("copied").textContent = "Copying is blocked here: use Download instead.";
  }
});

$("download-links").addEventListener("click", () => {
  download(new Blob([linksText()], { type: "text/csv" }), `campaign-${made.id}-links.csv`);
});

$("open-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const id = Number($("open-id").value);
  const token = $("open-token").value.trim();
  if (!Number.isInteger(id) || id < 1 || !token) {
    $("open-error").textContent = "Give the campaign id (a whole number) and the organiser token.";
    return;
  }
  location.assign(`/campaigns/${id}#${encodeURIComponent(token)}`);
});

document.body.dataset.ready = "1";
