"""The Limits middleware on its own, as plain ASGI: request deadlines."""

import asyncio
import json

import pytest

from autosafety.web._limits import Limits

SCOPE = {"type": "http", "method": "GET", "path": "/", "headers": [(b"host", b"x")]}


def app_sleeping(seconds: float, finished: list[bool] | None = None):
    async def app(scope, receive, send):
        await asyncio.sleep(seconds)
        if finished is not None:
            finished.append(True)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b"{}"})
    return app


async def call(app) -> list[dict]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app(dict(SCOPE), receive, send)
    return sent


def test_a_slow_request_gets_503_soon_after_its_deadline_and_a_fast_one_passes():
    # how soon after the deadline: benchmarks/web_deadlines.py prints it
    finished: list[bool] = []
    limits = Limits(app_sleeping(5, finished), timeout=0.2)
    fast = Limits(app_sleeping(0), timeout=0.2)

    async def main():
        slow, quick = await asyncio.gather(call(limits), call(fast))
        return slow, quick, list(finished)

    slow, quick, done = asyncio.run(main())
    assert done == []  # answered at the deadline: the 5 s sleep was cut short, never finished
    assert slow[0]["status"] == 503
    assert "took longer than 0.2 s" in json.loads(slow[1]["body"])["problems"][0]["message"]
    assert quick[0]["status"] == 200
    assert (b"x-content-type-options", b"nosniff") in quick[0]["headers"]


def test_a_cancellation_from_elsewhere_is_not_turned_into_503():
    limits = Limits(app_sleeping(5), timeout=10)

    async def main():
        task = asyncio.ensure_future(call(limits))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
