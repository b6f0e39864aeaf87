"""The learning loop on the database: flashcard reviews, missed questions, mastery, readiness, plans, dashboard.

The models live in certprep.learning (pure); this service feeds them the learner's own records and stores what they
decide. What is kept where:

- a flashcard's FSRS state in ``srs_cards`` (one row per learner and card), and every review in ``reviews``;
- missed questions are not copied anywhere: their FSRS schedule is replayed from ``attempt_items`` (every graded
  answer of practice and exams), so it can never disagree with what the learner actually did;
- preferences (desired retention, daily limits, exam date, minutes a day) in ``settings``;
- one readiness prediction per day in ``readiness_snapshots``, for the score history.

Every query filters by the learner's id.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fsrs import Card, State
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from certprep.clock import Clock
from certprep.content.models import Flashcard, Pack
from certprep.engine.forms import EXAM_MODES, FormRequest
from certprep.errors import InvalidInput, NotFound
from certprep.learning import activity as activity_model
from certprep.learning import adaptive, mastery, srs
from certprep.learning import plan as planner
from certprep.learning import readiness as readiness_model
from certprep.services.exams import ExamService
from certprep.store.db import transaction
from certprep.store.schema import Attempt, AttemptItem, ReadinessSnapshot, Review, Setting, SrsCard

WEAK_SPOTS_QUESTIONS = 20
DUE_SESSION_QUESTIONS = 20
SETTING_PREFIX = "learning."
# The daily study time is shared with the certification tracker, which reads this key to date a booking.
MINUTES_SETTING = "minutes_per_day"


def _setting_key(name: str) -> str:
    return MINUTES_SETTING if name == MINUTES_SETTING else SETTING_PREFIX + name


class LearningError(InvalidInput):
    """A request the learning loop cannot carry out, in one sentence (shown as a 422 or a readable page)."""


class CardNotFound(NotFound):
    """No such flashcard in the pack."""


def local_tz() -> dt.tzinfo:
    """The machine's time zone: local mode runs on the learner's own computer, so its days are the learner's."""
    return dt.datetime.now().astimezone().tzinfo or dt.UTC


@dataclass(frozen=True)
class LearnerSettings:
    """The learner's study preferences, with the defaults of a new learner."""

    desired_retention: float = srs.DEFAULT_RETENTION
    new_per_day: int = srs.DEFAULT_NEW_PER_DAY
    reviews_per_day: int = srs.DEFAULT_REVIEWS_PER_DAY
    minutes_per_day: int = 60

    @property
    def srs(self) -> srs.SrsSettings:
        return srs.SrsSettings(self.desired_retention, self.new_per_day, self.reviews_per_day)


@dataclass(frozen=True)
class GradedAnswer:
    question_id: str
    at: dt.datetime
    correct: bool


@dataclass
class _ShapeCache:
    difficulties: dict[str, float]
    shape: readiness_model.ExamShape
    infos: list[mastery.TaskInfo]


