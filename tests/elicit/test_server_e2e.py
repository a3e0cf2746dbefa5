"""End to end through the real client: Inspect's openai-api provider over real HTTP to a loopback
OpenAI-compatible server that counts every answer it delivers."""

from __future__ import annotations

from collections import Counter

import pytest

from autosafety.elicit import elicit
from autosafety.model import load_model

from .conftest import use_server
from .openai_server import rating_for

# Inspect's retry helper passes a deprecated tenacity argument; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:The 'initial' parameter:DeprecationWarning")

MODEL = load_model("wehner-2026")
LLM = "openai-api/local/rater"
FAST = {"backoff": 0.01, "timeout": 10.0, "model_args": {"max_retries": 0}}


def test_answers_come_back_over_http(start_server, monkeypatch, tmp_path):
    server = start_server()
    use_server(monkeypatch, server)
    report = elicit(MODEL, llms=[LLM], samples=2, factors=["feedback_quality", "task_length"],
                    cache=tmp_path / "c.sqlite", concurrency=6, **FAST)
    assert report.complete and len(report.ratings) == 2 * 10 * 2
    for req in report.requests:
        answer = report.answers[req.key]
        assert answer.value == rating_for(req.user)  # the server's deterministic answer
        assert answer.provenance["input_tokens"] == len(req.user) // 4
        assert answer.provenance["output_tokens"] == 20
    assert len(server.delivered()) == len(report.requests)


def test_server_crash_mid_run_then_resume_makes_no_duplicate_calls(start_server, monkeypatch,
                                                                   tmp_path):
    cache = tmp_path / "answers.sqlite"
    log = tmp_path / "calls.log"
    server = start_server("--die-after", "23", "--delay", "0.01", log=log)
    use_server(monkeypatch, server)
    first = elicit(MODEL, llms=[LLM], samples=2, cache=cache, concurrency=4, retries=1, **FAST)
    assert server.proc.wait(timeout=10) == 0  # the server crashed after its 23rd answer
    assert not first.complete
    assert first.progress.done == 23 == len(server.delivered())
    assert {a.status for _, a in first.failures} == {"error"}
    assert all(a.raw for _, a in first.failures)  # the connection error text is kept

    restarted = start_server(log=log)
    use_server(monkeypatch, restarted)
    second = elicit(MODEL, llms=[LLM], samples=2, cache=cache, concurrency=4, **FAST)
    assert second.complete
    assert second.progress.cached == 23 and second.progress.done == 140 - 23
    delivered = Counter(restarted.delivered())
    assert sum(delivered.values()) == 140  # every answer delivered exactly once overall
    assert set(delivered.values()) == {2}  # each prompt answered once per sample
    assert len(second.ratings) == 140

    third = elicit(MODEL, llms=[LLM], samples=2, cache=cache, concurrency=4, **FAST)
    assert third.calls == 0 and third.progress.cached == 140
    assert len(restarted.delivered()) == 140


def test_rate_limits_are_retried_with_backoff(start_server, monkeypatch):
    server = start_server("--fail-first", "5")
    use_server(monkeypatch, server)
    report = elicit(MODEL, llms=[LLM], factors=["feedback_quality"], concurrency=2, retries=4,
                    **FAST)
    assert report.complete
    assert report.calls == 10 + 5  # five 429s, each retried once more
    assert max(a.provenance["attempts"] for a in report.answers.values()) >= 2
    assert len(server.delivered()) == 10


def test_rate_limits_beyond_the_retry_budget_are_failures(start_server, monkeypatch):
    server = start_server("--fail-first", "100")
    use_server(monkeypatch, server)
    report = elicit(MODEL, llms=[LLM], factors=["feedback_quality"], areas=["interpretability"],
                    retries=2, **FAST)
    assert not report.complete
    (_, answer), = report.failures
    assert answer.status == "error" and answer.provenance["attempts"] == 3
    assert "429" in answer.raw or "rate" in answer.raw.lower()
    assert server.delivered() == []


def test_slow_answers_time_out_and_are_recorded(start_server, monkeypatch):
    use_server(monkeypatch, start_server("--delay", "3"))
    report = elicit(MODEL, llms=[LLM], factors=["feedback_quality"], areas=["interpretability"],
                    retries=1, backoff=0.01, timeout=0.3, model_args={"max_retries": 0})
    (_, answer), = report.failures
    assert answer.status == "error"
    assert answer.problem == "timed out after 2 attempt(s)"
