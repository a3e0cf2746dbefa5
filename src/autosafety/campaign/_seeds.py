"""Seed questions of a campaign (calibration items with a known answer) and the pooling of the
campaign's cell answers by Cooke's classical model. Pure functions, no I/O.

Raters answer each seed as 5/50/95% quantiles; their realizations (and sources) stay with the
organiser. Each rater's cell answer (5% low, value, 95% high) is a target item; the scoring and
the decision maker are :func:`autosafety.elicit.cooke`'s, not rewritten here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

import numpy as np

from .._errors import InputError, Problem
from ..model import Rating
from ._core import CREDIBILITY

MAX_SEEDS = 100
"""Most seed questions a campaign may have."""
MAX_QUESTION = 2000
"""Longest question text, in characters."""
MAX_UNIT = 100
"""Longest unit, in characters."""
MAX_SOURCE = 1000
"""Longest source or citation, in characters."""
MAX_ABS = 1e15
"""Largest magnitude of a realization or an answer."""
QUANTILES = (0.05, 0.5, 0.95)
"""The quantile levels raters give for every seed question and cell."""
SCALES = {"uniform": "uni", "uni": "uni", "log": "log", "log-uniform": "log"}
"""Spellings accepted for an item's background scale, and the scale each means."""
_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
METHODS = ("cooke", "equal")
"""How a campaign's cell answers are pooled: Cooke's global weights, or the equal-weight pool."""


@dataclass(frozen=True)
class SeedQuestion:
    """A calibration item: its question, unit, known answer (realization), source and scale."""

    id: str
    question: str
    unit: str
    realization: float
    source: str
    scale: str
    """'uni' (uniform background) or 'log' (log-uniform)."""

    def public(self) -> dict[str, Any]:
        """What a rater sees: no realization and no source (which would give the answer away)."""
        return {"id": self.id, "question": self.question, "unit": self.unit,
                "scale": "log" if self.scale == "log" else "uniform"}


def seed_questions_from_data(data: Any, *, origin: str = "seed questions") -> list[SeedQuestion]:
    """Seed questions from parsed YAML/JSON: a list of items or ``{questions: [...]}``; every
    problem at once, located by item and field."""
    if isinstance(data, dict) and set(data) == {"questions"}:
        data = data["questions"]
    if not isinstance(data, list):
        raise InputError(Problem(origin, "expected a list of questions (or 'questions: [...]')",
                                 "see docs/campaigns.md, 'Interviews and seed questions'"),
                         title=f"{origin} is not a valid seed-question file")
    problems: list[Problem] = []
    if not data:
        problems.append(Problem(origin, "no questions", "give at least one seed question"))
    if len(data) > MAX_SEEDS:
        problems.append(Problem(origin, f"{len(data)} questions, over {MAX_SEEDS}",
                                "keep the best calibration items"))
        data = data[:MAX_SEEDS]
    out: list[SeedQuestion] = []
    seen: set[str] = set()
    for n, item in enumerate(data):
        where = f"{origin}: questions[{n}]"
        if not isinstance(item, dict):
            problems.append(Problem(where, "expected a mapping with id, question, unit, realization",
                                    "see docs/campaigns.md"))
            continue
        unknown = set(item) - {"id", "question", "unit", "realization", "source", "scale"}
        problems += [Problem(f"{where}.{k}", "unknown field", "use id, question, unit, realization, "
                             "source, scale") for k in [str(x)[:64] for x in sorted(map(str, unknown))[:10]]]
        qid = item.get("id")
        if not isinstance(qid, str) or not _ID.match(qid):
            problems.append(Problem(f"{where}.id", "missing, or not 1-64 letters, digits, '_', '.', '-'",
                                    "give a short id such as metr-horizon-2025"))
            qid = None
        elif qid in seen:
            problems.append(Problem(f"{where}.id", f"'{qid}' is used twice", "give each its own id"))
        else:
            where = f"{origin}: questions[{n}] ({qid})"
            seen.add(qid)
        texts: dict[str, str] = {}
        for key, cap, needed in (("question", MAX_QUESTION, True), ("unit", MAX_UNIT, False),
                                 ("source", MAX_SOURCE, False)):
            v = item.get(key, "")
            if not isinstance(v, str) or (needed and not v.strip()) or len(v) > cap:
                problems.append(Problem(f"{where}.{key}", f"{'missing or ' if needed else ''}not text "
                                        f"of at most {cap} characters", f"give the {key} as text"))
                v = ""
            texts[key] = v.strip()
        scale = SCALES.get(str(item.get("scale", "uniform")).lower())
        if scale is None:
            problems.append(Problem(f"{where}.scale", f"'{str(item.get('scale'))[:40]}' is not a scale",
                                    "use uniform or log"))
        r = item.get("realization")
        if isinstance(r, bool) or not isinstance(r, int | float) or not math.isfinite(r) \
                or abs(r) > MAX_ABS:
            problems.append(Problem(f"{where}.realization", "missing or not a finite number",
                                    "give the known answer as a number"))
            r = None
        elif scale == "log" and r <= 0:
            problems.append(Problem(f"{where}.realization", f"{r:g} on a log scale",
                                    "a log-scale item needs a positive answer; or use uniform"))
        if qid and scale and r is not None:
            out.append(SeedQuestion(qid, texts["question"], texts["unit"], float(r), texts["source"],
                                    scale))
    if problems:
        raise InputError(problems, title=f"{origin} is not a valid seed-question file")
    return out


