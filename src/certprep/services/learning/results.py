"""What the learning loop's parts return: one definition per shape, for the pages, the command line and the API.

Two kinds of result live here:

- the shapes ``/api/v1`` sends are frozen pydantic models, which the API declares as its response models as they
  are (``response_model=CardsDue``): the JSON field names, the ISO 8601 strings for times and the nulls are theirs;
- the shapes only the pages read (the dashboard) are frozen dataclasses holding the domain's own values (dates,
  :class:`~certprep.learning.mastery.TaskMastery` rows, the day of the study plan).

Where ``certprep.learning`` already has a dataclass for a shape (a domain's mastery, a domain's forecast, a planned
session), the results hold that dataclass rather than a copy of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from certprep.learning import mastery as mastery_model
from certprep.learning import plan as planner
from certprep.learning import readiness as readiness_model
from certprep.learning import srs
from certprep.learning.trend import DomainTrend


class Result(BaseModel):
    """A result the API sends as it is: frozen, every field always present (a null where there is no value)."""

    model_config = ConfigDict(frozen=True)


@dataclass(frozen=True)
class LearnerSettings:
    """The learner's study preferences, with the defaults of a new learner."""

    # Every field is always sent, so the API's schema marks the fields with a default as required too.
    __pydantic_config__ = ConfigDict(json_schema_serialization_defaults_required=True)

    desired_retention: float = srs.DEFAULT_RETENTION
    new_per_day: int = srs.DEFAULT_NEW_PER_DAY
    reviews_per_day: int = srs.DEFAULT_REVIEWS_PER_DAY
    minutes_per_day: int = 60
    # The accommodation for non-native English speakers: 30 more minutes on every timed exam started with it on.
    esl_accommodation: bool = False

    @property
    def srs(self) -> srs.SrsSettings:
        return srs.SrsSettings(self.desired_retention, self.new_per_day, self.reviews_per_day)


# -- flashcards ----------------------------------------------------------------------------------------------------


class DueCard(Result):
    """A flashcard in the review queue, with what each rating would do to it."""

    id: str
    domain: int
    task: str
    front: str
    back: str
    kind: str = Field(
        description="learning, review, pre-exam (a review in the week before the exam date of a card FSRS would "
        "next show after it) or new."
    )
    due: str
    intervals: dict[str, str] = Field(description='The interval each rating would give, keyed "1".."4".')


class QueueCounts(Result):
    """How many cards of each kind the whole queue holds (not only the ones listed)."""

    learning: int
    review: int
    new: int


class DailyLimits(Result):
    """The learner's daily limits of new cards and of reviews."""

    new_per_day: int
    reviews_per_day: int


class CardsDue(Result):
    """The review queue now: its counts, what was done today, the limits, and the first cards in order."""

    pack: str
    domain: int | None
    task: str | None
    counts: QueueCounts
    total: int
    new_today: int
    reviews_today: int
    limits: DailyLimits
    cards: tuple[DueCard, ...]


class ReviewedCard(Result):
    """A flashcard just rated: when it is due next and its review counts."""

    card_id: str
    rating: int
    rating_name: str
    due: str = Field(description="When the card is due next, ISO 8601.")
    interval: str = Field(description="The interval in words, such as '10m' or '3d'.")
    state: str
    reps: int
    lapses: int


@dataclass(frozen=True)
class LoggedReview:
    """One line of the review log: a flashcard (``kind`` "card") or a question rated at a moment."""

    kind: str
    item: str
    rating: int
    at: dt.datetime


# -- missed questions and weak spots -------------------------------------------------------------------------------


class DueQuestions(Result):
    """The missed questions due now, by their public codes."""

    pack: str
    count: int
    questions: tuple[str, ...] = Field(description="Public question codes, most overdue first.")


class WeakSpot(Result):
    """A question "practise my weak spots" would ask, and why, in words a learner understands."""

    code: str
    task: str
    reason: str


class WeakSpots(Result):
    """The questions "practise my weak spots" would ask now, in the order it would ask them."""

    pack: str
    questions: tuple[WeakSpot, ...]


