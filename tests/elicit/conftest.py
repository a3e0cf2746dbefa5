"""Fixtures: a loopback OpenAI-compatible server process, scripted mockllm models, a small model."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SERVER = Path(__file__).with_name("openai_server.py")

SMALL_MODEL = """
id: small
name: A small model with a human rater
scale: {min: 1, max: 10}
factors:
  - id: feedback
    name: Feedback quality
    weight: 2.5
    description: Are there clear criteria for success?
    rubric: {"1": no way to tell, "5": empirical feedback, "10": clear cheap metrics}
  - id: insight
    name: Insight vs engineering
    weight: 1.5
    description: Is the work routine engineering or creative insight?
    rubric: {"1": pure insight, "10": routine engineering}
areas:
  - {id: interp, name: Interpretability, category: safety, description: Model internals.}
  - {id: theory, name: Alignment Theory, category: safety, description: Conceptual work.}
  - {id: agents, name: Agent Scaffolding, category: capabilities, description: Agent harnesses.}
raters:
  - {id: author, kind: human}
ratings:
  - {area: interp, factor: feedback, rater: author, value: 6}
  - {area: interp, factor: insight, rater: author, value: 4}
  - {area: theory, factor: feedback, rater: author, value: 2}
  - {area: theory, factor: insight, rater: author, value: 1.5}
  - {area: agents, factor: feedback, rater: author, value: 8}
  - {area: agents, factor: insight, rater: author, value: 7.5}
"""


@dataclass
class Server:
    """A running server process and the file counting the answers it delivered."""

    proc: subprocess.Popen[str]
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def delivered(self) -> list[str]:
        """Prompt hashes of every answer delivered so far (across restarts sharing the log)."""
        return self.log.read_text().split() if self.log.exists() else []

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(*args: str, port: int = 0, log: Path | None = None) -> Server:
        log = log or tmp_path / "calls.log"
        proc = subprocess.Popen([sys.executable, str(SERVER), "--port", str(port), "--log", str(log),
                                 *args], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("listening"), line
        server = Server(proc, int(line.split()[1]), log)
        started.append(server)
        return server

    yield start
    for s in started:
        s.stop()


@pytest.fixture
def small_model_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_MODEL)
    return path


def use_server(monkeypatch: pytest.MonkeyPatch, server: Server, service: str = "local") -> None:
    """Point Inspect's ``openai-api/<service>/...`` provider at the server."""
    monkeypatch.setenv(f"{service.upper()}_API_KEY", "test-key")
    monkeypatch.setenv(f"{service.upper()}_BASE_URL", server.base_url)


