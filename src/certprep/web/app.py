"""The web app: server-rendered pages and a JSON API under /api/v1, built around one Runtime."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from certprep import __version__
from certprep.runtime import Runtime
from certprep.web.security import SecurityHeadersMiddleware

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))


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
    from certprep.web import api, pages

    app = FastAPI(
        title="certprep",
        version=__version__,
        description="Study for AWS certification exams: packs, exams, practice and review.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

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
