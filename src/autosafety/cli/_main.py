"""Entry point: builds the Typer app and turns user errors into exit status 2 without a traceback.

Start-up is kept short by registering only what a run needs: `autosafety score ...` imports and
builds only the model commands (Typer reads every registered command's signature on each run),
while `autosafety`, `--help` or an unknown command get every command, so the listing and
"No such command" suggestions stay complete. `autosafety --help` on a terminal 80 or more columns
wide prints the text Typer would (``_help_text.py``, checked by a test) without importing Typer.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import TYPE_CHECKING, Any

from .._errors import InputError

if TYPE_CHECKING:
    import typer

HELP = ("Which AI research will be automated first, safety or capabilities? "
        "And can a plan for automated safety research be trusted?")

MODULES: dict[str, tuple[str, ...]] = {
    # module -> the top-level commands it adds, in the order `--help` lists them
    "_model_cmds": ("score", "show", "validate", "datasets", "schema", "init", "export"),
    "_analysis_cmds": ("mc", "sensitivity", "implied-weights", "check"),
    "_elicit_cmds": ("elicit", "agreement"),
    "_web_cmds": ("serve",),
    "_levers_cmds": ("levers", "levers-schema", "safer-bets", "report"),
    "_scheme_cmds": ("scheme",),
    "_horizons_cmds": ("horizons",),
    "_timeline_cmds": ("timeline",),
    "_pool_cmds": ("pool",),
    "_campaign_cmds": ("campaign", "db"),
}
"""Where each command lives. A command missing here still works (an unknown name registers
everything); ``tests/cli/test_startup.py`` checks the table against the full app."""


def build_app(command: str | None = None) -> typer.Typer:
    """The Typer app with the module that defines ``command``, or with every command."""
    import typer

    app = typer.Typer(name="autosafety", help=HELP, no_args_is_help=True,
                      pretty_exceptions_enable=False, rich_markup_mode=None, add_completion=False)

    @app.callback()
    def _root() -> None:  # a group even when it holds one command (else Typer runs it bare)
        pass

    wanted = [m for m, names in MODULES.items() if command in names] or list(MODULES)
    for name in wanted:
        module = import_module(f".{name}", __package__)
        if hasattr(module, "register"):
            module.register(app)
        else:  # a command group: the module's own Typer app, named as its one command
            app.add_typer(module.app, name=MODULES[name][0])
    return app


def __getattr__(name: str) -> Any:
    if name == "app":  # the full app, for callers that want it (docs tools, completion)
        return build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; bad input prints every problem to stderr and exits with status 2."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--help"]:
        import shutil

        if shutil.get_terminal_size().columns >= 80:  # Click wraps at min(width, 80)
            from ._help_text import HELP as TEXT

            sys.stdout.write(TEXT)
            return
    if args[:1] == ["timeline"]:
        from ._timeline_cmds import default_run

        args = default_run(args)
    try:
        build_app(args[0] if args else None)(args=args, prog_name="autosafety")
    except InputError as e:
        text = f"error: {e.render()}"
        if sys.stderr.isatty():  # a terminal: each problem wrapped to its width (pipes get lines)
            import shutil

            text = wrap_problems(text, shutil.get_terminal_size().columns)
        print(text, file=sys.stderr)
        sys.exit(2)


def wrap_problems(text: str, width: int) -> str:
    """An error report with each line wrapped at ``width``, a problem's continuation lines
    indented under its text."""
    import textwrap

    out = []
    for line in text.splitlines():
        indent = "    " if line.startswith("  - ") else "  "
        out += textwrap.wrap(line, max(width - 1, 40), subsequent_indent=indent,
                             break_long_words=False, break_on_hyphens=False) or [""]
    return "\n".join(out)
