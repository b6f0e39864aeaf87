"""The study planner: from the exam date and the minutes a day, a day-by-day plan of concrete sessions.

Two shapes, both driven by where the points are (a domain's exam weight times what the learner would still lose on
it, ``weight × (1 − mastery)``):

- **The intensive week** (seven days or fewer left) follows the seeds' seven-day plan: one drill day per domain in
  priority order (the two lowest-priority domains share day 5), a full mock exam on day 6, and on day 7 the mock's
  weakest domain, a last mixed session and a read of the task statements. With fewer days left the drill days are
  merged, keeping the mock and the final day.
- **A 2–10 week plan** (more than seven days left): every day starts with the due flashcards and missed questions,
  then a drill of one domain and a "weak spots" session. Drill days are shared out by priority (largest remainder)
  and interleaved, so a heavy, weak domain comes back often but never on consecutive days when avoidable. A full
  mock closes every other week. The last seven days are the intensive week. An exam more than ten weeks away gets a
  plan for its last ten weeks.

A day's review session counts the flashcards and missed questions falling due on it, and says how many of them are
pre-exam reviews: cards FSRS would next show after the exam, reviewed once in the final week instead
(:mod:`certprep.learning.pre_exam`).

The plan is a pure function of today's mastery, so asking again after practice re-plans it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from certprep.content.apportion import largest_remainder
from certprep.errors import InvalidInput

SessionKind = Literal["review", "drill", "weak", "mock", "mock-review", "mixed", "read", "rest"]
PlanKind = Literal["intensive", "weeks", "exam-day"]

INTENSIVE_DAYS = 7
MAX_PLAN_DAYS = 70
QUESTION_MINUTES = 3.0  # 2.4 minutes a question at the exam's pace, plus reading the explanation
CARD_MINUTES = 0.25  # about fifteen seconds a flashcard
MOCK_MINUTES = 180
MOCK_QUESTIONS = 75
REVIEW_SHARE = 0.3  # due reviews may take at most this share of a day
MIN_MINUTES, MAX_MINUTES = 15, 600


class PlanError(InvalidInput):
    """A plan request that cannot be planned, explained in one sentence."""


@dataclass(frozen=True)
class DomainFocus:
    """A domain as the planner sees it: its exam weight (percent) and the learner's mastery (0..1)."""

    id: int
    name: str
    weight: float
    mastery: float

    @property
    def priority(self) -> float:
        """Exam percent the learner would still lose on this domain."""
        return self.weight * (1.0 - self.mastery)


@dataclass(frozen=True)
class StudySession:
    """One thing to do on a day: its kind, a title a learner understands, and its size."""

    # Read by pydantic where the API sends a plan: every field is always sent, so the schema lists all as required.
    __pydantic_config__: ClassVar[dict[str, bool]] = {"json_schema_serialization_defaults_required": True}

    kind: SessionKind
    title: str
    minutes: int
    domain: int | None = None
    questions: int = 0
    cards: int = 0
    pre_exam: int = 0  # of the ``cards``, pre-exam reviews


@dataclass(frozen=True)
class StudyDay:
    date: dt.date
    number: int
    focus: str
    sessions: tuple[StudySession, ...]

    @property
    def minutes(self) -> int:
        return sum(session.minutes for session in self.sessions)


