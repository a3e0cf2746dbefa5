"""Differences between two models: weights, pooled ratings, scores, ranks and category gaps."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

import numpy as np

from ..model import Model
from ..model._core import pool

_RAW_POOLED: WeakKeyDictionary[Model, dict[str, np.ndarray]] = WeakKeyDictionary()


def raw_pooled(model: Model, *, pooling: str = "mean") -> np.ndarray:
    """Pooled ratings per (area, factor) on each factor's own scale and direction, shape (A, F).

    Cached per model (models never change); the array is read-only.
    """
    cache = _RAW_POOLED.setdefault(model, {})
    if pooling not in cache:
        grid = pool(model.raw_ratings, model.rater_weights, method=pooling)  # type: ignore[arg-type]
        grid.setflags(write=False)
        cache[pooling] = grid
    return cache[pooling]


def compare_models(mine: Model, other: Model, *, pooling: str = "mean") -> dict[str, Any]:
    """What ``mine`` changes relative to ``other`` (e.g. the published model), matched by id.

    Lists changed factor weights, changed pooled cells (raw scale), added and removed factors and
    areas, and per area the score and rank in both; plus both category averages and gaps.
    """
    a_res = mine.score(pooling=pooling)  # type: ignore[arg-type]
    b_res = other.score(pooling=pooling)  # type: ignore[arg-type]
    a_cells, b_cells = raw_pooled(mine, pooling=pooling), raw_pooled(other, pooling=pooling)
    a_f, b_f = mine.factor_ids, other.factor_ids
    a_a, b_a = mine.area_ids, other.area_ids
    weights = [{"factor": f, "name": mine.factors[i].name or f, "mine": float(mine.weights[i]),
                "other": float(other.weights[b_f.index(f)])}
               for i, f in enumerate(a_f) if f in b_f
               and not np.isclose(mine.weights[i], other.weights[b_f.index(f)])]
    cells = []
    for i, aid in enumerate(a_a):
        if aid not in b_a:
            continue
        for j, fid in enumerate(a_f):
            if fid in b_f:
                x, y = a_cells[i, j], b_cells[b_a.index(aid), b_f.index(fid)]
                if not np.isclose(x, y):
                    cells.append({"area": aid, "factor": fid, "mine": float(x), "other": float(y)})
    b_index = {a: i for i, a in enumerate(b_a)}
    areas: list[dict[str, Any]] = []
    for i, area in enumerate(mine.areas):
        k = b_index.get(area.id)
        areas.append({"id": area.id, "name": area.name or area.id, "category": area.category,
                      "score": float(a_res.scores[i]), "rank": int(a_res.ranks[i]),
                      "other_score": None if k is None else float(b_res.scores[k]),
                      "other_rank": None if k is None else int(b_res.ranks[k])})
    areas.sort(key=lambda x: (x["rank"], x["id"]))
    return {
        "weights": weights, "cells": cells, "areas": areas,
        "factors_added": [f for f in a_f if f not in b_f],
        "factors_removed": [f for f in b_f if f not in a_f],
        "areas_added": [a for a in a_a if a not in b_a],
        "areas_removed": [a for a in b_a if a not in a_a],
        "categories": {"mine": a_res.category_scores, "other": b_res.category_scores},
        "gaps": {"mine": a_res.gaps, "other": b_res.gaps},
        "rank_changes": sum(1 for x in areas if x["other_rank"] not in (None, x["rank"])),
    }
