"""The bridge: from a factor model's ratings to task parameters, every constant drawn from its
interval in each draw (so the dates carry the bridge's uncertainty, and its sensitivity can be read).

Each rating is first put on [0, 1] along its factor's scale, 1 being the most amenable to
automation (``x``). Then, per area (constants in ``data/bridge.yaml``, documented in
``docs/timeline.md``):

- insight share ``i = insight_share_min + (insight_share_max - insight_share_min) (1 - x_insight)``,
  spread over the taxonomy's insight tasks by their base shares, ``1 - i`` over the others;
- duration ``d = base * 2^(task_length_doublings * 9 (0.5 - x_length))``, times
  ``insight_multiplier`` for insight tasks, times ``2^(data_doublings (1 - x_data))``;
- verifiability ``x_feedback`` (the engine adds ``feedback_doublings (1 - v)`` doublings);
- compute-bound share of the area's time ``compute_fraction_min + (max - min) (1 - x_compute)``,
  spread over tasks by their compute weights;
- review per AI attempt ``review_overhead_min + (max - min) (1 - x_scheming)``;
- adoption lag ``adoption_lag_min + (max - min) (1 - x_incentive)`` years.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from .._errors import InputError, Problem
from ._sampling import Dist, GammaDeviates, TaskDraws, fingerprint, gammas_at
from ._spec import BridgeSpec

Array = NDArray[np.float64]


class BridgeNormals(NamedTuple):
    """The part of one chunk's random numbers no bridge constant changes: standard normals for the
    constants and for the durations, and the deviates the shares' gammas are made from at any
    concentration (so a new share concentration draws nothing again)."""

    params: dict[str, Array]
    durations: Array
    gamma: GammaDeviates


class BridgeDeviates(NamedTuple):
    """One chunk's random numbers: standard normals for the constants, gammas for the shares,
    standard normals for the durations."""

    params: dict[str, Array]
    gammas: Array
    durations: Array


INPUTS = ("task_length", "insight", "data", "feedback", "compute", "scheming", "incentive")
"""The bridge's inputs, in the order of ``BridgePlan.x``'s columns."""
LAG = ("adoption_lag_min", "adoption_lag_max")
"""The constants that only move dates (after the solve)."""
ATTEMPT_COST = ("ai_speed", "review_overhead_min", "review_overhead_max")
"""The constants of an AI attempt's cost q, the same for every task of an area."""
OFFSET = ("task_length_doublings", "data_doublings", "feedback_doublings")
"""The constants of the doublings added to every task of an area alike (``TaskDraws.shift``)."""


