"""Reports of problems with questions over JSON: /api/v1/reports (a learner's own; the review queue is a page)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from certprep.content.feedback import MAX_TEXT, ReportReason, ReportStatus
from certprep.web.deps import AppRuntime, Learner, refuse_while_sealed

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


class NewReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pack: str = Field(min_length=1, max_length=64, examples=["dop-c02"])
    code: str = Field(min_length=1, max_length=20, description="The question's public code, e.g. Q-7K2M9P.")
    # A plain string, checked by content.feedback, so a wrong reason is the same sentence as on the page.
    reason: str = Field(max_length=40, description=f"One of: {', '.join(r.value for r in ReportReason)}.")
    text: str = Field(max_length=MAX_TEXT + 200, description="What is wrong, in the learner's words.")


class Filed(BaseModel):
    id: int


class MyReport(BaseModel):
    id: int
    pack: str
    code: str
    reason: ReportReason
    text: str
    status: ReportStatus
    reply: str | None = Field(description="The authors' answer; a placeholder while the question's key is hidden.")
    created_at: dt.datetime
    decided_at: dt.datetime | None


@router.post("", status_code=201)
def file_report(body: NewReport, runtime: AppRuntime, learner_id: Learner) -> Filed:
    """Report a problem with a question: the key, the explanation, outdated content, unclear wording or a typo."""
    return Filed(id=runtime.reports.file(learner_id, body.pack, body.code, body.reason, body.text))


@router.get("")
def my_reports(request: Request, runtime: AppRuntime, learner_id: Learner) -> list[MyReport]:
    """The learner's reports, newest first, with the authors' replies (409 while a timed exam runs)."""
    refuse_while_sealed(request)
    return [
        MyReport(
            id=r.id,
            pack=r.pack_id,
            code=r.code,
            reason=r.reason,
            text=r.text,
            status=r.status,
            reply=r.reply,
            created_at=r.created_at,
            decided_at=r.decided_at,
        )
        for r in runtime.reports.mine(learner_id)
    ]
