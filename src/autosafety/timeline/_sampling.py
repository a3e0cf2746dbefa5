"""Monte Carlo inputs of the timeline: every uncertain quantity drawn per draw, as arrays.

A *plan* holds the distributions (built once, at the edge); ``sample`` turns it into one chunk of
:class:`Draws`, the arrays the pure maths in ``_core`` needs. Two plans: a task-level file
(:class:`TaskPlan`) and a factor model through the bridge (:class:`BridgePlan`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from statistics import NormalDist
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._spec import MODES, Quantity, TrendSpec

Array = NDArray[np.float64]
LOG2_MINUTES_PER_HOUR = math.log2(60.0)


class Draws(NamedTuple):
    """One chunk of sampled inputs: N draws, A areas, K tasks (padded with zero shares)."""

    s: Array
    """(N, A, K) task time shares."""
    c: Array
    """(N, A, K) compute-bound fractions."""
    q: Array
    """(N, A, K) cost of one AI attempt (AI time plus review) as a share of doing it by hand."""
    m: Array
    """(N, A, K) effective duration in doublings above the reference horizon."""
    lag: Array
    """(N, A) adoption lag in years."""
    beta: Array
    """(N,) logistic slope per doubling."""
    T: Array
    """(N,) first doubling time in years."""
    g: Array
    """(N,) ratio of each doubling's time to the one before."""

    def take(self, n: int) -> Draws:
        """The first n draws."""
        return Draws(*(v[:n] for v in self))


class TaskDraws(NamedTuple):
    """The task side of a chunk of draws (what a plan samples; the trend is drawn separately)."""

    s: Array
    c: Array
    q: Array
    m: Array | None
    """(N, A, K) effective duration in doublings above one hour; None where it is ``base_m`` plus
    ``shift`` (see :attr:`durations`: the sum is made only for the draws that need it)."""
    lag: Array
    base_m: Array | None = None
    """``m`` without ``shift`` (the bridge's durations before the doublings that move every task
    of an area alike); None if there is no such part."""
    shift: Array | None = None
    """(N, A) doublings added to every task of an area: ``m = base_m + shift``. An area's needed
    doublings are those of ``base_m`` plus its shift, so a page moving only the shift solves
    nothing again."""

    @property
    def durations(self) -> Array:
        """(N, A, K) effective durations in doublings above one hour."""
        if self.m is not None:
            return self.m
        assert self.base_m is not None and self.shift is not None
        return self.base_m + self.shift[..., None]

    def with_trend(self, log2h: Array, beta: Array, T: Array, g: Array) -> Draws:
        """The full draws, durations measured against the drawn reference horizon."""
        return Draws(self.s, self.c, self.q, self.durations - log2h[:, None, None], self.lag, beta, T, g)


@dataclass(frozen=True)
class Dist:
    """A quantity as a distribution: log-normal ('log'), normal ('lin') or normal clipped to
    [0, 1] ('unit'); ``sd`` 0 means fixed at ``centre``."""

    centre: float
    sd: float
    scale: str = "log"

    @classmethod
    def of(cls, q: Quantity, scale: str = "log") -> Dist:
        """From a quantity's value and interval (the interval's ends at the stated level)."""
        z = NormalDist().inv_cdf((1 + q.level) / 2)
        if scale == "log":
            if q.uncertain and q.low is not None and q.high is not None and q.low > 0:
                return cls(math.log(q.value), math.log(q.high / q.low) / (2 * z), "log")
            return cls(math.log(q.value) if q.value > 0 else -math.inf, 0.0, "log")
        sd = (q.high - q.low) / (2 * z) if q.uncertain and q.low is not None and q.high is not None else 0.0
        return cls(q.value, sd, scale)

    def sample(self, rng: np.random.Generator, shape: tuple[int, ...]) -> Array:
        """Draws of the quantity, in its own unit. A fixed quantity still takes its deviates, so that
        fixing one input leaves every other input's draws as they were (common random numbers)."""
        return self.at(rng.standard_normal(shape))

    def at(self, z: Array) -> Array:
        """The quantity at standard normal deviates ``z``."""
        x = self.centre + self.sd * z
        if self.scale == "log":
            return np.exp(x)
        return np.clip(x, 0.0, 1.0) if self.scale == "unit" else x


def fingerprint(plan: object) -> str:
    """A digest of a plan's fields (arrays by content): equal plans sample equal draws."""
    import dataclasses
    import hashlib

    h = hashlib.sha256(type(plan).__name__.encode())
    for f in dataclasses.fields(plan):  # type: ignore[arg-type]
        v = getattr(plan, f.name)
        parts = v if isinstance(v, tuple) else (v,)
        for x in parts:
            if isinstance(x, np.ndarray):
                h.update(f"{x.dtype}{x.shape}".encode())
                h.update(np.ascontiguousarray(x).tobytes())
            else:
                h.update(repr(sorted(x.items()) if isinstance(x, dict) else x).encode())
    return h.hexdigest()


