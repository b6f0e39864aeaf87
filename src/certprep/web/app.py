"""The web app: server-rendered pages and a JSON API under /api/v1, built around one Runtime."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from certprep import __version__
from certprep.runtime import Runtime
from certprep.web import auth
from certprep.web.api import certs as api_certs
from certprep.web.api import exams as api_exams
from certprep.web.api import learning as api_learning
from certprep.web.api import reports as api_reports
from certprep.web.api import system as api_system
from certprep.web.api import tutor as api_tutor
from certprep.web.api.system import RETRY_AFTER_SECONDS
from certprep.web.deps import asks_for_learner
from certprep.web.pages import accounts as pages_accounts
from certprep.web.pages import certs as pages_certs
from certprep.web.pages import exams as pages_exams
from certprep.web.pages import exports as pages_exports
from certprep.web.pages import home as pages_home
from certprep.web.pages import learning as pages_learning
from certprep.web.pages import notebook as pages_notebook
from certprep.web.pages import reports as pages_reports
from certprep.web.pages import study as pages_study
from certprep.web.pages import tutor as pages_tutor
from certprep.web.security import SecurityHeadersMiddleware
from certprep.web.templating import templates

HERE = Path(__file__).resolve().parent
log = logging.getLogger(__name__)
# How often the server submits exams whose time ran out while nobody was looking (so that no GET has to write).
SWEEP_SECONDS = 30.0


def _sweep_expired(runtime: Runtime, stop: threading.Event, every: float = SWEEP_SECONDS) -> None:
    """Submit timed-out attempts now and then every ``every`` seconds, until ``stop`` is set."""
    while True:
        try:
            runtime.exams.submit_expired()
        except Exception:  # a background job: a failed sweep (database away, a bug) is logged and tried again later
            log.exception("could not submit the attempts whose time is up; trying again in %.0f s", every)
        if stop.wait(every):
            return


def _lifespan(runtime: Runtime) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        sweeper = threading.Thread(target=_sweep_expired, args=(runtime, stop), name="certprep-expiry", daemon=True)
        sweeper.start()
        try:
            yield
        finally:
            stop.set()
            sweeper.join(timeout=5)

    return lifespan


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _describe_validation(error: RequestValidationError) -> str:
    parts = []
    for detail in error.errors():
        where = ".".join(str(part) for part in detail.get("loc", ()) if part not in ("body", "query", "path"))
        parts.append(f"{where or 'request'}: {detail.get('msg', 'invalid value')}")
    return "; ".join(parts) or "invalid request"


def create_app(runtime: Runtime) -> FastAPI:
    """Build the app for an already started runtime (packs loaded, database migrated)."""
    from certprep.errors import CertprepError, http_status
    from certprep.store import DATABASE_FAILURE, REFUSED_VALUE_ERRORS, UNAVAILABLE_ERRORS

    app = FastAPI(
        title="certprep",
        version=__version__,
        description="Study for AWS certification exams: packs, exams, practice and review.",
        openapi_url="/api/v1/openapi.json",
        # FastAPI's Swagger page loads its script from a CDN and runs inline script: neither works offline or under
        # our CSP, so /api/v1/docs is a server-rendered page of our own (web/pages/home.py, api_reference).
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan(runtime),  # the expiry sweeper runs while the app serves
    )
    app.state.runtime = runtime
    auth.install(app, runtime)  # before the security headers, so that its 413 and 403 answers carry them too
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api_system.router)
    app.include_router(api_exams.router)
    app.include_router(api_certs.router)
    app.include_router(api_reports.router)
    app.include_router(pages_certs.router)
    app.include_router(pages_home.router)
    app.include_router(pages_exams.router)
    app.include_router(api_learning.router)
    app.include_router(pages_learning.router)
    app.include_router(pages_exports.router)
    app.include_router(api_tutor.router)
    app.include_router(pages_tutor.router)
    app.include_router(pages_study.router)
    app.include_router(pages_accounts.router)
    app.include_router(pages_reports.router)
    app.include_router(pages_notebook.router)

    def _error(request: Request, status: int, message: str) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=status)
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status
        )

    @app.exception_handler(DATABASE_FAILURE)
    async def database_error(request: Request, error: Exception) -> Response:
        # The database is away (503, try again) or refused a value the client sent (422); anything else is a bug.
        if isinstance(error, UNAVAILABLE_ERRORS):
            response = _error(request, 503, "The database is not available right now; try again in a few seconds.")
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        if isinstance(error, REFUSED_VALUE_ERRORS):
            return _error(
                request,
                422,
                "A value in the request cannot be stored: a number is out of range or a "
                "text holds a control character.",
            )
        raise error

    @app.exception_handler(CertprepError)
    async def refused(request: Request, error: CertprepError) -> Response:
        # Every refusal of every service, by its kind (certprep.errors): not found 404, conflict 409, invalid 422...
        status = http_status(error)
        response = _error(request, status, str(error) or "The request cannot be carried out.")
        if status == 503:
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    # Starlette's class, not FastAPI's subclass: the router's own 404 for an unknown path is a Starlette one, and a
    # browser asking for /nope should get the styled page too.
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": error.status_code, "message": error.detail},
            status_code=error.status_code,
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        if runtime.hosted and asks_for_learner(request.scope.get("route")) and auth.signed_in(request) is None:
            return auth.login_required_response(request)  # sign in first; what is wrong with the body comes after
        message = _describe_validation(error)
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=422)
        path_errors = [detail for detail in error.errors() if tuple(detail.get("loc", ()))[:1] == ("path",)]
        if path_errors:
            # A browser address with a part that cannot exist (/attempts/X/q/abc) is a page that does not exist.
            given = str(path_errors[0].get("input", ""))[:40]
            sentence = f"There is no such page: '{given}' is not a valid {path_errors[0]['loc'][-1]} here."
            return templates.TemplateResponse(
                request, "error.html", {"status": 404, "message": sentence}, status_code=404
            )
        return templates.TemplateResponse(request, "error.html", {"status": 422, "message": message}, status_code=422)

    return app
