"""``simulate``: the Monte Carlo of milestone dates, in chunks with bounded memory and an optional
precision target; the edge where the run's settings are checked."""

from __future__ import annotations

import math
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from .._errors import InputError, Problem
from ._bridge import BridgeDeviates, BridgePlan, bridge_plan
from ._core import (
    Ranked,
    coefficients,
    common_q,
    rank_tasks,
    solve_ranked,
    solve_x,
    years_for_doublings,
)
from ._files import load_bridge, load_trend, read_source
from ._result import AreaInfo, Subsample, TimelineResult
from ._sampling import Dist, TaskDraws, TaskPlan, TrendPlan, logit
from ._spec import BridgeSpec, Quantity, TaskModelSpec, TrendSpec
from ._tally import Grid, Tally, tally

MAX_DRAWS = 100_000_000
"""Largest number of draws accepted (memory is bounded; time is not)."""
CHUNK = 10_000
"""Draws per chunk: bounds memory whatever the number of draws."""
SUBSAMPLE = 4_000
"""Draws kept whole (from the first chunk) for fan charts and the bottleneck search."""


def check_settings(*, milestone: float, reliability: float, draws: int, until: float, start: float,
                   precision: float | None, doubling_time: float | None,
                   reference_horizon: float | None) -> None:
    """Every bad setting at once, named as the command line names it."""
    problems = []
    if not (math.isfinite(milestone) and milestone > 1):
        problems.append(Problem("--milestone", f"{milestone:g} is not a speedup above 1x", "e.g. 10"))
    if not 0 < reliability < 1:
        problems.append(Problem("--reliability", f"{reliability:g} is outside (0, 1)", "e.g. 0.5 or 0.8"))
    if not 1 <= draws <= MAX_DRAWS:
        problems.append(Problem("--draws", f"{draws} is outside 1..{MAX_DRAWS:,}", "e.g. 10000"))
    if not (math.isfinite(until) and start < until <= start + 200):
        problems.append(Problem("--until", f"{until:g} must be after the reference date {start:.2f} "
                                "and within 200 years of it", "e.g. 2060"))
    if precision is not None and not 0 < precision < 0.5:
        problems.append(Problem("--precision", f"{precision:g} is not a standard error in (0, 0.5)",
                                "e.g. 0.005"))
    for name, v in (("--doubling-time", doubling_time), ("--reference-horizon", reference_horizon)):
        if v is not None and not (math.isfinite(v) and v > 0):
            problems.append(Problem(name, f"{v:g} must be > 0", "give a positive number"))
    if problems:
        raise InputError(problems, title="invalid timeline settings")


def _rescale(q: Quantity, value: float) -> Quantity:
    """The quantity moved to a new central value, its interval scaled with it."""
    k = value / q.value
    return q.model_copy(update={"value": value, "low": None if q.low is None else q.low * k,
                                "high": None if q.high is None else q.high * k,
                                "kind": "assumption", "source": f"set by the user (was {q.value:g})"})


def adjust_trend(trend: TrendSpec, *, reliability: float, doubling_time: float | None,
                 reference_horizon: float | None) -> TrendSpec:
    """The trend with a doubling time (days) or a reference horizon (minutes, at ``reliability``)
    set by the user; intervals keep their relative width."""
    update: dict[str, Any] = {}
    if doubling_time is not None:
        update["doubling_time"] = _rescale(trend.doubling_time, doubling_time)
    if reference_horizon is not None:
        keys = {float(k): k for k in trend.horizons}
        anchor = keys.get(reliability, keys.get(0.5, next(iter(trend.horizons))))
        k = reference_horizon / trend.horizons[anchor].value
        update["horizons"] = {key: _rescale(h, h.value * k) for key, h in trend.horizons.items()}
    return trend.model_copy(update=update) if update else trend


