"""Schema migrations with Alembic: every database (SQLite or PostgreSQL) is brought to the newest
revision before use; a database made by the store before migrations existed is adopted (stamped at
the revision that describes it) rather than recreated."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"
"""The revision that describes the scenarios table the store created before migrations."""


def _config(connection: object) -> object:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Migrate the database to ``revision`` (default the newest); returns the revision it is at."""
    from alembic import command

    with engine.begin() as connection:
        tables = set(inspect(connection).get_table_names())
        cfg = _config(connection)
        if "scenarios" in tables and "alembic_version" not in tables:
            command.stamp(cfg, BASELINE)  # type: ignore[arg-type]
        command.upgrade(cfg, revision)  # type: ignore[arg-type]
    return current_revision(engine)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None before any migration)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with the package."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()
