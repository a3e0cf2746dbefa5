"""The app factory: the JSON API, the page, the scenario store and the safety limits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from .._errors import InputError
from ..store import ScenarioStore
from ._deps import on_http_error, on_input_error, on_validation_error
from ._limits import MAX_BODY_BYTES, REQUEST_TIMEOUT_S, Limits
from ._workers import AnalysisPool

DEFAULT_DB = "sqlite:///autosafety.db"


def create_app(*, database_url: str = DEFAULT_DB, max_body: int = MAX_BODY_BYTES,
               timeout: float = REQUEST_TIMEOUT_S, analysis_slots: int | None = None) -> FastAPI:
    """The web app: page at ``/``, JSON API under ``/api`` (OpenAPI at ``/openapi.json``).

    Scenarios and campaigns are stored at ``database_url`` (any SQLAlchemy URL; migrated on start).
    ``analysis_slots`` bounds the analyses computing at once in this process (default one per
    CPU; ``serve --workers N`` gives each process its share). Extend it with
    ``app.include_router(...)``.
    """
    from ..campaign import CampaignStore
    from ..campaign._interview_store import InterviewStore
    from ..campaign._seeds_store import SeedStore
    from .routers import analysis, models, pages, scenarios

    db = ScenarioStore(database_url)
    campaign_db = CampaignStore(database_url, engine=db.engine)   # one engine, migrated once
    pool = AnalysisPool(analysis_slots)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()
        db.close()   # the campaigns' engine too

    # /docs and /redoc are ours (routers/pages.py): Swagger UI and ReDoc shipped in the package,
    # started by our own scripts, so the page's CSP (scripts from this server only) holds.
    app = FastAPI(title="autosafety", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Which AI research will be automated first, safety or capabilities? "
                  "The factor model, Monte Carlo, sensitivity and saved scenarios as a JSON API; "
                  "the same engine and numbers as the `autosafety` CLI.")
    app.state.store = db
    app.state.campaigns = campaign_db
    app.state.interview_stores = (InterviewStore(campaign_db), SeedStore(campaign_db))
    app.state.analysis = pool
    app.add_middleware(Limits, max_body=max_body, timeout=timeout)
    app.add_exception_handler(InputError, on_input_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(HTTPException, on_http_error)
    for module in (models, analysis, scenarios, pages):
        app.include_router(module.router)
    from ..schemes._router import router as schemes_router
    app.include_router(schemes_router)
    from .routers.timeline import router as timeline_router
    app.include_router(timeline_router)
    from .routers.levers import router as levers_router
    app.include_router(levers_router)
    from .routers.interviews import organiser_router
    from .routers.interviews import router as interviews_router
    app.include_router(interviews_router)
    app.include_router(organiser_router)
    from .routers import campaign_pages, campaigns
    app.include_router(campaigns.router)
    app.include_router(campaign_pages.router)
    static = resources.files("autosafety.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app
