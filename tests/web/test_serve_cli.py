"""`autosafety serve`: starts on loopback by default; bad options exit 2 without a traceback."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from autosafety.cli import main

AUTOSAFETY = str(Path(sys.executable).parent / "autosafety")


def run_cli(capsys, *args: str) -> tuple[int, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    return code, capsys.readouterr().err


def test_bad_database_url_exits_2(capsys):
    code, err = run_cli(capsys, "serve", "--db", "nosuchdialect://x/y", "--port", "1")
    assert code == 2
    assert "--db" in err and "Traceback" not in err


def test_bad_port_exits_2(capsys):
    code, err = run_cli(capsys, "serve", "--port", "70000")
    assert code == 2
    assert "--port" in err and "65535" in err


def test_serves_on_loopback_by_default(tmp_path, free_port):
    port = free_port
    proc = subprocess.Popen([AUTOSAFETY, "serve", "--port", str(port), "--db",
                             f"sqlite:///{tmp_path / 's.db'}"], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                resp = httpx.get(f"http://127.0.0.1:{port}/api/models", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert resp.status_code == 200
        assert (tmp_path / "s.db").exists()
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in err
