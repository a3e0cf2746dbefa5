"""Running requests through Inspect's model API: bounded concurrency, retries, caching, provenance.

Inspect (``inspect_ai``) is imported only when a run starts; it is the optional extra
``autosafety[llm]``.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .._errors import InputError, Problem
from ..model import Rating
from ._cache import Answer, AnswerCache
from ._collect import collect_ratings
from ._parse import parse_answer
from ._plan import Request

if TYPE_CHECKING:
    from inspect_ai.model import GenerateConfig, Model


@dataclass
class Progress:
    """Counts while a run goes on."""

    total: int
    """Requests in the matrix."""
    done: int = 0
    """Requests answered with a usable rating in this run."""
    failed: int = 0
    """Requests that ended without a usable rating in this run."""
    cached: int = 0
    """Requests already answered by an earlier run (no call made)."""


@dataclass
class RunReport:
    """Every request of a run and its answer."""

    requests: list[Request]
    """The request matrix."""
    answers: dict[str, Answer]
    """Answer by request key (every request has one after a run)."""
    progress: Progress
    """Final counts."""
    seconds: float = 0.0
    """Wall time of the run."""
    calls: int = 0
    """Model calls made (attempts, including retries)."""
    notes: list[str] = field(default_factory=list)
    """Anything the user should know about the run."""

    @property
    def failures(self) -> list[tuple[Request, Answer]]:
        """Requests without a usable rating, with their answers (raw text kept)."""
        return [(r, self.answers[r.key]) for r in self.requests if self.answers[r.key].status != "ok"]

    @property
    def ratings(self) -> list[Rating]:
        """One rating per (LLM, sample, area, factor) with a usable answer."""
        return collect_ratings(self.requests, self.answers)

    @property
    def complete(self) -> bool:
        """True when every request has a usable rating."""
        return not self.failures


def _config(*, concurrency: int, temperature: float | None, max_tokens: int,
            structured: bool) -> GenerateConfig:
    from inspect_ai.model import GenerateConfig, ResponseSchema
    from inspect_ai.util import JSONSchema

    from ._prompt import RATING_SCHEMA

    schema = ResponseSchema(name="rating", json_schema=JSONSchema.model_validate(RATING_SCHEMA),
                            description="A rating on the rubric's scale and a short rationale.",
                            strict=True) if structured else None
    # Inspect's own retries are off (max_retries=0): this module retries with its own backoff so
    # every attempt is counted and a failure is recorded instead of retried for minutes.
    return GenerateConfig(max_retries=0, max_connections=concurrency, temperature=temperature,
                          max_tokens=max_tokens, response_schema=schema)


def load_models(llms: Sequence[str], *, models: Mapping[str, Model] | None = None,
                model_args: Mapping[str, Any] | None = None) -> dict[str, Model]:
    """An Inspect model per model string; unknown providers, missing packages and missing keys
    are user errors (the common providers' checked first without importing them, see
    :mod:`._providers`)."""
    from ._providers import check_providers

    check_providers([x for x in llms if not (models and x in models)], model_args=model_args)
    from inspect_ai.model import get_model

    out, problems = {}, []
    for llm in llms:
        if models and llm in models:
            out[llm] = models[llm]
            continue
        try:
            out[llm] = get_model(llm, memoize=False, **dict(model_args or {}))
        except Exception as e:  # Inspect raises several types for a bad provider or missing key
            text = re.sub(r"\[/?[a-z ]+\]", "", str(e))  # drop rich markup
            msg = " ".join(text.replace("ERROR:", "").split())[:300] or type(e).__name__
            problems.append(Problem(f"--llm {llm}", msg, "check the provider name, its package "
                                    "and its API key environment variable (see docs/elicit.md)"))
    if problems:
        raise InputError(problems, title="cannot use the requested models")
    return out


def _unwrap(ex: BaseException) -> BaseException:
    last = getattr(ex, "last_attempt", None)  # tenacity.RetryError from Inspect's retry wrapper
    inner = last.exception() if last is not None else None
    return inner if isinstance(inner, BaseException) else ex


def _retryable(model: Model, ex: BaseException) -> bool:
    if isinstance(ex, TimeoutError | ConnectionError):
        return True
    if not isinstance(ex, Exception):
        return False
    try:
        return bool(model.api.should_retry(ex))  # Inspect's per-provider rate-limit/5xx rules
    except Exception:
        return False


def _provenance(req: Request, *, attempts: int, usage: Any = None, response_model: str = ""
                ) -> dict[str, Any]:
    prov: dict[str, Any] = {
        "model": req.llm, "provider": req.llm.split("/", 1)[0], "sample": req.sample,
        "temperature": req.temperature, "prompt_hash": req.prompt_hash,
        "rubric_version": req.rubric_version,
        "time": datetime.now(UTC).isoformat(timespec="seconds"), "attempts": attempts,
        "input_tokens": getattr(usage, "input_tokens", None),
        "output_tokens": getattr(usage, "output_tokens", None),
    }
    if response_model and response_model != req.llm.split("/")[-1]:
        prov["response_model"] = response_model
    if req.paper is not None:
        prov["paper"] = req.paper.title
    return prov


async def _ask(req: Request, model: Model, config: GenerateConfig, *, retries: int, backoff: float,
               timeout: float, counter: list[int]) -> Answer:
    from inspect_ai.model import ChatMessageSystem, ChatMessageUser

    messages: list[Any] = [ChatMessageSystem(content=req.system), ChatMessageUser(content=req.user)]
    for attempt in range(retries + 1):
        counter[0] += 1
        try:
            async with asyncio.timeout(timeout):
                out = await model.generate(messages, config=config)
        except Exception as raised:
            ex = _unwrap(raised)
            if attempt < retries and _retryable(model, ex):
                await asyncio.sleep(backoff * 2**attempt * (0.5 + random.random()))
                continue
            kind = "timed out" if isinstance(ex, TimeoutError) else "call failed"
            return Answer(req.key, "error", raw=f"{type(ex).__name__}: {ex}",
                          problem=f"{kind} after {attempt + 1} attempt(s)",
                          provenance=_provenance(req, attempts=attempt + 1))
        prov = _provenance(req, attempts=attempt + 1, usage=out.usage, response_model=out.model)
        text = out.completion
        if out.error and not text:
            return Answer(req.key, "error", raw=str(out.error), problem="the provider returned an "
                          "error", provenance=prov)
        parsed = parse_answer(text, low=req.low, high=req.high,
                              refused=out.stop_reason == "content_filter")
        return Answer(req.key, parsed.status, parsed.value, parsed.rationale, text, parsed.problem,
                      prov)
    raise AssertionError("unreachable")


def _kept_answers(requests: Sequence[Request], cache: AnswerCache, *,
                  retry_failed: bool) -> dict[str, Answer]:
    answers = cache.get_many(r.key for r in requests)
    keep = {"ok"} if retry_failed else {"ok", "refused", "unparseable", "out_of_range"}
    return {k: a for k, a in answers.items() if a.status in keep}


def pending(requests: Sequence[Request], cache: AnswerCache, *,
            retry_failed: bool = False) -> list[Request]:
    """The requests :func:`run_requests` would ask (those without a kept answer in ``cache``)."""
    answers = _kept_answers(requests, cache, retry_failed=retry_failed)
    return [r for r in requests if r.key not in answers]


async def run_requests(requests: Sequence[Request], *, cache: AnswerCache, concurrency: int = 8,
                       retries: int = 3, backoff: float = 1.0, timeout: float = 120.0,
                       max_tokens: int = 400, structured: bool = True, retry_failed: bool = False,
                       models: Mapping[str, Model] | None = None,
                       model_args: Mapping[str, Any] | None = None,
                       on_progress: Callable[[Progress], None] | None = None) -> RunReport:
    """Answer every request, skipping those the cache already holds, at most ``concurrency`` at once.

    A cached call error is always tried again; a cached refusal, unparseable or out-of-range
    answer only with ``retry_failed``. Each answer is committed to the cache as soon as it arrives.
    """
    if concurrency < 1:
        raise InputError(Problem("--concurrency", f"must be at least 1, got {concurrency}",
                                 "give N >= 1"))
    started = time.perf_counter()
    reqs = list(requests)
    answers = _kept_answers(reqs, cache, retry_failed=retry_failed)
    todo = [r for r in reqs if r.key not in answers]
    todo = list({r.key: r for r in todo}.values())
    progress = Progress(total=len(reqs), cached=len(reqs) - len(todo))
    if on_progress:
        on_progress(progress)
    report = RunReport(reqs, answers, progress)
    if todo:
        llm_models = load_models(sorted({r.llm for r in todo}), models=models,
                                 model_args=model_args)
        temps = {r.temperature for r in todo}
        configs = {t: _config(concurrency=concurrency, temperature=t, max_tokens=max_tokens,
                              structured=structured) for t in temps}
        gate = asyncio.Semaphore(concurrency)
        counter = [0]

        async def one(req: Request) -> None:
            async with gate:
                answer = await _ask(req, llm_models[req.llm], configs[req.temperature],
                                    retries=retries, backoff=backoff, timeout=timeout,
                                    counter=counter)
            cache.put(answer, llm=req.llm, sample=req.sample, area=req.area, factor=req.factor,
                      paper=req.paper.id if req.paper else None)
            answers[req.key] = answer
            if answer.status == "ok":
                progress.done += 1
            else:
                progress.failed += 1
            if on_progress:
                on_progress(progress)

        await asyncio.gather(*(one(r) for r in todo))
        report.calls = counter[0]
    report.seconds = time.perf_counter() - started
    return report
