"""Server-rendered pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from certprep.learning.readiness import MIN_PREDICTION_ANSWERS
from certprep.runtime import Runtime
from certprep.web.deps import AppRuntime, get_pack
from certprep.web.templating import templates
from certprep.web.views import api_operations, pack_overview, pack_summary

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def hub(request: Request, runtime: AppRuntime) -> HTMLResponse:
    packs = [pack_summary(runtime.packs[pack_id]) for pack_id in sorted(runtime.packs)]
    learner = _learner(request, runtime)
    # Each pack's card carries where the learner stands: the first visit's next step, or today's plan item, the
    # cards due and the readiness figure (services.learning.dashboard.first_visit). Nobody signed in: none.
    status = {} if learner is None else {i: runtime.learning.dashboard.first_visit(learner, i) for i in runtime.packs}
    today = runtime.learning.records.today(runtime.clock())
    context = {"packs": packs, "status": status, "today": today, "min_answers": MIN_PREDICTION_ANSWERS}
    return templates.TemplateResponse(request, "hub.html", context)


def _learner(request: Request, runtime: Runtime) -> int | None:
    if not runtime.hosted:
        return runtime.local_user_id
    from certprep.web.auth import signed_in

    user = signed_in(request)
    return user.user_id if user is not None else None


@router.get("/packs/{pack_id}", response_class=HTMLResponse)
def overview(request: Request, pack_id: str) -> HTMLResponse:
    pack = get_pack(request, pack_id)
    return templates.TemplateResponse(request, "overview.html", {"pack": pack_overview(pack)})


@router.get("/api/v1/docs", response_class=HTMLResponse)
def api_reference(request: Request) -> HTMLResponse:
    """The JSON API, listed from the app's own OpenAPI description: readable offline, no script needed."""
    operations = api_operations(request.app.openapi())
    return templates.TemplateResponse(request, "api_docs.html", {"operations": operations})