@dataclass(frozen=True)
class BridgePlan:
    """A factor model's ratings, the bridge's taxonomy and the distributions of its constants."""

    x: Array
    """(A, 7) ratings on [0, 1], 1 = most amenable, columns as :data:`INPUTS`."""
    base_share: Array
    """(K,) taxonomy shares."""
    insight: NDArray[np.bool_]
    """(K,) insight tasks."""
    duration: tuple[Array, Array]
    """(K,) base duration: log-hours centre and sd."""
    compute_weight: Array
    """(K,)."""
    params: dict[str, Dist]

    @cached_property
    def fingerprint(self) -> str:
        """Digest of the plan (draws from equal plans and seeds are equal)."""
        return fingerprint(self)

    def key_without(self, names: tuple[str, ...]) -> str:
        """Digest of the plan with the constants ``names`` left out: what a result that does not
        depend on them may be kept under."""
        kept = {k: v for k, v in self.params.items() if k not in names}
        return fingerprint(dataclasses.replace(self, params=kept))

    @cached_property
    def solve_key(self) -> str:
        """What the doublings an area needs, before its shift, depend on (not the adoption lag,
        not the constants of the shift)."""
        return self.key_without(LAG + OFFSET)

    @cached_property
    def shape_key(self) -> str:
        """What the solve's task ordering depends on (besides, not the AI speed or the review)."""
        return self.key_without(LAG + OFFSET + ATTEMPT_COST)

    @cached_property
    def taxonomy_key(self) -> bytes:
        """The task taxonomy (base durations, insight tasks, compute weights), which every part of
        the task draws depends on."""
        return b"".join(np.ascontiguousarray(v).tobytes() for v in (
            *self.duration, self.insight, self.compute_weight, self.base_share))

    @cached_property
    def normals_key(self) -> tuple[Any, ...]:
        """What a chunk's normal deviates depend on besides the seed: the numbers of areas and
        tasks and the constants' names (no rating and no constant's value)."""
        return (self.x.shape[0], self.base_share.shape[0], tuple(sorted(self.params)))

    @cached_property
    def gammas_key(self) -> tuple[Any, ...]:
        """What a chunk's gammas depend on besides its normals: the gamma shapes."""
        return (*self.normals_key, self.base_share.tobytes(), self.params["share_concentration"])

    def normals(self, rng: np.random.Generator, n: int) -> BridgeNormals:
        """The deviates of one chunk of n draws that no constant's value changes."""
        z = {k: rng.standard_normal((n, 1)) for k in sorted(self.params)}
        k, a = self.base_share.shape[0], self.x.shape[0]
        durations = rng.standard_normal((k, n, a))
        return BridgeNormals(z, durations, GammaDeviates.draw(rng, (k, n, a)))

    def gammas(self, normals: BridgeNormals) -> Array:
        """(K, n, A) gammas of the task shares (Dirichlet before normalising), shapes the drawn
        concentration times the taxonomy's shares."""
        conc = self.params["share_concentration"].at(normals.params["share_concentration"])
        return gammas_at((conc * self.base_share[None]).T[:, :, None], normals.gamma)

    def deviates(self, rng: np.random.Generator, n: int) -> BridgeDeviates:
        """The random numbers of one chunk of n draws, before any rating or constant applies."""
        normals = self.normals(rng, n)
        return BridgeDeviates(normals.params, self.gammas(normals), normals.durations)

    def sample_tasks(self, rng: np.random.Generator, n: int) -> TaskDraws:
        """The task side of one chunk of n draws (task-major in memory: sums over tasks add whole
        slabs); durations in doublings above one hour."""
        return self.tasks_at(self.deviates(rng, n))

    def tasks_at(self, dev: BridgeDeviates, *, keep: Callable[..., Any] | None = None) -> TaskDraws:
        """The task draws at given deviates (which it leaves unchanged). ``keep(key, compute)``,
        if given, may return a part computed before with the same inputs (a page moving one
        constant re-derives only the parts that constant enters)."""
        p = {k: self.params[k].at(z) for k, z in dev.params.items()}
        x = {name: self.x[:, i][None, :] for i, name in enumerate(INPUTS)}   # (1, A)
        k, n, a = dev.durations.shape
        col = (slice(None), None, None)                                   # (K,) -> (K, 1, 1)

        def span(lo: str, hi: str, rating: str) -> Array:
            return p[lo] + (p[hi] - p[lo]) * (1 - x[rating])                # (n, A)

        def part(name: str, inputs: tuple[str, ...], ratings: tuple[str, ...], compute: Callable[[], Any]
                 ) -> Any:
            if keep is None:
                return compute()
            key = (name, self.taxonomy_key, tuple(self.params[i] for i in inputs),
                   tuple(x[r].tobytes() for r in ratings))
            return keep(key, compute)

        def shares() -> Array:
            # Dirichlet around the taxonomy's base shares, then the insight tasks scaled to the
            # insight share the ratings give and the others to the rest (within each group still
            # Dirichlet). The gammas do not depend on any rating, so a lever or sensitivity run
            # that changes a rating leaves every draw's random numbers as they were.
            ins = np.clip(span("insight_share_min", "insight_share_max", "insight"), 0.0, 1.0)
            gam = dev.gammas                                              # (K, n, A)
            total = gam.sum(axis=0)
            group_i = sum((gam[j] for j in np.flatnonzero(self.insight)), np.zeros((n, a)))
            group_o = total - group_i
            scale_i = np.divide(ins, group_i, out=np.zeros_like(group_i), where=group_i > 0)
            scale_o = np.divide(1 - ins, group_o, out=np.zeros_like(group_o), where=group_o > 0)
            if not self.insight.any() or self.insight.all():  # one group: plain Dirichlet shares
                scale_i = scale_o = 1 / total
            s = gam.copy()
            for j in range(k):                            # in place, one (n, A) slab at a time
                s[j] *= scale_i if self.insight[j] else scale_o
            return s

        def base_durations() -> Array:
            per_task = (self.duration[0] / math.log(2))[col] + self.insight[col] * np.log2(
                p["insight_multiplier"])[None]                            # (K, n, 1)
            m = dev.durations * (self.duration[1] / math.log(2))[col]
            m += per_task
            return m

        # the ratings of task length, data and feedback move every task of an area alike
        offset = (p["task_length_doublings"] * 9 * (0.5 - x["task_length"])
                  + p["data_doublings"] * (1 - x["data"])
                  + p["feedback_doublings"] * (1 - x["feedback"]))         # (n, A)
        share_inputs = ("share_concentration", "insight_share_min", "insight_share_max")
        s = part("shares", share_inputs, ("insight",), shares)
        base = part("base durations", ("insight_multiplier",), (), base_durations)

        def compute_bound() -> Array:
            c_area = span("compute_fraction_min", "compute_fraction_max", "compute")
            spread = np.zeros((n, a))
            for j, weight in enumerate(self.compute_weight):   # sum_k weight_k s_k, slab by slab
                if weight:
                    spread += weight * s[j]
            ratio = np.divide(c_area, spread, out=np.zeros_like(spread), where=spread > 0)
            c = np.multiply(self.compute_weight[col], ratio[None])
            return np.minimum(c, 1.0, out=c)

        c = part("compute", (*share_inputs, "compute_fraction_min", "compute_fraction_max"),
                 ("insight", "compute"), compute_bound)
        review = np.maximum(span("review_overhead_min", "review_overhead_max", "scheming"), 0.0)
        q = np.broadcast_to(1 / p["ai_speed"] + review, (k, n, a))
        lag = np.maximum(span("adoption_lag_min", "adoption_lag_max", "incentive"), 0.0)
        s, c, q, base = (np.moveaxis(v, 0, -1) for v in (s, c, q, base))
        return TaskDraws(s, c, q, None, lag, base, offset)   # durations: base + offset, when asked


