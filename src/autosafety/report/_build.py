"""The report's content: every section as plain data and Plotly figure dicts, computed by the same
functions the CLI calls (no I/O here)."""

from __future__ import annotations

import platform
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Model

Figure = dict[str, Any]


@dataclass
class Section:
    """One section of the report: a title, paragraphs, tables and figures."""

    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    """Each {"caption", "columns", "rows"} with rows of already formatted cells."""
    figures: list[tuple[str, Figure]] = field(default_factory=list)
    """(file stem, Plotly figure dict)."""


@dataclass
class ReportData:
    """What a report shows; keeps the model and settings that produced it."""

    model: Model
    command: str
    version: str
    settings: dict[str, Any]
    sections: list[Section]
    seconds: float


def _table(caption: str, columns: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    return {"caption": caption, "columns": columns, "rows": [[str(c) for c in r] for r in rows]}


def _inputs(m: Model) -> Section:
    s = m.spec
    sec = Section("inputs", "Inputs and provenance")
    if s.description:
        sec.paragraphs.append(s.description)
    if s.source:
        src = ", ".join(x for x in (s.source.author, s.source.title, s.source.date, s.source.url,
                                    s.source.note) if x)
        sec.paragraphs.append(f"Source: {src}.")
    if s.notes:
        sec.paragraphs.append(f"Notes: {s.notes}")
    total = sum(f.weight for f in s.factors)
    sec.tables.append(_table("Factors and weights", ["factor", "weight", "share", "scale", "higher is",
                                                     "citation"],
                             [[f.name or f.id, f"{f.weight:g}", f"{f.weight / total:.1%}",
                               f"{(f.scale or s.scale).min:g}-{(f.scale or s.scale).max:g}",
                               "more amenable" if f.direction == "higher" else "less amenable",
                               f.citation] for f in s.factors]))
    sec.tables.append(_table("Raters", ["rater", "kind", "weight", "group", "description"],
                             [[r.id, r.kind, f"{r.weight:g}", r.group or "", r.description]
                              for r in s.raters]))
    pooled = m.pooled()
    sec.tables.append(_table("Pooled ratings (higher = more amenable to automation)",
                             ["area", "category", *[f.name or f.id for f in s.factors]],
                             [[a.name or a.id, a.category, *[f"{v:.2f}" for v in pooled[i]]]
                              for i, a in enumerate(s.areas)]))
    return sec


def _scores(m: Model) -> Section:
    res = m.score()
    sec = Section("scores", "Scores")
    sec.paragraphs.append("score(area) = sum_f w_f r_af / sum_f w_f: the weighted mean of the pooled "
                          "ratings, higher = more amenable to a 10x AI speedup.")
    rows = [[res.ranks[i], m.areas[i].name or m.area_ids[i], m.areas[i].category, f"{res.scores[i]:.2f}"]
            for i in res.order()]
    rows += [["", f"{c} average", "", f"{v:.2f}"] for c, v in res.category_scores.items()]
    rows += [["", f"gap {k}", "", f"{v:+.2f}"] for k, v in res.gaps.items()]
    sec.tables.append(_table("Areas by score", ["rank", "area", "category", "score"], rows))
    return sec


def _uncertainty(m: Model, *, draws: int, seed: int) -> Section:
    from ..analysis import figures, leave_one_out, monte_carlo, tornado

    mc = monte_carlo(m, draws=draws, seed=seed, weight_concentration=50)
    sec = Section("uncertainty", "Uncertainty and sensitivity")
    sec.paragraphs.append(f"Monte Carlo: {mc.draws:,} draws, seed {seed}; every rating drawn with sd 0.1 of "
                          "its scale, weights from a Dirichlet with concentration 50 around the point "
                          "weights.")
    for g in mc.to_dict()["categories"]:
        sec.paragraphs.append(
            f"P({g['higher']} average > {g['lower']} average) = {g['p_higher_above']:.3f} "
            f"(se {g['se']:.3f}); the gap {g['gap']} has median {g['median']:+.2f}, 90% interval "
            f"{g['low']:+.2f} to {g['high']:+.2f}.")
    top = mc.p_top(3)
    order = sorted(range(len(m.area_ids)), key=lambda i: -top[i])
    sec.tables.append(_table("Rank acceptability", ["area", "P(rank 1)", "P(top 3)", "expected rank"],
                             [[m.areas[i].name or m.area_ids[i], f"{mc.rank_probabilities[i, 0]:.3f}",
                               f"{top[i]:.3f}",
                               f"{(mc.rank_probabilities[i] @ range(1, len(top) + 1)):.2f}"]
                              for i in order]))
    sec.figures.append(("ranks", figures.rank_heatmap(mc)))
    if len(m.categories) > 1:
        sec.figures.append(("gap", figures.gap_distribution(mc)))
        sec.figures.append(("tornado", figures.tornado(tornado(m))))
        rows = [c.to_row() for c in leave_one_out(m)]
        sec.tables.append(_table("Leave one factor out", ["variant", "gap", "conclusion holds", "top area"],
                                 [[r["variant"], f"{r['gap']:+.2f}", "yes" if r["conclusion_holds"] else "no",
                                   r["top_area"]] for r in rows]))
    return sec


def _flips(m: Model) -> Section | None:
    from ..analysis import flip_thresholds, smallest_change

    if len(m.categories) < 2:
        return None
    sec = Section("flips", "What would change the conclusion")
    sec.paragraphs += [r["statement"] for r in flip_thresholds(m).category_rows()]
    scores = m.score().category_scores
    hi, lo = sorted(list(scores)[:2], key=lambda c: -scores[c])
    for d in ("l1", "l2"):
        wc = smallest_change(m, kind="category", higher=hi, lower=lo, distance=d).to_dict()
        if wc["possible"]:
            moves = ", ".join(f"{k} {v:+.3f}" for k, v in wc["share_change"].items() if abs(v) > 5e-4)
            sec.paragraphs.append(f"Smallest change of all weights ({d.upper()}, shares of the total) that "
                                  f"brings {lo} level with {hi}: size {wc['size']:.3f} ({moves}).")
    return sec


def fmt(v: float | None) -> str:
    """A decimal year, or 'never' beyond the run."""
    return "never" if v is None else f"{v:.1f}"


def _timeline(m: Model, *, draws: int, seed: int) -> Section:
    from ..timeline import figures, simulate

    res = simulate(m, draws=draws, seed=seed)
    sec = Section("timeline", "Timeline: when does each area reach a 10x speedup?")
    sec.paragraphs.append(f"{res.draws:,} draws, seed {seed}, trend {res.trend_id}. {res.assumptions}")
    rows = []
    for r in sorted(res.rows, key=lambda r: (r["p50"] is None, r["p50"] or 0)):
        rows.append([r["name"], r["category"], fmt(r["p50"]), f"{fmt(r['p10'])}-{fmt(r['p90'])}",
                     f"{r['p_never']:.2f}", r["bottleneck_name"] or ""])
    sec.tables.append(_table("10x dates", ["area", "category", "median", "10-90%", "P(never)", "bottleneck"],
                             rows))
    stm = res.category_statements
    for x in res.categories:
        for y in res.categories:
            if x != y and f"p_all_{x}_before_median_{y}" in stm:
                sec.paragraphs.append(f"P(every {x} area reaches 10x before the median {y} area) = "
                                      f"{stm[f'p_all_{x}_before_median_{y}']:.3f}.")
    sec.figures += [("fan", figures.fan(res)), ("cdf", figures.cdf(res))]
    return sec


def _levers(m: Model, *, timeline: bool, draws: int, seed: int) -> list[Section]:
    from ..levers import rank_levers
    from ..levers._ratings import smallest_rating_change
    from ..levers._safer import figure as safer_figure
    from ..levers._safer import safer_bets
    from .figures import lever_bars

    ranking = rank_levers(m)
    d = ranking.to_dict()
    s, c = ranking.categories
    sec = Section("levers", "Levers: what would change the order")
    sec.paragraphs.append("The levers of the 004 post's section 'Levers for affecting the order', one unit "
                          "each (the sizes are autosafety's assumptions, stated with each lever). The "
                          "effect on the factor model is exact: scores are linear in the ratings.")
    if c:
        sec.paragraphs.append(f"Gap {c} - {s} now: {ranking.gap:+.3f}. Net = how much a lever closes it; "
                              f"a positive {c} change is a spill-over that speeds capabilities.")
    sec.tables.append(_table("Levers ranked by net effect on the gap (factor model)",
                             ["lever", "one unit", f"{s} change", f"{c} change", "net"],
                             [[r["name"], r["unit"], f"{r['safety']:+.3f}", f"{r['capabilities']:+.3f}",
                               f"{r['net']:+.3f}"] for r in d["levers"]]))
    sec.figures.append(("levers", lever_bars(ranking)))
    if timeline and c:
        from ..levers._timeline import timeline_effects

        tl = timeline_effects(m, draws=draws, seed=seed)
        sec.tables.append(_table(f"Levers on the timeline ({draws:,} draws, common random numbers)",
                                 ["lever", f"{s} earlier (months)", f"{c} later (months)", "net (months)",
                                  f"change of P(every {s} area before the median {c} area)"],
                                 [[e.lever.name, f"{e.safety_months:+.2f}", f"{e.capabilities_months:+.2f}",
                                   f"{e.net_months:+.2f}", f"{e.dp:+.4f}"] for e in tl.effects]))
    if c:
        for dist in ("l1", "l2"):
            rc = smallest_rating_change(m, distance=dist).to_dict()
            cells = ", ".join(f"{x['factor_name']} of {x['area_name']} {x['change']:+.2f}"
                              for x in rc["cells"][:5])
            more = f" and {len(rc['cells']) - 5} more" if len(rc["cells"]) > 5 else ""
            sec.paragraphs.append(f"Smallest change of {s} ratings ({dist.upper()}) that brings {s} level: "
                                  + (f"size {rc['size']:.2f} points: {cells}{more}." if rc["possible"]
                                     else "impossible within the scales."))
        sec.paragraphs += [p["sentence"] + "." for p in rc["per_factor"][:3]]
    out = [sec]
    sb = safer_bets(m, draws=min(draws, 20_000), seed=seed)
    safer = Section("safer-bets", f"Safer bets: robust top {sb.k} of the {sb.category} areas")
    safer.paragraphs.append(f"P(top {sb.k}) = automated first; a safer bet (seed 001) is robustly among the "
                            f"last {sb.k}. Robust: at least {sb.threshold:.0%} of {sb.mc.draws:,} draws.")
    safer.tables.append(_table("Robust top-k", ["area", "rank", f"P(top {sb.k})", f"P(last {sb.k})",
                                                "robust", "one rating away"],
                               [[r["name"], r["rank"], f"{r['p_top']:.3f}", f"{r['p_bottom']:.3f}",
                                 "top" if r["robust_top"] else "last" if r["robust_bottom"] else "",
                                 r["hinge"] + (" (single judgement)" if r["single_judgement"] else "")]
                                for r in sb.rows]))
    safer.figures.append(("safer-bets", safer_figure(sb)))
    out.append(safer)
    return out


def build(model: Model, *, timeline: bool = False, levers: bool = False, draws: int = 20_000,
          seed: int = 0, command: str = "") -> ReportData:
    """Every section of the report for ``model``."""
    from .. import __version__

    start = time.perf_counter()
    sections = [_inputs(model), _scores(model), _uncertainty(model, draws=draws, seed=seed)]
    flips = _flips(model)
    if flips:
        sections.append(flips)
    if timeline and len(model.categories) > 1:
        sections.append(_timeline(model, draws=draws, seed=seed))
    if levers:
        sections += _levers(model, timeline=timeline, draws=draws, seed=seed)
    settings = {"timeline": timeline, "levers": levers, "draws": draws, "seed": seed,
                "python": platform.python_version()}
    return ReportData(model, command or f"render_report({model.id!r}, timeline={timeline}, levers={levers}, "
                      f"draws={draws}, seed={seed})", __version__, settings, sections,
                      time.perf_counter() - start)