def logit(p: float) -> float:
    """log(p / (1 - p))."""
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class TrendPlan:
    """The capability trend's distributions, at the chosen reliability."""

    reference_date: float
    reliability: float
    horizon: Dist
    """Reference horizon in minutes, at ``anchor`` reliability."""
    anchor: float
    """Reliability the horizon was measured at (0.5 if the chosen one was not measured)."""
    doubling_days: Dist
    slope: Dist
    modes: tuple[float, float, float]
    """Probabilities of exponential, superexponential, subexponential growth."""
    steps: tuple[Dist, Dist]
    """Step of the superexponential and subexponential modes."""

    @classmethod
    def of(cls, trend: TrendSpec, *, reliability: float) -> TrendPlan:
        """The plan for a trend at a reliability; unmeasured reliabilities derive from 50%."""
        keys = {float(k): k for k in trend.horizons}
        anchor = reliability if reliability in keys else 0.5
        if anchor not in keys:
            anchor = min(keys, key=lambda r: abs(r - reliability))
        fixed = Dist(0.0, 0.0, "lin")
        steps = tuple(Dist.of(step) if m in trend.growth and (step := trend.growth[m].step)
                      else fixed for m in MODES[1:])
        probs = tuple(trend.growth[m].probability if m in trend.growth else 0.0 for m in MODES)
        return cls(trend.reference_date.value, reliability, Dist.of(trend.horizons[keys[anchor]]),
                   anchor, Dist.of(trend.doubling_time), Dist.of(trend.slope),
                   probs, steps)  # type: ignore[arg-type]

    def sample(self, rng: np.random.Generator, n: int) -> tuple[Array, Array, Array, Array]:
        """(log2 reference horizon in hours at the chosen reliability, slope, T years, g), each (n,)."""
        beta = self.slope.sample(rng, (n,))
        log2h = np.log2(self.horizon.sample(rng, (n,))) - LOG2_MINUTES_PER_HOUR
        if self.anchor != self.reliability:  # METR's logistic form moves the horizon along the slope
            log2h = log2h - (logit(self.reliability) - logit(self.anchor)) / beta
        T = self.doubling_days.sample(rng, (n,)) / 365.25
        mode = rng.choice(3, size=n, p=np.asarray(self.modes) / sum(self.modes))
        step = np.where(mode == 1, self.steps[0].sample(rng, (n,)), self.steps[1].sample(rng, (n,)))
        step = np.clip(step, 0.0, 0.95)
        g = np.where(mode == 0, 1.0, np.where(mode == 1, 1 - step, 1 + step))
        return log2h, beta, T, g


class GammaDeviates(NamedTuple):
    """The random numbers of :func:`gammas_at`, none of which depends on the shapes: a page that
    moves a concentration draws nothing again."""

    z: Array
    """Standard normals (Marsaglia and Tsang's candidate)."""
    threshold: Array
    """``log u - z^2 / 2``, u uniform: a candidate is accepted where this is below
    ``d (1 - v + log v)``."""
    log_w: Array
    """log of uniforms (the step from shape a + 1 down to a)."""
    seed: int
    """Stream of further candidates for the few draws whose first one is rejected."""

    @classmethod
    def draw(cls, rng: np.random.Generator, shape: tuple[int, ...]) -> GammaDeviates:
        """Deviates for an array of gammas of ``shape``."""
        seed = int(rng.integers(2**63))
        z = rng.standard_normal(shape)
        return cls(z, _threshold(z, rng.random(shape)), np.log(rng.random(shape)), seed)


def _threshold(z: Array, u: Array) -> Array:
    """``log u - z^2 / 2`` (see :attr:`GammaDeviates.threshold`)."""
    t = np.log(u)
    t -= 0.5 * z * z
    return t