def bridge_plan(model: object, bridge: BridgeSpec, overrides: dict[str, float] | None = None) -> BridgePlan:
    """The plan for a factor model (``autosafety.model.Model``) through the bridge.

    ``overrides`` set bridge constants (by name) to fixed values.
    """
    from ..model import Model

    assert isinstance(model, Model)
    problems = []
    cols = []
    lo, hi = model.spec.scale.min, model.spec.scale.max
    pooled = model.pooled()   # oriented on the model's scale: higher = more amenable
    for name in INPUTS:
        fid = bridge.factors[name]
        if fid not in model.factor_ids:
            problems.append(Problem(f"bridge {bridge.id}: factors.{name}",
                                    f"the model has no factor '{fid}'",
                                    f"map {name} to one of {', '.join(model.factor_ids)}"))
            continue
        j = model.factor_ids.index(fid)
        col = (pooled[:, j] - lo) / (hi - lo)
        for i in np.flatnonzero(np.isnan(col)):
            problems.append(Problem(f"{model.id}: area {model.area_ids[i]}", f"no rating of '{fid}'",
                                    "rate every area on every factor the bridge uses"))
        cols.append(col)
    unknown = sorted(set(overrides or {}) - set(bridge.parameters))
    problems += [Problem(f"bridge parameter {k}", "unknown parameter",
                         f"use one of {', '.join(bridge.parameters)}") for k in unknown]
    if problems:
        raise InputError(problems, title="the factor model cannot go through the bridge")
    params = {k: Dist.of(q, "log" if q.value > 0 else "lin") for k, q in bridge.parameters.items()}
    for k, v in (overrides or {}).items():
        params[k] = Dist(math.log(v), 0.0, "log") if v > 0 else Dist(v, 0.0, "lin")
    tasks = bridge.tasks
    dur = [Dist.of(t.duration) for t in tasks]
    return BridgePlan(np.clip(np.column_stack(cols), 0.0, 1.0),
                      np.array([t.share for t in tasks]), np.array([t.insight for t in tasks]),
                      (np.array([d.centre for d in dur]), np.array([d.sd for d in dur])),
                      np.array([t.compute_weight for t in tasks]), params)
