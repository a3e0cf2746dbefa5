"""Saving one answer: the hot path of a campaign (every keystroke pause of every rater).

One short transaction: a lookup (the rater by token hash, the cell's assignment, the newest round
and whether it is closed; all by unique indexes) and a compare-and-swap UPDATE, or an INSERT for a
first answer. The statements are plain SQL, written once, sent on the pooled driver connection:
SQLAlchemy's per-statement machinery cost more than SQLite's work (0.45 ms of a 0.55 ms save).
The tables are the ORM's (:mod:`._tables`, migrated by Alembic); timestamps are stored as
SQLAlchemy stores them (naive UTC text on SQLite).

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
from typing import Any

from sqlalchemy.engine import Engine

from ._core import Answer, check_answer, token_hash

_LOOKUP = """SELECT r.campaign_id, a.id, rd.number, rd.closed FROM campaign_raters r
LEFT JOIN campaign_assignments a ON a.rater_id = r.id AND a.area = :area AND a.factor = :factor
LEFT JOIN campaign_rounds rd ON rd.campaign_id = r.campaign_id AND rd.number =
  (SELECT max(x.number) FROM campaign_rounds x WHERE x.campaign_id = r.campaign_id)
WHERE r.token_hash = :hash"""
_CURRENT = "SELECT version FROM campaign_answers WHERE assignment_id = :a AND round = :n"
_UPDATE = """UPDATE campaign_answers SET version = :new, value = :value, low = :low, high = :high,
  rationale = :rationale, not_my_area = :not_my_area, updated = :updated
WHERE assignment_id = :a AND round = :n AND version = :expected"""
_INSERT = """INSERT INTO campaign_answers
  (assignment_id, round, version, value, low, high, rationale, not_my_area, updated)
VALUES (:a, :n, 1, :value, :low, :high, :rationale, :not_my_area, :updated)"""


class _Dialect:
    """The statements in the driver's parameter style, and how it takes a timestamp."""

    def __init__(self, engine: Engine):
        import re

        style = engine.dialect.paramstyle
        sub: Callable[[str], str] = (lambda q: q) if style in ("named", "qmark") else \
            (lambda q: re.sub(r":(\w+)", r"%(\1)s", q))  # pyformat / format drivers take %(x)s
        self.lookup, self.current, self.update, self.insert = (
            sub(q) for q in (_LOOKUP, _CURRENT, _UPDATE, _INSERT))
        self.sqlite = engine.dialect.name == "sqlite"
        self.integrity_error: type[Exception] = engine.dialect.loaded_dbapi.IntegrityError
        self.lock: contextlib.AbstractContextManager[object] = \
            threading.Lock() if self.sqlite else contextlib.nullcontext()

    def now(self) -> object:
        t = datetime.now(UTC)
        # SQLAlchemy's DateTime on SQLite: naive UTC text; other drivers take the datetime
        return t.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else t


_DIALECTS: weakref.WeakKeyDictionary[Engine, _Dialect] = weakref.WeakKeyDictionary()
_DIALECTS_LOCK = threading.Lock()


def _dialect(engine: Engine) -> _Dialect:
    with _DIALECTS_LOCK:
        if engine not in _DIALECTS:
            _DIALECTS[engine] = _Dialect(engine)
        return _DIALECTS[engine]


class Refused(Exception):
    """Why a save was refused: ``kind`` is 'token', 'cell', 'closed' or 'stale'; ``detail`` the
    round number (closed) or the stored version (stale)."""

    def __init__(self, kind: str, detail: int = 0):
        self.kind, self.detail = kind, detail
        super().__init__(kind, detail)


class _NeedScale(Exception):
    """The factor's scale is not in memory yet: load it with no connection held, then retry."""


def save(engine: Engine, token: str, answer: Answer, *, expected_version: int,
         scales: dict[tuple[int, str], tuple[float, float]],
         load_scale: Callable[[int, str], tuple[float, float]]) -> int:
    """Save ``answer`` for the rater of ``token`` in the open round; the new version, or Refused.
    The answer is checked against its factor's scale from ``scales`` (keyed by campaign id and
    factor); a missing one is loaded by ``load_scale`` (which may use the pool) while this save
    holds no connection, so saves never wait on the pool for a second connection."""
    d = _dialect(engine)
    for _ in range(2):
        key: dict[str, int] = {}
        try:
            with d.lock:  # SQLite: one writer at a time in this process (see the module doc)
                return _transaction(d, engine, key, token, answer, expected_version, scales)
        except _NeedScale as e:
            load_scale(int(e.args[0]), answer.factor)
    raise RuntimeError("the factor's scale could not be loaded")  # pragma: no cover


def _transaction(d: _Dialect, engine: Engine, key: dict[str, int], token: str, answer: Answer,
                 expected_version: int, scales: dict[tuple[int, str], tuple[float, float]]) -> int:
    con = engine.raw_connection()  # from the pool (pinged first on PostgreSQL)
    try:
        cur = con.cursor()
        version = _save(d, cur, key, token, answer, expected_version, scales)
        con.commit()
        return version
    except d.integrity_error:  # another tab's first save got in between (and was committed)
        con.rollback()
        cur = con.cursor()
        cur.execute(d.current, key)
        row = cur.fetchone()
        con.rollback()
        raise Refused("stale", int(row[0]) if row else 0) from None
    except BaseException:
        con.rollback()
        raise
    finally:
        con.close()  # back to the pool


def _save(d: _Dialect, cur: Any, key: dict[str, int], token: str, answer: Answer,
          expected_version: int, scales: dict[tuple[int, str], tuple[float, float]]) -> int:
    """The statements of one save on a driver cursor; ``key`` gets the answer's row key."""
    cur.execute(d.lookup, {"hash": token_hash(token), "area": answer.area, "factor": answer.factor})
    found = cur.fetchone()
    if found is None:
        raise Refused("token")
    campaign_id, assignment_id, number, closed = found
    if assignment_id is None:
        raise Refused("cell")
    scale = scales.get((campaign_id, answer.factor))
    if scale is None:
        raise _NeedScale(campaign_id)
    check_answer(answer, scale, where=f"{answer.area}:{answer.factor}")
    if closed is not None:
        raise Refused("closed", number)
    key.update(a=assignment_id, n=number)
    fields = {"value": answer.value, "low": answer.low, "high": answer.high,
              "rationale": answer.rationale, "not_my_area": answer.not_my_area, "updated": d.now()}
    if expected_version == 0:
        cur.execute(d.current, key)
        existing = cur.fetchone()
        if existing is not None:
            raise Refused("stale", int(existing[0]))
        cur.execute(d.insert, {**key, **fields})
        return 1
    # compare and swap: only the version the rater saw is overwritten
    cur.execute(d.update, {**key, **fields, "expected": expected_version, "new": expected_version + 1})
    if cur.rowcount != 1:
        cur.execute(d.current, key)
        row = cur.fetchone()
        raise Refused("stale", int(row[0]) if row else 0)
    return expected_version + 1
