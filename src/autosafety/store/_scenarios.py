"""ScenarioStore: save, list, load and delete named scenarios in any SQLAlchemy database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import create_engine, delete, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .._errors import InputError, Problem
from ..model import Model, dump_model, model_from_data
from ._migrate import upgrade
from ._tables import ScenarioRow

MAX_NAME = 200
"""Longest scenario name accepted."""
MAX_DESCRIPTION = 5000
"""Longest scenario description accepted."""


@dataclass(frozen=True)
class ScenarioSummary:
    """A saved scenario without its model: what a listing shows."""

    id: int
    name: str
    description: str
    base: str | None
    created: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class SavedScenario:
    """A saved scenario with its model."""

    summary: ScenarioSummary
    model: Model

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the summary fields plus the full model spec under ``model``."""
        return {**self.summary.to_dict(), "model": self.model.spec.model_dump(mode="json")}


def _engine(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"check_same_thread": False})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        upgrade(engine)  # Alembic: creates or migrates every table of the store
    except (ArgumentError, NoSuchModuleError) as e:
        raise InputError(Problem("--db", f"not a usable database URL '{url}': {e}",
                                 "use e.g. sqlite:///autosafety.db or "
                                 "postgresql+psycopg://user@host/db")) from None
    except ModuleNotFoundError as e:  # the URL's driver, e.g. psycopg for postgresql+psycopg://
        raise InputError(Problem("--db", f"no driver for '{url}': {e}",
                                 "pip install 'autosafety[postgres]' for postgresql+psycopg:// "
                                 "URLs")) from None
    except OperationalError as e:
        raise InputError(Problem("--db", f"cannot open database '{url}': {e.orig}",
                                 "check that the directory exists and is writable, or that the "
                                 "database server is running")) from None
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL: a commit is in the WAL file before it is acknowledged, so it survives the
    # server being killed (tests/campaign/test_kill_server.py); the WAL is fsynced at checkpoints,
    # not on every commit (which cost ~5 ms a save). Only an OS crash or power cut can lose the
    # last moments' commits (never corrupt the file); PostgreSQL for that (docs/web.md).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class ScenarioStore:
    """Named scenarios in a database; tables are created on first use.

    ``url`` is any SQLAlchemy URL (``sqlite:///autosafety.db`` by default in the CLI).
    """

    def __init__(self, url: str):
        self.url = url
        self.engine = _engine(url)
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def save(self, name: str, model: Model, *, description: str = "",
             base: str | None = None) -> ScenarioSummary:
        """Store a model under a name; names need not be unique (each save gets a new id)."""
        name = name.strip()
        problems = []
        if not name:
            problems.append(Problem("name", "the scenario name is empty", "give it a name"))
        if len(name) > MAX_NAME:
            problems.append(Problem("name", f"the name has {len(name)} characters, over {MAX_NAME}",
                                    "shorten it"))
        if len(description) > MAX_DESCRIPTION:
            problems.append(Problem("description", f"over {MAX_DESCRIPTION} characters",
                                    "shorten it"))
        if problems:
            raise InputError(problems, title="cannot save the scenario")
        row = ScenarioRow(name=name, description=description, base=base,
                          model_json=dump_model(model, "json"), created=datetime.now(UTC))
        with self._session() as session, session.begin():
            session.add(row)
        return _summary(row)

    def list(self) -> list[ScenarioSummary]:
        """Every saved scenario, newest first."""
        with self._session() as session:
            rows = session.scalars(select(ScenarioRow).order_by(ScenarioRow.id.desc()))
            return [_summary(r) for r in rows]

    def get(self, scenario_id: int) -> SavedScenario:
        """A saved scenario with its model; a missing id raises KeyError."""
        with self._session() as session:
            row = session.get(ScenarioRow, scenario_id)
            if row is None:
                raise KeyError(scenario_id)
            model = model_from_data(json.loads(row.model_json), origin=f"scenario {scenario_id}")
            return SavedScenario(_summary(row), model)

    def delete(self, scenario_id: int) -> bool:
        """Delete a scenario; False if there was none with that id."""
        with Session(self.engine) as session, session.begin():
            result = session.execute(delete(ScenarioRow).where(ScenarioRow.id == scenario_id))
            return bool(getattr(result, "rowcount", 0))

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def _summary(row: ScenarioRow) -> ScenarioSummary:
    created = row.created if row.created.tzinfo else row.created.replace(tzinfo=UTC)
    return ScenarioSummary(id=row.id, name=row.name, description=row.description, base=row.base,
                           created=created.isoformat(timespec="seconds"))
