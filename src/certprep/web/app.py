"""The web app: server-rendered pages and a JSON API under /api/v1, built around one Runtime."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markdown_it import MarkdownIt
from markupsafe import Markup
from starlette.exceptions import HTTPException

from certprep import __version__
from certprep.runtime import Runtime
from certprep.web.security import SecurityHeadersMiddleware

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
# Templates ship inside the package and do not change while the server runs: skip the file-date check per render.
templates.env.auto_reload = False
# Raw HTML in content is not rendered: packs may come from users, and the CSP forbids inline script anyway.
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


@lru_cache(maxsize=20_000)
def render_markdown(text: str) -> Markup:
    """Markdown to safe HTML. Cached: pages render the same pack texts (stems, options, reasons) again and again,
    and parsing them was a large share of a results page; 20,000 texts are far more than a pack holds."""
    return Markup(_markdown.render(text or ""))  # markdown-it escapes everything: html is disabled


templates.env.filters["md"] = render_markdown


def csrf_token(request: Request) -> str:
    """The CSRF token for this request, set by the CSRF middleware (empty until hosted mode enforces one)."""
    return str(getattr(request.state, "csrf_token", ""))


def csrf_input(request: Request) -> Markup:
    """A hidden form field carrying the CSRF token: every POST form renders ``{{ csrf_input(request) }}``."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(csrf_token(request))


templates.env.globals["csrf_input"] = csrf_input
templates.env.globals["csrf_token"] = csrf_token


def _template_user(request: Request) -> dict[str, object] | None:
    from certprep.web.auth import template_user

    return template_user(request)


def _hosted(request: Request) -> bool:
    return bool(request.app.state.runtime.hosted)


templates.env.globals["current_user"] = _template_user
templates.env.globals["hosted"] = _hosted


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
    from certprep.web import (
        api,
        api_certs,
        api_exams,
        api_learning,
        api_tutor,
        auth,
        pages,
        pages_accounts,
        pages_certs,
        pages_exams,
        pages_exports,
        pages_learning,
        pages_tutor,
    )
    from certprep.web.api import RETRY_AFTER_SECONDS

    app = FastAPI(
        title="certprep",
        version=__version__,
        description="Study for AWS certification exams: packs, exams, practice and review.",
        openapi_url="/api/v1/openapi.json",
        # FastAPI's Swagger page loads its script from a CDN and runs inline script: neither works offline or under
        # our CSP, so /api/v1/docs is a server-rendered page of our own (pages.api_reference).
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = runtime
    auth.install(app, runtime)  # before the security headers, so that its 413 and 403 answers carry them too
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(api_exams.router)
    app.include_router(api_certs.router)
    app.include_router(pages_certs.router)
    app.include_router(pages.router)
    app.include_router(pages_exams.router)
    app.include_router(api_learning.router)
    app.include_router(pages_learning.router)
    app.include_router(pages_exports.router)
    app.include_router(api_tutor.router)
    app.include_router(pages_tutor.router)
    app.include_router(pages_accounts.router)

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
        message = _describe_validation(error)
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=422)
        return templates.TemplateResponse(request, "error.html", {"status": 422, "message": message}, status_code=422)

    return app
