"""The Model: an immutable, validated spec with its arrays (areas x factors x raters) cached."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from .._errors import InputError, Problem
from . import _core
from ._check import check_spec, factor_scale
from ._result import ScoreResult
from ._spec import Area, Factor, ModelSpec, Rater, RaterGroup, Rating


class Model:
    """A weighted multi-factor model of research areas, validated and ready to score.

    Build one with :func:`autosafety.load_model` or ``Model(spec)``; it never changes, and every
    ``with_*`` method returns a new model.
    """

    def __init__(self, spec: ModelSpec, *, origin: str = "model"):
        problems = check_spec(spec, origin=origin)
        if problems:
            raise InputError(problems, title=f"{origin} is not a valid model")
        self.spec = spec
        self.origin = origin

    # -- identity -----------------------------------------------------------------------------
    @property
    def id(self) -> str:
        """The model's id."""
        return self.spec.id

    @property
    def name(self) -> str:
        """The model's title (its id if it has none)."""
        return self.spec.name or self.spec.id

    @property
    def factors(self) -> list[Factor]:
        """Factors in file order."""
        return list(self.spec.factors)

    @property
    def areas(self) -> list[Area]:
        """Areas in file order."""
        return list(self.spec.areas)

    @property
    def raters(self) -> list[Rater]:
        """Raters in file order."""
        return list(self.spec.raters)

    @cached_property
    def factor_ids(self) -> list[str]:
        """Factor ids in file order."""
        return [f.id for f in self.spec.factors]

    @cached_property
    def _factor_position(self) -> dict[str, int]:
        return {f: j for j, f in enumerate(self.factor_ids)}

    @cached_property
    def area_ids(self) -> list[str]:
        """Area ids in file order."""
        return [a.id for a in self.spec.areas]

    @cached_property
    def rater_ids(self) -> list[str]:
        """Rater ids in file order."""
        return [r.id for r in self.spec.raters]

    @cached_property
    def categories(self) -> list[str]:
        """Categories: the declared order, then any others in order of first use."""
        cats = list(self.spec.categories)
        for a in self.spec.areas:
            if a.category not in cats:
                cats.append(a.category)
        return cats

    # -- arrays -------------------------------------------------------------------------------
    @cached_property
    def weights(self) -> NDArray[np.float64]:
        """Factor weights as given (not normalised), shape (F,); weights so huge (or tiny) that
        their sum could overflow are divided by the largest (scores depend only on ratios)."""
        return _core.rescaled(np.array([f.weight for f in self.spec.factors], dtype=float))

    @cached_property
    def category_index(self) -> NDArray[np.intp]:
        """Index into :attr:`categories` of each area, shape (A,)."""
        pos = {c: i for i, c in enumerate(self.categories)}
        return np.array([pos[a.category] for a in self.spec.areas], dtype=np.intp)

    @cached_property
    def category_members(self) -> list[list[int]]:
        """The area indices of each category, in :attr:`categories` order."""
        index = self.category_index.tolist()
        return [[i for i, c in enumerate(index) if c == k] for k in range(len(self.categories))]

    @cached_property
    def _scales(self) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
        lo = np.array([(f.scale or self.spec.scale).min for f in self.spec.factors])
        hi = np.array([(f.scale or self.spec.scale).max for f in self.spec.factors])
        return lo, hi, np.array([f.direction == "lower" for f in self.spec.factors])

    def orient(self, raw: NDArray[np.float64]) -> NDArray[np.float64]:
        """Raw ratings (..., F) on factor scales -> oriented ratings on the model's scale."""
        lo, hi, lower = self._scales
        return _core.orient(raw, low=lo, high=hi, lower_is_better=lower,
                            out_low=self.spec.scale.min, out_high=self.spec.scale.max)

    @cached_property
    def raw_ratings(self) -> NDArray[np.float64]:
        """Raw ratings, shape (A, F, K), NaN where a rater did not rate a cell."""
        a = {x: i for i, x in enumerate(self.area_ids)}
        f = {x: i for i, x in enumerate(self.factor_ids)}
        k = {x: i for i, x in enumerate(self.rater_ids)}
        cube = np.full((len(a), len(f), len(k)), np.nan)
        for r in self.spec.ratings:
            cube[a[r.area], f[r.factor], k[r.rater]] = r.value
        return cube

    @cached_property
    def ratings(self) -> NDArray[np.float64]:
        """Oriented ratings on the model's scale (higher = more amenable), shape (A, F, K)."""
        return np.moveaxis(self.orient(np.moveaxis(self.raw_ratings, 1, -1)), -1, 1)

    @cached_property
    def present(self) -> NDArray[np.bool_]:
        """Which (area, factor, rater) cells hold a rating, shape (A, F, K)."""
        return ~np.isnan(self.raw_ratings)

    @cached_property
    def sources(self) -> tuple[list[str], NDArray[np.float64], NDArray[np.intp], NDArray[np.float64]]:
        """(source ids, rater weight within source, source index of each rater, source weights).

        A top-level source is a rater group, or an ungrouped rater on its own.
        """
        ids: list[str] = []
        weights: list[float] = []
        index: list[int] = []
        within: list[float] = []
        group_weight = {g.id: g.weight for g in self.spec.groups}
        for r in self.spec.raters:
            key = f"group:{r.group}" if r.group else f"rater:{r.id}"
            if key not in ids:
                ids.append(key)
                weights.append(group_weight[r.group] if r.group else r.weight)
            index.append(ids.index(key))
            within.append(r.weight if r.group else 1.0)
        return ids, np.array(within), np.array(index, dtype=np.intp), np.array(weights)

    @cached_property
    def rater_weights(self) -> NDArray[np.float64]:
        """Effective weight of every rater in every cell, shape (A, F, K); each cell sums to 1."""
        _, within, index, source_weight = self.sources
        return _core.source_weights(self.present, within, index, source_weight)

    @cached_property
    def coverage(self) -> NDArray[np.float64]:
        """Share of raters who rated each cell, shape (A, F)."""
        k = max(len(self.rater_ids), 1)
        return self.present.sum(axis=-1) / k

    @cached_property
    def area_labels(self) -> list[tuple[str, str, str]]:
        """(id, display name (the id if it has none), category) of each area, in file order."""
        return [(a.id, a.name or a.id, a.category) for a in self.spec.areas]

    @cached_property
    def area_coverage(self) -> list[float]:
        """Mean share of raters who rated each area's cells, one float per area."""
        return [float(x) for x in self.coverage.mean(axis=1)]

    def pooled(self, method: _core.Pooling = "mean") -> NDArray[np.float64]:
        """Pooled oriented rating per cell (A, F): source-weighted mean (or weighted median)."""
        cache = self.__dict__.setdefault("_pooled", {})
        if method not in cache:
            pooled = _core.pool(self.ratings, self.rater_weights, method=method)
            pooled.setflags(write=False)
            cache[method] = pooled
        return cache[method]

    # -- scoring ------------------------------------------------------------------------------
    def score(self, *, weights: Mapping[str, float] | None = None,
              ratings: Mapping[tuple[str, str], float] | None = None,
              pooling: _core.Pooling = "mean") -> ScoreResult:
        """Score every area, optionally overriding factor weights or pooled (area, factor) ratings.

        ``weights`` maps factor id -> weight; ``ratings`` maps (area id, factor id) -> a raw rating on
        the factor's scale, which replaces the pooled rating of that cell.
        """
        w = self.override_weights(weights or {})
        pooled = self.pooled(pooling)
        if ratings:
            pooled = self.override_ratings(pooled, ratings)
        scores = _core.weighted_scores(pooled, w)
        return ScoreResult(model=self, weights=w, pooled=pooled, scores=scores, pooling=pooling,
                           overrides={"weights": dict(weights or {}),
                                      "ratings": {f"{a}:{f}": v for (a, f), v in
                                                  (ratings or {}).items()}})

    def override_weights(self, weights: Mapping[str, float]) -> NDArray[np.float64]:
        """The weight vector with overrides applied; every problem raises one InputError."""
        if not weights:
            return self.weights
        w = self.weights.copy()
        problems = []
        for fid, value in weights.items():
            j = self._factor_position.get(fid)
            if j is None:
                problems.append(Problem(f"weight {fid}", f"unknown factor '{fid}'",
                                        f"use one of: {', '.join(self.factor_ids)}"))
            elif not math.isfinite(value) or value < 0:
                problems.append(Problem(f"weight {fid}",
                                        f"weight must be a finite number >= 0, got {value}",
                                        "give a non-negative weight"))
            else:
                w[j] = value
        if not problems and not any(w.tolist()):
            problems.append(Problem("weights", "all factor weights are zero",
                                    "give some factor a weight > 0"))
        if problems:
            raise InputError(problems, title="invalid weight override")
        return _core.rescaled(w)

    def override_ratings(self, pooled: NDArray[np.float64],
                         ratings: Mapping[tuple[str, str], float]) -> NDArray[np.float64]:
        """Pooled ratings (A, F) with some cells replaced by raw ratings on the factor's scale."""
        out = np.array(pooled, dtype=float, copy=True)
        problems = []
        for (aid, fid), value in ratings.items():
            loc = f"rating {aid}:{fid}"
            if aid not in self.area_ids:
                problems.append(Problem(loc, f"unknown area '{aid}'",
                                        f"use one of: {', '.join(self.area_ids)}"))
                continue
            if fid not in self.factor_ids:
                problems.append(Problem(loc, f"unknown factor '{fid}'",
                                        f"use one of: {', '.join(self.factor_ids)}"))
                continue
            s = factor_scale(self.spec, fid)
            if not math.isfinite(value) or not s.min <= value <= s.max:
                problems.append(Problem(loc, f"{value} is outside the scale {s.min:g}-{s.max:g}",
                                        f"use a value between {s.min:g} and {s.max:g}"))
                continue
            j = self.factor_ids.index(fid)
            raw = np.full(len(self.factor_ids), np.nan)
            raw[j] = value
            out[self.area_ids.index(aid), j] = self.orient(raw)[j]
        if problems:
            raise InputError(problems, title="invalid rating override")
        return out

    # -- derived models -----------------------------------------------------------------------
    def replace(self, **changes: object) -> Model:
        """A new model with top-level spec fields replaced (validated again)."""
        data = self.spec.model_dump()
        data.update(changes)
        return Model(ModelSpec.model_validate(data), origin=self.origin)

    def with_weights(self, weights: Mapping[str, float]) -> Model:
        """A new model whose factors carry the given weights."""
        w = self.override_weights(weights)
        factors = [f.model_copy(update={"weight": float(x)}) for f, x in zip(self.spec.factors, w)]
        return Model(self.spec.model_copy(update={"factors": factors}), origin=self.origin)

    def with_ratings(self, ratings: Iterable[Rating], *, raters: Iterable[Rater] = ()) -> Model:
        """A new model with ratings merged in: a rating for an existing (area, factor, rater)
        replaces it; new raters are added."""
        new = list(ratings)
        keys = {(r.area, r.factor, r.rater) for r in new}
        kept = [r for r in self.spec.ratings if (r.area, r.factor, r.rater) not in keys]
        known = set(self.rater_ids)
        added = [r for r in raters if r.id not in known]
        spec = self.spec.model_copy(update={"ratings": kept + new,
                                            "raters": [*self.spec.raters, *added]})
        return Model(spec, origin=self.origin)

    def __repr__(self) -> str:
        return (f"<Model {self.id!r}: {len(self.area_ids)} areas, {len(self.factor_ids)} factors, "
                f"{len(self.rater_ids)} raters, categories {self.categories}>")


