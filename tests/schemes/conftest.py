"""Fixtures: the real CLI entry point in-process, and scheme data to mutate."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from autosafety.schemes import example_text


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
