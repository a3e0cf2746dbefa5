"""Start-up: a run registers only the module of its command, and the table saying where each
command lives matches the full app (benchmarks/startup.py measures the time)."""

import os
import subprocess
import sys

import typer.main

from autosafety.cli import _help_text, _main


def _names(app: typer.Typer) -> list[str]:
    group = typer.main.get_command(app)
    return list(group.commands)  # type: ignore[attr-defined]


def test_the_table_of_commands_matches_the_full_app():
    listed = [name for names in _main.MODULES.values() for name in names]
    assert sorted(_names(_main.build_app())) == sorted(listed)
    for module, names in _main.MODULES.items():
        assert _names(_main.build_app(names[0])) == list(names), module


def test_a_lone_command_is_still_a_subcommand(cli):
    run = cli("pool", "--help")  # the pool module adds one group: not run bare as the root
    assert run.code == 0 and "Usage: autosafety pool" in run.out
    run = cli("serve", "--help")  # the web module adds one command
    assert run.code == 0 and "Usage: autosafety serve" in run.out


def test_an_unknown_command_gets_suggestions_from_every_module(cli):
    run = cli("sensitivty", "wehner-2026")
    assert run.code == 2 and "Did you mean 'sensitivity'?" in run.err


def test_score_imports_no_other_command_module():
    code = ("import sys; from autosafety.cli import main\n"
            "try:\n    main(['score', 'wehner-2026'])\nexcept SystemExit:\n    pass\n"
            "print('LOADED', sorted(m for m in sys.modules if m.startswith('autosafety.cli._')"
            " and m.endswith('_cmds')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED ['autosafety.cli._model_cmds']" in out.stdout


def test_the_fast_help_is_what_typer_prints():
    assert _help_text.generate() == _help_text.HELP, (
        "top-level commands changed: run .venv/bin/python -m autosafety.cli._help_text")


def test_help_imports_neither_typer_nor_a_command_module():
    code = ("import sys; from autosafety.cli import main\n"
            "main(['--help'])\n"
            "print('LOADED', sorted(m for m in sys.modules if m in ('typer', 'click', 'rich')"
            " or m.endswith('_cmds')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "COLUMNS": "80"})
    assert out.stdout.endswith("LOADED []\n") and out.stdout.startswith("Usage: autosafety")


def test_a_narrow_terminal_gets_typers_own_wrapping(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    out = cli("--help").out
    assert out != _help_text.HELP and "Commands:" in out
    assert max(len(line) for line in out.splitlines()) <= 60


def test_problems_wrap_to_a_terminal():
    text = ("error: bad.yaml is not a valid model: 1 problem(s)\n  - bad.yaml: ratings[0].value: "
            "42 is outside the scale 1-10 of factor 'feedback_quality' (fix: use a value between "
            "1 and 10)")
    lines = _main.wrap_problems(text, 80).splitlines()
    assert max(map(len, lines)) < 80 and lines[2].startswith("    ") and len(lines) == 3
    assert " ".join(x.strip() for x in lines[1:]) == text.splitlines()[1].strip()
