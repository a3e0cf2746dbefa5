"""Numerical core of the horizon fit: task weights, batched logistic regression, hierarchical bootstrap.

Pure numpy. The logistic regression minimises, for each model,

    sum_i w_i [log(1 + exp(z_i)) - y_i z_i] + (regularization / 2) b^2,   z_i = a + b log2(minutes_i)

which is what scikit-learn's ``LogisticRegression(C=1/regularization)`` minimises with sample weights
(METR's ``horizon.utils.logistic``): the slope is penalised, the intercept is not.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ._horizons_io import RunTable

WEIGHTINGS = ("invsqrt_task", "equal_task", "run")
"""How runs are weighted; ``invsqrt_task`` is METR's headline choice (``invsqrt_task_weight``)."""


def task_weights(runs: RunTable, *, weighting: str = "invsqrt_task") -> np.ndarray:
    """(runs,) weights summing to 1 within each model, as METR's ``compute_task_weights``.

    ``equal_task``: each task weighs the same, split evenly over its runs; ``invsqrt_task``: that,
    divided by the square root of the number of tasks the model ran in the task's family;
    ``run``: every run weighs the same.
    """
    m, t = runs.model_index, runs.task_index
    n_models, n_tasks = len(runs.models), len(runs.tasks)
    if weighting == "run":
        w = np.ones(len(runs))
    elif weighting in ("equal_task", "invsqrt_task"):
        pair = m * n_tasks + t
        runs_in_task = np.bincount(pair, minlength=n_models * n_tasks)[pair]
        w = 1.0 / runs_in_task
        if weighting == "invsqrt_task":
            fam = runs.task_family[t]
            n_fam = len(runs.families)
            seen = np.zeros(n_models * n_tasks, dtype=bool)
            seen[pair] = True
            mm, tt = np.divmod(np.flatnonzero(seen), n_tasks)
            tasks_in_family = np.bincount(mm * n_fam + runs.task_family[tt], minlength=n_models * n_fam)
            w = w / np.sqrt(tasks_in_family[m * n_fam + fam])
    else:
        raise ValueError(f"weighting must be one of {WEIGHTINGS}, got {weighting!r}")
    return w / np.bincount(m, weights=w, minlength=n_models)[m]


def _objective(a: np.ndarray, b: np.ndarray, x: np.ndarray, y: np.ndarray, w: np.ndarray,
               reg: float) -> np.ndarray:
    z = a[..., None] + b[..., None] * x
    return (w * (np.logaddexp(0.0, z) - y * z)).sum(-1) + 0.5 * reg * b**2


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, *, regularization: float = 0.1,
                 tol: float = 1e-10, max_iter: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Intercept and slope of P(y=1) = sigmoid(a + b x) for each row of weights ``w`` (..., n).

    Damped Newton steps on all rows at once. Rows whose weight falls on one outcome only (no
    success or no failure) cannot be fitted and give NaN.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.asarray(w, dtype=float)
    centre = x.mean() if x.size else 0.0
    xc = x - centre
    total = w.sum(-1)
    wins = (w * y).sum(-1)
    ok = (wins > 1e-12 * total) & (total - wins > 1e-12 * total)
    p0 = np.where(ok, wins / np.where(total > 0, total, 1.0), 0.5)
    a = np.log(p0 / (1 - p0))
    b = np.zeros_like(a)
    f = _objective(a, b, xc, y, w, regularization)
    for _ in range(max_iter):
        p = 1.0 / (1.0 + np.exp(-(a[..., None] + b[..., None] * xc)))
        r, s = w * (p - y), w * p * (1 - p)
        ga, gb = r.sum(-1), (r * xc).sum(-1) + regularization * b
        haa, hab, hbb = s.sum(-1), (s * xc).sum(-1), (s * xc * xc).sum(-1) + regularization
        det = haa * hbb - hab * hab
        det = np.where(ok & (det > 0), det, 1.0)
        da = np.where(ok, (hbb * ga - hab * gb) / det, 0.0)
        db = np.where(ok, (haa * gb - hab * ga) / det, 0.0)
        step = np.ones_like(a)
        for _ in range(40):  # halve the step where the objective would not decrease
            f_new = _objective(a - step * da, b - step * db, xc, y, w, regularization)
            worse = f_new > f + 1e-12 * np.abs(f)
            if not worse.any():
                break
            step = np.where(worse, step / 2, step)
        a, b, f = a - step * da, b - step * db, f_new
        if np.all(np.abs(step * da) + np.abs(step * db) < tol):
            break
    nan = np.full_like(a, np.nan)
    return np.where(ok, a - b * centre, nan), np.where(ok, b, nan)


