"""Each domain's trend: the share answered right in every timed exam, and in practice week by week (pure Python).

Mastery (``learning.mastery``) says where a learner stands now; the trend says where they are going, which is what a
learner six weeks out asks ("is domain 3 getting better?"). Timed exams are kept one point each, as the test centre
would report them; practice answers are pooled per ISO week (Monday first), since a single day's handful of
answers says little. A point rests on its ``answered`` count, shown beside it, so a 100% from two answers reads as
what it is. ``change`` compares the last point with the first of the same kind, exams first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["AnswerSource", "DomainAnswer", "DomainTrend", "TrendPoint", "domain_trends"]

# Fewer answers than this in a week of practice make no point of the trend: one lucky guess would be a spike.
MIN_WEEK_ANSWERS = 3


class AnswerSource(StrEnum):
    EXAM = "exam"
    PRACTICE = "practice"


@dataclass(frozen=True)
class DomainAnswer:
    """One graded answer: its domain, when, whether right, and from which kind of session (``attempt`` groups an
    exam's answers into one point)."""

    domain: int
    day: dt.date
    correct: bool
    source: AnswerSource
    attempt: str


@dataclass(frozen=True)
class TrendPoint:
    """The share right on ``day`` (an exam's date, or the Monday of a practice week) over ``answered`` answers."""

    day: dt.date
    correct: int
    answered: int

    @property
    def share(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class DomainTrend:
    domain: int
    exams: tuple[TrendPoint, ...]
    practice: tuple[TrendPoint, ...]

    @property
    def change(self) -> float | None:
        """Last minus first share, in exams when there are two or more, else in practice weeks; None before that."""
        for points in (self.exams, self.practice):
            if len(points) >= 2:
                return points[-1].share - points[0].share
        return None


def domain_trends(answers: Iterable[DomainAnswer], domains: Sequence[int], weeks: int = 8) -> list[DomainTrend]:
    """Every domain's trend, in the order of ``domains``: each timed exam (oldest first), and the last ``weeks``
    practice weeks with at least :data:`MIN_WEEK_ANSWERS` answers."""
    exams: dict[int, dict[tuple[dt.date, str], list[bool]]] = defaultdict(lambda: defaultdict(list))
    practice: dict[int, dict[dt.date, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for answer in answers:
        if answer.source is AnswerSource.EXAM:
            exams[answer.domain][(answer.day, answer.attempt)].append(answer.correct)
        else:
            monday = answer.day - dt.timedelta(days=answer.day.weekday())
            practice[answer.domain][monday].append(answer.correct)
    trends = []
    for domain in domains:
        exam_points = tuple(
            TrendPoint(day, sum(marks), len(marks)) for (day, _), marks in sorted(exams[domain].items())
        )
        week_points = tuple(
            TrendPoint(monday, sum(marks), len(marks))
            for monday, marks in sorted(practice[domain].items())
            if len(marks) >= MIN_WEEK_ANSWERS
        )[-weeks:]
        trends.append(DomainTrend(domain, exam_points, week_points))
    return trends
