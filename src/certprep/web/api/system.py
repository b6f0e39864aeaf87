"""The JSON API, /api/v1. Every response is described in the OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from certprep import __version__
from certprep.content import pack_stats
from certprep.content.models import Logistics, PathStep, QuestionTypeInfo, RetiredService
from certprep.store import check_connection
from certprep.web.deps import AppRuntime, get_pack
from certprep.web.views import pack_overview, pack_summary

router = APIRouter(prefix="/api/v1", tags=["packs"])
RETRY_AFTER_SECONDS = 5


class Health(BaseModel):
    status: str
    version: str
    packs: list[str]
    database: str


class _PackIdentity(BaseModel):
    """What the pack list and the pack overview both say about a pack."""

    id: str
    exam_code: str
    name: str
    provider: str
    level: str
    content_version: str
    questions: int
    flashcards: int


class PackSummary(_PackIdentity):
    domains: int


class TaskOverview(BaseModel):
    id: str
    title: str
    knowledge: list[str]
    skills: list[str]


class DomainOverview(BaseModel):
    id: int
    name: str
    weight: float = Field(description="Share of the scored items, percent.")
    exam_items: int = Field(description="Scored items of this domain on a full exam (largest-remainder split).")
    questions: int = Field(description="Questions of this domain in the bank (retired ones left out).")
    tasks: list[TaskOverview]


class ExamFacts(BaseModel):
    questions_total: int
    questions_scored: int
    questions_unscored: int
    duration_minutes: int
    scale_min: int
    scale_max: int
    passing_score: int
    scoring_model: str
    question_types: list[QuestionTypeInfo]
    unanswered_policy: str


class PackOverview(_PackIdentity):
    """A pack's exam as a learner wants to see it: the summary's facts, with ``domains`` as the full list."""

    facts: ExamFacts
    domains: list[DomainOverview]
    services: dict[str, list[str]]
    retired_services: list[RetiredService]
    logistics: Logistics | None
    path: list[PathStep]


class QuestionCountsStats(BaseModel):
    total: int
    usable: int = Field(description="Live and pretest questions (retired ones are kept for old attempts only).")
    by_status: dict[str, int]


class DocumentationCheck(BaseModel):
    checked: int = Field(description="Questions whose key was checked against the AWS documentation.")
    checked_percent: float
    oldest: str | None = Field(description="The oldest check date, YYYY-MM-DD.")


class TaskStats(BaseModel):
    id: str
    title: str
    questions: int
    flashcards: int


class DomainStats(BaseModel):
    id: int
    name: str
    weight: float
    exam_items: int
    questions: int
    share_percent: float
    multiple: int
    multiple_percent: float
    difficulty: dict[str, int] = Field(description='Questions per difficulty, keyed "1".."5".')
    median_stem_words: float
    flashcards: int
    notes: bool
    tasks: list[TaskStats]


class ServiceCoverage(BaseModel):
    in_scope: int
    covered: int
    uncovered: list[str]


class NamedCount(BaseModel):
    name: str
    uses: int = Field(description="Questions and flashcards that name it.")


class NotesGaps(BaseModel):
    """Services and tags that questions or flashcards use but no note section covers (content.study)."""

    count: int
    services: list[NamedCount]
    tags: list[NamedCount]


class PackStats(BaseModel):
    """The shape described in docs/pack-stats.md."""

    pack: str
    exam_code: str
    content_version: str
    questions: QuestionCountsStats
    types: dict[str, int]
    difficulty: dict[str, int]
    flashcards: int
    documentation_check: DocumentationCheck
    domains: list[DomainStats]
    services: ServiceCoverage
    notes_gaps: NotesGaps


@router.get(
    "/health",
    response_model=Health,
    summary="Liveness, what is loaded, and whether the database answers (503 when it does not)",
    responses={503: {"model": Health, "description": "The database does not answer"}},
)
def health(runtime: AppRuntime, response: Response) -> Health:
    ok = check_connection(runtime.engine)
    if not ok:
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return Health(
        status="ok" if ok else "database unavailable",
        version=__version__,
        packs=sorted(runtime.packs),
        database=runtime.engine.dialect.name,
    )


@router.get("/packs", response_model=list[PackSummary], summary="Installed packs")
def list_packs(runtime: AppRuntime) -> list[dict[str, Any]]:
    return [pack_summary(runtime.packs[pack_id]) for pack_id in sorted(runtime.packs)]


@router.get(
    "/packs/{pack_id}",
    response_model=PackOverview,
    summary="A pack's exam overview: facts, domains, task statements, logistics, path",
)
def get_pack_overview(request: Request, pack_id: str) -> dict[str, Any]:
    return pack_overview(get_pack(request, pack_id))


@router.get("/packs/{pack_id}/stats", response_model=PackStats, summary="Pack statistics (shape in docs/pack-stats.md)")
def get_pack_stats(request: Request, pack_id: str) -> dict[str, Any]:
    return pack_stats(get_pack(request, pack_id))
