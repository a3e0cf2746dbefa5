"""Forecasts that carry their own model: the AI 2027 time-horizon-extension method as a
single-milestone timeline (its superhuman-coder date), in the same result type as the task model."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import numpy as np

from .._errors import InputError, Problem
from ._ai2027 import load_ai2027_params, sample_superhuman_coder_dates
from ._result import AreaInfo, Subsample, TimelineResult
from ._simulate import CHUNK, MAX_DRAWS, SUBSAMPLE, max_se
from ._tally import Grid, Tally, tally

PRESETS = ("ai-2027-horizon",)
"""Sources `autosafety timeline` runs as forecasts of their own."""


def ai2027_forecast(*, draws: int = 5_000, seed: int = 0, precision: float | None = None,
                    params: str | Path | None = None, chunk_size: int = CHUNK) -> TimelineResult:
    """The AI 2027 timelines forecast's superhuman-coder date (forecaster Eli's parameters, or a
    parameter file), as a timeline with one area; dates after the method's horizon count as never."""
    problems = []
    if not 1 <= draws <= MAX_DRAWS:
        problems.append(Problem("--draws", f"{draws} is outside 1..{MAX_DRAWS:,}", "e.g. 5000"))
    if precision is not None and not 0 < precision < 0.5:
        problems.append(Problem("--precision", f"{precision:g} is not in (0, 0.5)", "e.g. 0.005"))
    if problems:
        raise InputError(problems, title="invalid timeline settings")
    p = load_ai2027_params(params)
    grid = Grid(math.floor(p.start_year) - 1.0, p.horizon_year)
    area = AreaInfo("superhuman_coder", "Superhuman coder (AI 2027)", "capabilities", [])
    start = time.perf_counter()
    total: Tally | None = None
    kept: np.ndarray | None = None
    converged = False
    for i, done in enumerate(range(0, draws, chunk_size)):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
        dates = sample_superhuman_coder_dates(p, draws=min(chunk_size, draws - done), rng=rng)[:, None]
        t = tally(dates, np.zeros(dates.shape, dtype=bool), [[0]], grid)
        total = t if total is None else total + t
        kept = dates[:SUBSAMPLE] if kept is None else kept
        if precision is not None and max_se(total) <= precision:
            converged = True
            break
    assert total is not None and kept is not None
    settings: dict[str, Any] = {
        "method": "ai-2027-horizon", "milestone": None, "reliability": 0.5,
        "milestone_label": "superhuman coder", "draws": draws, "until": p.horizon_year,
        "precision": precision, "parameters": p.origin,
        "assumptions": "The AI 2027 timelines forecast's time-horizon-extension method with "
                       "forecaster Eli's parameters (uvafan/timelines-takeoff-ai-2027), solved exactly "
                       f"per draw; dates after {p.horizon_year:g} count as never."}
    return TimelineResult(source=p, kind="ai-2027", trend=None, bridge=None, seed=seed,
                          settings=settings, areas=[area], categories=["capabilities"], members=[[0]],
                          grid=grid, tally=total, subsample=Subsample(None, kept),
                          converged=converged, seconds=time.perf_counter() - start)
