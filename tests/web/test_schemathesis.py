"""Schemathesis against /openapi.json: generated requests, valid and not, never get a 5xx."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from autosafety.web import create_app

_DIR = tempfile.mkdtemp(prefix="autosafety-schemathesis-")
atexit.register(shutil.rmtree, _DIR, ignore_errors=True)  # the app lives as long as the module
_DB = Path(_DIR) / "fuzz.db"
app = create_app(database_url=f"sqlite:///{_DB}")
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