def read_seed_questions(text: str, *, origin: str) -> list[SeedQuestion]:
    """Seed questions from YAML or JSON text (the project's bounded loader)."""
    from .._input import load_yaml

    return seed_questions_from_data(load_yaml(text, origin=origin, kind="YAML or JSON"), origin=origin)


@dataclass(frozen=True)
class SeedAnswer:
    """A rater's 5/50/95% quantiles for one seed question."""

    question: str
    q05: float
    q50: float
    q95: float

    @property
    def values(self) -> tuple[float, float, float]:
        """The three quantiles in order."""
        return (self.q05, self.q50, self.q95)


def check_seed_answer(answer: SeedAnswer, question: SeedQuestion, *, where: str = "") -> SeedAnswer:
    """The answer if its quantiles are finite, strictly increasing and (log scale) positive."""
    where = where or f"seeds.{question.id}"
    problems = []
    for name, x in zip(("q05", "q50", "q95"), answer.values, strict=True):
        if not math.isfinite(x) or abs(x) > MAX_ABS:
            problems.append(Problem(f"{where}.{name}", "not a finite number", "give a number"))
        elif question.scale == "log" and x <= 0:
            problems.append(Problem(f"{where}.{name}", f"{x:g} is not positive",
                                    "this question is on a log scale: give positive values"))
    if not problems and not answer.q05 < answer.q50 < answer.q95:
        problems.append(Problem(where, f"quantiles {answer.q05:g}, {answer.q50:g}, {answer.q95:g} are "
                                "not strictly increasing", "5% < 50% < 95%"))
    if problems:
        raise InputError(problems, title="invalid seed answer")
    return answer