def task_plan(spec: TaskModelSpec) -> tuple[TaskPlan, list[AreaInfo]]:
    """Arrays of a task-level model's distributions, and what each area's tasks are."""
    k = max(len(a.tasks) for a in spec.areas)
    shape = (len(spec.areas), k)
    arrays = {name: np.zeros(shape) for name in ("share", "dc", "ds", "vc", "vs", "cc", "cs", "rc", "rs")}
    present = np.zeros(shape, dtype=bool)
    infos = []
    for i, area in enumerate(spec.areas):
        for j, t in enumerate(area.tasks):
            present[i, j] = True
            arrays["share"][i, j] = t.share
            d = Dist.of(t.duration)
            arrays["dc"][i, j], arrays["ds"][i, j] = d.centre, d.sd
            for key, q in (("v", t.verifiability), ("c", t.compute_fraction), ("r", t.review_overhead)):
                dd = Dist.of(q, "lin")
                arrays[key + "c"][i, j], arrays[key + "s"][i, j] = dd.centre, dd.sd
        infos.append(AreaInfo(area.id, area.name or area.id, area.category,
                              [(t.id, t.name or t.id) for t in area.tasks]))
    lags = [Dist.of(a.adoption_lag, "lin") for a in spec.areas]
    st = spec.settings
    plan = TaskPlan(arrays["share"], present, (arrays["dc"], arrays["ds"]),
                    (arrays["vc"], arrays["vs"]), (arrays["cc"], arrays["cs"]), (arrays["rc"], arrays["rs"]),
                    (np.array([d.centre for d in lags]), np.array([d.sd for d in lags])),
                    Dist.of(st.ai_speed), Dist.of(st.feedback_doublings, "lin"), st.share_concentration)
    return plan, infos


