"""Shared fixtures: the real CLI run in-process; the real app under uvicorn; Debian's Chromium;
a real PostgreSQL server and `db_url` (SQLite and PostgreSQL) from tests/_postgres.py."""

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from autosafety.cli import main

pytest_plugins = ("_postgres",)  # tests/_postgres.py: a real PostgreSQL server, the `db_url` fixture


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def free_port() -> int:
    """A TCP port on loopback that nothing listens on."""
    return _free_port()


@pytest.fixture(scope="session")
def server_url(tmp_path_factory) -> Iterator[str]:
    """The real app under uvicorn on a free loopback port with its own SQLite file."""
    import uvicorn

    from autosafety.web import create_app

    db = tmp_path_factory.mktemp("web") / "browser.db"
    port = _free_port()
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


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser).

    Module scope: Playwright's sync API holds an event loop on the main thread while it runs,
    which later tests that call ``asyncio.run`` must not inherit.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()