@dataclass(frozen=True, eq=False)
class CampaignPool:
    """Cooke's classical model (or the equal-weight pool) over a campaign's raters: their seed
    answers calibrate them, their cell answers (5%, value, 95%) are the target items."""

    campaign_id: int
    method: str
    result: Any
    """The :class:`autosafety.elicit.CookeResult` (keeps the judgements it scored)."""
    cells: tuple[tuple[str, str], ...]
    """The (area, factor) cells pooled, in item order after the seed questions."""
    cell_quantiles: Any
    """(cells, 3): the decision maker's 5/50/95% per cell, clipped to the factor's scale."""
    skipped: tuple[str, ...]
    """Cell answers left out, and why (no interval, or an interval that is a point)."""
    labels: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    """(area, factor) -> (area name, factor name), for people to read."""

    @property
    def rater_id(self) -> str:
        """The pooled rater's id in the model: ``campaign-ID/pool-cooke`` or ``.../pool-equal``."""
        return f"campaign-{self.campaign_id}/pool-{self.method}"

    def ratings(self) -> list[Rating]:
        """The pooled rater group: per cell the DM's median as the value, its 5%/95% as the
        interval (credibility 0.9); kind human (no model in the provenance)."""
        r = self.result
        out = []
        for k, (area, factor) in enumerate(self.cells):
            lo, mid, hi = (float(x) for x in self.cell_quantiles[k])
            out.append(Rating(area=area, factor=factor, rater=self.rater_id, value=mid, low=lo, high=hi,
                              credibility=CREDIBILITY, provenance={
                                  "kind": "human", "campaign": self.campaign_id, "pool": self.method,
                                  "alpha": float(r.alpha), "raters": len(r.judgements.experts)}))
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain data: every rater's scores and weight, and the pooled cells."""
        d = self.result.to_dict()
        dm_scored = d["decision_maker"]["calibration"] is not None  # not without seed answers
        return {"campaign": self.campaign_id, "method": self.method, "rater": self.rater_id,
                "quantiles": list(QUANTILES), "alpha": d["alpha"], "alpha_optimised": d["alpha_optimised"],
                "raters": [{**e, "passes_cutoff": None if self.method != "cooke" else
                            e["calibration"] is not None and e["calibration"] >= self.result.alpha}
                           for e in d["experts"]],
                "decision_maker": {k: d["decision_maker"][k] if dm_scored else None
                                   for k in ("calibration", "information", "score")},
                "seeds": [i for i in d["decision_maker"]["items"] if i["realization"] is not None],
                "cells": [{"area": r.area, "factor": r.factor,
                           "area_name": self.labels.get((r.area, r.factor), (r.area, r.factor))[0],
                           "factor_name": self.labels.get((r.area, r.factor), (r.area, r.factor))[1],
                           "low": r.low, "value": r.value, "high": r.high} for r in self.ratings()],
                "skipped": list(self.skipped)}


class CellAssessment(Protocol):
    """A rater's answer to a cell as pooling reads it: a :class:`Rating`, or :class:`CellAnswer`."""

    @property
    def rater(self) -> str: ...
    @property
    def area(self) -> str: ...
    @property
    def factor(self) -> str: ...
    @property
    def value(self) -> float: ...
    @property
    def low(self) -> float | None: ...
    @property
    def high(self) -> float | None: ...


class CellAnswer(NamedTuple):
    """A rater's latest answer to a cell, read straight from the database (no model objects)."""

    rater: str
    area: str
    factor: str
    value: float
    low: float | None
    high: float | None


