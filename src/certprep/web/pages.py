"""Server-rendered pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from certprep.web.app import templates
from certprep.web.deps import get_pack, get_runtime
from certprep.web.views import pack_overview, pack_summary

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def hub(request: Request) -> HTMLResponse:
    runtime = get_runtime(request)
    packs = [pack_summary(runtime.packs[pack_id]) for pack_id in sorted(runtime.packs)]
    return templates.TemplateResponse(request, "hub.html", {"packs": packs})


@router.get("/packs/{pack_id}", response_class=HTMLResponse)
def overview(request: Request, pack_id: str) -> HTMLResponse:
    pack = get_pack(request, pack_id)
    return templates.TemplateResponse(request, "overview.html", {"pack": pack_overview(pack)})
