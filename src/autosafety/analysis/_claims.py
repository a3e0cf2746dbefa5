"""Claims a post makes, checked: the point verdict, the Monte Carlo probability, the nearest flip.

Claims: ``X > Y`` / ``X above Y`` (two categories or two areas; also ``<`` / ``below``) and
``A in top K``. Names may be ids or display names, any case.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from .._defaults import DRAWS, RATING_NOISE, WEIGHT_CONCENTRATION
from .._errors import InputError, Problem
from ..model import _core
from ._distance import smallest_change
from ._flips import flip_thresholds

if TYPE_CHECKING:
    from ..model import Model
    from ._montecarlo import MonteCarloResult

Array = NDArray[np.float64]
_TOPK = re.compile(r"^(?P<a>.+?)\s+(?:is\s+)?(?:in\s+)?(?:the\s+)?top[\s-]*(?P<k>\d+)$", re.I)
_ORDER = re.compile(r"^(?P<x>.+?)\s*(?P<op>>|<|\b(?:scores|ranks|comes)?\s*(?:above|below|before|"
                    r"after|higher than|lower than)\b)\s*(?P<y>.+)$", re.I)


@dataclass(frozen=True)
class Claim:
    """A parsed claim: 'higher' above 'lower' (categories or areas), or 'area' in the top k."""

    text: str
    kind: Literal["category", "areas", "top"]
    higher: str
    lower: str = ""
    k: int = 0

    def describe(self) -> str:
        """The claim in canonical words."""
        if self.kind == "top":
            return f"{self.higher} is in the top {self.k}"
        what = "the average of " if self.kind == "category" else ""
        return f"{what}{self.higher} scores above {what}{self.lower}"


def _resolve(model: Model, name: str) -> tuple[str, str] | None:
    key = name.strip().strip("'\"").lower()
    for c in model.categories:
        if c.lower() == key:
            return "category", c
    for a in model.areas:
        if key in (a.id.lower(), (a.name or a.id).lower()):
            return "areas", a.id
    return None


def parse_claim(model: Model, text: str) -> Claim:
    """Parse claim text against the model's categories and areas; bad claims raise InputError."""
    names = f"categories: {', '.join(model.categories)}; areas: {', '.join(model.area_ids)}"
    m = _TOPK.match(text.strip())
    if m:
        got = _resolve(model, m["a"])
        k = int(m["k"])
        if got is None or got[0] != "areas":
            raise InputError(Problem(f"claim '{text}'", f"'{m['a']}' is not an area", f"use {names}"))
        if not 1 <= k <= len(model.area_ids):
            raise InputError(Problem(f"claim '{text}'", f"top {k} is out of range",
                                     f"use 1 to {len(model.area_ids)}"))
        return Claim(text, "top", got[1], k=k)
    m = _ORDER.match(text.strip())
    if not m:
        raise InputError(Problem(f"claim '{text}'", "not a claim I can check",
                                 "write 'X > Y', 'X above Y' or 'AREA in top K'"))
    x, y = _resolve(model, m["x"]), _resolve(model, m["y"])
    problems = [Problem(f"claim '{text}'", f"unknown name '{n}'", f"use {names}")
                for n, got in ((m["x"], x), (m["y"], y)) if got is None]
    if problems:
        raise InputError(problems, title="invalid claim")
    assert x is not None and y is not None
    if x[0] != y[0]:
        raise InputError(Problem(f"claim '{text}'", "compares a category with an area",
                                 "compare two categories or two areas"))
    if x[1] == y[1]:
        raise InputError(Problem(f"claim '{text}'", "compares a name with itself",
                                 "name two different categories or areas"))
    low_first = m["op"].strip().lower() in ("<",) or any(
        w in m["op"].lower() for w in ("below", "after", "lower"))
    hi, lo = (y[1], x[1]) if low_first else (x[1], y[1])
    return Claim(text, x[0], hi, lo)  # type: ignore[arg-type]


