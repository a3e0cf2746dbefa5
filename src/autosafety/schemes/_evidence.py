"""Confidence in one piece of evidence: a probability, an interval, a subjective-logic opinion, or
an Inspect evaluation log (its metric and sample count give a Wilson interval), with its source.

Written on a Solution (or counter solution) as gsn2x layer attributes, which gsn2x keeps::

    Sn1: {text: Honeypot suite, confidence: 0.9}
    Sn2: {text: Red team, confidence: {interval: [0.7, 0.95], source: "report 2025-03"}}
    Sn3: {text: Panel, confidence: {belief: 0.6, disbelief: 0.1, uncertainty: 0.3}}
    Sn4: {text: Eval, confidence: {inspect: logs/elicitation.eval, metric: accuracy}}
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._errors import InputError, Problem

Z95 = 1.959963984540054
"""Normal quantile of the two-sided 95% Wilson interval."""
_FORM = (
    "a probability (0.9), an interval ([0.8, 0.95]), an opinion {belief, disbelief, uncertainty} "
    "or {inspect: log.eval, metric: accuracy}; optional `source`"
)


@dataclass(frozen=True)
class Interval:
    """Confidence bounds: the claim holds with probability in [lo, hi]."""

    lo: float
    hi: float

    def as_list(self) -> list[float]:
        """[lo, hi] rounded to 4 places."""
        return [round(self.lo, 4), round(self.hi, 4)]


UNKNOWN = Interval(0.0, 1.0)
CERTAIN = Interval(1.0, 1.0)


@dataclass(frozen=True)
class Evidence:
    """Confidence of one element and where it came from."""

    interval: Interval
    source: str


def _prob(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and 0 <= v <= 1


def wilson(successes: float, n: int, *, z: float = Z95) -> Interval:
    """Wilson score interval for a binomial proportion."""
    if n <= 0:
        return UNKNOWN
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def evidence_of(value: Any, *, where: str, base: Path | None = None) -> Evidence:
    """The Evidence a `confidence` attribute states, or an InputError located at ``where``."""

    def bad(message: str) -> InputError:
        return InputError(Problem(where, message, "write " + _FORM), title="bad confidence")

    source = ""
    if isinstance(value, dict):
        source = str(value.get("source", "") or "")
        if "probability" in value or "p" in value:
            value = value.get("probability", value.get("p"))
        elif "interval" in value:
            value = value["interval"]
        elif "inspect" in value:
            return _from_inspect(value, where=where, base=base, source=source)
        elif {"belief", "disbelief", "uncertainty"} <= set(value):
            b, d, u = value["belief"], value["disbelief"], value["uncertainty"]
            if not all(_prob(x) for x in (b, d, u)):
                raise bad("belief, disbelief and uncertainty must each be in [0, 1]")
            if abs(b + d + u - 1) > 1e-6:
                raise bad(
                    f"an opinion's belief, disbelief and uncertainty sum to 1 (these sum to {b + d + u:g})"
                )
            return Evidence(Interval(float(b), float(b + u)), source or "opinion")
        else:
            raise bad(f"unknown form with keys {sorted(map(str, value))[:6]}")
    if _prob(value):
        return Evidence(Interval(float(value), float(value)), source or "stated")
    if isinstance(value, list) and len(value) == 2 and all(_prob(x) for x in value):
        if value[0] > value[1]:
            raise bad(f"interval [{value[0]}, {value[1]}] has its lower bound above its upper bound")
        return Evidence(Interval(float(value[0]), float(value[1])), source or "stated")
    raise bad(f"{str(value)[:60]!r} is not a confidence in [0, 1]")


def _from_inspect(spec: dict[str, Any], *, where: str, base: Path | None, source: str) -> Evidence:
    """A Wilson interval from an Inspect log's metric (a proportion) and its completed samples."""
    path = Path(str(spec["inspect"]))
    if not path.is_absolute() and base is not None:
        path = base / path
    metric, scorer = str(spec.get("metric", "accuracy")), spec.get("scorer")
    fix = "point `inspect` at an Inspect .eval or .json log with a proportion metric (e.g. accuracy)"
    if not path.is_file():
        raise InputError(Problem(where, f"Inspect log {path} does not exist", fix), title="bad confidence")
    try:
        from inspect_ai.log import read_eval_log

        log = read_eval_log(str(path), header_only=True)
    except Exception as e:  # any failure to read is a foreign or damaged file
        raise InputError(
            Problem(where, f"{path} is not a readable Inspect evaluation log ({type(e).__name__})", fix),
            title="bad confidence",
        ) from None
    if log.status != "success" or log.results is None:
        raise InputError(
            Problem(where, f"Inspect log {path} has status '{log.status}' and no results", fix),
            title="bad confidence",
        )
    for score in log.results.scores:
        if (scorer is None or score.name == scorer) and metric in score.metrics:
            value, n = score.metrics[metric].value, log.results.completed_samples
            if not _prob(value):
                raise InputError(
                    Problem(where, f"metric {metric} = {value} is not a proportion in [0, 1]", fix),
                    title="bad confidence",
                )
            task = log.eval.task
            return Evidence(
                wilson(value * n, n),
                source or f"Inspect {task}: {metric} {value:.3g} on {n} samples ({path.name})",
            )
    raise InputError(
        Problem(
            where,
            f"Inspect log {path} has no metric '{metric}'" + (f" for scorer '{scorer}'" if scorer else ""),
            fix,
        ),
        title="bad confidence",
    )
