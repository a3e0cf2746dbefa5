"""Fixtures: the real CLI entry point in-process, and scheme data to mutate."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import yaml

from autosafety.cli import main
from autosafety.schemes import example_text


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


def example_data(name: str) -> dict[str, Any]:
    """A built-in example as plain data, to change and write back."""
    return copy.deepcopy(yaml.safe_load(example_text(name)))


@pytest.fixture
def write_yaml(tmp_path) -> Callable[[Any, str], str]:
    def write(data: Any, name: str = "scheme.yaml") -> str:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
        return str(path)

    return write


@pytest.fixture
def client(tmp_path):
    from fastapi.testclient import TestClient

    from autosafety.web import create_app

    app = create_app(database_url=f"sqlite:///{tmp_path / 'schemes.db'}")
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
