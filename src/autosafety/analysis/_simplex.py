"""Weights drawn from per-weight ranges: exactly uniform on the part of the simplex they allow.

Ranges are stated on raw weights (``x_f`` in ``[low_f, high_f]``; a factor without a range keeps
its weight); only the normalised weights ``w = x / sum(x)`` enter a score. The set of normalised
weights the ranges allow is the polytope ``P = {w on the simplex : low <= t w <= high for some
t > 0}``, and the factors without a range keep their ratios to each other. We draw ``w``
**uniformly on P** (a flat Dirichlet restricted to P), not "uniform then normalise", which piles
mass where many raw vectors share a direction. With one ranged factor and the others summing to
``A``, its share ``w = x / (x + A)`` is uniform between ``low / (low + A)`` and ``high / (high + A)``.

Sampling is exact, by rejection from one of two proposals (the plan picks the one that accepts
more often on a pilot run; both give the same distribution):

* ``box``: the ranged raw weights uniform in their box, accepted with probability
  ``((A + sum(low)) / (A + sum(x)))^(k + 1)``. The map ``x -> x / (A + sum(x))`` from the k ranged
  raw weights to their shares has Jacobian ``A / (A + sum(x))^(k + 1)``, so the accepted shares are
  uniform on P. Good for narrow ranges; needs ``A > 0``.
* ``simplex``: uniform on the smallest corner of the simplex holding P (each share at least the
  least it can be, ``low_f / (low_f + sum of the other highs)``), accepted when in P. Good for wide
  ranges that start at 0.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

MIN_ACCEPTANCE = 1e-3
"""Ranges whose proposals are accepted less often than this are refused (the draws would crawl)."""
PILOT = 8192
"""Proposals of the pilot run that measures each proposal's acceptance."""
MAX_ROUNDS = 64
"""Most rounds of proposals per call; each round proposes enough for the rest at the measured rate."""
ROUND_CAP = 1 << 20
"""Most proposals per round (bounds memory)."""


class WeightRanges(NamedTuple):
    """Per-weight ranges of one scenario, ready to sample (see :func:`ranges_of`)."""

    ranged: NDArray[np.intp]
    """(k,) factors whose weight has a range (low < high)."""
    low: Array
    """(k,) lower ends of their raw weights."""
    high: Array
    """(k,) upper ends."""
    fixed: Array
    """(F,) raw weights of the other factors (0 at the ranged ones); they keep their ratios."""
    proposal: str
    """'box' or 'simplex' (see the module docstring); 'point' when nothing varies."""
    acceptance: float
    """Share of proposals accepted in the pilot run."""


def _coordinates(r: WeightRanges) -> tuple[Array, Array]:
    """Ends of the coordinates of P: the ranged factors, then the fixed block (if it weighs > 0)."""
    a = r.fixed.sum()
    if a > 0:
        return np.r_[r.low, a], np.r_[r.high, a]
    return r.low, r.high


def propose(rng: np.random.Generator, r: WeightRanges, proposal: str, n: int) -> Array:
    """(m, n) accepted shares of the coordinates of P from ``n`` proposals (m <= n of them kept)."""
    lo, hi = _coordinates(r)
    k = r.low.size
    if proposal == "box":
        a = r.fixed.sum()
        x = rng.random((n, k))
        x *= r.high - r.low
        x += r.low
        total = a + x.sum(axis=1)
        keep = rng.random(n) * (total / (a + r.low.sum())) ** (k + 1) < 1.0
        x, total = x[keep], total[keep]
        return np.column_stack([x / total[:, None], a / total])
    floor = lo / (lo + hi.sum() - hi)  # the least share of each coordinate on P
    e = rng.standard_exponential((n, lo.size))
    w = floor + (1.0 - floor.sum()) * (e / e.sum(axis=1, keepdims=True))
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = (lo / w).max(axis=1) <= (hi / w).min(axis=1)  # some t puts t w in the box
    return w[inside]


def ranges_of(low: Array, high: Array) -> WeightRanges:
    """Prepare raw ``low <= x <= high`` (F,) for sampling; the proposal is chosen on a pilot run.

    Raises ValueError when neither proposal accepts at least :data:`MIN_ACCEPTANCE` of its draws.
    """
    ranged = np.flatnonzero(low < high)
    fixed = np.where(low < high, 0.0, low)
    r = WeightRanges(ranged, low[ranged], high[ranged], fixed, "point", 1.0)
    if ranged.size + (fixed.sum() > 0) <= 1:  # one coordinate: the whole weight, nothing varies
        return r
    rates = {}
    for kind in ("box", "simplex") if fixed.sum() > 0 else ("simplex",):
        pilot = np.random.default_rng(0)  # the choice depends on the ranges only
        rates[kind] = propose(pilot, r, kind, PILOT).shape[0] / PILOT
    best = max(rates, key=rates.__getitem__)
    if rates[best] < MIN_ACCEPTANCE:
        raise ValueError(f"the weights these ranges allow are too small a part of the space "
                         f"sampled ({rates[best]:.2g} of proposals accepted)")
    return r._replace(proposal=best, acceptance=rates[best])


def ranged_weights(rng: np.random.Generator, r: WeightRanges, size: int) -> Array:
    """(size, F) normalised weights uniform on the part of the simplex the ranges allow."""
    out = np.empty((size, r.fixed.size))
    a = r.fixed.sum()
    if r.proposal == "point":
        if a > 0:
            out[:] = r.fixed / a
        else:
            out[:] = 0.0
            out[:, r.ranged] = 1.0
        return out
    parts, got = [np.empty((0, r.ranged.size + (a > 0)))], 0
    for _ in range(MAX_ROUNDS):
        need = size - got
        if need <= 0:
            break
        w = propose(rng, r, r.proposal, min(ROUND_CAP, int(need / r.acceptance * 1.2) + 64))
        parts.append(w[:need])
        got += parts[-1].shape[0]
    if got < size:
        raise RuntimeError(f"{got} of {size} weight draws after {MAX_ROUNDS} rounds")
    w = np.concatenate(parts)
    out[:] = r.fixed / a if a > 0 else 0.0
    if a > 0:
        out *= w[:, -1:]  # the fixed block's share, split in its fixed ratios
    out[:, r.ranged] = w[:, :r.ranged.size]
    return out
