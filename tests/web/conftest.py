"""Fixtures: the app on a temporary SQLite file and an in-process client (live server: tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from autosafety.web import create_app


@pytest.fixture
def client(tmp_path) -> Iterator[TestClient]:
    app = create_app(database_url=f"sqlite:///{tmp_path / 'api.db'}")
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