def with_source_weights(model: Model, weights: dict[str, float]) -> Model:
    """Set source weights by rater id, group id, or rater kind (human / llm / other).

    A kind puts every ungrouped rater of that kind into one group named after the kind with the
    given weight, so ``{"human": 5, "llm": 3}`` pools the LLMs first and weighs them 3 against 5.
    """
    spec = model.spec
    raters, groups = list(spec.raters), list(spec.groups)
    problems = []
    for key, w in weights.items():
        if not math.isfinite(w) or w < 0:
            problems.append(Problem(f"source weight {key}", f"must be a finite number >= 0, got {w}",
                                    "give a non-negative weight"))
            continue
        if any(g.id == key for g in groups):
            groups = [g.model_copy(update={"weight": w}) if g.id == key else g for g in groups]
        elif any(r.id == key for r in raters):
            raters = [r.model_copy(update={"weight": w}) if r.id == key else r for r in raters]
        elif key in ("human", "llm", "other"):
            members = [r for r in raters if r.kind == key and r.group is None]
            if not members:
                problems.append(Problem(f"source weight {key}", f"no ungrouped {key} raters",
                                        "check the rater kinds with `autosafety show`"))
                continue
            groups.append(RaterGroup(id=key, weight=w, description=f"all {key} raters"))
            raters = [r.model_copy(update={"group": key}) if r in members else r for r in raters]
        else:
            problems.append(Problem(f"source weight {key}", "not a rater, group or rater kind",
                                    f"use one of: {', '.join(model.rater_ids)}, "
                                    "human, llm, other"))
    if problems:
        raise InputError(problems, title="invalid source weight")
    return Model(spec.model_copy(update={"raters": raters, "groups": groups}), origin=model.origin)


def merge_ratings(model: Model, ratings: Iterable[Rating]) -> Model:
    """Merge ratings (e.g. from a CSV) into a model; raters it does not know are added.

    A new rater is of kind 'llm' when its ratings' provenance names a model, else 'human'.
    """
    new = list(ratings)
    known = set(model.rater_ids)
    added: dict[str, Rater] = {}
    for r in new:
        if r.rater not in known and r.rater not in added:
            kind = "llm" if "model" in r.provenance else "human"
            added[r.rater] = Rater(id=r.rater, kind=kind, description="added from a ratings file")
    return model.with_ratings(new, raters=added.values())
