"""Cross-reference checks a schema cannot express: ids, scales, intervals, completeness."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from difflib import get_close_matches

from .._errors import Problem
from ._spec import ModelSpec, Rating, Scale


def suggest(value: str, known: Collection[str], *, listing: bool = True) -> str:
    """The fix for an unknown id: "did you mean 'x'?" for a near miss, else (with ``listing``)
    the known ids (the first 12, then a count)."""
    close = get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if not listing:
        return ""
    names = sorted(known)
    more = f" and {len(names) - 12} more" if len(names) > 12 else ""
    return f"use one of: {', '.join(names[:12]) or 'none declared'}{more}"


def factor_scale(spec: ModelSpec, factor_id: str) -> Scale:
    """The rating scale of a factor (its own, else the model's)."""
    for f in spec.factors:
        if f.id == factor_id:
            return f.scale or spec.scale
    return spec.scale


def off_scale(spec: ModelSpec, r: Rating) -> list[tuple[str, str, str]]:
    """(field, message, fix) for each of a rating's value, low and high off its factor's scale."""
    s = factor_scale(spec, r.factor)
    return [(field, f"{v:g} is outside the scale {s.min:g}-{s.max:g} of factor '{r.factor}'",
             f"use a value between {s.min:g} and {s.max:g}")
            for field in ("value", "low", "high")
            if (v := getattr(r, field)) is not None and not (s.min <= v <= s.max)]

def _duplicates(kind: str, ids: list[str | None], where: str) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for i, id_ in enumerate(ids):
        if id_ is None:  # an item the schema refused (see _salvage)
            continue
        if id_ in seen:
            problems.append(Problem(f"{where}[{i}].id", f"duplicate {kind} id '{id_}' "
                                    f"(first at {where}[{seen[id_]}])", f"give each {kind} a unique id"))
        else:
            seen[id_] = i
    return problems


def check_spec(spec: ModelSpec, *, origin: str = "model") -> list[Problem]:
    """Every cross-reference problem in ``spec``, each located by field path under ``origin``.

    ``spec`` may be one :func:`._salvage.salvage` built from a file the schema refused: a field
    it could not read is None, and the checks that need it are skipped."""
    p: list[Problem] = []
    at = (lambda path: f"{origin}: {path}") if origin else (lambda path: path)
    if not spec.factors:
        p.append(Problem(at("factors"), "the model has no factors", "add at least one factor"))
    if not spec.areas:
        p.append(Problem(at("areas"), "the model has no areas", "add at least one area"))
    if spec.factors and not any(f.weight is not None and f.weight > 0 for f in spec.factors):
        p.append(Problem(at("factors"), "all factor weights are zero", "give some factor a weight > 0"))
    for kind, items, where in (("factor", spec.factors, "factors"), ("area", spec.areas, "areas"),
                               ("rater", spec.raters, "raters"), ("group", spec.groups, "groups")):
        p += [Problem(at(x.location), x.message, x.fix)
              for x in _duplicates(kind, [x.id for x in items], where)]
    groups = {g.id for g in spec.groups if g.id is not None}
    for i, rater in enumerate(spec.raters):
        if rater.group is not None and rater.group not in groups:
            p.append(Problem(at(f"raters[{i}].group"), f"unknown group '{rater.group}'",
                             suggest(rater.group, groups, listing=False)
                             or f"declare it under groups or use one of: {sorted(groups) or 'none'}"))
    typos = _misspelt_categories(spec)
    used = {a.category for a in spec.areas}
    for i, c in enumerate(spec.categories):
        if c is not None and c not in used and c not in typos.values():  # else said at the area
            p.append(Problem(at(f"categories[{i}]"), f"category '{c}' has no areas",
                             "remove it or assign an area to it"))
    declared = any(c is not None for c in spec.categories)
    counts = Counter(a.category for a in spec.areas)
    for i, area in enumerate(spec.areas):
        if area.category in typos:
            right, wrong = typos[area.category], area.category
            why = ("not among the declared categories" if declared
                   else f"{counts[right]} areas use '{right}'")
            p.append(Problem(
                at(f"areas[{i}].category"), f"category '{wrong}' looks misspelt ({why})",
                f"did you mean '{right}'? If '{wrong}' is meant, list it under categories"))
    factors = {f.id: f for f in spec.factors if f.id is not None}
    areas = {a.id for a in spec.areas if a.id is not None}
    raters = {r.id for r in spec.raters if r.id is not None}
    keys: Counter[tuple[str, str, str]] = Counter()
    for i, r in enumerate(spec.ratings):
        loc = f"ratings[{i}]"
        for field, known, kind in (("area", areas, "area"), ("factor", set(factors), "factor"),
                                   ("rater", raters, "rater")):
            value = getattr(r, field)
            if value is not None and value not in known:
                p.append(Problem(at(f"{loc}.{field}"), f"unknown {kind} '{value}'",
                                 suggest(value, known)))
        keys[(r.area, r.factor, r.rater)] += 1
        if None not in (r.area, r.factor, r.rater) and keys[(r.area, r.factor, r.rater)] == 2:
            p.append(Problem(at(loc), f"second rating of ({r.area}, {r.factor}) by '{r.rater}'",
                             "keep one rating per area, factor and rater"))
        if r.factor is None or r.factor not in factors:
            continue
        p += [Problem(at(f"{loc}.{field}"), message, fix)
              for field, message, fix in off_scale(spec, r)]
        if (r.low is None) != (r.high is None):
            p.append(Problem(at(loc), "an interval needs both low and high", "give both or neither"))
        elif r.low is not None and r.high is not None:
            if r.low > r.high:
                p.append(Problem(at(loc), f"low ({r.low:g}) is above high ({r.high:g})",
                                 "swap them"))
            elif r.value is not None and not (r.low <= r.value <= r.high):
                p.append(Problem(at(f"{loc}.value"), f"value {r.value:g} lies outside its interval "
                                 f"[{r.low:g}, {r.high:g}]", "widen the interval"))
            if r.credibility is None:
                p.append(Problem(at(f"{loc}.credibility"), "an interval needs its credibility",
                                 "say how likely the value lies inside it, e.g. 0.8"))
    weightless = _weightless_cells(spec)
    if weightless:
        (loc, _), cells = weightless[0], [f"({a}, {f})" for _, (a, f) in weightless]
        named = ", ".join(cells[:3]) + (f" and {len(cells) - 3} more" if len(cells) > 3 else "")
        p.append(Problem(at(loc), f"every rater of {named} weighs 0: no pooled rating",
                         "give one of their raters (or its group) a weight above 0, or drop "
                         "those ratings"))
    rated = {(a, f) for a, f, _ in keys}
    missing = [(a.id, f.id) for a in spec.areas for f in spec.factors
               if a.id is not None and f.id is not None and (a.id, f.id) not in rated]
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
                                 suggest(a, areas)))
        for a, n in Counter(order).items():
            if n > 1:
                p.append(Problem(at("stated_ranking.order"), f"area '{a}' is listed {n} times",
                                 "list each area once"))
    return p