@dataclass(frozen=True)
class StudyPlan:
    """The plan from ``starts_on`` to the day before ``exam_date``; ``days`` also lists the exam day itself."""

    kind: PlanKind
    today: dt.date
    exam_date: dt.date
    minutes_per_day: int
    starts_on: dt.date
    days: tuple[StudyDay, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def days_left(self) -> int:
        return (self.exam_date - self.today).days

    @property
    def total_questions(self) -> int:
        return sum(session.questions for day in self.days for session in day.sessions)


def _round5(value: float) -> int:
    """Question counts in fives (at least 5): '20 questions' reads as a plan, '19' as noise."""
    return max(5, int(5 * math.floor(value / 5)))


def _questions_for(minutes: float) -> int:
    return _round5(minutes / QUESTION_MINUTES)


def priority_order(domains: Sequence[DomainFocus]) -> list[DomainFocus]:
    """Domains by priority, highest first; ties go to the heavier, then the lower-numbered domain."""
    return sorted(domains, key=lambda d: (-round(d.priority, 6), -d.weight, d.id))


def _review_session(minutes_per_day: int, due_cards: int, pre_exam: int = 0) -> StudySession:
    """The day's reviews: ``due_cards`` items falling due, ``pre_exam`` of them pre-exam reviews, within the day's
    review budget."""
    budget = max(5, int(minutes_per_day * REVIEW_SHARE))
    minutes = min(budget, max(5, math.ceil(due_cards * CARD_MINUTES)))
    cards = min(due_cards, int(budget / CARD_MINUTES))
    pre_exam = min(pre_exam, cards)
    size = f"about {cards} item{'' if cards == 1 else 's'}" if cards else ""
    if pre_exam:
        size += f", including {pre_exam} pre-exam review{'' if pre_exam == 1 else 's'}"
    title = f"Review the due flashcards and missed questions{f' ({size})' if size else ''}"
    return StudySession("review", title, minutes, cards=cards, pre_exam=pre_exam)


ReviewsOn = Callable[[dt.date], StudySession]  # the review session of a date


def _practice_day(
    number: int, date: dt.date, domain: DomainFocus, minutes_per_day: int, review: StudySession
) -> StudyDay:
    left = max(QUESTION_MINUTES * 5, minutes_per_day - review.minutes)
    drill_q = _questions_for(left * 0.65)
    weak_q = _questions_for(left - drill_q * QUESTION_MINUTES) if left - drill_q * QUESTION_MINUTES >= 15 else 0
    sessions = [
        review,
        StudySession(
            "drill",
            f"Drill domain {domain.id} ({domain.name}): {drill_q} questions",
            round(drill_q * QUESTION_MINUTES),
            domain=domain.id,
            questions=drill_q,
        ),
    ]
    if weak_q:
        sessions.append(
            StudySession(
                "weak",
                f"Practise my weak spots: {weak_q} questions",
                round(weak_q * QUESTION_MINUTES),
                questions=weak_q,
            )
        )
    return StudyDay(date, number, f"Domain {domain.id}: {domain.name}", tuple(sessions))


def _mock_day(
    number: int, date: dt.date, minutes_per_day: int, exam: tuple[int, int], review: StudySession
) -> StudyDay:
    """A full mock and the review of its wrong answers; then the day's reviews, if any fall due, since the queue
    holds them that day too (the final week's mock day often has pre-exam reviews)."""
    questions, minutes = exam
    sessions = [
        StudySession(
            "mock",
            f"Full mock exam: {questions} questions in {minutes} minutes, real conditions",
            minutes,
            questions=questions,
        ),
        StudySession(
            "mock-review",
            "Review every wrong answer; tag the ones where you knew the services but chose the wrong trade-off",
            max(20, min(60, minutes_per_day // 2)),
        ),
    ]
    if review.cards:
        sessions.append(review)
    return StudyDay(date, number, "Full mock exam", tuple(sessions))


def _final_day(
    number: int, date: dt.date, minutes_per_day: int, weakest: DomainFocus, review: StudySession
) -> StudyDay:
    left = max(30.0, minutes_per_day - review.minutes - 15)
    mixed_q = min(20, _questions_for(left / 2))
    drill_q = _questions_for(left - mixed_q * QUESTION_MINUTES)
    return StudyDay(
        date,
        number,
        "Weakest domain, last mixed session",
        (
            review,
            StudySession(
                "drill",
                f"Drill your weakest domain, the lowest mastery after the mock (today domain {weakest.id}, "
                f"{weakest.name}): {drill_q} "
                "questions; for each, say why the right option beats the others",
                round(drill_q * QUESTION_MINUTES),
                domain=weakest.id,
                questions=drill_q,
            ),
            StudySession(
                "mixed",
                f"Final mixed session: {mixed_q} questions",
                round(mixed_q * QUESTION_MINUTES),
                questions=mixed_q,
            ),
            StudySession("read", "Read the exam guide's task statements one last time; confirm your booking", 15),
        ),
    )


def _intensive(
    domains: Sequence[DomainFocus],
    start: dt.date,
    days: int,
    minutes_per_day: int,
    reviews_on: ReviewsOn,
    exam: tuple[int, int],
) -> list[StudyDay]:
    """The seeds' seven-day plan, squeezed into ``days`` (1..7) days."""
    ordered = priority_order(domains)
    plan: list[StudyDay] = []
    drill_days = max(0, days - 2)
    groups: list[list[DomainFocus]] = []
    if drill_days:
        # The seeds give one day to each of the four heaviest domains and one to the rest; with fewer days, groups
        # of neighbouring priorities share a day.
        wanted = min(drill_days, len(ordered), 5)
        sizes = _seed_sizes(len(ordered)) if wanted == 5 else largest_remainder(len(ordered), [1.0] * wanted)
        index = 0
        for size in sizes:
            groups.append(ordered[index : index + size])
            index += size
        while len(groups) < drill_days:  # a pack with few domains: go round them again
            groups.append([ordered[len(groups) % len(ordered)]])
    for offset, group in enumerate(groups):
        date = start + dt.timedelta(days=offset)
        if len(group) == 1:
            plan.append(_practice_day(offset + 1, date, group[0], minutes_per_day, reviews_on(date)))
            continue
        review = reviews_on(date)
        count = _questions_for(max(QUESTION_MINUTES * 5, minutes_per_day - review.minutes))
        ids = [str(d.id) for d in group]
        names = ", ".join(ids[:-1]) + " and " + ids[-1]
        sessions = (
            review,
            StudySession(
                "drill",
                f"Drill domains {names} together: {count} mixed questions",
                round(count * QUESTION_MINUTES),
                domain=group[0].id,
                questions=count,
            ),
        )
        plan.append(StudyDay(date, offset + 1, "Domains " + names, sessions))
    if days >= 2:
        date = start + dt.timedelta(days=len(plan))
        plan.append(_mock_day(len(plan) + 1, date, minutes_per_day, exam, reviews_on(date)))
    date = start + dt.timedelta(days=len(plan))
    plan.append(_final_day(len(plan) + 1, date, minutes_per_day, weakest(domains), reviews_on(date)))
    return plan


def weakest(domains: Sequence[DomainFocus]) -> DomainFocus:
    """The domain of lowest mastery (the heavier one on a tie): what the dashboard's mastery table and a mock's
    section scores show as weakest. Drill days follow priority (weight × what is left to gain) instead, which can
    put a heavy domain of middling mastery first; the last day's "weakest domain" must mean what the learner sees."""
    return min(domains, key=lambda domain: (domain.mastery, -domain.weight, domain.id))


def _seed_sizes(count: int) -> list[int]:
    """Five drill days: one domain a day, the lowest-priority ones together on the fifth."""
    if count <= 5:
        return [1] * count
    return [1, 1, 1, 1, count - 4]


def _interleave(counts: Mapping[int, int]) -> list[int]:
    """Domain ids spread out: smooth weighted round robin, so a domain's days are as far apart as they can be."""
    total = sum(counts.values())
    current = dict.fromkeys(counts, 0.0)
    order: list[int] = []
    last: int | None = None
    for _ in range(total):
        for key in current:
            current[key] += counts[key]
        choices = sorted((key for key in current if order.count(key) < counts[key]), key=lambda k: (-current[k], k))
        pick = choices[0]
        if pick == last and len(choices) > 1:
            pick = choices[1]
        current[pick] -= total
        order.append(pick)
        last = pick
    return order


def build_plan(
    domains: Sequence[DomainFocus],
    today: dt.date,
    exam_date: dt.date,
    minutes_per_day: int,
    due_cards: Mapping[dt.date, int] | None = None,
    exam_questions: int = MOCK_QUESTIONS,
    exam_minutes: int = MOCK_MINUTES,
    pre_exam: Mapping[dt.date, int] | None = None,
) -> StudyPlan:
    """The day-by-day plan to ``exam_date``.

    ``due_cards``: flashcards and questions falling due on each date; ``pre_exam``: how many of those are pre-exam
    reviews (:mod:`certprep.learning.pre_exam`); ``exam_questions``/``exam_minutes``: the size of the real exam,
    which the mock days copy.
    """
    exam = (exam_questions, exam_minutes)
    if not MIN_MINUTES <= minutes_per_day <= MAX_MINUTES:
        raise PlanError(f"minutes per day must be between {MIN_MINUTES} and {MAX_MINUTES}")
    if not domains:
        raise PlanError("the exam has no domains to plan")
    days_left = (exam_date - today).days
    if days_left < 0:
        raise PlanError(f"the exam date {exam_date.isoformat()} is in the past")
    due, extra = due_cards or {}, pre_exam or {}

    def reviews_on(date: dt.date) -> StudySession:
        return _review_session(minutes_per_day, due.get(date, 0), extra.get(date, 0))

    exam_day = StudyDay(
        exam_date,
        days_left + 1,
        "Exam day",
        (StudySession("rest", "Exam day: a short look at your notes, no new material; arrive early", 0),),
    )
    if days_left == 0:
        return StudyPlan("exam-day", today, exam_date, minutes_per_day, today, (exam_day,), ("Good luck today.",))
    notes: list[str] = []
    start = today
    if days_left > MAX_PLAN_DAYS:
        start = exam_date - dt.timedelta(days=MAX_PLAN_DAYS)
        notes.append(
            f"Your exam is {days_left // 7} weeks away; this plan covers the last 10 weeks, from "
            f"{start.isoformat()}. Until then, review your due flashcards each day."
        )
    study_days = (exam_date - start).days
    if study_days <= INTENSIVE_DAYS:
        days = _intensive(domains, start, study_days, minutes_per_day, reviews_on, exam)
        kind: PlanKind = "intensive"
        if study_days < INTENSIVE_DAYS:
            notes.append(f"{study_days} day(s) left: the seven-day intensive plan, squeezed.")
    else:
        kind = "weeks"
        learning_days = study_days - INTENSIVE_DAYS
        days = []
        # Every other week ends with a mock, when the learning phase has that week in full.
        mock_offsets = {offset for offset in range(13, learning_days, 14)}
        drill_count = learning_days - len(mock_offsets)
        ordered = priority_order(domains)
        shares = largest_remainder(drill_count, [max(d.priority, 0.5) for d in ordered]) if drill_count else []
        rotation = _interleave({d.id: share for d, share in zip(ordered, shares, strict=True) if share})
        by_id = {d.id: d for d in domains}
        drills = iter(rotation)
        for offset in range(learning_days):
            date = start + dt.timedelta(days=offset)
            if offset in mock_offsets:
                days.append(_mock_day(offset + 1, date, minutes_per_day, exam, reviews_on(date)))
            else:
                days.append(_practice_day(offset + 1, date, by_id[next(drills)], minutes_per_day, reviews_on(date)))
        final = _intensive(
            domains, start + dt.timedelta(days=learning_days), INTENSIVE_DAYS, minutes_per_day, reviews_on, exam
        )
        days += [
            StudyDay(day.date, learning_days + day.number, "Final week · " + day.focus, day.sessions) for day in final
        ]
    if minutes_per_day < exam_minutes and any(s.kind == "mock" for day in days for s in day.sessions):
        notes.append(
            f"Mock days take {exam_minutes} minutes, more than your {minutes_per_day}: plan them for a free day."
        )
    return StudyPlan(kind, today, exam_date, minutes_per_day, start, (*days, exam_day), tuple(notes))
