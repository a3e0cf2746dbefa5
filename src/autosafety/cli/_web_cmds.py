"""`autosafety serve`: the interactive model and its JSON API on a local web server, in one process
or (with PostgreSQL) several."""

from __future__ import annotations

import os
from typing import Annotated

import typer

DEFAULT_DB = "sqlite:///autosafety.db"


def serve(host: Annotated[str, typer.Option(
              help="Interface to bind; the default serves this machine only.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
          db: Annotated[str, typer.Option(
              help="Database URL for scenarios and campaigns (any SQLAlchemy URL, e.g. "
                   "postgresql+psycopg://user@host/db).")] = DEFAULT_DB,
          workers: Annotated[int, typer.Option(
              min=1, max=64, help="Server processes sharing the port (more than 1 needs PostgreSQL); "
                                  "the CPUs for analyses are shared out among them.")] = 1,
          ) -> None:
    """Serve the interactive model (page at /, JSON API at /api, docs at /docs)."""
    import uvicorn

    from .._errors import InputError, Problem
    from ..web._server import APP_FACTORY, ENV_DB, ENV_SLOTS, server_config, server_options

    if workers > 1 and db.startswith("sqlite"):
        raise InputError(Problem(
            "--workers", f"{workers} processes on SQLite: SQLite lets one process write at a time, "
            "so under a burst of saves the others wait on its file lock and can fail with 'database "
            "is locked'", "use --db postgresql+psycopg://USER@HOST/DB for several processes, or "
            "--workers 1 (one process serves a few hundred raters on SQLite)"),
            title="cannot serve several processes on SQLite")
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"warning: binding to {host}: anyone who can reach it can use the API and "
                   "save scenarios", err=True)
    if workers == 1:
        from ..web import create_app

        app = create_app(database_url=db)
        typer.echo(f"autosafety: serving on http://{host}:{port}/ (scenarios in {_redacted(db)})",
                   err=True)
        uvicorn.Server(server_config(app, host=host, port=port)).run()
        return

    from ..store import ScenarioStore

    ScenarioStore(db).close()  # check the URL and migrate once, before the workers open it
    os.environ[ENV_DB] = db
    os.environ[ENV_SLOTS] = str(max(1, (os.cpu_count() or 1) // workers))
    typer.echo(f"autosafety: serving on http://{host}:{port}/ with {workers} processes "
               f"(scenarios in {_redacted(db)})", err=True)
    uvicorn.run(APP_FACTORY, host=host, port=port, factory=True, workers=workers, **server_options())


def _redacted(url: str) -> str:
    """A database URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def register(app: typer.Typer) -> None:
    """Add `serve` to the app."""
    app.command()(serve)
