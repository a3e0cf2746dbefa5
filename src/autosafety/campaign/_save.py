"""Saving one answer: the hot path of a campaign (every keystroke pause of every rater).

One short transaction of two statements built once at import: a lookup (rater by token hash,
the cell's assignment, the newest round and whether it is closed; all by unique indexes) and a
compare-and-swap UPDATE, or an INSERT for a first answer. Core statements on a connection (no ORM
session, no statement built per call) keep it near a millisecond on SQLite.

On SQLite, saves of one process take turns on a lock: SQLite has one writer at a time, and a
connection that finds the file locked sleeps in growing steps (its busy handler) instead of
queueing, which under a burst of 200 raters cost more than the writes themselves.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, and_, bindparam, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from ._core import Answer, check_answer, token_hash
from ._tables import AnswerRow, AssignmentRow, RaterRow, RoundRow

_newer = aliased(RoundRow)
_LOOKUP = (
    select(RaterRow.campaign_id, AssignmentRow.id, RoundRow.number, RoundRow.closed)
    .select_from(RaterRow)
    .outerjoin(AssignmentRow, and_(AssignmentRow.rater_id == RaterRow.id,
                                   AssignmentRow.area == bindparam("area"),
                                   AssignmentRow.factor == bindparam("factor")))
    .outerjoin(RoundRow, and_(RoundRow.campaign_id == RaterRow.campaign_id,
                              RoundRow.number == select(func.max(_newer.number))
                              .where(_newer.campaign_id == RaterRow.campaign_id).scalar_subquery()))
    .where(RaterRow.token_hash == bindparam("hash"))
)
_answers = cast(Table, AnswerRow.__table__)
_FIELDS = ("value", "low", "high", "rationale", "not_my_area", "updated")
_CURRENT = select(_answers.c.version).where(_answers.c.assignment_id == bindparam("a"),
                                            _answers.c.round == bindparam("n"))
_UPDATE = (update(_answers)
           .where(_answers.c.assignment_id == bindparam("a"), _answers.c.round == bindparam("n"),
                  _answers.c.version == bindparam("expected"))
           .values(version=bindparam("new"), **{f: bindparam(f"new_{f}") for f in _FIELDS}))
_INSERT = insert(_answers).values(assignment_id=bindparam("a"), round=bindparam("n"), version=1,
                                  **{f: bindparam(f"new_{f}") for f in _FIELDS})


_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_WRITERS_LOCK = threading.Lock()


def _writer(engine: Engine) -> contextlib.AbstractContextManager[object]:
    """The process's turn to write to a SQLite file (a no-op for other databases)."""
    if engine.dialect.name != "sqlite":
        return contextlib.nullcontext()
    with _WRITERS_LOCK:
        return _WRITERS.setdefault(engine, threading.Lock())


class Refused(Exception):
    """Why a save was refused: ``kind`` is 'token', 'cell', 'closed' or 'stale'; ``detail`` the
    round number (closed) or the stored version (stale)."""

    def __init__(self, kind: str, detail: int = 0):
        self.kind, self.detail = kind, detail
        super().__init__(kind, detail)


def save(engine: Engine, token: str, answer: Answer, *, expected_version: int,
         scale: Callable[[int, str], tuple[float, float]]) -> int:
    """Save ``answer`` for the rater of ``token`` in the open round; the new version, or Refused.
    ``scale(campaign_id, factor)`` gives the factor's scale (the answer is checked against it)."""
    key: dict[str, int] = {}
    try:
        with _writer(engine), engine.begin() as con:
            found = con.execute(_LOOKUP, {"hash": token_hash(token), "area": answer.area,
                                          "factor": answer.factor}).first()
            if found is None:
                raise Refused("token")
            campaign_id, assignment_id, number, closed = found
            if assignment_id is None:
                raise Refused("cell")
            check_answer(answer, scale(campaign_id, answer.factor),
                         where=f"{answer.area}:{answer.factor}")
            if closed is not None:
                raise Refused("closed", number)
            fields = {"new_value": answer.value, "new_low": answer.low, "new_high": answer.high,
                      "new_rationale": answer.rationale, "new_not_my_area": answer.not_my_area,
                      "new_updated": datetime.now(UTC)}
            key.update(a=assignment_id, n=number)
            if expected_version == 0:
                existing = con.execute(_CURRENT, key).scalar()
                if existing is not None:
                    raise Refused("stale", int(existing))
                con.execute(_INSERT, {**key, **fields})
                return 1
            # compare and swap: only the version the rater saw is overwritten
            done = con.execute(_UPDATE, {**key, **fields, "expected": expected_version,
                                         "new": expected_version + 1})
            if done.rowcount != 1:
                raise Refused("stale", int(con.execute(_CURRENT, key).scalar() or 0))
            return expected_version + 1
    except IntegrityError:  # another tab's first save got in between (and was committed)
        with _writer(engine), engine.connect() as con:
            raise Refused("stale", int(con.execute(_CURRENT, key).scalar() or 0)) from None