# -- mastery and readiness -----------------------------------------------------------------------------------------


class TaskMastery(Result):
    """A task statement's mastery as the API sends it, last seen in ISO 8601."""

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

    @classmethod
    def of(cls, row: mastery_model.TaskMastery) -> TaskMastery:
        return cls(
            task=row.task,
            domain=row.domain,
            theta=row.theta,
            se=row.se,
            mastery=row.mastery,
            mastery_low=row.mastery_low,
            mastery_high=row.mastery_high,
            above_cut=row.above_cut,
            answers=row.answers,
            correct=row.correct,
            reviews=row.reviews,
            last_seen=row.last_seen.isoformat() if row.last_seen else None,
            level=row.level,
        )


class Mastery(Result):
    """Mastery per domain and per task statement, each with its 10th–90th percentile range."""

    pack: str
    domains: tuple[mastery_model.DomainMastery, ...] = Field(
        description="Per domain: mastery is the expected share right on the domain's questions, 0..1."
    )
    tasks: tuple[TaskMastery, ...]


class Readiness(Result):
    """The predicted exam result today: median scaled score, its 10th–90th percentile range and P(pass)."""

    pack: str
    scaled_score: int
    scaled_low: int
    scaled_high: int
    pass_probability: float
    passing: int
    expected_correct: float
    scored_items: int
    evidence: int
    domains: tuple[readiness_model.DomainForecast, ...]
    answers: int = Field(default=0, description="Graded answers behind the prediction.")
    reviews: int = Field(default=0, description="Flashcard reviews behind the prediction (evidence - answers).")
    first_time_answers: int = Field(
        default=0, description="Of those, answers to a question the learner met for the first time."
    )
    first_time_share: float | None = Field(
        default=None,
        description="first_time_answers / answers; repeats count less, since memory of a question can prop them up.",
    )
    first_time_evidence: float | None = Field(
        default=None,
        description=(
            "The share of the answers' weight in the prediction (recent answers count more) that first answers carry;"
            " the rest is repeats, which memory of a question can prop up."
        ),
    )
    rests_on_repeats: bool = Field(
        default=False,
        description=(
            "True when, with 30 or more answers, repeats carry most of the evidence (first_time_evidence < 0.5): a"
            " full exam of unseen questions tells more."
        ),
    )
    evidence_note: str | None = Field(
        default=None, description="What the prediction rests on, in plain words (first answers or repeats)."
    )
    enough_evidence: bool = Field(
        default=False,
        description=(
            "True from the number of graded answers a figure needs (a 20-question diagnostic gives it); before that"
            " the pages say there is no prediction yet instead of a score built on the prior."
        ),
    )

    @classmethod
    def of(cls, pack_id: str, prediction: readiness_model.Readiness) -> Readiness:
        return cls(
            pack=pack_id,
            scaled_score=prediction.scaled_score,
            scaled_low=prediction.scaled_low,
            scaled_high=prediction.scaled_high,
            pass_probability=prediction.pass_probability,
            passing=prediction.passing,
            expected_correct=prediction.expected_correct,
            scored_items=prediction.scored_items,
            evidence=prediction.evidence,
            domains=prediction.domains,
            answers=prediction.answers,
            reviews=prediction.evidence - prediction.answers,
            first_time_answers=prediction.first_time_answers,
            first_time_share=None if prediction.first_time_share is None else round(prediction.first_time_share, 3),
            first_time_evidence=None
            if prediction.first_time_evidence is None
            else round(prediction.first_time_evidence, 3),
            rests_on_repeats=prediction.rests_on_repeats,
            evidence_note=readiness_model.evidence_note(prediction),
            enough_evidence=prediction.answers >= readiness_model.MIN_PREDICTION_ANSWERS,
        )


# -- study plan ----------------------------------------------------------------------------------------------------


class PlannedDay(Result):
    """One day of the study plan as the API sends it; day is its number, 1 for the first day."""

    date: str
    day: int
    focus: str
    minutes: int
    sessions: tuple[planner.StudySession, ...]


