"""Fixtures: the app on a temporary SQLite file, an in-process client, and a live server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from autosafety.web import create_app


@pytest.fixture
def client(tmp_path) -> Iterator[TestClient]:
    app = create_app(database_url=f"sqlite:///{tmp_path / 'api.db'}")
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server_url(tmp_path_factory) -> Iterator[str]:
    """A real uvicorn server on a free loopback port with its own SQLite file."""
    db = tmp_path_factory.mktemp("web") / "browser.db"
    port = free_port()
    config = uvicorn.Config(create_app(database_url=f"sqlite:///{db}"), host="127.0.0.1",
                            port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/models", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        raise RuntimeError("the test server did not start")
    yield url
    server.should_exit = True
    thread.join(timeout=10)
