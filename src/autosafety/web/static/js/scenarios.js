// Saved scenarios: save, list, load, delete, and compare two side by side.
import { api, el } from "./api.js";
import { renderComparison, showProblems } from "./results.js";
import { offerUndo } from "./undo.js";

let loadSpec = () => {};
let current = () => ({});

export async function refreshScenarios() {
  const list = await api("GET", "/api/scenarios");
  const box = document.getElementById("scenario-list");
  box.replaceChildren(...list.map((s) => el("li", { "data-id": s.id },
    el("span", { className: "name", text: s.name }),
    el("span", { className: "hint", text: ` #${s.id}${s.base ? ` from ${s.base}` : ""}, ${s.created}` }),
    el("button", { type: "button", text: "Load", "aria-label": `Load scenario ${s.name}`,
      onclick: async () => {
        try {
          const full = await api("GET", `/api/scenarios/${s.id}`);
          loadSpec(full.model, full.base, `Loaded scenario "${full.name}".`);
        } catch (err) { showProblems(err, "Could not load the scenario"); }
      } }),
    el("button", { type: "button", text: "Delete", "aria-label": `Delete scenario ${s.name}`,
      onclick: async () => {
        try {
          const full = await api("GET", `/api/scenarios/${s.id}`);
          await api("DELETE", `/api/scenarios/${s.id}`);
          await refreshScenarios();
          offerUndo(`Deleted scenario "${s.name}".`, async () => {
            await api("POST", "/api/scenarios", { name: full.name, base: full.base, model: full.model });
            await refreshScenarios();
          });
        } catch (err) { showProblems(err, "Could not delete the scenario"); }
      } }))));
  for (const id of ["compare-a", "compare-b"]) {
    const select = document.getElementById(id);
    const keep = select.value;
    select.replaceChildren(...list.map((s) => el("option", { value: s.id, text: `#${s.id} ${s.name}` })));
    if (list.some((s) => String(s.id) === keep)) select.value = keep;
  }
  if (list.length > 1 && document.getElementById("compare-a").value === document.getElementById("compare-b").value) {
    document.getElementById("compare-b").value = String(list[1].id);
  }
  return list;
}

export function bindScenarios(load, getCurrent) {
  loadSpec = load;
  current = getCurrent;
  document.getElementById("save-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const name = String(new FormData(e.target).get("name") || "").trim();
    try {
      const saved = await api("POST", "/api/scenarios", { name, ...current() });
      document.getElementById("status").textContent = `Saved scenario "${saved.name}" (#${saved.id}).`;
      showProblems(null);
      e.target.reset();
      await refreshScenarios();
    } catch (err) { showProblems(err, "Could not save the scenario"); }
  });
  document.getElementById("compare-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const data = new FormData(e.target);
    try {
      const cmp = await api("GET", `/api/scenarios/compare?a=${encodeURIComponent(data.get("a"))}&b=${encodeURIComponent(data.get("b"))}`);
      const { model } = current();
      const names = Object.fromEntries([...model.areas, ...model.factors].map((x) => [x.id, x.name || x.id]));
      renderComparison(document.getElementById("scenario-compare"), cmp,
        { mineLabel: `#${cmp.a.id} ${cmp.a.name}`, otherLabel: `#${cmp.b.id} ${cmp.b.name}`, names });
    } catch (err) { showProblems(err, "Could not compare the scenarios"); }
  });
}