def simulate(source: str | Path | TaskModelSpec | Any, *, trend: str | Path | TrendSpec | None = None,
             bridge: Path | BridgeSpec | None = None, milestone: float = 10.0, reliability: float = 0.5,
             draws: int = 10_000, seed: int = 0, until: float = 2060.0, precision: float | None = None,
             doubling_time: float | None = None, reference_horizon: float | None = None,
             bridge_parameters: Mapping[str, float] | None = None,
             area_delays: Mapping[str, float] | None = None, chunk_size: int = CHUNK,
             subsample: int = SUBSAMPLE, workers: int | None = None, reuse_draws: bool = False,
             progress: Callable[[int, int], None] | None = None,
             stop: Callable[[], bool] | None = None) -> TimelineResult:
    """When does each area's AI speedup reach ``milestone``? A Monte Carlo over every uncertain input.

    ``source``: a built-in factor model name ('wehner-2026'), a factor model, a factor-model or
    task-level file, or a :class:`TaskModelSpec`. Factor models go through the ``bridge``.
    ``trend``: a preset name or file (default: the task file's, else 'metr-2025');
    ``doubling_time`` (days) and ``reference_horizon`` (minutes, at ``reliability``) override it.
    ``until``: the end of the run (decimal year): later dates count as never.
    ``precision``: stop once every reported probability has at most this standard error.
    ``area_delays``: years added to given areas' adoption lags (e.g. safety-first access to new
    models delays capabilities areas); the random draws are unchanged, so runs with and without a
    delay compare with common random numbers.
    ``reuse_draws``: keep this run's task draws in memory (up to :data:`REUSE_BYTES`) so that a
    later run differing only in the trend, reliability, milestone, horizon of the run or area
    delays skips sampling them (an interactive page); the numbers are the same either way.
    ``subsample``: draws kept whole for the fan charts and the bottleneck search. Chunks run on
    ``workers`` threads; ``stop()`` is asked between chunks and ends the run early when true (a
    server's deadline), the result then holding the draws made so far.
    """
    kind, src = _source(source)
    base = load_trend(trend if trend is not None or kind != "tasks" else src.trend)
    check_settings(milestone=milestone, reliability=reliability, draws=draws, until=until,
                   start=base.reference_date.value, precision=precision, doubling_time=doubling_time,
                   reference_horizon=reference_horizon)
    spec_trend = adjust_trend(base, reliability=reliability, doubling_time=doubling_time,
                              reference_horizon=reference_horizon)
    tplan = TrendPlan.of(spec_trend, reliability=reliability)
    bridge_spec = None
    plan: TaskPlan | BridgePlan
    if kind == "tasks":
        plan, infos = task_plan(src)
        categories = src.categories or list(dict.fromkeys(a.category for a in src.areas))
    else:
        bridge_spec = load_bridge(bridge)
        plan = bridge_plan(src, bridge_spec, dict(bridge_parameters or {}))
        tasks = [(t.id, t.name or t.id) for t in bridge_spec.tasks]
        infos = [AreaInfo(aid, name, cat, tasks) for aid, name, cat in src.area_labels]
        categories = list(src.categories)
    members = [[i for i, a in enumerate(infos) if a.category == c] for c in categories]
    delay = _delays(area_delays or {}, [a.id for a in infos])
    grid = Grid(tplan.reference_date, until)
    start_time = time.perf_counter()
    total: Tally | None = None
    sub: Subsample | None = None
    converged = False
    sizes = [min(chunk_size, draws - done) for done in range(0, draws, chunk_size)]

    def run(i: int) -> tuple[Tally, Subsample | None]:
        # chunk i draws from seed (seed, i): results depend on the seed and chunk size, not threads
        # tasks and trend from separate streams: a trend setting leaves the task draws as they were
        tasks = _task_draws(plan, seed, i, sizes[i], reuse_draws)
        trend_rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i, 1)))
        log2h, beta, T, g = tplan.sample(trend_rng, sizes[i])
        lag = tasks.lag if delay is None else tasks.lag + delay
        # doublings above a one-hour horizon each area needs: independent of the reference horizon,
        # the doubling time and the growth mode, so a page moving those does not solve again
        key = (plan.solve_key, seed, i, sizes[i], tplan.slope, milestone, reliability)
        ranked = (plan.shape_key, seed, i, sizes[i], tplan.slope, reliability) if reuse_draws else None
        nu, capped = remembered(key if reuse_draws else None, lambda: needed_doublings(
            tasks, beta, milestone=milestone, reliability=reliability, ranked_key=ranked))
        if tasks.shift is not None:     # the doublings every task of an area needs alike
            nu = nu + tasks.shift
        dates = np.where(capped, np.inf, tplan.reference_date + lag
                         + years_for_doublings(nu - log2h[:, None], T[:, None], g[:, None]))
        keep = min(sizes[i], max(subsample, 1))
        if i:
            return tally(dates, capped, members, grid), None
        head = TaskDraws._make(None if v is None else v[:keep].copy()              # not the chunk
                               for v in tasks._replace(lag=lag))
        d = head.with_trend(log2h[:keep], beta[:keep], T[:keep], g[:keep])
        sub_key = (*key, "subsample", keep) if reuse_draws else None
        shape_key = (*ranked, "subsample", keep) if ranked is not None else None
        hour_m = head.durations if head.base_m is None else head.base_m
        return tally(dates, capped, members, grid), Subsample(d, dates[:keep], log2h[:keep], sub_key,
                                                              shape_key, hour_m, head.shift)

    workers = max(1, min(workers or os.cpu_count() or 1, len(sizes)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # a few chunks in flight, consumed in order: bounded memory, early stop between chunks
        pending = deque(pool.submit(run, i) for i in range(min(workers, len(sizes))))
        submitted = len(pending)
        while pending:
            t, first = pending.popleft().result()
            total = t if total is None else total + t
            sub = sub or first
            if progress is not None:
                progress(total.n, draws)
            if (precision is not None and max_se(total) <= precision) or (
                    stop is not None and stop()):
                converged = precision is not None and max_se(total) <= precision
                for f in pending:
                    f.cancel()
                break
            if submitted < len(sizes):
                pending.append(pool.submit(run, submitted))
                submitted += 1
    assert total is not None and sub is not None
    settings = {"milestone": milestone, "reliability": reliability, "draws": draws, "until": until,
                "precision": precision, "doubling_time": doubling_time,
                "reference_horizon": reference_horizon,
                "bridge_parameters": dict(bridge_parameters or {}),
                "area_delays": dict(area_delays or {}), "chunk_size": chunk_size,
                "subsample": subsample}
    return TimelineResult(source=src, kind=kind, trend=spec_trend, bridge=bridge_spec, seed=seed,
                          settings=settings, areas=infos, categories=categories, members=members,
                          grid=grid, tally=total, subsample=sub, converged=converged,
                          seconds=time.perf_counter() - start_time)


REUSE_BYTES = 256 * 2**20
"""Most memory the reused task draws of :func:`simulate` may hold."""


class _Kept(OrderedDict[tuple[Any, ...], Any]):
    """Kept draws, least recently used first, and the bytes their arrays hold: each buffer once,
    however many kept values share it (counted as values come and go, not by walking them all)."""

    def __init__(self) -> None:
        super().__init__()
        self._buffers: dict[int, list[int]] = {}    # id of the buffer -> [bytes, values using it]
        self.held = 0

    def _count(self, value: Any, step: int) -> None:
        for base in {id(b): b for b in _buffers(value)}.values():
            entry = self._buffers.setdefault(id(base), [base.nbytes, 0])
            if entry[1] == 0:
                self.held += entry[0]
            entry[1] += step
            if entry[1] == 0:
                self.held -= entry[0]
                del self._buffers[id(base)]

    def __setitem__(self, key: tuple[Any, ...], value: Any) -> None:
        if key in self:
            self._count(self[key], -1)
        super().__setitem__(key, value)
        self._count(value, +1)

    def __delitem__(self, key: tuple[Any, ...]) -> None:
        self._count(self[key], -1)
        super().__delitem__(key)

    def popitem(self, last: bool = True) -> tuple[tuple[Any, ...], Any]:
        key, value = super().popitem(last=last)
        self._count(value, -1)
        return key, value

    def clear(self) -> None:
        super().clear()
        self._buffers.clear()
        self.held = 0


_reused = _Kept()
_reused_lock = threading.Lock()


def _task_draws(plan: TaskPlan | BridgePlan, seed: int, chunk: int, size: int, reuse: bool) -> TaskDraws:
    """Chunk ``chunk``'s task draws from seed (seed, chunk, 0), from memory if kept and allowed."""
    key = (plan.fingerprint, seed, chunk, size)
    if reuse and (kept := _recall(key)) is not None:
        return kept
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(chunk, 0)))
    if reuse and isinstance(plan, BridgePlan):   # a bridge constant moved: same deviates, new tasks
        # deviates and gammas kept apart: a new share concentration makes new gammas from the
        # kept deviates
        dkey = ("deviates", plan.normals_key, seed, chunk, size)
        normals = _recall(dkey)
        if normals is None:
            normals = plan.normals(rng, size)
            _keep(dkey, normals)
        gkey = ("gammas", plan.gammas_key, seed, chunk, size)
        gammas = _recall(gkey)
        if gammas is None:
            gammas = plan.gammas(normals)
            _keep(gkey, (gammas,))
        else:
            gammas = gammas[0]
        dev = BridgeDeviates(normals.params, gammas, normals.durations)

        def keep(part: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
            pkey = (*dkey, "part", part)
            kept = _recall(pkey)
            if kept is None:
                kept = compute()
                _keep(pkey, (kept,))
                return kept
            return kept[0]

        tasks = plan.tasks_at(dev, keep=keep)
    else:
        tasks = plan.sample_tasks(rng, size)
    if reuse:
        _keep(key, tasks)
    return tasks


def _recall(key: tuple[Any, ...]) -> Any:
    """A kept value (now the most recently used), or None."""
    with _reused_lock:
        value = _reused.get(key)
        if value is not None:
            _reused.move_to_end(key)
        return value


def _keep(key: tuple[Any, ...], value: Any) -> None:
    """Keep draws or deviates for reuse, the least recently used dropped beyond
    :data:`REUSE_BYTES` (arrays shared between kept values counted once)."""
    with _reused_lock:
        _reused[key] = value
        _reused.move_to_end(key)
        while _reused.held > REUSE_BYTES and len(_reused) > 1:
            _reused.popitem(last=False)


_solutions: OrderedDict[tuple[Any, ...], tuple[np.ndarray, np.ndarray]] = OrderedDict()
SOLUTIONS = 64
"""Most solved chunks kept for reuse (each (draws, areas) floats: 0.8 MB for 10,000 draws)."""


def needed_doublings(tasks: TaskDraws, beta: np.ndarray, *, milestone: float, reliability: float,
                     ranked_key: tuple[Any, ...] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(N, A) doublings of a one-hour horizon each area needs to reach the milestone (the date is
    then the time to double ``nu - log2(reference horizon in hours)`` times), and whether capped;
    before the areas' shifts (``tasks.shift``), which the caller adds.

    Where every task of an area costs the same per attempt (the bridge), the tasks are ranked once
    and kept under ``ranked_key`` (if given), so a page moving the AI speed or the review overhead
    only redoes the last, cheap step."""
    b = beta[:, None]
    q = common_q(tasks.q)
    m = tasks.durations if tasks.base_m is None else tasks.base_m
    if q is None:
        x = solve_x(1 / milestone, tasks.s, tasks.c, tasks.q,
                    coefficients(m, tasks.q, b[..., None], logit(reliability)))
    else:
        rows = None if ranked_key is None else ranked_key[1:4]       # (seed, chunk, size)
        ranked = kept(ranked_key, lambda last: rank_tasks(
            tasks.s, tasks.c, growth(rows, m, b, logit(reliability)), last), rows=rows)
        x = solve_ranked(1 / milestone, ranked, q)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.log(x) / b, np.isnan(x)


def growth(rows: tuple[Any, ...] | None, m: np.ndarray, b: np.ndarray, a: float) -> np.ndarray:
    """``G = exp(b m - a)`` (:func:`coefficients` with q = 1), kept for the same durations (the
    same array), slopes and reliability of the same ``rows``: a page moving a share or a compute
    fraction reuses it."""
    if rows is None:
        return coefficients(m, 1.0, b[..., None], a)
    last = _recall(("growth", *rows))
    if last is not None and _same_memory(last[1], m) and last[3] == a and np.array_equal(last[2], b):
        return last[0]
    G = coefficients(m, 1.0, b[..., None], a)
    _keep(("growth", *rows), (G, m, b, np.float64(a)))
    return G


def _same_memory(x: np.ndarray, y: np.ndarray) -> bool:
    """Whether two arrays view the same memory the same way (kept draws are never written to)."""
    return (x.__array_interface__["data"][0] == y.__array_interface__["data"][0]
            and x.shape == y.shape and x.strides == y.strides and x.dtype == y.dtype)


def kept(key: tuple[Any, ...] | None, rank: Callable[[Ranked | None], Ranked],
         rows: tuple[Any, ...] | None = None) -> Ranked:
    """``rank(last)``, kept with the reused draws under ``key`` (None: not kept); ``last`` is the
    ranking last made for the same ``rows`` (draws), whose task order is tried before sorting."""
    if key is None:
        return rank(None)
    value = _recall(("ranked", *key))
    if value is None:
        value = rank(_recall(("order", *rows)) if rows is not None else None)
        _keep(("ranked", *key), value)
        if rows is not None:
            _keep(("order", *rows), value)
    return value


def remembered(key: tuple[Any, ...] | None, solve: Callable[[], tuple[np.ndarray, np.ndarray]]
               ) -> tuple[np.ndarray, np.ndarray]:
    """``solve()``, kept under ``key`` for the next run that asks (None: not kept)."""
    if key is not None:
        with _reused_lock:
            if key in _solutions:
                _solutions.move_to_end(key)
                return _solutions[key]
    out = solve()
    if key is not None:
        with _reused_lock:
            _solutions[key] = out
            while len(_solutions) > SOLUTIONS:
                _solutions.popitem(last=False)
    return out


def _buffers(value: Any) -> list[np.ndarray]:
    """The arrays owning the memory of a kept value's arrays (a view's base, not the view)."""
    if isinstance(value, np.ndarray):
        return [value if value.base is None else value.base]
    parts = value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else ()
    return [b for part in parts for b in _buffers(part)]


def _delays(delays: Mapping[str, float], ids: list[str]) -> np.ndarray | None:
    """Per-area delays in years as an (A,) array (None if there are none); unknown ids refused."""
    problems = [Problem(f"area delay {k}", "unknown area", f"use one of {', '.join(ids)}")
                for k in delays if k not in ids]
    problems += [Problem(f"area delay {k}", f"{v!r} is not a finite number of years", "e.g. 0.08")
                 for k, v in delays.items() if not (isinstance(v, int | float) and math.isfinite(v))]
    if problems:
        raise InputError(problems, title="invalid area delays")
    if not delays:
        return None
    return np.array([float(delays.get(i, 0.0)) for i in ids])


def max_se(t: Tally) -> float:
    """Largest standard error among P(never), P(a before b) and the category probabilities."""
    p = np.concatenate([t.never.ravel(), t.first.ravel(), t.all_before_median.ravel()]) / t.n
    return float(np.sqrt(p * (1 - p) / t.n).max())


def _source(source: Any) -> tuple[str, Any]:
    from ..model import Model, load_model
    from ..model._datasets import BUILTINS

    if isinstance(source, TaskModelSpec):
        return "tasks", source
    if isinstance(source, Model):
        return "model", source
    if isinstance(source, str) and source in BUILTINS:
        return "model", load_model(source)
    return read_source(Path(source))
