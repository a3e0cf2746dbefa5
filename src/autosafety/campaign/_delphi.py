"""Delphi rounds as pure functions of stored answers: each round's standing answers (a rater who
does not revise keeps the earlier answer), the anonymised group feedback a rater sees from round
2 on, per-cell spread, and the change between rounds. No I/O."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ._core import StoredAnswer

Cell = tuple[str, str]
"""(area id, factor id)."""


def standing(answers: Iterable[StoredAnswer], round: int) -> dict[tuple[str, str, str], StoredAnswer]:
    """(rater, area, factor) -> the answer that stands at the end of ``round``: the rater's answer
    in that round, else their latest earlier one."""
    out: dict[tuple[str, str, str], StoredAnswer] = {}
    for s in answers:
        key = (s.rater, s.answer.area, s.answer.factor)
        if s.round <= round and (key not in out or s.round > out[key].round):
            out[key] = s
    return out


def values_by_cell(answers: Iterable[StoredAnswer]) -> dict[Cell, list[StoredAnswer]]:
    """Answers with a value (not 'not my area'), grouped by cell, each list by rater."""
    out: dict[Cell, list[StoredAnswer]] = {}
    for s in sorted(answers, key=lambda s: s.rater):
        if not s.answer.not_my_area and s.answer.value is not None:
            out.setdefault((s.answer.area, s.answer.factor), []).append(s)
    return out


def _order_key(campaign_id: int, cell: Cell, text: str) -> str:
    return hashlib.sha256(f"{campaign_id}\x00{cell[0]}\x00{cell[1]}\x00{text}".encode()).hexdigest()


def group_round(answers: Iterable[StoredAnswer], *, round: int,
                campaign_id: int) -> dict[Cell, dict[str, Any]]:
    """The group's answers standing at the end of ``round``, per cell, ready for any rater's view
    (see :func:`feedback_for`): values and intervals sorted by value, the median, who said 'not
    my area', each rater's own answer, and the rationales in a fixed shuffled order (a hash of the
    text, so neither rater order nor time leaks). Once the next round has opened it never changes,
    so it can be computed once for every rater."""
    out: dict[Cell, dict[str, Any]] = {}
    for (who, area, factor), s in standing(answers, round).items():
        entry = out.setdefault((area, factor), {"answers": [], "not_my_area": 0, "own": {},
                                                "rationales": [], "median": None})
        a = s.answer
        entry["own"][who] = {"value": a.value, "low": a.low, "high": a.high, "rationale": a.rationale,
                             "not_my_area": a.not_my_area, "round": s.round}
        if a.rationale.strip():
            entry["rationales"].append((a.rationale, who))
        if a.not_my_area or a.value is None:
            entry["not_my_area"] += 1
        else:
            entry["answers"].append((a.value, a.low, a.high, who))
    for cell, entry in out.items():
        entry["answers"].sort(key=lambda x: (x[0], x[1] if x[1] is not None else x[0],
                                             x[2] if x[2] is not None else x[0], x[3]))
        if entry["answers"]:
            entry["median"] = float(np.median([x[0] for x in entry["answers"]]))
        entry["rationales"].sort(key=lambda t: (_order_key(campaign_id, cell, t[0]), t[1]))
    return out


def feedback_for(group: dict[Cell, dict[str, Any]], *, rater: str,
                 cells: Sequence[Cell]) -> dict[Cell, dict[str, Any]]:
    """What ``rater`` sees per cell of a :func:`group_round`: the values and intervals without
    pseudonyms (their own entry marked ``own``), the median, how many said 'not my area', their
    own answer, and the others' rationales."""
    out = {}
    for cell in cells:
        g = group.get(cell)
        if g is None:
            out[cell] = {"n": 0, "not_my_area": 0, "answers": [], "median": None, "own": None,
                         "rationales": []}
            continue
        out[cell] = {"n": len(g["answers"]), "not_my_area": g["not_my_area"], "median": g["median"],
                     "answers": [{"value": v, "low": lo, "high": hi, "own": who == rater}
                                 for v, lo, hi, who in g["answers"]],
                     "own": g["own"].get(rater),
                     "rationales": [t for t, who in g["rationales"] if who != rater]}
    return out


def spread(values: Sequence[float]) -> dict[str, float | None]:
    """Median, quartiles (linear interpolation), IQR, sample sd and range of a cell's values."""
    if not values:
        return {"median": None, "q1": None, "q3": None, "iqr": None, "sd": None, "range": None}
    v = np.asarray(values, dtype=float)
    q1, med, q3 = (float(x) for x in np.percentile(v, [25, 50, 75]))
    return {"median": med, "q1": q1, "q3": q3, "iqr": q3 - q1,
            "sd": float(np.std(v, ddof=1)) if len(v) > 1 else None,
            "range": float(v.max() - v.min())}


def changes(answers: Sequence[StoredAnswer], *, before: int, after: int,
            cells: Sequence[Cell]) -> list[dict[str, Any]]:
    """Per cell, from the end of round ``before`` to the end of round ``after``: the median of the
    standing values before and after, its shift, how many raters revised (answered in a round
    after ``before`` with a value, interval or 'not my area' different from their standing one)
    and how many answered the cell for the first time."""
    old, new = standing(answers, before), standing(answers, after)
    revised: dict[Cell, int] = {}
    first: dict[Cell, int] = {}
    for (_, area, factor), s in new.items():
        prev = old.get((s.rater, area, factor))
        a = s.answer
        if s.round <= before:
            continue
        if prev is None:
            first[(area, factor)] = first.get((area, factor), 0) + 1
        elif (a.value, a.low, a.high, a.not_my_area) != (prev.answer.value, prev.answer.low,
                                                         prev.answer.high, prev.answer.not_my_area):
            revised[(area, factor)] = revised.get((area, factor), 0) + 1
    by_old, by_new = values_by_cell(old.values()), values_by_cell(new.values())
    out = []
    for cell in cells:
        m0 = spread([s.answer.value for s in by_old.get(cell, []) if s.answer.value is not None])["median"]
        m1 = spread([s.answer.value for s in by_new.get(cell, []) if s.answer.value is not None])["median"]
        out.append({"area": cell[0], "factor": cell[1], "median_before": m0, "median_after": m1,
                    "shift": None if m0 is None or m1 is None else m1 - m0,
                    "revised": revised.get(cell, 0), "new": first.get(cell, 0)})
    return out