def horizon_minutes(intercept: np.ndarray, slope: np.ndarray, reliability: np.ndarray) -> np.ndarray:
    """Task length (minutes) at which success has probability p: 2^((logit(p) - a) / b).

    Shapes broadcast: (...,) fits against (p,) reliabilities give (..., p).
    """
    p = np.asarray(reliability, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.exp2((np.log(p / (1 - p)) - intercept[..., None]) / slope[..., None])


def _draw_counts(rng: np.random.Generator, n: np.ndarray, sizes: np.ndarray,
                 members: np.ndarray, n_out: int) -> np.ndarray:
    """Counts per member after drawing n[b, g] members uniformly from each group g of ``sizes[g]``.

    ``members`` (groups, max size) holds each group's member ids, padded with -1.
    """
    width = members.shape[1]
    pvals = np.where(members >= 0, 1.0 / np.maximum(sizes, 1)[:, None], 0.0)
    draws = rng.multinomial(n, pvals) if n.size else np.zeros((*n.shape, width), dtype=np.int64)
    out = np.zeros((n.shape[0], n_out))
    valid = members >= 0
    out[:, members[valid]] = draws[:, valid]
    return out


def _groups(group_of: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Group sizes and a (groups, max size) table of member ids padded with -1."""
    order = np.argsort(group_of, kind="stable")
    sizes = np.bincount(group_of, minlength=n_groups)
    start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rank = np.arange(group_of.size) - start[group_of[order]]
    members = np.full((n_groups, max(int(sizes.max(initial=0)), 1)), -1)
    members[group_of[order], rank] = order
    return sizes, members


def bootstrap_counts(runs: RunTable, n_draws: int, rng: np.random.Generator, *,
                     chunk_elements: int = 4_000_000) -> Iterator[np.ndarray]:
    """Multiplicity of every run in hierarchical bootstrap samples, in chunks of (draws, runs).

    As METR's ``bootstrap_sample`` with categories family/task/run: resample task families
    with replacement (one draw shared by all models), then the tasks of each drawn family,
    then the runs of each drawn (task, model) pair. Drawing k copies of a family's n tasks
    each with replacement is one multinomial of k n draws over its tasks, and likewise for
    runs, so each level is a single vectorised multinomial.
    """
    n_fam, n_tasks = len(runs.families), len(runs.tasks)
    fam_sizes, fam_members = _groups(runs.task_family, n_fam)
    pair = runs.model_index * n_tasks + runs.task_index
    pair_ids, run_pair = np.unique(pair, return_inverse=True)
    pair_sizes, pair_members = _groups(run_pair, pair_ids.size)
    pair_task = pair_ids % n_tasks
    per_draw = n_fam + n_fam * fam_members.shape[1] + pair_ids.size * pair_members.shape[1] + len(runs)
    chunk = max(1, min(n_draws, chunk_elements // max(per_draw, 1)))
    done = 0
    while done < n_draws:
        b = min(chunk, n_draws - done)
        picks = rng.integers(0, n_fam, size=(b, n_fam))
        fam_count = np.bincount((picks + n_fam * np.arange(b)[:, None]).ravel(),
                                minlength=b * n_fam).reshape(b, n_fam)
        task_count = _draw_counts(rng, fam_count * fam_sizes, fam_sizes, fam_members, n_tasks)
        n_runs = (task_count[:, pair_task] * pair_sizes).astype(np.int64)
        yield _draw_counts(rng, n_runs, pair_sizes, pair_members, len(runs))
        done += b