def _weightless_cells(spec: ModelSpec) -> list[tuple[str, tuple[str, str]]]:
    """Rated cells whose raters all weigh nothing (an ungrouped rater's weight, or a grouped
    rater's weight or its group's, is 0), each with the location of its first rating: pooling
    would give them a rating of 0, off every scale."""
    group_weight = {g.id: g.weight for g in spec.groups}
    weight: dict[str, float] = {}
    for rater in spec.raters:
        if rater.id is not None and rater.weight is not None:
            outer = group_weight.get(rater.group) if rater.group is not None else 1.0
            weight[rater.id] = rater.weight * outer if outer is not None else 1.0
    first: dict[tuple[str, str], int] = {}
    weighs: dict[tuple[str, str], bool] = {}
    for i, r in enumerate(spec.ratings):
        if r.area is None or r.factor is None or r.rater not in weight:
            continue
        cell = (r.area, r.factor)
        first.setdefault(cell, i)
        weighs[cell] = weighs.get(cell, False) or weight[r.rater] > 0
    return [(f"ratings[{first[c]}]", c) for c, w in weighs.items() if not w]


def _misspelt_categories(spec: ModelSpec) -> dict[str, str]:
    """Categories of areas that look misspelt, each with the one it likely means: a category
    missing from the declared ``categories`` but close to one of them; or, when none are
    declared, one close to a category more areas use (the typo is the rarer spelling)."""
    counts = Counter(a.category for a in spec.areas if a.category)
    declared = [c for c in spec.categories if c is not None]
    typos: dict[str, str] = {}
    for c in counts:
        if declared:
            close = [] if c in declared else get_close_matches(c, declared, n=1, cutoff=0.8)
        else:
            close = get_close_matches(c, [d for d in counts if counts[d] > counts[c]], n=1,
                                      cutoff=0.8)
        if close:
            typos[c] = close[0]
    return typos
