"""The learning loop over JSON: flashcards, due questions, weak spots, mastery, readiness, study plan, settings.

Every route works for the requesting learner only (``current_user_id``). ``pack`` defaults to the only installed
pack when there is just one, so ``GET /api/v1/readiness`` works without arguments in the usual setup.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from certprep.errors import InvalidInput
from certprep.services.learning.results import (
    CardsDue,
    DueQuestions,
    LearnerSettings,
    Mastery,
    Readiness,
    ReviewedCard,
    StudyPlan,
    WeakSpots,
)
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
    esl_accommodation: bool | None = None


class StartedSession(BaseModel):
    """A practice attempt just started: its id and the page where it begins."""

    id: str
    url: str

    @classmethod
    def of(cls, attempt_id: str) -> StartedSession:
        return cls(id=attempt_id, url=f"/attempts/{attempt_id}/q/1")


@router.get("/cards/due", response_model=CardsDue)
def cards_due(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack: str | None = PackQuery,
    domain: int | None = Query(None, ge=1, le=50),
    task: str | None = Query(None, pattern=r"^\d+\.\d+$"),
    limit: int = Query(50, ge=0, le=500),
) -> CardsDue:
    """Flashcards to study now, in order: learning steps, due reviews, then new cards within today's limits.

    Each card has the interval each rating would give (``intervals``, keyed "1".."4").
    """
    pack_id = resolve_pack(request, pack)
    return runtime.learning.cards.due_cards(learner_id, pack_id, None, domain, task, limit)


@router.post("/cards/{card_id}/review", response_model=ReviewedCard)
def review_card(
    request: Request, runtime: AppRuntime, learner_id: Learner, card_id: str, body: CardReview
) -> ReviewedCard:
    """Rate a flashcard 1..4; returns the next due time (``due``, ISO 8601) and the interval in words."""
    learning = runtime.learning
    pack_id = resolve_pack(request, body.pack) if body.pack else learning.cards.find_card_pack(card_id)
    return learning.cards.review_card(learner_id, pack_id, card_id, body.rating)


@router.get("/questions/due", response_model=DueQuestions)
def questions_due(
    request: Request, runtime: AppRuntime, learner_id: Learner, pack: str | None = PackQuery
) -> DueQuestions:
    """Missed questions that FSRS says are due now (ids, most overdue first)."""
    return runtime.learning.missed.due_codes(learner_id, resolve_pack(request, pack))


@router.post("/learning/due-questions", status_code=201, response_model=StartedSession)
def start_due_questions(
    request: Request, runtime: AppRuntime, learner_id: Learner, body: SessionRequest
) -> StartedSession:
    """Start a practice session of the due missed questions; answer it through /api/v1/exams/{id}."""
    pack_id = resolve_pack(request, body.pack)
    return StartedSession.of(runtime.learning.missed.start_due_questions(learner_id, pack_id, body.count))


@router.get("/learning/weak-spots", response_model=WeakSpots)
def weak_spots(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack: str | None = PackQuery,
    count: int = Query(20, ge=1, le=200),
) -> WeakSpots:
    """The questions "practise my weak spots" would ask now, each with the reason it was chosen."""
    return runtime.learning.progress.weak_spots(learner_id, resolve_pack(request, pack), count)


@router.post("/learning/weak-spots", status_code=201, response_model=StartedSession)
def start_weak_spots(
    request: Request, runtime: AppRuntime, learner_id: Learner, body: SessionRequest
) -> StartedSession:
    """Start a "practise my weak spots" session; answer it through /api/v1/exams/{id}."""
    pack_id = resolve_pack(request, body.pack)
    return StartedSession.of(runtime.learning.progress.start_weak_spots(learner_id, pack_id, body.count))


@router.get("/mastery", response_model=Mastery)
def mastery(request: Request, runtime: AppRuntime, learner_id: Learner, pack: str | None = PackQuery) -> Mastery:
    """Mastery per domain and task statement, with its 10th–90th percentile range."""
    return runtime.learning.progress.mastery(learner_id, resolve_pack(request, pack))


@router.get("/readiness", response_model=Readiness)
def readiness(request: Request, runtime: AppRuntime, learner_id: Learner, pack: str | None = PackQuery) -> Readiness:
    """The predicted scaled score today, its 10th–90th percentile range and the probability of passing."""
    return runtime.learning.progress.readiness(learner_id, resolve_pack(request, pack))


@router.get("/plan", response_model=StudyPlan)
def study_plan(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    exam_date: Annotated[dt.date | None, Query(description="YYYY-MM-DD; default: the exam date you saved")] = None,
    minutes_per_day: Annotated[int | None, Query(ge=15, le=600, description="Default: your saved minutes")] = None,
    pack: str | None = PackQuery,
) -> StudyPlan:
    """A day-by-day study plan to the exam date, from today's mastery (ask again later to re-plan).

    Without parameters it plans to the exam date and with the minutes a day the learner saved.
    """
    pack_id = resolve_pack(request, pack)
    chosen, minutes = runtime.learning.records.plan_inputs(learner_id, pack_id, exam_date, minutes_per_day)
    if chosen is None:
        raise InvalidInput("exam_date: give the exam date (YYYY-MM-DD), or save it on the study plan page first.")
    return runtime.learning.progress.study_plan(learner_id, pack_id, chosen, minutes)


@router.get("/learning/settings", response_model=LearnerSettings)
def get_settings(runtime: AppRuntime, learner_id: Learner) -> LearnerSettings:
    return runtime.learning.records.settings(learner_id)


@router.put("/learning/settings", response_model=LearnerSettings)
def put_settings(runtime: AppRuntime, learner_id: Learner, body: SettingsUpdate) -> LearnerSettings:
    """Change desired retention (0.70–0.99), daily new/review limits or minutes per day."""
    return runtime.learning.records.update_settings(learner_id, **body.model_dump())
