"""Running the app under uvicorn with a deadline on request headers (slowloris protection), in one
process or in several (``autosafety serve --workers N``: each worker process builds its app with
:func:`app_from_environment`)."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_S = 10.0
"""Longest a client may take to send a request's headers; then the connection is closed."""
APP_FACTORY = "autosafety.web._server:app_from_environment"
"""What each worker process of ``serve --workers N`` imports and calls to build its app."""
ENV_DB = "AUTOSAFETY_SERVE_DB"
ENV_SLOTS = "AUTOSAFETY_SERVE_ANALYSIS_SLOTS"
"""Where ``serve --workers N`` tells its worker processes the database and their analysis slots."""


class HeaderDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose next request's headers have not all
    arrived ``HEADER_TIMEOUT_S`` after it opened or after its previous response (uvicorn alone
    waits for them forever, so a few slow clients could hold every connection)."""

    header_timeout = HEADER_TIMEOUT_S

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def _arm(self) -> None:
        self._header_timer = self.loop.call_later(self.header_timeout, self._check, self.cycle)

    def _check(self, cycle: Any) -> None:
        waiting = self.conn.their_state is h11.IDLE and self.cycle is cycle
        if waiting and not self.transport.is_closing():
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        timer = getattr(self, "_header_timer", None)
        if timer is not None:
            timer.cancel()
        super().connection_lost(exc)


def server_options(*, header_timeout: float = HEADER_TIMEOUT_S) -> dict[str, Any]:
    """uvicorn's settings for the app: the header deadline, keep-alive 5 s, warnings only."""
    protocol: type[HeaderDeadlineProtocol] = HeaderDeadlineProtocol  # a module-level class pickles
    if header_timeout != HEADER_TIMEOUT_S:
        protocol = type("Protocol", (HeaderDeadlineProtocol,), {"header_timeout": header_timeout})
    return {"http": protocol, "log_level": "warning", "timeout_keep_alive": 5}


def server_config(app: Any, *, host: str = "127.0.0.1", port: int = 8000,
                  header_timeout: float = HEADER_TIMEOUT_S, **kwargs: Any) -> Any:
    """A ``uvicorn.Config`` for the app with :func:`server_options` (``kwargs`` override them)."""
    import uvicorn

    return uvicorn.Config(app, host=host, port=port,
                          **{**server_options(header_timeout=header_timeout), **kwargs})


def app_from_environment() -> Any:
    """The app of one worker process: database URL and analysis slots from the environment the
    ``serve`` command set (:data:`ENV_DB`, :data:`ENV_SLOTS`) before starting the workers."""
    from ._app import DEFAULT_DB, create_app

    slots = os.environ.get(ENV_SLOTS)
    return create_app(database_url=os.environ.get(ENV_DB, DEFAULT_DB),
                      analysis_slots=int(slots) if slots else None)
