"""`autosafety serve`: the interactive model and its JSON API on a local web server."""

from __future__ import annotations

from typing import Annotated

import typer

DEFAULT_DB = "sqlite:///autosafety.db"


def serve(host: Annotated[str, typer.Option(
              help="Interface to bind; the default serves this machine only.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
          db: Annotated[str, typer.Option(
              help="Database URL for saved scenarios (any SQLAlchemy URL).")] = DEFAULT_DB,
          ) -> None:
    """Serve the interactive model (page at /, JSON API at /api, docs at /docs)."""
    import uvicorn

    from ..web import create_app
    from ..web._server import server_config

    app = create_app(database_url=db)
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"warning: binding to {host}: anyone who can reach it can use the API and "
                   "save scenarios", err=True)
    typer.echo(f"autosafety: serving on http://{host}:{port}/ (scenarios in {db})", err=True)
    uvicorn.Server(server_config(app, host=host, port=port)).run()


def register(app: typer.Typer) -> None:
    """Add `serve` to the app."""
    app.command()(serve)
