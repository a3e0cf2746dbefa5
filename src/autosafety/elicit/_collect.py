"""From answers to ratings: one rater per (LLM, sample); paper ratings aggregated per area."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..model import Rating
from ._cache import Answer
from ._plan import Request
from ._prompt import _digest


def rater_id(llm: str, sample: int) -> str:
    """The rater id of one sample of one LLM, e.g. ``openai/gpt-4o#0``."""
    return re.sub(r"[^A-Za-z0-9_.\-:/@]", "_", llm) + f"#{sample}"


def _paper_rating(reqs: Sequence[Request], answers: Mapping[str, Answer]) -> Rating | None:
    """The mean over a cell's papers, its interval the range of the paper ratings.

    For n ratings the range [min, max] holds a further paper's rating with probability
    (n - 1) / (n + 1) (order statistics), which is recorded as the interval's credibility.
    """
    first = reqs[0]
    ok = [(r, answers[r.key]) for r in reqs if answers[r.key].status == "ok"]
    if not ok:
        return None
    values = np.array([a.value for _, a in ok], dtype=float)
    n = len(values)
    prov: dict[str, Any] = {k: v for k, v in ok[0][1].provenance.items() if k != "paper"}
    prov.update({
        "prompt_hash": _digest(*sorted(r.prompt_hash for r in reqs))[:16],
        "time": max(a.provenance.get("time", "") for _, a in ok),
        "input_tokens": sum(a.provenance.get("input_tokens") or 0 for _, a in ok),
        "output_tokens": sum(a.provenance.get("output_tokens") or 0 for _, a in ok),
        "method": "papers", "papers_rated": n, "papers_failed": len(reqs) - n,
        "papers": [{"title": r.paper.title if r.paper else "", "rating": a.value} for r, a in ok],
    })
    interval: dict[str, Any] = {}
    if n >= 2:
        interval = {"low": float(values.min()), "high": float(values.max()),
                    "credibility": (n - 1) / (n + 1)}
    return Rating(area=first.area, factor=first.factor, rater=rater_id(first.llm, first.sample),
                  value=float(values.mean()), rationale=f"mean of {n} paper rating(s)",
                  provenance=prov, **interval)


def collect_ratings(requests: Sequence[Request], answers: Mapping[str, Answer]) -> list[Rating]:
    """One rating per (LLM, sample, area, factor) with a usable answer, in request order."""
    cells: dict[tuple[str, int, str, str], list[Request]] = {}
    for r in requests:
        if r.key in answers:
            cells.setdefault((r.llm, r.sample, r.area, r.factor), []).append(r)
    out = []
    for reqs in cells.values():
        if reqs[0].paper is not None:
            rating = _paper_rating(reqs, answers)
            if rating is not None:
                out.append(rating)
            continue
        req, answer = reqs[0], answers[reqs[0].key]
        if answer.status == "ok" and answer.value is not None:
            out.append(Rating(area=req.area, factor=req.factor, rater=rater_id(req.llm, req.sample),
                              value=answer.value, rationale=answer.rationale,
                              provenance=answer.provenance))
    return out