def gammas_at(alpha: Array, dev: GammaDeviates) -> Array:
    """Gamma(alpha) variates (shapes ``alpha`` broadcast to the deviates') from fixed deviates.

    Marsaglia and Tsang's method (ACM TOMS 26(3), 2000) for shape a + 1 >= 1, where it accepts
    over 95% of candidates: with d = a + 1 - 1/3, c = 1/sqrt(9 d), a normal z and a uniform u,
    ``d v`` is Gamma(a + 1) when ``v = (1 + c z)^3 > 0`` and ``log u - z^2/2 < d (1 - v + log v)``;
    then ``Gamma(a + 1) * w^(1/a)`` (w uniform) is Gamma(a), for any a > 0.
    Rejected candidates are replaced from the deviates' own stream, round by round, so every
    draw stays exact; the same deviates give each shape its gammas, so changing a concentration
    moves the shares smoothly instead of drawing new ones (common random numbers).
    """
    d = alpha + 2.0 / 3.0             # shapes as given (broadcast in the arithmetic)
    y, ok = _marsaglia_tsang(d, dev.z, dev.threshold)
    rng = None
    while not ok.all():              # about 0.5-3% of draws, fewer each round
        bad = np.flatnonzero(~ok.ravel())
        rng = rng or np.random.default_rng(dev.seed)
        z = rng.standard_normal(bad.size)
        d_bad = np.broadcast_to(d, y.shape)[np.unravel_index(bad, y.shape)]
        y_bad, ok_bad = _marsaglia_tsang(d_bad, z, _threshold(z, rng.random(bad.size)))
        y.ravel()[bad] = y_bad       # y and ok are fresh contiguous arrays: ravel() is a view
        ok.ravel()[bad] = ok_bad
    w = np.divide(dev.log_w, alpha)
    np.exp(w, out=w)
    y *= w
    return y


def _marsaglia_tsang(d: Array, z: Array, threshold: Array) -> tuple[Array, NDArray[np.bool_]]:
    """Candidates ``d v`` with v = (1 + c z)^3, c = 1/sqrt(9 d), and whether each is accepted
    (never where v <= 0: its log is NaN or -inf, which no threshold is below)."""
    v = np.divide(z, np.sqrt(9.0 * d))
    v += 1.0
    cube = v * v
    cube *= v
    with np.errstate(divide="ignore", invalid="ignore"):
        test = np.log(cube, out=v)
    test -= cube
    test += 1.0
    test *= d
    ok = threshold < test
    cube *= d
    return cube, ok


def dirichlet(rng: np.random.Generator, alpha: Array) -> Array:
    """Dirichlet draws along the first axis with per-column concentrations (zeros stay zero)."""
    x = rng.standard_gamma(alpha)
    total = x.sum(axis=0)
    return np.divide(x, total, out=np.zeros_like(x), where=total > 0)


@dataclass(frozen=True)
class TaskPlan:
    """A task-level model's distributions as (A, K) arrays, padded where areas have fewer tasks."""

    share: Array
    present: NDArray[np.bool_]
    duration: tuple[Array, Array]
    """log-hours centre and sd."""
    verifiability: tuple[Array, Array]
    compute: tuple[Array, Array]
    review: tuple[Array, Array]
    lag: tuple[Array, Array]
    """(A,) centre and sd, years."""
    ai_speed: Dist
    feedback_doublings: Dist
    concentration: float

    @cached_property
    def fingerprint(self) -> str:
        """Digest of the plan (draws from equal plans and seeds are equal)."""
        return fingerprint(self)

    @property
    def solve_key(self) -> str:
        """What the solve depends on (see ``BridgePlan.solve_key``): the whole plan."""
        return self.fingerprint

    @property
    def shape_key(self) -> str:
        """What the solve's task ordering depends on: the whole plan."""
        return self.fingerprint

    def sample_tasks(self, rng: np.random.Generator, n: int) -> TaskDraws:
        """The task side of one chunk of n draws (task-major in memory, like the bridge's)."""
        a, k = self.share.shape
        shape = (k, n, a)

        def col(v: NDArray[Any]) -> NDArray[Any]:   # (A, K) -> (K, 1, A)
            return v.T[:, None, :]

        def normal(pair: tuple[Array, Array]) -> Array:
            return col(pair[0]) + col(pair[1]) * rng.standard_normal(shape)

        s = dirichlet(rng, np.broadcast_to(self.concentration * col(self.share), shape))
        log_d = normal(self.duration) / math.log(2)
        v = np.clip(normal(self.verifiability), 0, 1)
        c = np.clip(normal(self.compute), 0, 1)
        r = np.maximum(normal(self.review), 0)
        lag = np.maximum(self.lag[0] + self.lag[1] * rng.standard_normal((n, a)), 0)
        speed = self.ai_speed.sample(rng, (1, n, 1))
        fd = np.maximum(self.feedback_doublings.sample(rng, (1, n, 1)), 0)
        present = col(self.present)
        q = np.where(present, 1 / speed + r, 1.0)
        m = np.where(present, log_d + fd * (1 - v), 0.0)
        s, c, q, m = (np.moveaxis(v, 0, -1) for v in (s, np.where(present, c, 0.0), q, m))
        return TaskDraws(s, c, q, m, lag)
