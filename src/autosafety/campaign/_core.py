"""Pure functions of campaigns: tokens, which cells a rater gets, checking an answer, and turning
answers into the tidy ratings the model reads (kind ``human``, provenance: campaign, round, rater
pseudonym, time). No I/O."""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .._errors import InputError, Problem
from ..model import Model, Rating

TOKEN_BYTES = 32
"""Random bytes per token: 256 bits (at least 128 are required)."""
MAX_RATIONALE = 5000
"""Longest rationale accepted, in characters."""
MAX_NAME = 200
"""Longest campaign or display name accepted."""
CREDIBILITY = 0.9
"""The probability inside a rater's [5th, 95th] percentile interval."""


def new_token() -> str:
    """A fresh private token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What is stored instead of a token: its SHA-256 (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def pseudonym(index: int, total: int) -> str:
    """``R01``, ``R02``... (zero padded to the number of raters)."""
    return f"R{index + 1:0{max(2, len(str(total)))}d}"


def campaign_cells(model: Model, cells: Sequence[str] | None) -> list[tuple[str, str]]:
    """The (area, factor) cells to elicit: every cell of the model, or the ``AREA:FACTOR`` keys
    given (``AREA:*`` and ``*:FACTOR`` select a row or a column); unknown ids are reported."""
    from ..model._cells import split_cell

    areas = [a.id for a in model.spec.areas]
    factors = [f.id for f in model.spec.factors]
    if not cells:
        return [(a, f) for a in areas for f in factors]
    out: list[tuple[str, str]] = []
    problems = []
    for key in cells:
        for part in (p.strip() for p in key.split(",")):
            if not part:
                continue
            try:
                area, factor = split_cell(part)
            except ValueError as e:
                problems.append(Problem(f"--cells {part}", str(e), "use AREA:FACTOR"))
                continue
            a_ids = areas if area == "*" else [area]
            f_ids = factors if factor == "*" else [factor]
            for a in a_ids:
                if a not in areas:
                    problems.append(Problem(f"--cells {part}", f"unknown area '{a}'",
                                            f"use one of {', '.join(areas)}"))
                    continue
                for f in f_ids:
                    if f not in factors:
                        problems.append(Problem(f"--cells {part}", f"unknown factor '{f}'",
                                                f"use one of {', '.join(factors)}"))
                    elif (a, f) not in out:
                        out.append((a, f))
    if problems:
        raise InputError(problems, title="invalid --cells")
    return out


def factor_scale(model: Model, factor: str) -> tuple[float, float]:
    """The (min, max) of a factor's rating scale."""
    f = next(x for x in model.spec.factors if x.id == factor)
    scale = f.scale or model.spec.scale
    return float(scale.min), float(scale.max)


@dataclass(frozen=True)
class Answer:
    """A rater's answer to one cell: value and 5-95% interval on the factor's scale, a rationale,
    or "not my area" (then no numbers)."""

    area: str
    factor: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    rationale: str = ""
    not_my_area: bool = False


def check_answer(answer: Answer, scale: tuple[float, float], *, where: str = "answer") -> Answer:
    """The answer if it is valid, else an InputError listing every problem with its field."""
    lo, hi = scale
    problems: list[Problem] = []
    if len(answer.rationale) > MAX_RATIONALE:
        problems.append(Problem(f"{where}.rationale", f"{len(answer.rationale)} characters, over "
                                f"{MAX_RATIONALE}", "shorten it"))
    if answer.not_my_area:
        if any(x is not None for x in (answer.value, answer.low, answer.high)):
            problems.append(Problem(where, "'not my area' with a value", "give no value, or untick it"))
    else:
        named = {"value": answer.value, "low": answer.low, "high": answer.high}
        if answer.value is None:
            problems.append(Problem(f"{where}.value", "missing", f"give a value from {lo:g} to {hi:g}"))
        for name, x in named.items():
            if x is None:
                continue
            if not math.isfinite(x) or not lo <= x <= hi:
                problems.append(Problem(f"{where}.{name}", f"{x:g} is off the scale {lo:g}-{hi:g}",
                                        f"give a value from {lo:g} to {hi:g}"))
        if (answer.low is None) != (answer.high is None):
            problems.append(Problem(where, "only one end of the interval", "give both 5% and 95%"))
        v, a, b = answer.value, answer.low, answer.high
        if a is not None and b is not None and v is not None and not a <= v <= b:
            problems.append(Problem(where, f"the interval [{a:g}, {b:g}] does not contain the value "
                                    f"{v:g}", "low <= value <= high"))
    if problems:
        raise InputError(problems, title="invalid answer")
    return answer


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as kept: who (pseudonym), which round, when, and its version."""

    campaign_id: int
    campaign: str
    rater: str
    round: int
    time: str
    version: int
    answer: Answer


def answers_to_ratings(answers: Iterable[StoredAnswer], *, round: int | None = None) -> list[Rating]:
    """Tidy ratings of the answers (the latest round of each rater and cell unless ``round``);
    'not my area' answers are left out. Rater ids are ``campaign-ID/PSEUDONYM``; no token, no name."""
    latest: dict[tuple[str, str, str], StoredAnswer] = {}
    for s in answers:
        if round is not None and s.round != round:
            continue
        key = (s.rater, s.answer.area, s.answer.factor)
        if key not in latest or s.round > latest[key].round:
            latest[key] = s
    out = []
    for s in sorted(latest.values(), key=lambda s: (s.rater, s.answer.area, s.answer.factor)):
        a = s.answer
        if a.not_my_area or a.value is None:
            continue
        both = a.low is not None and a.high is not None
        out.append(Rating(area=a.area, factor=a.factor, rater=f"campaign-{s.campaign_id}/{s.rater}",
                          value=a.value, low=a.low if both else None, high=a.high if both else None,
                          credibility=CREDIBILITY if both else None, rationale=a.rationale,
                          provenance={"kind": "human", "campaign": s.campaign_id,
                                      "campaign_name": s.campaign, "round": s.round,
                                      "rater": s.rater, "time": s.time, "version": s.version}))
    return out
