// The campaign pages' API calls: the private token (from the link's fragment, never a URL path
// or query) travels in the Authorization header. No cookies.
import { el } from "./api.js";

export function tokenFromHash() {
  try {
    return decodeURIComponent(location.hash.slice(1)).trim();
  } catch {
    return "";
  }
}

export async function call(method, path, token, body) {
  const init = { method, headers: {}, cache: "no-store", credentials: "omit" };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const resp = await fetch(path, init);
  const type = resp.headers.get("content-type") || "";
  let data = null;
  if (type.includes("json")) data = await resp.json();
  else if (type.includes("csv")) data = await resp.blob();
  else data = await resp.text();
  return { status: resp.status, ok: resp.ok, data };
}

// A refused request's problems as a list: where, what, how to fix it.
export function problemList(data) {
  const items = ((data && data.problems) || []).map((p) =>
    el("li", {}, p.location && p.location !== "request" ? `${p.location}: ` : "", p.message || "",
      p.fix ? ` (${p.fix})` : ""));
  return el("ul", {}, ...items);
}

export function showProblems(box, title, data) {
  box.replaceChildren(el("strong", { text: title }), problemList(data));
  box.hidden = false;
}

export const num = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? "–" : Number(x).toFixed(d));
export const short = (x) => (x === null || x === undefined ? "–" : String(Number(Number(x).toPrecision(3))));

export function when(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

export function clock(iso) {
  const d = iso ? new Date(iso) : new Date();
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}
