"""Run the real CLI entry point in-process and capture its output and exit status."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from autosafety.cli import main


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch) -> Callable[..., Run]:
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> Run:
        try:
            main(list(args))
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
