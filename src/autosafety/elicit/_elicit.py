"""Eliciting ratings for a model from LLMs: plan the requests, run them, collect ratings."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Model
from ._cache import AnswerCache
from ._plan import plan_requests
from ._prompt import Paper
from ._run import Progress, RunReport, run_requests

if TYPE_CHECKING:
    from inspect_ai.model import Model as InspectModel


def elicit(model: Model, *, llms: Sequence[str], samples: int = 1,
           factors: Sequence[str] | None = None, areas: Sequence[str] | None = None,
           papers: Sequence[Paper] = (), temperature: float | None = None,
           cache: Path | str = ":memory:", concurrency: int = 8, retries: int = 3,
           backoff: float = 1.0, timeout: float = 120.0, max_tokens: int = 400,
           structured: bool = True, retry_failed: bool = False,
           models: Mapping[str, InspectModel] | None = None,
           model_args: Mapping[str, Any] | None = None,
           on_progress: Callable[[Progress], None] | None = None) -> RunReport:
    """Ask each LLM ``samples`` times for a rating of every selected (area, factor) cell.

    ``llms`` are Inspect model strings (``anthropic/...``, ``openai/...``,
    ``openai-api/SERVICE/MODEL``...); ``models`` may supply ready Inspect models for some of them
    (e.g. ``mockllm/model`` with scripted outputs). Answers are cached in ``cache`` (a SQLite file)
    as they arrive, so a re-run after an interruption makes no call that already succeeded.
    ``report.ratings`` are the ratings; ``report.failures`` every request without one.
    """
    requests = plan_requests(model, llms=llms, samples=samples, factors=factors, areas=areas,
                             papers=papers, temperature=temperature)
    store = AnswerCache(cache)
    try:
        return asyncio.run(run_requests(
            requests, cache=store, concurrency=concurrency, retries=retries, backoff=backoff,
            timeout=timeout, max_tokens=max_tokens, structured=structured,
            retry_failed=retry_failed, models=models, model_args=model_args,
            on_progress=on_progress))
    finally:
        store.close()