def _topk_flip(model: Model, w: Array, r: Array, area: int, k: int) -> dict[str, Any] | None:
    """Nearest single-weight value at which 'area in top k' changes, over all factors.

    Moving weight j alone, the area's rank can only change where it swaps with another area: at
    that pair's exact flip threshold (the "cuts"). Between two consecutive cuts the rank is
    constant, so one probe per interval (its midpoint, plus one beyond the last cut and one below
    the first unless that cut is 0: weights are not negative) tells the status on each interval;
    the answer is the cut bounding the nearest interval whose status differs from now, reached by
    raising the weight if that interval lies above it and lowering it if below (which also holds
    when the weight sits on a cut).
    """
    pair = flip_thresholds(model, weights=w, ratings=r).pair_thresholds[:, area, :]  # (F, A)
    best: dict[str, Any] | None = None
    now = bool(_core.ranks(_core.weighted_scores(r, w))[area] <= k)
    for j, fid in enumerate(model.factor_ids):
        cuts = np.unique(pair[j][~np.isnan(pair[j])])
        if cuts.size == 0:
            continue
        probes = np.r_[(cuts[:-1] + cuts[1:]) / 2, cuts[-1] * 1.5 + 1.0,
                       [cuts[0] / 2] if cuts[0] > 0 else []]
        ws = np.broadcast_to(w, (probes.size, w.size)).copy()
        ws[:, j] = probes
        ok = ws.sum(axis=1) > 0
        status = _core.ranks(_core.weighted_scores(r, ws[ok]))[:, area] <= k
        changed = probes[ok][status != now]
        if changed.size == 0:
            continue
        # the status flips at the cut bounding the nearest changed interval on each side
        options = []
        right, left = changed[changed > w[j]], changed[changed < w[j]]
        if right.size:
            options.append((float(cuts[cuts < right.min()].max()), "rise"))
        if left.size:
            options.append((float(cuts[cuts > left.max()].min()), "fall"))
        t, verb = min(options, key=lambda o: abs(o[0] - w[j]))
        if best is None or abs(t - w[j]) < abs(best["threshold"] - best["weight"]):
            name = model.factors[j].name or fid
            best = {"factor": fid, "weight": float(w[j]), "threshold": t, "direction": verb,
                    "statement": f"the weight of {name} would have to {verb} from {w[j]:g} to "
                                 f"{t:.4g} (and beyond) for {model.area_ids[area]} to "
                                 f"{'leave' if now else 'enter'} the top {k}"}
    return best


@dataclass(frozen=True, eq=False)
class ClaimCheck:
    """The verdict on one claim, with the model, weights and Monte Carlo run behind it."""

    model: Model
    claim: Claim
    holds: bool
    value: float
    """Gap or score difference ('higher - lower'), or the area's rank for a top-k claim."""
    probability: float
    se: float
    nearest_flip: dict[str, Any] | None
    smallest_change: dict[str, Any] | None
    mc: MonteCarloResult

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {"model": self.model.id, "claim": self.claim.text, "reads_as": self.claim.describe(),
                "holds": self.holds, "value": self.value, "probability": self.probability,
                "se": self.se, "draws": self.mc.draws, "seed": self.mc.seed,
                "nearest_flip": self.nearest_flip, "smallest_change": self.smallest_change}


def check_claim(model: Model, text: str, *, weights: Mapping[str, float] | None = None,
                draws: int = DRAWS, seed: int = 0,
                weight_concentration: float | None = WEIGHT_CONCENTRATION,
                rating_noise: bool | float = RATING_NOISE, **mc_options: Any) -> ClaimCheck:
    """Check one claim: point verdict, P(claim) under the Monte Carlo, nearest one-weight flip.

    The Monte Carlo draws weights (Dirichlet, ``weight_concentration``) and ratings
    (``rating_noise``) with the same defaults as ``autosafety check``; other keyword arguments go
    to :func:`monte_carlo`."""
    from ._montecarlo import monte_carlo

    claim = parse_claim(model, text)
    if weights:
        model = model.with_weights(weights)
    w, r = model.weights, model.pooled()
    scores = _core.weighted_scores(r, w)
    mc = monte_carlo(model, draws=draws, seed=seed, weight_concentration=weight_concentration,
                     rating_noise=rating_noise, **mc_options)
    change = None
    if claim.kind == "top":
        a = model.area_ids.index(claim.higher)
        value = float(_core.ranks(scores)[a])
        holds = value <= claim.k
        prob = float(mc.p_top(claim.k)[a])
        flip = _topk_flip(model, w, r, a, claim.k)
    else:
        names = model.categories if claim.kind == "category" else model.area_ids
        i, j = names.index(claim.higher), names.index(claim.lower)
        if claim.kind == "category":
            cats = _core.category_means(scores, model.category_index, len(names))
            value = float(cats[i] - cats[j])
            prob = float(mc.category_probabilities[i, j])
        else:
            value = float(scores[i] - scores[j])
            prob = float(mc.pairwise[i, j])
        holds = value > 10 ** -_core.TIE_DECIMALS
        flips = flip_thresholds(model)
        flip = (flips.nearest_category_flip(claim.higher, claim.lower) if claim.kind == "category"
                else flips.nearest_pair_flip(claim.higher, claim.lower))
        hi, lo = (claim.higher, claim.lower) if holds else (claim.lower, claim.higher)
        if abs(value) > 10 ** -_core.TIE_DECIMALS:  # a tie (up to rounding) has no smallest change
            change = smallest_change(model, kind=claim.kind, higher=hi, lower=lo).to_dict()
    return ClaimCheck(model, claim, bool(holds), value, prob, float(mc.se(prob)), flip, change, mc)
