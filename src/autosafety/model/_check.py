"""Cross-reference checks a schema cannot express: ids, scales, intervals, completeness."""

from __future__ import annotations

from collections import Counter

from .._errors import Problem
from ._spec import ModelSpec, Scale


def factor_scale(spec: ModelSpec, factor_id: str) -> Scale:
    """The rating scale of a factor (its own, else the model's)."""
    for f in spec.factors:
        if f.id == factor_id:
            return f.scale or spec.scale
    return spec.scale


def _duplicates(kind: str, ids: list[str], where: str) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for i, id_ in enumerate(ids):
        if id_ in seen:
            problems.append(Problem(f"{where}[{i}].id", f"duplicate {kind} id '{id_}' "
                                    f"(first at {where}[{seen[id_]}])", f"give each {kind} a unique id"))
        else:
            seen[id_] = i
    return problems


def check_spec(spec: ModelSpec, *, origin: str = "model") -> list[Problem]:
    """Every cross-reference problem in ``spec``, each located by field path under ``origin``."""
    p: list[Problem] = []
    at = (lambda path: f"{origin}: {path}") if origin else (lambda path: path)
    if not spec.factors:
        p.append(Problem(at("factors"), "the model has no factors", "add at least one factor"))
    if not spec.areas:
        p.append(Problem(at("areas"), "the model has no areas", "add at least one area"))
    if spec.factors and not any(f.weight > 0 for f in spec.factors):
        p.append(Problem(at("factors"), "all factor weights are zero", "give some factor a weight > 0"))
    for kind, items, where in (("factor", spec.factors, "factors"), ("area", spec.areas, "areas"),
                               ("rater", spec.raters, "raters"), ("group", spec.groups, "groups")):
        p += [Problem(at(x.location), x.message, x.fix)
              for x in _duplicates(kind, [x.id for x in items], where)]
    groups = {g.id for g in spec.groups}
    for i, rater in enumerate(spec.raters):
        if rater.group is not None and rater.group not in groups:
            p.append(Problem(at(f"raters[{i}].group"), f"unknown group '{rater.group}'",
                             f"declare it under groups or use one of: {sorted(groups) or 'none'}"))
    for i, c in enumerate(spec.categories):
        if c not in {a.category for a in spec.areas}:
            p.append(Problem(at(f"categories[{i}]"), f"category '{c}' has no areas",
                             "remove it or assign an area to it"))
    factors = {f.id: f for f in spec.factors}
    areas = {a.id for a in spec.areas}
    raters = {r.id for r in spec.raters}
    keys: Counter[tuple[str, str, str]] = Counter()
    for i, r in enumerate(spec.ratings):
        loc = f"ratings[{i}]"
        for field, known, kind in (("area", areas, "area"), ("factor", set(factors), "factor"),
                                   ("rater", raters, "rater")):
            value = getattr(r, field)
            if value not in known:
                p.append(Problem(at(f"{loc}.{field}"), f"unknown {kind} '{value}'",
                                 f"use one of: {', '.join(sorted(known)) or 'none declared'}"))
        keys[(r.area, r.factor, r.rater)] += 1
        if keys[(r.area, r.factor, r.rater)] == 2:
            p.append(Problem(at(loc), f"second rating of ({r.area}, {r.factor}) by '{r.rater}'",
                             "keep one rating per area, factor and rater"))
        if r.factor not in factors:
            continue
        s = factor_scale(spec, r.factor)
        for field in ("value", "low", "high"):
            v = getattr(r, field)
            if v is not None and not (s.min <= v <= s.max):
                p.append(Problem(at(f"{loc}.{field}"), f"{v:g} is outside the scale "
                                 f"{s.min:g}-{s.max:g} of factor '{r.factor}'",
                                 f"use a value between {s.min:g} and {s.max:g}"))
        if (r.low is None) != (r.high is None):
            p.append(Problem(at(loc), "an interval needs both low and high", "give both or neither"))
        elif r.low is not None and r.high is not None:
            if r.low > r.high:
                p.append(Problem(at(loc), f"low ({r.low:g}) is above high ({r.high:g})",
                                 "swap them"))
            elif not (r.low <= r.value <= r.high):
                p.append(Problem(at(f"{loc}.value"), f"value {r.value:g} lies outside its interval "
                                 f"[{r.low:g}, {r.high:g}]", "widen the interval"))
            if r.credibility is None:
                p.append(Problem(at(f"{loc}.credibility"), "an interval needs its credibility",
                                 "say how likely the value lies inside it, e.g. 0.8"))
    rated = {(a, f) for a, f, _ in keys}
    missing = [(a.id, f.id) for a in spec.areas for f in spec.factors if (a.id, f.id) not in rated]
    for a_id, f_id in missing[:20]:
        p.append(Problem(at("ratings"), f"area '{a_id}' has no rating on factor '{f_id}'",
                         "add a rating for it"))
    if len(missing) > 20:
        p.append(Problem(at("ratings"), f"... and {len(missing) - 20} more unrated cells",
                         "rate every area on every factor"))
    if spec.stated_ranking is not None:
        order = spec.stated_ranking.order
        for i, a in enumerate(order):
            if a not in areas:
                p.append(Problem(at(f"stated_ranking.order[{i}]"), f"unknown area '{a}'",
                                 f"use one of: {', '.join(sorted(areas))}"))
        for a, n in Counter(order).items():
            if n > 1:
                p.append(Problem(at("stated_ranking.order"), f"area '{a}' is listed {n} times",
                                 "list each area once"))
    return p
