"""Progress: mastery per task statement, readiness on the exam's scale, weak-spot practice and the study plan."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from certprep.content.models import Pack
from certprep.engine.forms import FormRequest
from certprep.learning import adaptive, mastery, srs
from certprep.learning import plan as planner
from certprep.learning import readiness as readiness_model
from certprep.learning.memory import exposure_memories
from certprep.services.learning.cards import Flashcards
from certprep.services.learning.missed import MissedQuestions
from certprep.services.learning.records import (
    WEAK_SPOTS_QUESTIONS,
    WEAK_SPOTS_TITLE,
    GradedAnswer,
    LearnerRecords,
    LearningError,
)
from certprep.services.learning.results import DueDay, Mastery, Readiness, StudyPlan, TaskMastery, WeakSpot, WeakSpots
from certprep.store.db import transaction
from certprep.store.schema import ReadinessSnapshot, Review


@dataclass
class _ShapeCache:
    difficulties: dict[str, float]
    shape: readiness_model.ExamShape
    infos: list[mastery.TaskInfo]


class Progress:
    """What the learner's answers and reviews say about the exam, and what to do next."""

    def __init__(self, records: LearnerRecords, cards: Flashcards, missed: MissedQuestions) -> None:
        self.records = records
        self.cards = cards
        self.missed = missed
        self._shapes: dict[str, _ShapeCache] = {}
        self._lock = threading.Lock()

    def exam_date(self, user_id: int, pack_id: str) -> dt.date | None:
        """The exam date the learner planned for (so that the certification tracker needs only this part)."""
        return self.records.exam_date(user_id, pack_id)

    def shape(self, pack: Pack) -> _ShapeCache:
        difficulties = self.records.exams.difficulties(pack)
        with self._lock:
            cached = self._shapes.get(pack.id)
            if cached is not None and cached.difficulties is difficulties:
                return cached
        blueprint = pack.blueprint
        live = [q for q in pack.questions if q.status == "live"]
        infos = mastery.task_infos(
            [(d.id, t.id) for d in blueprint.domains for t in d.tasks],
            [(q.task, difficulties.get(q.id, 0.0)) for q in live],
        )
        shape = readiness_model.exam_shape(
            [(d.id, d.weight, [t.id for t in d.tasks]) for d in blueprint.domains],
            blueprint.questions.scored,
            infos,
            (blueprint.scale.min, blueprint.scale.max, blueprint.scale.passing),
        )
        cache = _ShapeCache(difficulties, shape, infos)
        with self._lock:
            self._shapes[pack.id] = cache
        return cache

    def model(
        self, user_id: int, pack_id: str, now: dt.datetime | None = None, answers: Sequence[GradedAnswer] | None = None
    ) -> mastery.LearnerModel:
        """The mastery model fitted to every answer and flashcard review of the learner in the pack."""
        now = now or self.records.clock()
        pack = self.records.pack(pack_id)
        cache = self.shape(pack)
        answers = self.missed.answers(user_id, pack_id) if answers is None else answers
        evidence: list[mastery.Evidence] = []
        graded = [srs.Graded(answer.question_id, answer.at, answer.correct) for answer in answers]
        for answer, memory in zip(answers, exposure_memories(graded), strict=True):
            question = pack.question(answer.question_id)
            if question is not None:
                difficulty = cache.difficulties.get(question.id, 0.0)
                evidence.append(mastery.answer_evidence(question.task, difficulty, answer.correct, answer.at, memory))
        cards = {card.id: card for card in pack.flashcards}
        with self.records.sessions() as session:
            reviews = session.execute(
                select(Review.item_id, Review.rating, Review.reviewed_at).where(
                    Review.user_id == user_id, Review.pack_id == pack_id, Review.item_kind == "card"
                )
            ).all()
        for card_id, rating, at in reviews:
            card = cards.get(card_id)
            if card is not None:
                evidence.append(mastery.card_evidence(card.task, rating, at))
        return mastery.fit(cache.infos, evidence, now)

    def mastery(self, user_id: int, pack_id: str, now: dt.datetime | None = None) -> Mastery:
        """Mastery per domain and task statement, with its 10th–90th percentile range."""
        rows = mastery.masteries(self.model(user_id, pack_id, now))
        return Mastery(
            pack=pack_id,
            domains=tuple(mastery.domain_mastery(rows)),
            tasks=tuple(TaskMastery.of(row) for row in rows),
        )

    def readiness(self, user_id: int, pack_id: str, now: dt.datetime | None = None) -> Readiness:
        """Predicted scaled score with its 10th–90th percentile range and the pass probability, as of now.

        The day's prediction is also kept, for the dashboard's history.
        """
        now = now or self.records.clock()
        pack = self.records.pack(pack_id)
        result = readiness_model.predict(self.model(user_id, pack_id, now), self.shape(pack).shape)
        self.snapshot(user_id, pack_id, now, result)
        return Readiness.of(pack_id, result)

    def snapshot(self, user_id: int, pack_id: str, now: dt.datetime, result: readiness_model.Readiness) -> None:
        values = {
            "scaled_score": result.scaled_score,
            "scaled_low": result.scaled_low,
            "scaled_high": result.scaled_high,
            "pass_probability": result.pass_probability,
            "evidence": result.evidence,
            "updated_at": now,
        }
        day = self.records.today(now)
        try:
            with transaction(self.records.sessions) as session:
                row = session.scalar(
                    select(ReadinessSnapshot).where(
                        ReadinessSnapshot.user_id == user_id,
                        ReadinessSnapshot.pack_id == pack_id,
                        ReadinessSnapshot.taken_on == day,
                    )
                )
                if row is None:
                    session.add(ReadinessSnapshot(user_id=user_id, pack_id=pack_id, taken_on=day, **values))
                else:
                    for key, value in values.items():
                        setattr(row, key, value)
        except IntegrityError:
            pass  # a parallel request stored today's snapshot first; either is fine

    def pick_weak_spots(
        self, user_id: int, pack_id: str, count: int = WEAK_SPOTS_QUESTIONS, now: dt.datetime | None = None
    ) -> list[adaptive.Pick]:
        """The questions that should raise the predicted exam score most (see certprep.learning.adaptive)."""
        now = now or self.records.clock()
        if not 1 <= count <= 200:
            raise LearningError("count must be between 1 and 200")
        pack = self.records.pack(pack_id)
        cache = self.shape(pack)
        answers = self.missed.answers(user_id, pack_id)
        model = self.model(user_id, pack_id, now, answers)
        rows = mastery.by_task(mastery.masteries(model))
        history: dict[str, adaptive.Seen] = {}
        for answer in answers:
            previous = history.get(answer.question_id)
            history[answer.question_id] = adaptive.Seen(answer.at, previous.times + 1 if previous else 1)
        cards = self.missed.question_cards(user_id, pack_id, answers)
        due = {qid for qid, card in cards.items() if card.due <= now}
        candidates = [
            adaptive.Candidate(q.id, q.task, cache.difficulties.get(q.id, 0.0))
            for q in pack.questions
            if q.status == "live"
        ]
        seed = int(now.timestamp()) ^ user_id
        return adaptive.pick_questions(candidates, rows, cache.shape.seats, count, now, history, due, seed)

    def weak_spots(
        self, user_id: int, pack_id: str, count: int = WEAK_SPOTS_QUESTIONS, now: dt.datetime | None = None
    ) -> WeakSpots:
        """The questions "practise my weak spots" would ask now, by their public codes, each with its reason."""
        pack = self.records.pack(pack_id)
        picks = self.pick_weak_spots(user_id, pack_id, count, now)
        return WeakSpots(
            pack=pack_id,
            questions=tuple(WeakSpot(code=pack.code(p.question_id), task=p.task, reason=p.reason) for p in picks),
        )

    def start_weak_spots(
        self, user_id: int, pack_id: str, count: int = WEAK_SPOTS_QUESTIONS, now: dt.datetime | None = None
    ) -> str:
        """A practice attempt of the weak-spot questions, through the exam service; its id."""
        picks = self.pick_weak_spots(user_id, pack_id, count, now)
        if not picks:
            raise LearningError("the pack has no live questions to practise")
        request = FormRequest(
            mode="review",
            count=len(picks),
            review_ids=tuple(pick.question_id for pick in picks),
            title=WEAK_SPOTS_TITLE,
        )
        return self.records.exams.start(user_id, pack_id, request, now=now)

    def forecast(
        self,
        user_id: int,
        pack_id: str,
        days: int,
        now: dt.datetime,
        answers: Sequence[GradedAnswer] | None = None,
        exam_date: dt.date | None = None,
    ) -> tuple[DueDay, ...]:
        """Flashcards and missed questions due on each of the next ``days`` days (today counts the overdue ones).

        The flashcards include the pre-exam reviews for ``exam_date`` (the learner's own exam date if not given).
        """
        cards = self.cards.forecast(user_id, pack_id, days, now, exam_date)
        questions = list(self.missed.question_cards(user_id, pack_id, answers).values())
        question_counts = srs.due_forecast(questions, self.records.today(now), days, self.records.tz)
        return tuple(
            DueDay(day.date, day.reviews, q, day.pre_exam) for day, (_, q) in zip(cards, question_counts, strict=True)
        )

    def plan(
        self,
        user_id: int,
        pack_id: str,
        exam_date: dt.date,
        minutes_per_day: int,
        today: dt.date | None = None,
        now: dt.datetime | None = None,
    ) -> planner.StudyPlan:
        """The day-by-day study plan to ``exam_date``, weighted by exam weight and today's weaknesses."""
        now = now or self.records.clock()
        today = today or self.records.today(now)
        pack = self.records.pack(pack_id)
        model = self.model(user_id, pack_id, now)
        by_domain = {row.domain: row for row in mastery.domain_mastery(mastery.masteries(model))}
        focus = [
            planner.DomainFocus(d.id, d.name, d.weight, by_domain[d.id].mastery if d.id in by_domain else 0.5)
            for d in pack.blueprint.domains
        ]
        horizon = max(1, min((exam_date - today).days + 1, planner.MAX_PLAN_DAYS + 1))
        forecast = self.forecast(user_id, pack_id, horizon, now, exam_date=exam_date)
        due = {day.date: day.cards + day.questions for day in forecast}
        try:
            return planner.build_plan(
                focus,
                today,
                exam_date,
                minutes_per_day,
                due,
                exam_questions=pack.blueprint.questions.total,
                exam_minutes=pack.blueprint.duration_minutes,
                pre_exam={day.date: day.pre_exam for day in forecast if day.pre_exam},
            )
        except planner.PlanError as error:
            raise LearningError(str(error)) from None

    def study_plan(
        self,
        user_id: int,
        pack_id: str,
        exam_date: dt.date,
        minutes_per_day: int,
        today: dt.date | None = None,
        now: dt.datetime | None = None,
    ) -> StudyPlan:
        """The study plan of :meth:`plan` as the API and ``certprep plan --json`` send it."""
        return StudyPlan.of(pack_id, self.plan(user_id, pack_id, exam_date, minutes_per_day, today, now))
