"""The dashboard: activity, score history and everything the dashboard page shows, from the other parts."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import select

from certprep.engine.forms import Mode, is_exam_mode
from certprep.learning import activity as activity_model
from certprep.learning import mastery
from certprep.learning import readiness as readiness_model
from certprep.learning.plan import StudyDay
from certprep.learning.trend import AnswerSource, DomainAnswer, DomainTrend, domain_trends
from certprep.services.exams import submitted_exams
from certprep.services.learning.cards import Flashcards
from certprep.services.learning.missed import MissedQuestions
from certprep.services.learning.progress import Progress
from certprep.services.learning.records import LearnerRecords
from certprep.services.learning.results import (
    Activity,
    DashboardView,
    DomainRow,
    ExamScore,
    HubStatus,
    HubStep,
    Readiness,
    ReadinessPoint,
    ScoreHistory,
    TaskRow,
)
from certprep.store.schema import Attempt, AttemptItem, ReadinessSnapshot, Review


class Dashboard:
    """Read-only views over the other parts, for the dashboard page and its API."""

    def __init__(self, records: LearnerRecords, cards: Flashcards, missed: MissedQuestions, progress: Progress) -> None:
        self.records = records
        self.cards = cards
        self.missed = missed
        self.progress = progress

    def activity(self, user_id: int, pack_id: str, now: dt.datetime, days: int = 14) -> Activity:
        """Estimated study minutes for each of the last ``days`` days, the streak, and the answers not scored yet."""
        with self.records.sessions() as session:
            answered = session.execute(
                select(AttemptItem.answered_at, AttemptItem.selected, AttemptItem.correct)
                .join(Attempt, Attempt.id == AttemptItem.attempt_id)
                .where(Attempt.user_id == user_id, Attempt.pack_id == pack_id, AttemptItem.answered_at.is_not(None))
            ).all()
            reviewed = session.scalars(
                select(Review.reviewed_at).where(Review.user_id == user_id, Review.pack_id == pack_id)
            ).all()
        moments = [row.answered_at for row in answered]
        events = [moment for moment in [*moments, *reviewed] if moment is not None]
        minutes = activity_model.minutes_by_day(events, self.records.tz)
        today = self.records.today(now)
        window = [today - dt.timedelta(days=offset) for offset in range(days - 1, -1, -1)]
        return Activity(
            days=tuple((day, round(minutes.get(day, 0.0))) for day in window),
            streak=activity_model.streak(minutes, today),
            total_minutes=round(sum(minutes.values())),
            unscored=sum(1 for row in answered if row.selected and row.correct is None),
        )

    def history(self, user_id: int, pack_id: str, limit: int = 60) -> ScoreHistory:
        """Readiness snapshots (oldest first) and the scaled scores of submitted exams."""
        with self.records.sessions() as session:
            snapshots = session.scalars(
                select(ReadinessSnapshot)
                .where(ReadinessSnapshot.user_id == user_id, ReadinessSnapshot.pack_id == pack_id)
                .order_by(ReadinessSnapshot.taken_on.desc())
                .limit(limit)
            ).all()
            exams = session.scalars(submitted_exams(user_id, pack_id).limit(limit)).all()
        return ScoreHistory(
            readiness=tuple(
                ReadinessPoint(row.taken_on, row.scaled_score, row.scaled_low, row.scaled_high, row.pass_probability)
                for row in reversed(snapshots)
            ),
            exams=tuple(
                ExamScore(
                    self.records.today(row.submitted_at) if row.submitted_at else None,
                    (row.result or {}).get("scaled_score"),
                    row.mode,
                )
                for row in reversed(exams)
            ),
        )

    def today_plan(self, user_id: int, pack_id: str, now: dt.datetime) -> StudyDay | None:
        """Today's day of the study plan, to the exam date or (not booked yet) the provisional one; None without
        either, or on a day the plan leaves free."""
        today = self.records.today(now)
        planned, _ = self.records.planning_date(user_id, pack_id, today)
        if planned is None or planned < today:
            return None
        minutes = self.records.settings(user_id).minutes_per_day
        study = self.progress.plan(user_id, pack_id, planned, minutes, now=now)
        return next((day for day in study.days if day.date == today), None)

    def first_visit(self, user_id: int, pack_id: str, now: dt.datetime | None = None) -> HubStatus:
        """What the hub shows for the pack: the first-visit step the learner is at, today's plan item, the cards
        due and the readiness figure, or None for it while there is too little evidence."""
        now = now or self.records.clock()
        today = self.records.today(now)
        exam_date = self.records.exam_date(user_id, pack_id)
        unbooked = self.records.exam_unbooked(user_id, pack_id)
        # The readiness the dashboard reads; like the dashboard, it keeps the day's figure for the score history.
        prediction = self.progress.readiness(user_id, pack_id, now)
        counts = self.cards.due_cards(user_id, pack_id, now, limit=0).counts
        step: HubStep = (
            "date" if exam_date is None and not unbooked else "diagnostic" if not prediction.answers else "study"
        )
        day = self.today_plan(user_id, pack_id, now) if step != "date" else None
        return HubStatus(
            step=step,
            exam_date=exam_date,
            unbooked=unbooked,
            days_left=(exam_date - today).days if exam_date is not None else None,
            today_session=day.sessions[0] if day is not None and day.sessions else None,
            cards_due=counts.review + counts.learning,
            new_cards=counts.new,
            readiness=prediction if prediction.enough_evidence else None,
            answers=prediction.answers,
        )

    def trends(self, user_id: int, pack_id: str) -> list[DomainTrend]:
        """Each domain's share right per timed exam (sections too) and per practice week (learning.trend).

        Exams count every scored item, an unanswered one as wrong, as the exam does; practice counts the answers
        given and graded (checked, or scored when the session was submitted)."""
        pack = self.records.pack(pack_id)
        domain_of = {question.id: question.domain for question in pack.questions}
        with self.records.sessions() as session:
            rows = session.execute(
                select(
                    Attempt.id,
                    Attempt.mode,
                    Attempt.submitted_at,
                    AttemptItem.answered_at,
                    AttemptItem.question_id,
                    AttemptItem.correct,
                    AttemptItem.selected,
                    AttemptItem.scored,
                )
                .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
                .where(Attempt.user_id == user_id, Attempt.pack_id == pack_id, AttemptItem.correct.is_not(None))
            ).all()
        answers = []
        for row in rows:
            domain = domain_of.get(row.question_id)
            timed = is_exam_mode(cast(Mode, row.mode)) or row.mode == "section"
            if domain is None or not row.scored:
                continue
            if timed and row.submitted_at is not None:
                when, source = row.submitted_at, AnswerSource.EXAM
            elif not timed and row.selected and row.answered_at is not None:
                when, source = row.answered_at, AnswerSource.PRACTICE
            else:
                continue
            answers.append(DomainAnswer(domain, self.records.today(when), bool(row.correct), source, row.id))
        return domain_trends(answers, [domain.id for domain in pack.blueprint.domains])

    def view(self, user_id: int, pack_id: str, now: dt.datetime | None = None) -> DashboardView:
        """Everything the dashboard shows."""
        now = now or self.records.clock()
        pack = self.records.pack(pack_id)
        answers = self.missed.answers(user_id, pack_id)
        model = self.progress.model(user_id, pack_id, now, answers)
        tasks = mastery.masteries(model)
        prediction = readiness_model.predict(model, self.progress.shape(pack).shape)
        self.progress.snapshot(user_id, pack_id, now, prediction)
        cards = self.cards.due_cards(user_id, pack_id, now, limit=0)
        questions = self.missed.question_cards(user_id, pack_id, answers)
        blueprint = pack.blueprint
        exam_date = self.records.exam_date(user_id, pack_id)
        settings = self.records.settings(user_id)
        today_plan = self.today_plan(user_id, pack_id, now)
        return DashboardView(
            readiness=Readiness.of(pack_id, prediction),
            domains=tuple(
                DomainRow(row, d.name if (d := blueprint.domain(row.domain)) else str(row.domain))
                for row in mastery.domain_mastery(tasks)
            ),
            tasks=tuple(TaskRow(row, t.title if (t := blueprint.task(row.task)) else row.task) for row in tasks),
            history=self.history(user_id, pack_id),
            forecast=self.progress.forecast(user_id, pack_id, 14, now, answers),
            activity=self.activity(user_id, pack_id, now),
            cards=cards,
            due_questions=sum(1 for card in questions.values() if card.due <= now),
            missed_items=len(questions),
            exam_date=exam_date,
            settings=settings,
            today_plan=today_plan,
            trends=tuple(self.trends(user_id, pack_id)),
        )