def pool_campaign(questions: Sequence[SeedQuestion], seed_answers: Mapping[str, Iterable[SeedAnswer]],
                  ratings: Iterable[CellAssessment], *, campaign_id: int, method: str = "cooke",
                  scales: Mapping[str, tuple[float, float]] | None = None) -> CampaignPool:
    """Pool a campaign's cell ``ratings`` (each rater's latest, as :func:`answers_to_ratings` gives
    them; the rater is the part of the id after the last '/') by Cooke's classical model
    calibrated on ``seed_answers`` (rater pseudonym -> answers).

    ``method='equal'`` is the equal-weight linear pool, which needs no seed answers (with them,
    the raters and the pool are still scored); ``'cooke'`` needs seed questions and answers.
    Only answers with a 5-95% interval strictly around the value are assessments Cooke's model can
    score; the others are listed in ``skipped``. ``scales`` (factor -> (min, max)) clips the pooled
    quantiles to the factor's scale against rounding.
    """
    from ..elicit import cooke, expert_judgements

    if method not in METHODS:
        raise InputError(Problem("--method", f"'{method}' is not one of {', '.join(METHODS)}",
                                 "use cooke or equal"))
    seeds = {rater: {a.question: a for a in answers} for rater, answers in seed_answers.items()}
    cells: dict[tuple[str, str], None] = {}
    cell_values: dict[tuple[str, tuple[str, str]], tuple[float, float, float]] = {}
    skipped = []
    for r in ratings:
        who = r.rater.rsplit("/", 1)[-1]
        if r.low is None or r.high is None or not r.low < r.value < r.high:
            skipped.append(f"{who} {r.area}:{r.factor}: no interval strictly around the value")
            continue
        cells[(r.area, r.factor)] = None
        cell_values[(who, (r.area, r.factor))] = (r.low, r.value, r.high)
    experts = sorted(set(seeds) | {who for who, _ in cell_values})
    seeded = any(seeds.values())
    if method == "cooke" and not questions:
        raise InputError(Problem(f"campaign {campaign_id}: seed questions", "the campaign has no seed "
                                 "questions, so Cooke's model cannot weigh its raters",
                                 "add seed questions (calibration items with known answers) when "
                                 "creating the campaign: `campaign create ... --seed-questions FILE` "
                                 "or the seed-question file on /campaigns; or pool with equal "
                                 "weights (--method equal)"),
                         title="cannot pool the campaign by Cooke's model")
    if method == "cooke" and not seeded:
        raise InputError(Problem(f"campaign {campaign_id}: seed questions",
                                 f"no rater has answered a seed question yet (of {len(questions)})",
                                 "Cooke's model needs seed answers to calibrate the raters: raters "
                                 "answer them at /interview#TOKEN; or pool with equal weights "
                                 "(--method equal)"),
                         title="cannot pool the campaign by Cooke's model")
    if not cell_values and not seeded:
        raise InputError(Problem(f"campaign {campaign_id}: answers", "no rater has answered a cell "
                                 "with a 5-95% interval around the value yet",
                                 "pooling needs quantile answers (low < value < high)"
                                 + (f"; left out: {len(skipped)}" if skipped else "")),
                         title="nothing to pool yet")
    cell_list = list(cells)
    items = [q.id for q in questions] + [f"{a}:{f}" for a, f in cell_list]
    values = np.full((len(experts), len(items), len(QUANTILES)), np.nan)
    for e, who in enumerate(experts):
        for i, q in enumerate(questions):
            if (a := seeds.get(who, {}).get(q.id)) is not None:
                values[e, i] = a.values
        for k, cell in enumerate(cell_list):
            if (v := cell_values.get((who, cell))) is not None:
                values[e, len(questions) + k] = v
    # a seed question nobody answered is dropped (Cooke's model needs an answer per item)
    answered = np.isfinite(values).all(axis=2).any(axis=0)
    keep = [i for i in range(len(items)) if answered[i]]
    q_kept = [questions[i] for i in keep if i < len(questions)]
    judgements = expert_judgements(
        experts, [items[i] for i in keep], list(QUANTILES), values[:, keep, :],
        [q.realization for q in q_kept] + [math.nan] * len(cell_list),
        [q.scale for q in q_kept] + ["uni"] * len(cell_list), require_seed=method == "cooke")
    result = cooke(judgements, weighting="global" if method == "cooke" else "equal")
    pooled = result.dm_quantiles[len(q_kept):].copy()
    for k, (_area, factor) in enumerate(cell_list):
        if scales and factor in scales:
            pooled[k] = np.clip(pooled[k], *scales[factor])
    ok = np.asarray(np.isfinite(pooled).all(axis=1), dtype=bool)
    skipped += [f"{a}:{f}: no rater with weight answered it"
                for k, (a, f) in enumerate(cell_list) if not ok[k]]
    kept = tuple(c for k, c in enumerate(cell_list) if ok[k])
    return CampaignPool(campaign_id, method, result, kept, pooled[ok], tuple(skipped))
