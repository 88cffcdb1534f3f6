"""The web app: ``create_app(settings)`` builds it, ``python -m bot run`` serves it with uvicorn.

Routes: ``/helpdesk`` (the agents' pages, ``bot.web.helpdesk``), ``/api`` (JSON,
``bot.web.api``, documented at ``/api/openapi.json``), ``/widget`` (the chat widget that
intranet pages embed), ``/demo`` (demo intranet pages, ``bot.web.demo``), ``/static`` (CSS)
and ``/health`` for the supervisor's readiness check. Nothing is loaded from other hosts.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import sessionmaker

from bot.db.session import create_db_engine
from bot.settings import Settings, get_settings
from bot.web import api, demo, helpdesk
from bot.web.auth import LoginRequired, login_redirect_url
from bot.web.csrf import CsrfFailed

STATIC_DIR = Path(__file__).with_name("static")

SECURITY_HEADERS = {
    # The desk needs nothing but its own stylesheet: no scripts, no frames, no other hosts.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def create_app(settings: Settings) -> FastAPI:
    """The helpdesk and its API on the database ``settings.database_url``."""
    engine = create_db_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="KSM-Helpdesk-API",
        description=(
            "Tickets des KSM-Servicedesks abfragen und bearbeiten. Jeder Aufruf braucht ein "
            "API-Token (`python -m bot agents token NAME`) im Kopf "
            "`Authorization: Bearer <Token>`."
        ),
        version="1.0.0",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    # pydantic 1 writes JSON schemas in the dialect of OpenAPI 3.0 (``nullable``), not 3.1.
    app.openapi_version = "3.0.3"
    app.state.settings = settings
    app.state.sessionmaker = sessionmaker(bind=engine, future=True, expire_on_commit=False)
    app.state.sleep = asyncio.sleep  # how a failed login waits; tests put in a recorder

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)  # the demo pages set their own CSP
        if request.url.path.startswith("/widget/"):
            response.headers["Cache-Control"] = "no-cache"  # revalidated: updates reach pages
        elif not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(LoginRequired)
    async def to_login(_request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(login_redirect_url(exc.next_path), status_code=303)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, _exc: CsrfFailed) -> Response:
        return helpdesk.error_page(
            request,
            403,
            "Anfrage abgelehnt",
            "Das Formular war abgelaufen oder stammt nicht vom Helpdesk. Bitte laden Sie die "
            "Seite neu und versuchen Sie es noch einmal.",
        )

    @app.get("/health", include_in_schema=False)
    def health() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/helpdesk", status_code=303)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount("/widget", StaticFiles(directory=STATIC_DIR / "widget"), name="widget")
    app.include_router(helpdesk.router)
    app.include_router(api.router)
    if settings.demo_pages:
        app.include_router(demo.router)
    return app


def app_from_env() -> FastAPI:
    """The app on the settings of this process's environment (``uvicorn --factory``)."""
    return create_app(get_settings())
