"""Pytest plugin: a real PostgreSQL server for the session (scripts/pgtemp.py: Debian's
``postgresql`` package, initdb in a temporary directory, a free port, stopped at the end) and the
``db_url`` fixture that runs a test once on SQLite and once on PostgreSQL, each time on a fresh
database. If PostgreSQL cannot start, the PostgreSQL half of those tests fails (never skips).
Also each database's own integrity check (:func:`integrity_problems`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from pgtemp import TempPostgres

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres() -> Iterator[TempPostgres]:
    """The session's PostgreSQL server (started on first use)."""
    pg = TempPostgres(durable=False).start()
    try:
        yield pg
    finally:
        pg.stop()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A fresh, empty database's URL: the test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    pg: TempPostgres = request.getfixturevalue("postgres")
    return pg.create_database("test")


def integrity_problems(url: str) -> list[str]:
    """What a database's own integrity check reports (empty when it passes): ``PRAGMA
    integrity_check`` and ``foreign_key_check`` on SQLite; on PostgreSQL amcheck's
    ``verify_heapam`` on every table and ``bt_index_check`` (with heap-all-indexed) on every
    B-tree index of the public schema."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as con:
            if url.startswith("sqlite"):
                found = [str(r[0]) for r in con.execute(text("PRAGMA integrity_check"))]
                problems = [] if found == ["ok"] else found
                orphans = con.execute(text("PRAGMA foreign_key_check"))
                return problems + [f"foreign key: {tuple(r)}" for r in orphans]
            con.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
            problems = [f"{rel}: block {blk} offset {off}: {msg}" for rel, blk, off, msg in con.execute(text(
                "SELECT c.relname, v.blkno, v.offnum, v.msg FROM pg_class c, "
                "LATERAL verify_heapam(c.oid, check_toast => true) v "
                "WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace"))]
            checked = con.execute(text(
                "SELECT count(bt_index_check(c.oid, true)) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
                "WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace")).scalar()
            if not checked:
                problems.append("no index checked")
            return problems
    finally:
        engine.dispose()
