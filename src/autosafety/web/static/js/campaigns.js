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

function linksText() {
  const rows = [["role", "pseudonym", "name", "link"], ["organiser", "", "", made.organiser_link],
    ...made.raters.map((r) => ["rater", r.pseudonym, r.display_name || "", r.link])];
  return rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}

function show(data) {
  made = data;
  $("problems").hidden = true;
  $("created-title").textContent = `Campaign ${data.id} “${data.name}” created: ${data.cells} cells, ${data.raters.length} raters, ${data.rounds} round${data.rounds === 1 ? "" : "s"}`;
  const a = $("organiser-link");
  a.href = data.organiser_link;
  a.textContent = data.organiser_link;
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
  const button = e.submitter || $("create-form").querySelector("button");
  button.disabled = true;
  try {
    const r = await call("POST", "/api/campaigns", null, body);
    if (r.ok) show(r.data);
    else showProblems($("problems"), r.data.error || `The server answered ${r.status}`, r.data);
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