class LearningService:
    """The learning loop for the packs of one running certprep."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        packs: dict[str, Pack],
        exams: ExamService,
        tz: dt.tzinfo | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.sessions = sessions
        self.packs = packs
        self.exams = exams
        self.clock = clock or exams.clock  # one clock with the exams it reads
        self.tz = tz or local_tz()
        self._shapes: dict[str, _ShapeCache] = {}
        self._lock = threading.Lock()

    def pack(self, pack_id: str) -> Pack:
        return self.exams.pack(pack_id)

    def today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(self.tz).date()

    def _day_start(self, now: dt.datetime) -> dt.datetime:
        local = now.astimezone(self.tz)
        return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)

    # -- settings -------------------------------------------------------------------------------------------------

    def settings(self, user_id: int) -> LearnerSettings:
        with self.sessions() as session:
            rows = session.execute(
                select(Setting.key, Setting.value).where(
                    Setting.user_id == user_id,
                    Setting.key.startswith(SETTING_PREFIX) | (Setting.key == MINUTES_SETTING),
                )
            ).all()
        values = {key.removeprefix(SETTING_PREFIX): value for key, value in rows if value is not None}
        defaults = LearnerSettings()
        try:
            return LearnerSettings(
                desired_retention=float(values.get("desired_retention", defaults.desired_retention)),
                new_per_day=int(values.get("new_per_day", defaults.new_per_day)),
                reviews_per_day=int(values.get("reviews_per_day", defaults.reviews_per_day)),
                minutes_per_day=int(values.get("minutes_per_day", defaults.minutes_per_day)),
            )
        except (TypeError, ValueError):
            return defaults

    def update_settings(self, user_id: int, **changes: Any) -> LearnerSettings:
        """Change some preferences; every value is checked before anything is saved."""
        current = self.settings(user_id)
        merged = {**current.__dict__, **{k: v for k, v in changes.items() if v is not None}}
        unknown = set(merged) - set(current.__dict__)
        if unknown:
            raise LearningError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        try:
            checked = LearnerSettings(
                desired_retention=float(merged["desired_retention"]),
                new_per_day=int(merged["new_per_day"]),
                reviews_per_day=int(merged["reviews_per_day"]),
                minutes_per_day=int(merged["minutes_per_day"]),
            )
            checked.srs  # noqa: B018  # validates retention and limits
        except (srs.SrsError, TypeError, ValueError) as error:
            raise LearningError(str(error)) from None
        if not planner.MIN_MINUTES <= checked.minutes_per_day <= planner.MAX_MINUTES:
            raise LearningError(f"minutes per day must be between {planner.MIN_MINUTES} and {planner.MAX_MINUTES}")
        for key, value in checked.__dict__.items():
            self._put_setting(user_id, key, value)
        return checked

    def _put_setting(self, user_id: int, key: str, value: Any) -> None:
        with transaction(self.sessions) as session:
            row = session.get(Setting, (user_id, _setting_key(key)))
            if row is None:
                session.add(Setting(user_id=user_id, key=_setting_key(key), value=value))
            else:
                row.value = value

    def exam_date(self, user_id: int, pack_id: str) -> dt.date | None:
        with self.sessions() as session:
            row = session.get(Setting, (user_id, f"{SETTING_PREFIX}exam_date.{pack_id}"))
        try:
            return dt.date.fromisoformat(row.value) if row is not None and row.value else None
        except (TypeError, ValueError):
            return None

    def set_exam_date(self, user_id: int, pack_id: str, exam_date: dt.date | None) -> None:
        self.pack(pack_id)
        self._put_setting(user_id, f"exam_date.{pack_id}", exam_date.isoformat() if exam_date else None)

    # -- flashcards -----------------------------------------------------------------------------------------------

    def deck(self, pack_id: str, domain: int | None = None, task: str | None = None) -> list[Flashcard]:
        """The pack's flashcards, in pack order, of one domain or task statement if asked."""
        pack = self.pack(pack_id)
        if domain is not None and pack.blueprint.domain(domain) is None:
            raise LearningError(f"the exam has no domain {domain}")
        if task is not None and pack.blueprint.task(task) is None:
            raise LearningError(f"the exam has no task statement {task}")
        return [
            card
            for card in pack.flashcards
            if (domain is None or card.domain == domain) and (task is None or card.task == task)
        ]

    def _card_rows(self, session: Session, user_id: int, pack_id: str) -> dict[str, SrsCard]:
        rows = session.scalars(select(SrsCard).where(SrsCard.user_id == user_id, SrsCard.pack_id == pack_id))
        return {row.card_id: row for row in rows}

    def _done_today(self, session: Session, user_id: int, pack_id: str, now: dt.datetime) -> tuple[int, int]:
        """(new cards started today, reviews of older cards today): what the daily limits count."""
        start = self._day_start(now)
        new = session.scalar(
            select(func.count())
            .select_from(SrsCard)
            .where(SrsCard.user_id == user_id, SrsCard.pack_id == pack_id, SrsCard.created_at >= start)
        )
        reviews = session.scalar(
            select(func.count())
            .select_from(Review)
            .join(
                SrsCard,
                (SrsCard.user_id == Review.user_id)
                & (SrsCard.pack_id == Review.pack_id)
                & (SrsCard.card_id == Review.item_id),
            )
            .where(
                Review.user_id == user_id,
                Review.pack_id == pack_id,
                Review.item_kind == "card",
                Review.reviewed_at >= start,
                SrsCard.created_at < start,
            )
        )
        return int(new or 0), int(reviews or 0)

    def due_cards(
        self,
        user_id: int,
        pack_id: str,
        now: dt.datetime | None = None,
        domain: int | None = None,
        task: str | None = None,
        limit: int = 50,
    ) -> dict[str, Any]:
        """The review queue now: learning cards, due reviews, then new cards within today's limits."""
        now = now or self.clock()
        deck = self.deck(pack_id, domain, task)
        settings = self.settings(user_id)
        scheduler = srs.card_scheduler(settings.desired_retention)
        with self.sessions() as session:
            rows = self._card_rows(session, user_id, pack_id)
            new_done, reviews_done = self._done_today(session, user_id, pack_id, now)
        cards = {card_id: srs.from_state(row.state) for card_id, row in rows.items()}
        queue = srs.build_queue([card.id for card in deck], cards, now, settings.srs, new_done, reviews_done)
        by_id = {card.id: card for card in deck}
        counts = {"learning": 0, "review": 0, "new": 0}
        for item in queue:
            counts[item.kind] += 1
        shown = []
        for item in queue[:limit]:
            card = by_id[item.item_id]
            state = cards.get(item.item_id) or srs.new_card(item.item_id, now)
            shown.append(
                {
                    "id": card.id,
                    "domain": card.domain,
                    "task": card.task,
                    "front": card.front,
                    "back": card.back,
                    "kind": item.kind,
                    "due": item.due.isoformat(),
                    "intervals": {
                        str(rating): srs.describe_interval(due - now)
                        for rating, due in srs.preview(scheduler, state, now).items()
                    },
                }
            )
        return {
            "pack": pack_id,
            "domain": domain,
            "task": task,
            "counts": counts,
            "total": len(queue),
            "new_today": new_done,
            "reviews_today": reviews_done,
            "limits": {"new_per_day": settings.new_per_day, "reviews_per_day": settings.reviews_per_day},
            "cards": shown,
        }

    def find_card_pack(self, card_id: str) -> str:
        """The id of the one pack holding ``card_id``; an error if none or several do."""
        holders = [pack.id for pack in self.packs.values() if any(card.id == card_id for card in pack.flashcards)]
        if not holders:
            raise CardNotFound(f"No flashcard '{card_id}' in any installed pack.")
        if len(holders) > 1:
            raise LearningError(f"flashcard '{card_id}' is in several packs ({', '.join(holders)}); name the pack")
        return holders[0]

    def review_card(
        self, user_id: int, pack_id: str, card_id: str, rating: int, now: dt.datetime | None = None
    ) -> dict[str, Any]:
        """Record one review (1 Again .. 4 Easy) and return when the card is due next."""
        now = now or self.clock()
        pack = self.pack(pack_id)
        if not any(card.id == card_id for card in pack.flashcards):
            raise CardNotFound(f"No flashcard '{card_id}' in pack '{pack_id}'.")
        try:
            srs.rating_of(rating)
        except srs.SrsError as error:
            raise LearningError(str(error)) from None
        scheduler = srs.card_scheduler(self.settings(user_id).desired_retention)
        with transaction(self.sessions) as session:
            row = session.scalar(
                select(SrsCard).where(
                    SrsCard.user_id == user_id, SrsCard.pack_id == pack_id, SrsCard.card_id == card_id
                )
            )
            before = srs.from_state(row.state) if row is not None else srs.new_card(card_id, now)
            after = srs.review(scheduler, before, rating, now)
            if row is None:
                row = SrsCard(
                    user_id=user_id,
                    pack_id=pack_id,
                    card_id=card_id,
                    reps=0,
                    lapses=0,
                    created_at=now,
                    state={},
                    due=after.due,
                )
                session.add(row)
            row.state = srs.to_state(after)
            row.due = after.due
            row.last_review = now
            row.reps += 1
            if rating == 1 and before.state == State.Review:
                row.lapses += 1
            session.add(
                Review(
                    user_id=user_id,
                    pack_id=pack_id,
                    item_kind="card",
                    item_id=card_id,
                    content_version=pack.content_version,
                    rating=rating,
                    reviewed_at=now,
                    state=srs.to_state(after),
                )
            )
        return {
            "card_id": card_id,
            "rating": rating,
            "rating_name": srs.RATINGS[rating],
            "due": after.due.isoformat(),
            "interval": srs.describe_interval(after.due - now),
            "state": State(after.state).name.lower(),
            "reps": row.reps,
            "lapses": row.lapses,
        }

    def review_log(self, user_id: int, pack_id: str, limit: int = 200) -> list[dict[str, Any]]:
        with self.sessions() as session:
            rows = session.scalars(
                select(Review)
                .where(Review.user_id == user_id, Review.pack_id == pack_id)
                .order_by(Review.reviewed_at.desc(), Review.id.desc())
                .limit(limit)
            ).all()
        return [
            {"kind": r.item_kind, "item": r.item_id, "rating": r.rating, "at": r.reviewed_at.isoformat()} for r in rows
        ]

    # -- missed questions -----------------------------------------------------------------------------------------

    def answers(self, user_id: int, pack_id: str) -> list[GradedAnswer]:
        """Every graded answer the learner gave in the pack (practice and exams), oldest first.

        An item left blank is not an answer: a practice session stopped halfway must not turn its unseen
        questions into "missed" ones.
        """
        with self.sessions() as session:
            rows = session.execute(
                select(
                    AttemptItem.question_id,
                    AttemptItem.correct,
                    AttemptItem.selected,
                    AttemptItem.answered_at,
                    Attempt.submitted_at,
                    Attempt.started_at,
                )
                .join(Attempt, Attempt.id == AttemptItem.attempt_id)
                .where(Attempt.user_id == user_id, Attempt.pack_id == pack_id, AttemptItem.correct.is_not(None))
            ).all()
        answers = [
            GradedAnswer(question_id, answered_at or submitted_at or started_at, bool(correct))
            for question_id, correct, selected, answered_at, submitted_at, started_at in rows
            if selected
        ]
        answers.sort(key=lambda answer: answer.at)
        return answers

    def question_cards(
        self, user_id: int, pack_id: str, answers: Sequence[GradedAnswer] | None = None
    ) -> dict[str, Card]:
        """FSRS states of the learner's missed questions, replayed from their answers."""
        answers = self.answers(user_id, pack_id) if answers is None else answers
        scheduler = srs.question_scheduler(self.settings(user_id).desired_retention)
        return srs.question_cards((srs.Graded(a.question_id, a.at, a.correct) for a in answers), scheduler)

    def due_questions(self, user_id: int, pack_id: str, now: dt.datetime | None = None) -> list[str]:
        """Missed questions FSRS says are due now, most overdue first."""
        now = now or self.clock()
        pack = self.pack(pack_id)
        cards = self.question_cards(user_id, pack_id)
        due = [(card.due, qid) for qid, card in cards.items() if card.due <= now and pack.question(qid) is not None]
        return [qid for _, qid in sorted(due)]

    def start_due_questions(
        self, user_id: int, pack_id: str, count: int = DUE_SESSION_QUESTIONS, now: dt.datetime | None = None
    ) -> str:
        """A practice attempt of the missed questions that are due; its id."""
        due = self.due_questions(user_id, pack_id, now)
        if not due:
            raise LearningError("no missed question is due for review right now")
        request = FormRequest(mode="review", count=count, review_ids=tuple(due[:count]))
        return self.exams.start(user_id, pack_id, request, now=now)

    # -- mastery and readiness ------------------------------------------------------------------------------------

    def _shape(self, pack: Pack) -> _ShapeCache:
        difficulties = self.exams.difficulties(pack)
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
        now = now or self.clock()
        pack = self.pack(pack_id)
        cache = self._shape(pack)
        answers = self.answers(user_id, pack_id) if answers is None else answers
        evidence: list[mastery.Evidence] = []
        for answer in answers:
            question = pack.question(answer.question_id)
            if question is not None:
                difficulty = cache.difficulties.get(question.id, 0.0)
                evidence.append(mastery.answer_evidence(question.task, difficulty, answer.correct, answer.at))
        cards = {card.id: card for card in pack.flashcards}
        with self.sessions() as session:
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

    def readiness(self, user_id: int, pack_id: str, now: dt.datetime | None = None) -> readiness_model.Readiness:
        """Predicted scaled score with its 10th–90th percentile range and the pass probability, as of now.

        The day's prediction is also kept, for the dashboard's history.
        """
        now = now or self.clock()
        pack = self.pack(pack_id)
        result = readiness_model.predict(self.model(user_id, pack_id, now), self._shape(pack).shape)
        self._snapshot(user_id, pack_id, now, result)
        return result

    def _snapshot(self, user_id: int, pack_id: str, now: dt.datetime, result: readiness_model.Readiness) -> None:
        values = {
            "scaled_score": result.scaled_score,
            "scaled_low": result.scaled_low,
            "scaled_high": result.scaled_high,
            "pass_probability": result.pass_probability,
            "evidence": result.evidence,
            "updated_at": now,
        }
        day = self.today(now)
        try:
            with transaction(self.sessions) as session:
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

    # -- adaptive practice ----------------------------------------------------------------------------------------

    def weak_spots(
        self, user_id: int, pack_id: str, count: int = WEAK_SPOTS_QUESTIONS, now: dt.datetime | None = None
    ) -> list[adaptive.Pick]:
        """The questions that should raise the predicted exam score most (see certprep.learning.adaptive)."""
        now = now or self.clock()
        if not 1 <= count <= 200:
            raise LearningError("count must be between 1 and 200")
        pack = self.pack(pack_id)
        cache = self._shape(pack)
        answers = self.answers(user_id, pack_id)
        model = self.model(user_id, pack_id, now, answers)
        rows = mastery.by_task(mastery.masteries(model))
        history: dict[str, adaptive.Seen] = {}
        for answer in answers:
            previous = history.get(answer.question_id)
            history[answer.question_id] = adaptive.Seen(answer.at, previous.times + 1 if previous else 1)
        cards = self.question_cards(user_id, pack_id, answers)
        due = {qid for qid, card in cards.items() if card.due <= now}
        candidates = [
            adaptive.Candidate(q.id, q.task, cache.difficulties.get(q.id, 0.0))
            for q in pack.questions
            if q.status == "live"
        ]
        seed = int(now.timestamp()) ^ user_id
        return adaptive.pick_questions(candidates, rows, cache.shape.seats, count, now, history, due, seed)

    def start_weak_spots(
        self, user_id: int, pack_id: str, count: int = WEAK_SPOTS_QUESTIONS, now: dt.datetime | None = None
    ) -> str:
        """A practice attempt of the weak-spot questions, through the exam service; its id."""
        picks = self.weak_spots(user_id, pack_id, count, now)
        if not picks:
            raise LearningError("the pack has no live questions to practise")
        request = FormRequest(mode="review", count=len(picks), review_ids=tuple(pick.question_id for pick in picks))
        return self.exams.start(user_id, pack_id, request, now=now)

    # -- planning -------------------------------------------------------------------------------------------------

    def _forecast(
        self, user_id: int, pack_id: str, days: int, now: dt.datetime, answers: Sequence[GradedAnswer] | None = None
    ) -> list[tuple[dt.date, int, int]]:
        """(date, flashcards due, missed questions due) for each of the next ``days`` days (overdue count today)."""
        with self.sessions() as session:
            cards = [srs.from_state(row.state) for row in self._card_rows(session, user_id, pack_id).values()]
        questions = list(self.question_cards(user_id, pack_id, answers).values())
        today = self.today(now)
        card_counts = srs.due_forecast(cards, today, days, self.tz)
        question_counts = srs.due_forecast(questions, today, days, self.tz)
        return [(day, c, q) for (day, c), (_, q) in zip(card_counts, question_counts, strict=True)]

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
        now = now or self.clock()
        today = today or self.today(now)
        pack = self.pack(pack_id)
        model = self.model(user_id, pack_id, now)
        by_domain = {row.domain: row for row in mastery.domain_mastery(mastery.masteries(model))}
        focus = [
            planner.DomainFocus(d.id, d.name, d.weight, by_domain[d.id].mastery if d.id in by_domain else 0.5)
            for d in pack.blueprint.domains
        ]
        horizon = max(1, min((exam_date - today).days + 1, planner.MAX_PLAN_DAYS + 1))
        due = {day: c + q for day, c, q in self._forecast(user_id, pack_id, horizon, now)}
        try:
            return planner.build_plan(
                focus,
                today,
                exam_date,
                minutes_per_day,
                due,
                exam_questions=pack.blueprint.questions.total,
                exam_minutes=pack.blueprint.duration_minutes,
            )
        except planner.PlanError as error:
            raise LearningError(str(error)) from None

    # -- dashboard ------------------------------------------------------------------------------------------------

    def activity(self, user_id: int, pack_id: str, now: dt.datetime, days: int = 14) -> dict[str, Any]:
        """Estimated study minutes for each of the last ``days`` days, the streak, and all-time totals."""
        with self.sessions() as session:
            answered = session.scalars(
                select(AttemptItem.answered_at)
                .join(Attempt, Attempt.id == AttemptItem.attempt_id)
                .where(Attempt.user_id == user_id, Attempt.pack_id == pack_id, AttemptItem.answered_at.is_not(None))
            ).all()
            reviewed = session.scalars(
                select(Review.reviewed_at).where(Review.user_id == user_id, Review.pack_id == pack_id)
            ).all()
        events = [moment for moment in [*answered, *reviewed] if moment is not None]
        minutes = activity_model.minutes_by_day(events, self.tz)
        today = self.today(now)
        window = [today - dt.timedelta(days=offset) for offset in range(days - 1, -1, -1)]
        return {
            "days": [(day, round(minutes.get(day, 0.0))) for day in window],
            "streak": activity_model.streak(minutes, today),
            "total_minutes": round(sum(minutes.values())),
            "answers": len(answered),
            "reviews": len(reviewed),
        }

    def history(self, user_id: int, pack_id: str, limit: int = 60) -> dict[str, list[dict[str, Any]]]:
        """Readiness snapshots (oldest first) and the scaled scores of submitted exams."""
        with self.sessions() as session:
            snapshots = session.scalars(
                select(ReadinessSnapshot)
                .where(ReadinessSnapshot.user_id == user_id, ReadinessSnapshot.pack_id == pack_id)
                .order_by(ReadinessSnapshot.taken_on.desc())
                .limit(limit)
            ).all()
            exams = session.scalars(
                select(Attempt)
                .where(
                    Attempt.user_id == user_id,
                    Attempt.pack_id == pack_id,
                    Attempt.status == "submitted",
                    Attempt.mode.in_(EXAM_MODES),
                )
                .order_by(Attempt.submitted_at.desc())
                .limit(limit)
            ).all()
        return {
            "readiness": [
                {
                    "date": row.taken_on.isoformat(),
                    "scaled_score": row.scaled_score,
                    "scaled_low": row.scaled_low,
                    "scaled_high": row.scaled_high,
                    "pass_probability": row.pass_probability,
                }
                for row in reversed(snapshots)
            ],
            "exams": [
                {
                    "date": self.today(row.submitted_at).isoformat() if row.submitted_at else None,
                    "scaled_score": (row.result or {}).get("scaled_score"),
                    "mode": row.mode,
                }
                for row in reversed(exams)
            ],
        }

    def dashboard(self, user_id: int, pack_id: str, now: dt.datetime | None = None) -> dict[str, Any]:
        """Everything the dashboard shows, as plain data."""
        now = now or self.clock()
        pack = self.pack(pack_id)
        answers = self.answers(user_id, pack_id)
        model = self.model(user_id, pack_id, now, answers)
        tasks = mastery.masteries(model)
        prediction = readiness_model.predict(model, self._shape(pack).shape)
        self._snapshot(user_id, pack_id, now, prediction)
        cards = self.due_cards(user_id, pack_id, now, limit=0)
        questions = self.question_cards(user_id, pack_id, answers)
        blueprint = pack.blueprint
        exam_date = self.exam_date(user_id, pack_id)
        settings = self.settings(user_id)
        today_plan = None
        if exam_date is not None and exam_date >= self.today(now):
            study = self.plan(user_id, pack_id, exam_date, settings.minutes_per_day, now=now)
            today_plan = next((day for day in study.days if day.date == self.today(now)), None)
        return {
            "readiness": prediction,
            "domains": [
                {"row": row, "name": d.name if (d := blueprint.domain(row.domain)) else str(row.domain)}
                for row in mastery.domain_mastery(tasks)
            ],
            "tasks": [{"row": row, "title": t.title if (t := blueprint.task(row.task)) else row.task} for row in tasks],
            "history": self.history(user_id, pack_id),
            "forecast": self._forecast(user_id, pack_id, 14, now, answers),
            "activity": self.activity(user_id, pack_id, now),
            "cards": cards,
            "due_questions": sum(1 for card in questions.values() if card.due <= now),
            "missed_items": len(questions),
            "exam_date": exam_date,
            "settings": settings,
            "today_plan": today_plan,
        }
