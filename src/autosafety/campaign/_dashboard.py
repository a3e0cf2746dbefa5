"""The organiser's dashboard as pure functions of a campaign's model, raters, rounds and answers:
responses per rater and cell, scores pooled with the model's ratings against the published ones,
the most disagreed cells, Krippendorff's alpha per round, human vs reference agreement and the
change between rounds. No I/O."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..model import Model, Rating, merge_ratings, with_source_weights
from ._core import StoredAnswer, answers_to_ratings
from ._delphi import changes, spread, standing, values_by_cell

SOURCE_WEIGHTS = {"human": 5.0, "llm": 3.0, "other": 3.0}
"""Default source weights by rater kind: the 004 author's 5 (human) to 3 (the LLMs' mean). A built-in
model's published table is one rater of kind ``other`` that already mixes the two; it is weighed
like the LLMs, 3 against the campaign's experts' 5."""


def pooled_model(model: Model, answers: Sequence[StoredAnswer],
                 weights: Mapping[str, float] = SOURCE_WEIGHTS, *,
                 latest: Mapping[tuple[str, str, str], StoredAnswer]) -> Model:
    """The model with the campaign's standing answers merged in as human raters and source
    weights by kind (only for the kinds present), as `autosafety score --ratings --source-weight`
    does."""
    if not any(r.kind == "human" for r in model.spec.raters) and not any(
            g.id == "human" for g in model.spec.groups):
        # The experts then make up the 'human' source alone, where equal rater weights pool to
        # their mean per cell: one rater holding those means pools to the same numbers (the
        # mean of oriented values is the oriented mean) without a model of thousands of raters.
        ratings = _cell_means(latest.values())
    else:
        ratings = answers_to_ratings(answers)
    m = merge_ratings(model, ratings) if ratings else model
    kinds = {r.kind for r in m.spec.raters if r.group is None}
    use: dict[str, float] = {k: float(w) for k, w in weights.items() if k in kinds}
    return with_source_weights(m, use) if use else m


def _cell_means(latest: Iterable[StoredAnswer]) -> list[Rating]:
    """One rating per cell: the mean of the experts' latest values (one human rater), as
    :func:`answers_to_ratings` would give them one by one ('not my area' left out)."""
    cells: dict[tuple[str, str], list[float]] = {}
    campaign = None
    for s in latest:
        campaign = s.campaign_id
        if not s.answer.not_my_area and s.answer.value is not None:
            cells.setdefault((s.answer.area, s.answer.factor), []).append(s.answer.value)
    return [Rating(area=a, factor=f, rater=f"campaign-{campaign}/mean", value=float(np.mean(v)),
                   provenance={"kind": "human", "raters": len(v)}) for (a, f), v in cells.items()]


def scores(model: Model, answers: Sequence[StoredAnswer],
           weights: Mapping[str, float] = SOURCE_WEIGHTS, *,
           latest: Mapping[tuple[str, str, str], StoredAnswer]) -> dict[str, Any]:
    """Published (the model alone) and pooled (with the answers) score of every area and
    category, and the rater kinds the pooling weighs (``human`` always)."""
    pooled = pooled_model(model, answers, weights, latest=latest)
    pub, new = model.score(), pooled.score()
    areas = [{"id": a, "name": name, "category": cat, "published": float(p), "pooled": float(q),
              "change": float(q - p)}
             for (a, name, cat), p, q in zip(model.area_labels, pub.scores, new.scores)]
    cats = {c: {"published": pub.category_scores[c], "pooled": new.category_scores[c]}
            for c in model.categories}
    kinds = sorted({r.kind for r in pooled.raters} | {"human"})
    return {"weights": dict(weights), "kinds": kinds, "areas": areas, "categories": cats}


def interval_alpha(data: NDArray[np.float64]) -> float | None:
    """Krippendorff's alpha, interval metric, of a raters x units matrix (NaN = missing), in closed
    form; None when undefined (fewer than two pairable values, or no variation)."""
    present = ~np.isnan(data)
    m = present.sum(axis=0).astype(float)
    keep = m >= 2
    if keep.sum() == 0:
        return None
    v = np.where(present, data, 0.0)[:, keep]
    m = m[keep]
    t, q = v.sum(axis=0), (v**2).sum(axis=0)
    observed = float((2 * (m * q - t**2) / (m - 1)).sum())
    n = float(m.sum())
    expected = 2 * (n * float(q.sum()) - float(t.sum()) ** 2)
    if n < 2 or expected <= 1e-12 * max(1.0, n * float(q.sum())):
        return None
    return 1 - (n - 1) * observed / expected


def answer_cube(model: Model, stand: Mapping[tuple[str, str, str], StoredAnswer],
                raters: Sequence[str]) -> NDArray[np.float64]:
    """Oriented values (model scale, higher = more amenable), shape (areas, factors, raters)."""
    a = {x: i for i, x in enumerate(model.area_ids)}
    f = {x: i for i, x in enumerate(model.factor_ids)}
    k = {x: i for i, x in enumerate(raters)}
    raw = np.full((len(a), len(f), len(k)), np.nan)
    for (who, area, factor), s in stand.items():
        if s.answer.value is not None and not s.answer.not_my_area and area in a and factor in f:
            raw[a[area], f[factor], k[who]] = s.answer.value
    return np.moveaxis(model.orient(np.moveaxis(raw, 1, -1)), -1, 1)


def round_alpha(model: Model, answers: Sequence[StoredAnswer], round: int, raters: Sequence[str], *,
                stand: Mapping[tuple[str, str, str], StoredAnswer] | None = None) -> dict[str, Any]:
    """Alpha (interval) among the campaign's raters over the cells, on the answers standing at the
    end of ``round``."""
    cube = answer_cube(model, standing(answers, round) if stand is None else stand, raters)
    data = cube.reshape(-1, cube.shape[-1]).T
    units = int(((~np.isnan(data)).sum(axis=0) >= 2).sum())
    answered = int((~np.isnan(data)).any(axis=1).sum())
    return {"round": round, "alpha": interval_alpha(data), "units": units, "raters": answered}


def human_vs_reference(model: Model, raters: Sequence[str], *,
                       latest: Mapping[tuple[str, str, str], StoredAnswer]) -> dict[str, Any]:
    """The campaign's experts (their mean per cell) against the model's LLM raters' mean per
    cell, or, without LLM raters, against the model's existing ratings: alpha between the two
    pools over the cells both rated, and their mean absolute difference (model scale)."""
    cube = answer_cube(model, latest, raters)
    kinds = {r.id: r.kind for r in model.raters}
    llm = [j for j, rid in enumerate(model.rater_ids) if kinds[rid] == "llm"]
    cols = llm or list(range(len(model.rater_ids)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # cells nobody rated: NaN, as wanted
        human = np.nanmean(cube, axis=-1) if cube.shape[-1] else np.full(cube.shape[:2], np.nan)
        ref = np.nanmean(model.ratings[:, :, cols], axis=-1) if cols else np.full_like(human, np.nan)
    both = ~np.isnan(human) & ~np.isnan(ref)
    pair = np.stack([np.where(both, human, np.nan).ravel(), np.where(both, ref, np.nan).ravel()])
    mad = float(np.abs(human - ref)[both].mean()) if both.any() else None
    return {"reference": "llm" if llm else "published",
            "reference_raters": [model.rater_ids[j] for j in cols], "cells": int(both.sum()),
            "alpha": interval_alpha(pair), "mean_abs_difference": mad}


def _name_maps(model: Model) -> tuple[dict[str, str], dict[str, str]]:
    return ({a.id: a.name or a.id for a in model.spec.areas},
            {f.id: f.name or f.id for f in model.spec.factors})


def dashboard(model: Model, info: Any, raters: Sequence[Any], answers: Sequence[StoredAnswer], *,
              weights: Mapping[str, float] = SOURCE_WEIGHTS, top: int = 10) -> dict[str, Any]:
    """Everything the organiser's page shows, as plain data (``info`` a CampaignInfo, ``raters``
    RaterInfo)."""
    areas, factors = _name_maps(model)
    current = info.current.number
    names = [r.pseudonym for r in raters]
    cells = list(dict.fromkeys(c for r in raters for c in r.cells))
    total = sum(len(r.cells) for r in raters)
    now = [s for s in answers if s.round == current]
    by_rater: dict[str, list[StoredAnswer]] = {}
    now_by_cell: dict[tuple[str, str], list[StoredAnswer]] = {}
    for s in now:
        by_rater.setdefault(s.rater, []).append(s)
        now_by_cell.setdefault((s.answer.area, s.answer.factor), []).append(s)
    per_rater = []
    for r in raters:
        mine = by_rater.get(r.pseudonym, [])
        per_rater.append({"pseudonym": r.pseudonym, "display_name": r.display_name,
                          "answered": len(mine), "cells": len(r.cells),
                          "not_my_area": sum(s.answer.not_my_area for s in mine),
                          "last_saved": max((s.time for s in mine), default=None)})
    stand = standing(answers, current)
    by_cell = values_by_cell(stand.values())
    per_cell: list[dict[str, Any]] = []
    for c in cells:
        here = now_by_cell.get(c, [])
        vals = [float(s.answer.value) for s in by_cell.get(c, []) if s.answer.value is not None]
        per_cell.append({"area": c[0], "area_name": areas.get(c[0], c[0]), "factor": c[1],
                         "factor_name": factors.get(c[1], c[1]), "responses": len(here),
                         "not_my_area": sum(s.answer.not_my_area for s in here),
                         "values": len(vals), **spread(vals)})
    ranked = sorted((c for c in per_cell if c["sd"] is not None),
                    key=lambda c: (-c["iqr"], -c["sd"], c["area"], c["factor"]))
    score = scores(model, answers, weights, latest=stand)
    alphas = [round_alpha(model, answers, r.number, names, stand=stand if r.number == current else None)
              for r in info.rounds]
    moves = [{"before": r - 1, "after": r, "cells": [
        {**x, "area_name": areas.get(x["area"], x["area"]),
         "factor_name": factors.get(x["factor"], x["factor"])}
        for x in changes(answers, before=r - 1, after=r, cells=cells)]}
        for r in range(2, current + 1)]
    answered = len(now)
    return {
        "campaign": {"id": info.id, "name": info.name, "model": info.model_ref,
                     "model_name": model.name, "created": info.created,
                     "rounds_planned": info.rounds_planned, "round": current,
                     "open": info.current.closed is None,
                     "rounds": [{"number": r.number, "opened": r.opened, "closed": r.closed}
                                for r in info.rounds]},
        "headline": headline(info, answered, total, per_rater, score),
        "progress": {"answered": answered, "total": total,
                     "raters_started": sum(1 for r in per_rater if r["answered"]),
                     "raters": len(per_rater)},
        "raters": per_rater, "cells": per_cell, "disagreement": ranked[:top], "scores": score,
        "alpha": alphas, "human_vs_reference": human_vs_reference(model, names, latest=stand),
        "changes": moves,
    }


def headline(info: Any, answered: int, total: int, per_rater: Sequence[dict[str, Any]],
             score: dict[str, Any]) -> str:
    """The answer first: responses so far in this round, and how far pooling moves the scores."""
    r = info.current
    state = "open" if r.closed is None else "closed"
    share = f" ({answered / total:.0%})" if total else ""
    started = sum(1 for x in per_rater if x["answered"])
    text = (f"Round {r.number} of {info.rounds_planned} is {state}: {answered:,} of {total:,} answers"
            f"{share} from {started} of {len(per_rater)} raters.")
    moved = max(score["areas"], key=lambda a: abs(a["change"]), default=None)
    if moved is None or math.isclose(moved["change"], 0, abs_tol=5e-3):
        return text + " Pooled scores equal the published ones so far."
    cats = score["categories"]
    if len(cats) == 2:
        (a, va), (b, vb) = sorted(cats.items(), key=lambda kv: -kv[1]["published"])
        gap = (f"the gap between the {a} and {b} averages goes from {va['published'] - vb['published']:.2f} "
               f"(published) to {va['pooled'] - vb['pooled']:.2f} (pooled).")
    else:
        gap = "the category averages go (published → pooled): " + ", ".join(
            f"{c} {v['published']:.2f} → {v['pooled']:.2f}" for c, v in cats.items()) + "."
    return (text + f" Pooled with the model's ratings, {gap} {moved['name']} moves most: "
            f"{moved['published']:.2f} → {moved['pooled']:.2f}.")
