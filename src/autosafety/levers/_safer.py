"""Safer bets (seed 001): which fields are in the top k however the uncertainty falls, which are
robustly among the last k to be automated, and which hinge on a single judgement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import InputError, Problem
from ._effects import categories_of

if TYPE_CHECKING:
    from ..analysis import MonteCarloResult
    from ..model import Model


def category_model(model: Model, category: str) -> Model:
    """The model restricted to one category's areas (ranks among those areas only)."""
    keep = {a.id for a in model.areas if a.category == category}
    if len(keep) == len(model.areas):
        return model
    return model.replace(areas=[a.model_dump() for a in model.areas if a.id in keep],
                         ratings=[r.model_dump() for r in model.spec.ratings if r.area in keep],
                         categories=[category], stated_ranking=None)


def hinge(model: Model, k: int) -> list[dict[str, Any]]:
    """Per area: the smallest change of one pooled rating (exact; scores are linear in it) that
    moves the area into or out of the top k, and which rating it is."""
    pooled, lo, hi = model.pooled(), model.spec.scale.min, model.spec.scale.max
    w = model.weights / model.weights.sum()
    s = pooled @ w
    order = np.argsort(-s, kind="stable")
    n = len(s)
    out: list[dict[str, Any]] = []
    for a in range(n):
        pos = int(np.flatnonzero(order == a)[0])
        inside = pos < k
        options = []   # (size, area moved, factor, signed change)
        for j in np.flatnonzero(w > 0):
            if inside and k < n:   # fall below the best area outside, or one outside passes it
                b = order[k]
                options.append(((s[a] - s[b]) / w[j], a, j, -1, pooled[a, j] - lo))
                if pos == k - 1:
                    options += [((s[a] - s[c]) / w[j], c, j, +1, hi - pooled[c, j]) for c in order[k:]]
            elif not inside:       # pass the last area inside, or (next in line) one inside falls
                b = order[k - 1]
                options.append(((s[b] - s[a]) / w[j], a, j, +1, hi - pooled[a, j]))
                if pos == k:
                    options += [((s[c] - s[a]) / w[j], c, j, -1, pooled[c, j] - lo) for c in order[:k]]
        feasible = [o for o in options if o[0] <= o[4] + 1e-12]
        if not feasible:
            out.append({"size": None, "sentence": "no single rating within its scale changes it",
                        "short": "none", "inside": inside})
            continue
        size, who, j, sign, _ = min(feasible, key=lambda o: o[0])
        name = model.areas[who].name or model.area_ids[who]
        fname = model.spec.factors[j].name or model.factor_ids[j]
        short = f"{fname} {'past ' if inside else ''}{sign * size:+.2f}"
        out.append({"size": float(size), "area": model.area_ids[who], "factor": model.factor_ids[j],
                    "short": short if who == a else f"{name}: {short}",
                    "inside": inside,
                    "sentence": (f"{fname} of {name} just past {sign * size:+.2f}: it drops out of the "
                                 f"top {k}" if inside else f"{fname} of {name} {sign * size:+.2f}: it "
                                 f"enters the top {k} (tied)")})
    return out


@dataclass(frozen=True, eq=False)
class SaferBets:
    """Robust top-k and bottom-k of one category's areas under the model's uncertainty."""

    model: Model
    category: str
    k: int
    threshold: float
    mc: MonteCarloResult
    rows: list[dict[str, Any]]
    judgement: float
    """A single rating change at most this big (one point) counts as one judgement."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data: one row per area, most often in the top k first."""
        return {"model": self.model.id, "category": self.category, "k": self.k,
                "threshold": self.threshold, "draws": self.mc.draws, "seed": self.mc.seed,
                "single_judgement_size": self.judgement, "areas": self.rows}


def safer_bets(model: Model, *, k: int = 3, threshold: float = 0.9, category: str | None = None,
               draws: int = 10_000, seed: int = 0, rating_noise: float = 0.1,
               weight_concentration: float | None = None, step: float = 1.0) -> SaferBets:
    """Rank acceptability of ``category``'s areas (default: safety): P(top k), P(bottom k), which
    are robust (probability >= ``threshold``) and which hinge on a single judgement: one rating
    moved by at most ``step`` points puts the area in or out of the top k (a tie counts)."""
    from ..analysis import monte_carlo

    cat = category or categories_of(model)[0]
    if cat not in model.categories:
        raise InputError(Problem("--category", f"no category '{cat}'",
                                 f"use one of: {', '.join(model.categories)}"))
    sub = category_model(model, cat)
    n = len(sub.area_ids)
    if not 1 <= k < n:
        raise InputError(Problem("--k", f"{k} is outside 1..{n - 1}", f"the {cat} category has {n} areas"))
    if not 0 < threshold <= 1:
        raise InputError(Problem("--threshold", f"{threshold:g} is not a probability in (0, 1]", "e.g. 0.9"))
    mc = monte_carlo(sub, draws=draws, seed=seed, rating_noise=rating_noise,
                     weight_concentration=weight_concentration)
    ranks = sub.score().ranks
    probs = mc.rank_probabilities
    top, bottom = probs[:, :k].sum(axis=1), probs[:, n - k:].sum(axis=1)
    expected = probs @ np.arange(1, n + 1)
    size = step
    rows = []
    for i, h in enumerate(hinge(sub, k)):
        rows.append({"id": sub.area_ids[i], "name": sub.areas[i].name or sub.area_ids[i],
                     "rank": int(ranks[i]), "expected_rank": float(expected[i]),
                     "p_top": float(top[i]), "p_bottom": float(bottom[i]),
                     "robust_top": bool(top[i] >= threshold), "robust_bottom": bool(bottom[i] >= threshold),
                     "hinge": h["sentence"], "hinge_short": h["short"], "hinge_size": h["size"],
                     "single_judgement": h["size"] is not None and (
                         h["size"] < size if h["inside"] else h["size"] <= size)})
    rows.sort(key=lambda r: (-r["p_top"], r["expected_rank"]))
    return SaferBets(model, cat, k, threshold, mc, rows, size)


def figure(res: SaferBets) -> dict[str, Any]:
    """P(top k) and P(bottom k) per area as bars, the threshold as a line (a Plotly dict)."""
    names = [r["name"] for r in res.rows][::-1]
    data = [{"type": "bar", "orientation": "h", "y": names, "x": [r[key] for r in res.rows][::-1],
             "name": label, "marker": {"color": colour}}
            for key, label, colour in (("p_top", f"P(top {res.k}): automated first", "#d62728"),
                                       ("p_bottom", f"P(bottom {res.k}): a safer bet", "#1f77b4"))]
    return {"data": data, "layout": {
        "title": {"text": f"Robust top {res.k} of the {res.category} areas ({res.mc.draws:,} draws, "
                          f"seed {res.mc.seed})"},
        "template": "plotly_white", "barmode": "group", "margin": {"l": 220, "r": 30, "t": 60, "b": 50},
        "xaxis": {"title": {"text": "probability"}, "range": [0, 1]},
        "shapes": [{"type": "line", "xref": "x", "yref": "paper", "x0": res.threshold, "x1": res.threshold,
                    "y0": 0, "y1": 1, "line": {"dash": "dash", "color": "#555"}}]}}
