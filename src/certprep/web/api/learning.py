"""The learning loop over JSON: flashcards, due questions, weak spots, mastery, readiness, study plan, settings.

Every route works for the requesting learner only (``current_user_id``). ``pack`` defaults to the only installed
pack when there is just one, so ``GET /api/v1/readiness`` works without arguments in the usual setup.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from certprep.learning.plan import plan_as_dict
from certprep.web.deps import AppRuntime, Learner, get_runtime

router = APIRouter(prefix="/api/v1", tags=["learning"])

PackQuery = Query(None, min_length=1, max_length=64, description="Pack id; optional when one pack is installed.")


def resolve_pack(request: Request, pack: str | None) -> str:
    """The pack named, or the only installed one; a 404/422 with a clear message otherwise."""
    runtime = get_runtime(request)
    if pack:
        if runtime.pack(pack) is None:
            raise HTTPException(404, f"No pack named '{pack}' is installed.")
        return pack
    if len(runtime.packs) == 1:
        return next(iter(runtime.packs))
    raise HTTPException(422, f"several packs are installed; add ?pack= one of {', '.join(sorted(runtime.packs))}")


class CardReview(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rating: int = Field(ge=1, le=4, description="1 Again, 2 Hard, 3 Good, 4 Easy.", examples=[3])
    pack: str | None = Field(None, min_length=1, max_length=64, description="Needed only if several packs hold it.")


class SessionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pack: str | None = Field(None, min_length=1, max_length=64)
    count: int = Field(20, ge=1, le=200)


class SettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    desired_retention: float | None = Field(None, ge=0.7, le=0.99)
    new_per_day: int | None = Field(None, ge=0, le=1000)
    reviews_per_day: int | None = Field(None, ge=1, le=10000)
    minutes_per_day: int | None = Field(None, ge=15, le=600)


class DueCard(BaseModel):
    id: str
    domain: int
    task: str
    front: str
    back: str
    kind: str = Field(description="learning, review or new.")
    due: str
    intervals: dict[str, str] = Field(description='The interval each rating would give, keyed "1".."4".')


class QueueCounts(BaseModel):
    learning: int
    review: int
    new: int


class DailyLimits(BaseModel):
    new_per_day: int
    reviews_per_day: int


class CardsDue(BaseModel):
    pack: str
    domain: int | None
    task: str | None
    counts: QueueCounts
    total: int
    new_today: int
    reviews_today: int
    limits: DailyLimits
    cards: list[DueCard]


class ReviewedCard(BaseModel):
    card_id: str
    rating: int
    rating_name: str
    due: str = Field(description="When the card is due next, ISO 8601.")
    interval: str = Field(description="The interval in words, such as '10m' or '3d'.")
    state: str
    reps: int
    lapses: int


class DueQuestions(BaseModel):
    pack: str
    count: int
    questions: list[str] = Field(description="Public question codes, most overdue first.")


class StartedSession(BaseModel):
    id: str
    url: str


class WeakSpot(BaseModel):
    code: str
    task: str
    reason: str


class WeakSpots(BaseModel):
    pack: str
    questions: list[WeakSpot]


class DomainForecast(BaseModel):
    domain: int
    scored_items: int
    expected_percent: float


class Readiness(BaseModel):
    pack: str
    scaled_score: int
    scaled_low: int
    scaled_high: int
    pass_probability: float
    passing: int
    expected_correct: float
    scored_items: int
    evidence: int
    domains: list[DomainForecast]


class DomainMastery(BaseModel):
    domain: int
    mastery: float = Field(description="Expected share right on this domain's questions, 0..1.")
    mastery_low: float
    mastery_high: float
    answers: int
    level: str


class TaskMastery(BaseModel):
    task: str
    domain: int
    theta: float = Field(description="Posterior mean of the task ability, logits on the exam's scale.")
    se: float
    mastery: float
    mastery_low: float
    mastery_high: float
    above_cut: float = Field(description="Probability that the task ability is above the exam's cut.")
    answers: int
    correct: int
    reviews: int
    last_seen: str | None
    level: str


class Mastery(BaseModel):
    pack: str
    domains: list[DomainMastery]
    tasks: list[TaskMastery]


class PlannedSession(BaseModel):
    kind: str
    title: str
    minutes: int
    domain: int | None
    questions: int
    cards: int


class PlannedDay(BaseModel):
    date: str
    day: int
    focus: str
    minutes: int
    sessions: list[PlannedSession]


class StudyPlan(BaseModel):
    pack: str
    kind: str
    today: str
    exam_date: str
    days_left: int
    minutes_per_day: int
    starts_on: str
    total_questions: int
    notes: list[str]
    days: list[PlannedDay]


class LearnerSettings(BaseModel):
    desired_retention: float
    new_per_day: int
    reviews_per_day: int
    minutes_per_day: int


@router.get("/cards/due", response_model=CardsDue)
def cards_due(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack: str | None = PackQuery,
    domain: int | None = Query(None, ge=1, le=50),
    task: str | None = Query(None, pattern=r"^\d+\.\d+$"),
    limit: int = Query(50, ge=0, le=500),
) -> dict[str, Any]:
    """Flashcards to study now, in order: learning steps, due reviews, then new cards within today's limits.

    Each card has the interval each rating would give (``intervals``, keyed "1".."4").
    """
    pack_id = resolve_pack(request, pack)
    return runtime.learning.cards.due_cards(learner_id, pack_id, None, domain, task, limit)


@router.post("/cards/{card_id}/review", response_model=ReviewedCard)
def review_card(
    request: Request, runtime: AppRuntime, learner_id: Learner, card_id: str, body: CardReview
) -> dict[str, Any]:
    """Rate a flashcard 1..4; returns the next due time (``due``, ISO 8601) and the interval in words."""
    learning = runtime.learning
    pack_id = resolve_pack(request, body.pack) if body.pack else learning.cards.find_card_pack(card_id)
    return learning.cards.review_card(learner_id, pack_id, card_id, body.rating)


@router.get("/questions/due", response_model=DueQuestions)
def questions_due(
    request: Request, runtime: AppRuntime, learner_id: Learner, pack: str | None = PackQuery
) -> dict[str, Any]:
    """Missed questions that FSRS says are due now (ids, most overdue first)."""
    pack_id = resolve_pack(request, pack)
    due = runtime.learning.missed.due_questions(learner_id, pack_id)
    codes = [loaded.code(question_id) for question_id in due] if (loaded := runtime.pack(pack_id)) else due
    return {"pack": pack_id, "count": len(due), "questions": codes}


@router.post("/learning/due-questions", status_code=201, response_model=StartedSession)
def start_due_questions(
    request: Request, runtime: AppRuntime, learner_id: Learner, body: SessionRequest
) -> dict[str, Any]:
    """Start a practice session of the due missed questions; answer it through /api/v1/exams/{id}."""
    pack_id = resolve_pack(request, body.pack)
    attempt = runtime.learning.missed.start_due_questions(learner_id, pack_id, body.count)
    return {"id": attempt, "url": f"/attempts/{attempt}/q/1"}


@router.get("/learning/weak-spots", response_model=WeakSpots)
def weak_spots(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack: str | None = PackQuery,
    count: int = Query(20, ge=1, le=200),
) -> dict[str, Any]:
    """The questions "practise my weak spots" would ask now, each with the reason it was chosen."""
    pack_id = resolve_pack(request, pack)
    picks = runtime.learning.progress.weak_spots(learner_id, pack_id, count)
    loaded = runtime.pack(pack_id)
    return {
        "pack": pack_id,
        "questions": [
            {"code": loaded.code(p.question_id) if loaded else p.question_id, "task": p.task, "reason": p.reason}
            for p in picks
        ],
    }


@router.post("/learning/weak-spots", status_code=201, response_model=StartedSession)
def start_weak_spots(
    request: Request, runtime: AppRuntime, learner_id: Learner, body: SessionRequest
) -> dict[str, Any]:
    """Start a "practise my weak spots" session; answer it through /api/v1/exams/{id}."""
    pack_id = resolve_pack(request, body.pack)
    attempt = runtime.learning.progress.start_weak_spots(learner_id, pack_id, body.count)
    return {"id": attempt, "url": f"/attempts/{attempt}/q/1"}


@router.get("/mastery", response_model=Mastery)
def mastery(request: Request, runtime: AppRuntime, learner_id: Learner, pack: str | None = PackQuery) -> dict[str, Any]:
    """Mastery per domain and task statement, with its 10th–90th percentile range."""
    from certprep.learning.mastery import domain_mastery, masteries

    pack_id = resolve_pack(request, pack)
    rows = masteries(runtime.learning.progress.model(learner_id, pack_id))
    return {
        "pack": pack_id,
        "domains": [row.__dict__ for row in domain_mastery(rows)],
        "tasks": [{**row.__dict__, "last_seen": row.last_seen.isoformat() if row.last_seen else None} for row in rows],
    }


@router.get("/readiness", response_model=Readiness)
def readiness(
    request: Request, runtime: AppRuntime, learner_id: Learner, pack: str | None = PackQuery
) -> dict[str, Any]:
    """The predicted scaled score today, its 10th–90th percentile range and the probability of passing."""
    pack_id = resolve_pack(request, pack)
    result = runtime.learning.progress.readiness(learner_id, pack_id)
    return {
        "pack": pack_id,
        "scaled_score": result.scaled_score,
        "scaled_low": result.scaled_low,
        "scaled_high": result.scaled_high,
        "pass_probability": result.pass_probability,
        "passing": result.passing,
        "expected_correct": result.expected_correct,
        "scored_items": result.scored_items,
        "evidence": result.evidence,
        "domains": [d.__dict__ for d in result.domains],
    }


@router.get("/plan", response_model=StudyPlan)
def study_plan(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    exam_date: Annotated[dt.date, Query(description="YYYY-MM-DD")],
    minutes_per_day: Annotated[int, Query(ge=15, le=600)],
    pack: str | None = PackQuery,
) -> dict[str, Any]:
    """A day-by-day study plan to the exam date, from today's mastery (ask again later to re-plan)."""
    pack_id = resolve_pack(request, pack)
    plan = runtime.learning.progress.plan(learner_id, pack_id, exam_date, minutes_per_day)
    return {"pack": pack_id, **plan_as_dict(plan)}


@router.get("/learning/settings", response_model=LearnerSettings)
def get_settings(runtime: AppRuntime, learner_id: Learner) -> dict[str, Any]:
    return dict(runtime.learning.records.settings(learner_id).__dict__)


@router.put("/learning/settings", response_model=LearnerSettings)
def put_settings(runtime: AppRuntime, learner_id: Learner, body: SettingsUpdate) -> dict[str, Any]:
    """Change desired retention (0.70–0.99), daily new/review limits or minutes per day."""
    saved = runtime.learning.records.update_settings(learner_id, **body.model_dump())
    return dict(saved.__dict__)
