"""What the timeline's draws are reduced to, chunk by chunk, so memory stays bounded: histograms of
milestone dates (one bin a day), leads between categories (one bin a week) and pair counts."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Counts = NDArray[np.int64]
DAY = 1 / 365.25
WEEK = 7 / 365.25


@dataclass(frozen=True)
class Grid:
    """Where dates and leads are binned: dates on [start, until) by day, leads by week."""

    start: float
    until: float

    @property
    def date_bins(self) -> int:
        """Number of one-day date bins."""
        return int(np.ceil((self.until - self.start) / DAY))

    @property
    def lead_span(self) -> float:
        """Leads are binned on [-span, span)."""
        return self.until - self.start

    @property
    def lead_bins(self) -> int:
        """Number of one-week lead bins."""
        return int(np.ceil(2 * self.lead_span / WEEK))


@dataclass(frozen=True)
class Tally:
    """Counts over the draws so far; chunks add up with ``+``."""

    n: int
    dates: Counts
    """(A, date_bins) milestone dates within the run."""
    before: Counts
    """(A,) dates before the grid's start (the milestone is already reached)."""
    never: Counts
    """(A,) no milestone by the end of the run (capped ones included)."""
    capped: Counts
    """(A,) the cap is below the milestone: never at all."""
    first: Counts
    """(A, A) [a, b]: a reaches the milestone strictly before b (never counts as infinitely late)."""
    all_before_median: Counts
    """(C, C) [x, y]: every area of category x before the median area of category y."""
    leads: Counts
    """(C, A, lead_bins) years area a reaches it after the first area of category c."""
    lead_never: Counts
    """(C, A) area a never reaches it but category c's first area does (+inf)."""
    lead_neither: Counts
    """(C, A) neither reaches it within the run."""

    def __add__(self, other: Tally) -> Tally:
        return Tally(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


def tally(dates: Array, capped: NDArray[np.bool_], members: list[list[int]], grid: Grid) -> Tally:
    """Reduce (N, A) dates (inf = never) of one chunk to counts."""
    n, a = dates.shape
    within = np.isfinite(dates) & (dates < grid.until)
    never = ~within & ~(dates < grid.start)
    before = dates < grid.start
    inside = within & ~before
    with np.errstate(invalid="ignore", over="ignore"):
        idx = np.where(inside, dates - grid.start, 0.0) / DAY
    # bins: floor of a non-negative number, which the cast to integers takes (after the clip)
    idx = np.clip(idx, 0, grid.date_bins - 1).astype(np.int64)
    flat = (idx + np.arange(a) * grid.date_bins)[inside]
    hist = np.bincount(flat, minlength=a * grid.date_bins).reshape(a, grid.date_bins)
    late = np.where(within | before, dates, np.inf)   # beyond the run counts as never
    by_area = np.ascontiguousarray(late.T)
    first = np.array([[np.count_nonzero(by_area[i] < by_area[j]) for j in range(a)] for i in range(a)],
                     dtype=np.int64).reshape(a, a)
    c = len(members)
    abm = np.zeros((c, c), dtype=np.int64)
    leads = np.zeros((c, a, grid.lead_bins), dtype=np.int64)
    lead_never = np.zeros((c, a), dtype=np.int64)
    lead_neither = np.zeros((c, a), dtype=np.int64)
    for y, ys in enumerate(members):
        ranked = np.sort(late[:, ys], axis=1)           # the median of a few areas, per draw
        k = len(ys)
        med = ranked[:, k // 2] if k % 2 else (ranked[:, k // 2 - 1] + ranked[:, k // 2]) / 2
        head = ranked[:, 0]
        for x, xs in enumerate(members):
            abm[x, y] = int((late[:, xs] < med[:, None]).all(axis=1).sum())
        with np.errstate(invalid="ignore"):
            diff = late - head[:, None]
        finite = np.isfinite(diff)
        lead_never[y] = np.count_nonzero(diff == np.inf, axis=0)
        lead_neither[y] = np.count_nonzero(np.isnan(diff), axis=0)
        li = np.where(finite, diff, 0.0)
        li += grid.lead_span
        li /= WEEK
        li = np.clip(li, 0, grid.lead_bins - 1).astype(np.int64)
        flat_l = (li + np.arange(a) * grid.lead_bins)[finite]
        leads[y] = np.bincount(flat_l, minlength=a * grid.lead_bins).reshape(a, grid.lead_bins)
    return Tally(n, hist, before.sum(axis=0), never.sum(axis=0), capped.sum(axis=0), first, abm,
                 leads, lead_never, lead_neither)


def quantile(hist: Counts, below: int, n: int, q: float, lo: float, width: float,
             cum: Counts | None = None) -> float | None:
    """The q-quantile of draws binned in ``hist`` (bins of ``width`` from ``lo``), ``below`` of them
    under ``lo`` and the rest above the last bin; None if it lies above, ``lo`` if under.
    ``cum``: ``cumsum(hist) + below`` if already at hand."""
    target = q * n
    if target <= below:
        return lo
    cum = np.cumsum(hist) + below if cum is None else cum
    if target > cum[-1]:
        return None
    j = int(np.searchsorted(cum, target))
    prev = cum[j - 1] if j else below
    return float(lo + (j + (target - prev) / hist[j]) * width)
