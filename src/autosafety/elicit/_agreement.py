"""Inter-rater agreement: Krippendorff's alpha (interval) with bootstrap intervals, and the most
disagreed cells. Pure functions on arrays; samples of one LLM count as one rater (their mean)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..model import Model

Split = str
"""'all', 'human', 'llm' (agreement within the kind) or 'human-vs-llm' (the two pooled means)."""


@dataclass(frozen=True)
class Alpha:
    """Krippendorff's alpha for one scope and split, with its bootstrap interval."""

    split: Split
    """Which raters: 'all', 'human', 'llm' or 'human-vs-llm'."""
    scope: str
    """'overall', 'factor' or 'area'."""
    subject: str
    """Factor or area id ('' for overall)."""
    alpha: float
    """Point estimate (NaN when undefined: fewer than two pairable values or no variation)."""
    low: float
    """Lower end of the bootstrap interval."""
    high: float
    """Upper end of the bootstrap interval."""
    units: int
    """Cells with at least two ratings."""
    raters: int
    """Raters compared."""


@dataclass(frozen=True)
class Disagreement:
    """How much raters disagree on one (area, factor) cell, on the model's oriented scale."""

    area: str
    factor: str
    sd: float
    """Sample standard deviation across raters."""
    spread: float
    """Highest minus lowest rating."""
    values: dict[str, float]
    """Each rater's (mean) rating."""


@dataclass
class AgreementReport:
    """Agreement over a model's raters."""

    raters: dict[str, str]
    """Rater (an LLM's samples merged into one) -> kind."""
    alphas: list[Alpha]
    """Every alpha that could be computed."""
    cells: list[Disagreement]
    """Cells rated by two or more raters, most disagreed first."""
    confidence: float = 0.95
    """Level of the bootstrap intervals."""
    bootstrap: int = 1000
    """Bootstrap resamples of units."""
    seed: int = 0
    """Seed of the bootstrap."""
    notes: list[str] = field(default_factory=list)
    """Why some splits are missing."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (NaN becomes null)."""
        def clean(x: Any) -> Any:
            if isinstance(x, float) and not math.isfinite(x):
                return None
            if isinstance(x, dict):
                return {k: clean(v) for k, v in x.items()}
            if isinstance(x, list):
                return [clean(v) for v in x]
            return x
        return clean(asdict(self))


def rater_columns(model: Model) -> tuple[list[str], list[str], NDArray[np.float64]]:
    """(rater names, kinds, oriented ratings (A, F, R)); an LLM's samples averaged into one rater."""
    kind_of = {r.id: r.kind for r in model.raters}
    merged: dict[str, str] = {}
    for r in model.spec.ratings:
        llm = r.provenance.get("model")
        merged.setdefault(r.rater, str(llm) if kind_of[r.rater] == "llm" and llm else r.rater)
    names: list[str] = []
    kinds: list[str] = []
    for rid in model.rater_ids:
        name = merged.get(rid, rid)
        if name not in names:
            names.append(name)
            kinds.append(kind_of[rid])
    cube = model.ratings
    out = np.full((*cube.shape[:2], len(names)), np.nan)
    for j, name in enumerate(names):
        cols = [k for k, rid in enumerate(model.rater_ids) if merged.get(rid, rid) == name]
        with np.errstate(all="ignore"):
            block = cube[:, :, cols]
            count = (~np.isnan(block)).sum(axis=-1)
            out[:, :, j] = np.where(count > 0, np.nansum(block, axis=-1) / np.maximum(count, 1),
                                    np.nan)
    return names, kinds, out