class StudyPlan(Result):
    """The day-by-day study plan to the exam date; its days also list the exam day itself."""

    pack: str
    kind: str
    today: str
    exam_date: str
    days_left: int
    minutes_per_day: int
    starts_on: str
    total_questions: int
    notes: tuple[str, ...]
    days: tuple[PlannedDay, ...]

    @classmethod
    def of(cls, pack_id: str, plan: planner.StudyPlan) -> StudyPlan:
        return cls(
            pack=pack_id,
            kind=plan.kind,
            today=plan.today.isoformat(),
            exam_date=plan.exam_date.isoformat(),
            days_left=plan.days_left,
            minutes_per_day=plan.minutes_per_day,
            starts_on=plan.starts_on.isoformat(),
            total_questions=plan.total_questions,
            notes=plan.notes,
            days=tuple(
                PlannedDay(
                    date=day.date.isoformat(),
                    day=day.number,
                    focus=day.focus,
                    minutes=day.minutes,
                    sessions=day.sessions,
                )
                for day in plan.days
            ),
        )


# -- the dashboard -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    """Estimated study minutes on each of the last days (oldest first), the streak, and all-time totals."""

    days: tuple[tuple[dt.date, int], ...]
    streak: int
    total_minutes: int
    # Answers saved in a session not scored yet (an exam not submitted, a practice answer not checked): they count
    # for study time but not yet for the prediction, whose Readiness.answers and .reviews the dashboard shows.
    unscored: int


@dataclass(frozen=True)
class ReadinessPoint:
    """The readiness prediction kept for one day."""

    date: dt.date
    scaled_score: int
    scaled_low: int
    scaled_high: int
    pass_probability: float


@dataclass(frozen=True)
class ExamScore:
    """A submitted exam's scaled score (None if it has none) and the learner's day it was submitted."""

    date: dt.date | None
    scaled_score: int | None
    mode: str


@dataclass(frozen=True)
class ScoreHistory:
    """Readiness predictions and submitted exams, oldest first."""

    readiness: tuple[ReadinessPoint, ...]
    exams: tuple[ExamScore, ...]


@dataclass(frozen=True)
class DomainRow:
    """A domain's mastery with the domain's name."""

    row: mastery_model.DomainMastery
    name: str


@dataclass(frozen=True)
class TaskRow:
    """A task statement's mastery with the task statement's title."""

    row: mastery_model.TaskMastery
    title: str


@dataclass(frozen=True)
class DueDay:
    """How many flashcards and missed questions fall due on a day (today also counts the overdue ones); of the
    cards, ``pre_exam`` are pre-exam reviews (:mod:`certprep.learning.pre_exam`)."""

    date: dt.date
    cards: int
    questions: int
    pre_exam: int = 0


HubStep = Literal["date", "diagnostic", "study"]


@dataclass(frozen=True)
class HubStatus:
    """The hub's card for a pack (Dashboard.first_visit): ``step`` is "date" (ask for the exam date or "not booked
    yet"), "diagnostic" (offer the 20-question diagnostic) or "study" (today's plan item, cards due, readiness)."""

    step: HubStep
    exam_date: dt.date | None
    unbooked: bool
    days_left: int | None
    today_session: planner.StudySession | None
    cards_due: int
    new_cards: int
    readiness: Readiness | None
    answers: int


@dataclass(frozen=True)
class DashboardView:
    """Everything the dashboard page shows."""

    readiness: Readiness
    domains: tuple[DomainRow, ...]
    tasks: tuple[TaskRow, ...]
    history: ScoreHistory
    forecast: tuple[DueDay, ...]
    activity: Activity
    cards: CardsDue
    due_questions: int
    missed_items: int
    exam_date: dt.date | None
    settings: LearnerSettings
    today_plan: planner.StudyDay | None
    # Each domain's share right per timed exam and per practice week, in the blueprint's order (learning.trend).
    trends: tuple[DomainTrend, ...] = ()
