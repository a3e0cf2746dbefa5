"""Safety limits as pure ASGI middleware: a request body cap, a request timeout, security headers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 1024 * 1024
"""Largest request body accepted (1 MB)."""
REQUEST_TIMEOUT_S = 20.0
"""Longest a request may take before the server answers 503."""

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
PAGE_HEADERS = [(b"content-security-policy", CSP.encode()),
                (b"x-content-type-options", b"nosniff"),
                (b"referrer-policy", b"no-referrer"),
                (b"x-frame-options", b"DENY")]
"""Headers of HTML documents: scripts only from this server, no framing, no referrer."""
DATA_HEADERS = [(b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
                (b"x-content-type-options", b"nosniff")]
"""Headers of everything else (JSON, files): never sniffed as HTML, never framed, and should one
be opened as a document, it may load and run nothing."""


def security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The security headers for a response with these headers: by its content type."""
    for name, value in headers:
        if name == b"content-type":
            return PAGE_HEADERS if value.startswith(b"text/html") else DATA_HEADERS
    return DATA_HEADERS


async def _json_error(send: Send, status: int, title: str, message: str, fix: str,
                      problems: list[dict[str, str]] | None = None) -> None:
    body = json.dumps({"error": title, "problems": problems or [
        {"location": "request", "message": message, "fix": fix}]}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *DATA_HEADERS]})
    await send({"type": "http.response.body", "body": body})


def _is_json(scope: Scope) -> bool:
    if scope.get("method") not in ("POST", "PUT", "PATCH"):
        return False
    for name, value in scope["headers"]:
        if name == b"content-type":
            return bool(value.split(b";")[0].strip().lower().endswith(b"json"))
    return False


def _json_problem(body: bytes) -> Any:
    """The InputError of a hostile JSON body (too deep, duplicate key, huge integer), else None;
    malformed JSON is left to the endpoint (it answers 422 as before)."""
    from .._errors import InputError
    from .._input import load_json

    try:
        text = body.decode()
    except UnicodeDecodeError:
        return None
    try:
        load_json(text, origin="request body")
    except InputError as e:
        if any("malformed JSON" in p.message for p in e.problems):
            return None
        return e
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return replay


class Limits:
    """Caps request bodies at ``max_body`` bytes (413), times out requests after ``timeout`` s
    (503), and adds security headers: for pages a CSP without inline scripts, for the rest a CSP
    that allows nothing; nosniff and no framing for all."""

    def __init__(self, app: ASGIApp, *, max_body: int = MAX_BODY_BYTES,
                 timeout: float = REQUEST_TIMEOUT_S):
        self.app = app
        self.max_body = max_body
        self.timeout = timeout
        self._too_large = ("request body too large", f"the body is over {max_body // 1024} KB",
                           "send a smaller model (split it, or drop rationales)")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = -2  # no Content-Length: a streamed body, counted as it arrives
        for name, value in scope["headers"]:
            if name == b"content-length":
                length = int(value) if value.isdigit() else -1
        if length == -1 or length > self.max_body:
            await _json_error(send, 413 if length > 0 else 400, *self._too_large)
            return
        started = refused = False
        seen = 0

        async def capped_receive() -> Message:
            # A streamed body over the cap: answer 413 now and tell the app the client left.
            nonlocal seen, started, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    if not started:
                        started = refused = True
                        await _json_error(send, 413, *self._too_large)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
                headers = message.get("headers", [])
                message["headers"] = [*headers, *security_headers(headers)]
            await send(message)

        # The server holds a body to its Content-Length, so only a streamed one needs counting.
        app_receive = capped_receive if length == -2 else receive
        if _is_json(scope):
            # One rule for every endpoint: JSON nested too deeply, with a key given twice or an
            # integer too long for Python is refused with 422 and its location, before any parser.
            chunks = []
            while True:
                message = await app_receive()
                if message["type"] != "http.request":
                    return
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
            body = b"".join(chunks)
            problem = _json_problem(body)
            if problem is not None:
                await _json_error(send, 422, problem.title, "", "", [
                    {"location": p.location, "message": p.message, "fix": p.fix}
                    for p in problem.problems])
                return
            app_receive = _replay(body, receive)
        try:
            async with asyncio.timeout(self.timeout):
                await self.app(scope, app_receive, guarded_send)
        except TimeoutError:
            if not started:
                await _json_error(send, 503, "request timed out",
                                  f"the request took longer than {self.timeout:g} s",
                                  "ask for fewer Monte Carlo draws or a smaller model")