def _unit_sums(data: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
    """Per pairable unit (column of a raters x units matrix): m, sum, sum of squares, pair term."""
    present = ~np.isnan(data)
    m = present.sum(axis=0).astype(float)
    keep = m >= 2
    v = np.where(present, data, 0.0)[:, keep]
    m = m[keep]
    t, q = v.sum(axis=0), (v**2).sum(axis=0)
    within = 2 * (m * q - t**2) / (m - 1)  # sum over ordered pairs of squared differences / (m-1)
    return m, t, q, within


def interval_alpha(data: NDArray[np.float64]) -> float:
    """Krippendorff's alpha, interval metric, of a raters x units matrix (NaN = missing)."""
    m, _, _, _ = _unit_sums(data)
    if m.sum() < 2:
        return float("nan")
    import krippendorff

    try:
        value = krippendorff.alpha(reliability_data=data, level_of_measurement="interval")
    except (ValueError, ZeroDivisionError):
        return float("nan")
    return float(value) if np.isfinite(value) else float("nan")


def bootstrap_alpha(data: NDArray[np.float64], *, n: int = 1000, confidence: float = 0.95,
                    rng: np.random.Generator) -> tuple[float, float]:
    """Percentile interval of alpha over ``n`` resamples of the units (vectorised, no loop)."""
    m, t, q, within = _unit_sums(data)
    if len(m) < 2:
        return float("nan"), float("nan")
    counts = rng.multinomial(len(m), np.full(len(m), 1 / len(m)), size=n).astype(float)
    total, tot_t, tot_q, obs = counts @ m, counts @ t, counts @ q, counts @ within
    expected = 2 * (total * tot_q - tot_t**2)
    with np.errstate(all="ignore"):
        alphas = 1 - (total - 1) * obs / expected
    alphas = alphas[np.isfinite(alphas)]
    if len(alphas) == 0:
        return float("nan"), float("nan")
    tail = (1 - confidence) / 2
    low, high = np.quantile(alphas, [tail, 1 - tail])
    return float(low), float(high)


def _splits(kinds: list[str], cube: NDArray[np.float64]) -> tuple[dict[str, NDArray[np.float64]],
                                                                    list[str]]:
    idx = {k: [j for j, x in enumerate(kinds) if x == k] for k in ("human", "llm")}
    out, notes = {}, []
    if len(kinds) >= 2:
        out["all"] = cube
    for kind in ("human", "llm"):
        if len(idx[kind]) >= 2:
            out[kind] = cube[:, :, idx[kind]]
        else:
            notes.append(f"'{kind}' split needs two or more {kind} raters "
                         f"({len(idx[kind])} present)")
    if idx["human"] and idx["llm"]:
        with np.errstate(all="ignore"):
            pooled = [np.nanmean(cube[:, :, idx[k]], axis=-1) for k in ("human", "llm")]
        out["human-vs-llm"] = np.stack(pooled, axis=-1)
    else:
        notes.append("'human-vs-llm' needs both human and llm raters")
    return out, notes


def agreement(model: Model, *, bootstrap: int = 1000, confidence: float = 0.95,
              seed: int = 0) -> AgreementReport:
    """Alpha overall, per factor and per area for every split, and cells by disagreement."""
    names, kinds, cube = rater_columns(model)
    rng = np.random.default_rng(seed)
    splits, notes = _splits(kinds, cube)
    alphas = []
    for split, c in splits.items():
        scopes = [("overall", "", c.reshape(-1, c.shape[-1]))]
        scopes += [("factor", f, c[:, j, :]) for j, f in enumerate(model.factor_ids)]
        scopes += [("area", a, c[i, :, :]) for i, a in enumerate(model.area_ids)]
        for scope, subject, block in scopes:
            data = block.T  # raters x units
            units = int(((~np.isnan(data)).sum(axis=0) >= 2).sum())
            low, high = bootstrap_alpha(data, n=bootstrap, confidence=confidence, rng=rng)
            alphas.append(Alpha(split, scope, subject, interval_alpha(data), low, high, units,
                                c.shape[-1]))
    cells = []
    for i, a in enumerate(model.area_ids):
        for j, f in enumerate(model.factor_ids):
            row = cube[i, j]
            ok = ~np.isnan(row)
            if ok.sum() >= 2:
                cells.append(Disagreement(a, f, float(np.std(row[ok], ddof=1)),
                                          float(row[ok].max() - row[ok].min()),
                                          {n: float(v) for n, v, k in zip(names, row, ok) if k}))
    cells.sort(key=lambda d: (-d.sd, -d.spread, d.area, d.factor))
    if len(names) < 2:
        notes.insert(0, "agreement needs two or more raters")
    return AgreementReport(dict(zip(names, kinds)), alphas, cells, confidence, bootstrap, seed,
                           notes)
