"""Server-rendered pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from certprep.web.deps import AppRuntime, get_pack
from certprep.web.templating import templates
from certprep.web.views import api_operations, pack_overview, pack_summary

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def hub(request: Request, runtime: AppRuntime) -> HTMLResponse:
    packs = [pack_summary(runtime.packs[pack_id]) for pack_id in sorted(runtime.packs)]
    return templates.TemplateResponse(request, "hub.html", {"packs": packs})


@router.get("/packs/{pack_id}", response_class=HTMLResponse)
def overview(request: Request, pack_id: str) -> HTMLResponse:
    pack = get_pack(request, pack_id)
    return templates.TemplateResponse(request, "overview.html", {"pack": pack_overview(pack)})


@router.get("/api/v1/docs", response_class=HTMLResponse)
def api_reference(request: Request) -> HTMLResponse:
    """The JSON API, listed from the app's own OpenAPI description: readable offline, no script needed."""
    operations = api_operations(request.app.openapi())
    return templates.TemplateResponse(request, "api_docs.html", {"operations": operations})
