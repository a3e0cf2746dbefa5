// The rater page's Delphi feedback: per question, the group's answers in the previous round
// (no names), the rater's own marked, the median, and the others' rationales. Texts set as text.
import { el } from "./api.js";
import { short } from "./campaign-api.js";

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

export function groupView(c, prev) {
  const g = c.group;
  const own = g.own;
  const ownText = !own ? "you did not answer" : own.not_my_area ? "you said “not my area”"
    : `your answer ${short(own.value)}` + (own.low !== null ? ` (interval ${short(own.low)}–${short(own.high)})` : "");
  const box = el("div", { class: "group" },
    el("p", {}, el("b", { text: `Round ${prev}, the group: ` }),
      g.n ? `${g.n} answer${g.n === 1 ? "" : "s"}, median ${short(g.median)}` : "no answers",
      g.not_my_area ? `; ${g.not_my_area} said “not my area”` : "", "; ",
      el("span", { class: "own-mark", text: ownText }), "."));
  if (g.n) box.append(strip(c, g, prev));
  if (g.rationales.length) {
    box.append(el("details", {}, el("summary", { text: `Others' rationales (${g.rationales.length}, no names)` }),
      ...g.rationales.map((t) => el("blockquote", { text: t }))));
  }
  return box;
}

// The group on the factor's scale. Up to 30 answers: one line per answer (its 5-95% interval),
// the dot its value. More: a histogram of the values. The rater's own answer in orange, the
// median dashed.
const MAX_ROWS = 30;

function strip(c, g, prev) {
  const lo = c.scale.low;
  const hi = c.scale.high;
  const W = 300;
  const pad = 12;
  const x = (v) => pad + ((v - lo) / (hi - lo || 1)) * (W - 2 * pad);
  const rows = g.answers.length <= MAX_ROWS;
  const step = rows ? Math.max(3, Math.min(8, 120 / g.answers.length)) : 0;
  const plot = rows ? 6 + step * g.answers.length : 64;
  const H = plot + 20;
  const own = g.answers.find((a) => a.own);
  const label = `Round ${prev}: ${g.answers.length} answers on the scale ${short(lo)} to ${short(hi)}, ` +
    `median ${short(g.median)}` + (own ? `, yours ${short(own.value)}` : "") +
    (rows ? `: ${g.answers.map((a) => short(a.value)).join(", ")}.` : ".");
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": label });
  const axis = plot + 2;
  s.append(svg("line", { x1: pad, x2: W - pad, y1: axis, y2: axis, stroke: "#8a94a0" }));
  const span = hi - lo;
  const tick = span <= 10 ? 1 : span <= 20 ? 2 : span / 5;
  for (let v = lo; v <= hi + 1e-9; v += tick) {
    s.append(svg("line", { x1: x(v), x2: x(v), y1: axis, y2: axis + 3, stroke: "#8a94a0" }));
    const t = svg("text", { x: x(v), y: H - 3, "text-anchor": "middle", "font-size": 9, fill: "#5b6572" });
    t.textContent = short(v);
    s.append(t);
  }
  if (rows) {
    g.answers.forEach((a, i) => {
      const y = 6 + i * step;
      const colour = a.own ? "#c2410c" : "#1f6fb4";
      if (a.low !== null && a.high !== null) {
        s.append(svg("line", { x1: x(a.low), x2: x(a.high), y1: y, y2: y, stroke: colour, "stroke-width": a.own ? 2 : 1, opacity: a.own ? 1 : 0.55 }));
      }
      s.append(svg("circle", { cx: x(a.value), cy: y, r: a.own ? 3.5 : 2.2, fill: colour }));
    });
  } else {
    const bins = 20;
    const width = (hi - lo) / bins || 1;
    const counts = new Array(bins).fill(0);
    for (const a of g.answers) counts[Math.min(bins - 1, Math.floor((a.value - lo) / width))] += 1;
    const top = Math.max(...counts);
    counts.forEach((n, k) => {
      if (!n) return;
      const h = (n / top) * (plot - 14);
      s.append(svg("rect", { x: x(lo + k * width) + 0.5, width: Math.max(1, x(lo + width) - x(lo) - 1), y: axis - h, height: h, fill: "#1f6fb4", opacity: 0.55 }));
    });
    if (own) {
      if (own.low !== null && own.high !== null) {
        s.append(svg("line", { x1: x(own.low), x2: x(own.high), y1: 5, y2: 5, stroke: "#c2410c", "stroke-width": 2 }));
      }
      s.append(svg("circle", { cx: x(own.value), cy: 5, r: 3.5, fill: "#c2410c" }));
    }
  }
  s.append(svg("line", { x1: x(g.median), x2: x(g.median), y1: 2, y2: axis, stroke: "#1b1f24", "stroke-dasharray": "3 2" }));
  return s;
}

