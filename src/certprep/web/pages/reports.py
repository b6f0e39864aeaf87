"""Reporting a problem with a question: the learner's form and "My reports", and the authors' review queue.

The form sits under a practice question, its feedback and each item of a results page (templates/_report.html).
Authors and admins (in local mode, the one user) answer reports in the queue and may withdraw a question from new
forms while it is fixed.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from certprep.content.feedback import MAX_REPLY, MAX_TEXT, ReportReason, ReportStatus
from certprep.web.deps import AppRuntime, Learner, get_pack, refuse_while_sealed, require_role
from certprep.web.templating import templates

router = APIRouter(include_in_schema=False)


def local_path(back: str) -> str:
    """Where to send the learner back to: a path of this site only (never another host)."""
    return back if back.startswith("/") and not back.startswith("//") and "\\" not in back else ""


@router.post("/packs/{pack_id}/questions/{code}/report")
def file_report(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack_id: str,
    code: str,
    reason: Annotated[str, Form(max_length=40)] = "",
    text: Annotated[str, Form(max_length=MAX_TEXT + 200)] = "",
    back: Annotated[str, Form(max_length=300)] = "",
) -> RedirectResponse:
    get_pack(request, pack_id)
    report_id = runtime.reports.file(learner_id, pack_id, code, reason, text)
    target = local_path(back)
    query = urlencode({"filed": report_id, **({"back": target} if target else {})})
    return RedirectResponse(f"/reports?{query}", status_code=303)


@router.get("/reports", response_class=HTMLResponse)
def my_reports(
    request: Request, runtime: AppRuntime, learner_id: Learner, filed: int | None = None, back: str = ""
) -> HTMLResponse:
    refuse_while_sealed(request)  # an author's reply may explain a key
    return templates.TemplateResponse(
        request,
        "reports.html",
        {"reports": runtime.reports.mine(learner_id), "filed": filed, "back": local_path(back)},
    )


@router.get("/admin/reports", response_class=HTMLResponse)
def review_queue(request: Request, runtime: AppRuntime, pack: str = "", status: str = "open") -> HTMLResponse:
    require_role(request, "author")
    pack_id = pack if pack in runtime.packs else runtime.tutors.default_pack()
    chosen = ReportStatus(status) if status in set(ReportStatus) else None
    return templates.TemplateResponse(
        request,
        "admin_reports.html",
        {
            "entries": runtime.reports.queue(pack_id, chosen),
            "pack_id": pack_id,
            "packs": sorted(runtime.packs),
            "status": chosen.value if chosen else "all",
            "statuses": [s.value for s in ReportStatus],
            "withdrawn": sorted(runtime.packs[pack_id].code(q) for q in runtime.reports.withdrawn(pack_id)),
            "max_reply": MAX_REPLY,
        },
    )


@router.post("/admin/reports/{report_id}/decide")
def decide_report(
    request: Request,
    runtime: AppRuntime,
    report_id: int,
    status: Annotated[str, Form(max_length=20)] = "",
    reply: Annotated[str, Form(max_length=MAX_REPLY + 200)] = "",
) -> RedirectResponse:
    decider = require_role(request, "author")
    decided = runtime.reports.decide(report_id, decider, status, reply)
    return RedirectResponse(f"/admin/reports?pack={decided.pack_id}", status_code=303)


@router.post("/admin/questions/{pack_id}/{code}/{action}")
def withdraw_or_restore(
    request: Request, runtime: AppRuntime, pack_id: str, code: str, action: str
) -> RedirectResponse:
    by = require_role(request, "author")
    get_pack(request, pack_id)
    if action == "withdraw":
        runtime.reports.withdraw(pack_id, code, by)
    elif action == "restore":
        runtime.reports.restore(pack_id, code)
    else:
        raise HTTPException(status_code=404, detail="Questions can be withdrawn or restored.")
    return RedirectResponse(f"/admin/reports?pack={pack_id}", status_code=303)


# The reasons as the report form lists them, for templates/_report.html.
templates.env.globals["report_reasons"] = list(ReportReason)
