"""Entry point: builds the Typer app and turns user errors into exit status 2 without a traceback."""

from __future__ import annotations

import sys

import typer

from .._errors import InputError

app = typer.Typer(
    name="autosafety",
    help="Which AI research will be automated first, safety or capabilities? "
    "And can a plan for automated safety research be trusted?",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)


def _register() -> None:
    from . import (
        _analysis_cmds,
        _elicit_cmds,
        _horizons_cmds,
        _model_cmds,
        _scheme_cmds,
        _timeline_cmds,
        _web_cmds,
    )

    for module in (_model_cmds, _analysis_cmds, _elicit_cmds, _web_cmds):
        module.register(app)
    app.add_typer(_scheme_cmds.app, name="scheme")
    app.add_typer(_horizons_cmds.app, name="horizons")
    app.add_typer(_timeline_cmds.app, name="timeline")
    from ._levers_cmds import register as register_levers  # levers, levers-schema, report
    register_levers(app)
    from ._pool_cmds import app as pool_app  # pool cooke
    app.add_typer(pool_app, name="pool")
    from ._campaign_cmds import register as register_campaign  # campaign ..., db upgrade
    register_campaign(app)


_register()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; bad input prints every problem to stderr and exits with status 2."""
    from ._timeline_cmds import default_run

    try:
        app(args=default_run(sys.argv[1:] if argv is None else list(argv)), prog_name="autosafety")
    except InputError as e:
        print(f"error: {e.render()}", file=sys.stderr)
        sys.exit(2)
