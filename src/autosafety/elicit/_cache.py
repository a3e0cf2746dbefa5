"""The answer cache: one SQLite row per request key, so an interrupted run resumes where it stopped."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._errors import InputError, Problem
from ._parse import Status

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    llm TEXT NOT NULL,
    sample INTEGER NOT NULL,
    area TEXT NOT NULL,
    factor TEXT NOT NULL,
    paper TEXT,
    status TEXT NOT NULL,
    value REAL,
    rationale TEXT NOT NULL DEFAULT '',
    raw TEXT NOT NULL DEFAULT '',
    problem TEXT NOT NULL DEFAULT '',
    provenance TEXT NOT NULL DEFAULT '{}'
)
"""


_COLUMNS = ["key", "llm", "sample", "area", "factor", "paper", "status", "value", "rationale",
            "raw", "problem", "provenance"]
_STATUSES = set(Status.__args__)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Answer:
    """The recorded outcome of one request."""

    key: str
    """The request's cache key."""
    status: Status
    """'ok', or why there is no usable rating."""
    value: float | None = None
    """The rating read from the answer, if any."""
    rationale: str = ""
    """The model's rationale."""
    raw: str = ""
    """The raw text of the answer (or of the error)."""
    problem: str = ""
    """What went wrong, when status is not 'ok'."""
    provenance: dict[str, Any] = field(default_factory=dict)
    """Model, provider, sample, temperature, prompt hash, rubric version, time, tokens."""


def _answer(key: str, status: Any, value: Any, rationale: Any, raw: Any, problem: Any,
            prov: Any) -> Answer:
    """A stored row as an Answer; a row that could not have been written raises ValueError."""
    if status not in _STATUSES:
        raise ValueError(f"unknown status {str(status)[:50]!r} for {key[:80]}")
    if value is not None and not isinstance(value, (int, float)):
        raise ValueError(f"a non-numeric rating for {key[:80]}")
    if not all(isinstance(x, str) for x in (rationale, raw, problem, prov)):
        raise ValueError(f"a non-text field for {key[:80]}")
    try:
        provenance = json.loads(prov)
    except (ValueError, RecursionError):
        raise ValueError(f"unreadable provenance JSON for {key[:80]}") from None
    if not isinstance(provenance, dict):
        raise ValueError(f"provenance is not a JSON object for {key[:80]}")
    return Answer(key, status, value, rationale, raw, problem, provenance)


class AnswerCache:
    """SQLite store of answers keyed by request key (``":memory:"`` for a throwaway cache)."""

    def __init__(self, path: Path | str = ":memory:"):
        self.path = str(path)
        try:
            self._db = sqlite3.connect(self.path)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
            self._db.commit()
            columns = [row[1] for row in self._db.execute("PRAGMA table_info(answers)")]
        except sqlite3.DatabaseError as e:
            raise self._unusable(str(e)) from None
        if columns != _COLUMNS:
            raise self._unusable(f"its answers table has columns {', '.join(columns)}, not "
                                 f"{', '.join(_COLUMNS)}")

    def _unusable(self, why: str) -> InputError:
        return InputError(Problem(self.path, f"not a usable cache database ({why[:300]})",
                                  "give a new file name for --cache, or move this file away (the "
                                  "answers in it are lost; they will be asked again)"),
                          title="the answer cache is damaged")

    def get_many(self, keys: Iterable[str]) -> dict[str, Answer]:
        """The stored answers among ``keys``."""
        wanted = list(keys)
        out: dict[str, Answer] = {}
        try:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i:i + 500]
                rows = self._db.execute(
                    "SELECT key, status, value, rationale, raw, problem, provenance FROM answers "
                    f"WHERE key IN ({','.join('?' * len(chunk))})", chunk).fetchall()
                for key, status, value, rationale, raw, problem, prov in rows:
                    out[key] = _answer(key, status, value, rationale, raw, problem, prov)
        except sqlite3.DatabaseError as e:
            raise self._unusable(str(e)) from None
        except (ValueError, TypeError) as e:
            raise self._unusable(f"a stored answer is damaged: {e}") from None
        return out

    def put(self, answer: Answer, *, llm: str, sample: int, area: str, factor: str,
            paper: str | None) -> None:
        """Store (or replace) one answer and commit it at once."""
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (answer.key, llm, sample, area, factor, paper, answer.status, answer.value,
                 answer.rationale, answer.raw, answer.problem,
                 json.dumps(answer.provenance, sort_keys=True)))
            self._db.commit()
        except sqlite3.DatabaseError as e:
            raise self._unusable(str(e)) from None

    def counts(self) -> dict[str, int]:
        """Number of stored answers by status."""
        try:
            return dict(self._db.execute("SELECT status, COUNT(*) FROM answers GROUP BY status"))
        except sqlite3.DatabaseError as e:
            raise self._unusable(str(e)) from None

    def close(self) -> None:
        """Close the database."""
        self._db.close()
