"""The trend by domain (learning.trend): one point per timed exam, practice pooled by ISO week, thin weeks left out."""

from __future__ import annotations

import datetime as dt

from certprep.learning.trend import MIN_WEEK_ANSWERS, AnswerSource, DomainAnswer, domain_trends

MONDAY = dt.date(2026, 11, 2)


def _answers(
    domain: int, day: dt.date, right: int, wrong: int, source: AnswerSource, attempt: str
) -> list[DomainAnswer]:
    return [DomainAnswer(domain, day, True, source, attempt)] * right + [
        DomainAnswer(domain, day, False, source, attempt)
    ] * wrong


def test_exams_are_points_of_their_own_and_practice_is_pooled_by_week() -> None:
    answers = [
        *_answers(1, MONDAY, 6, 4, AnswerSource.EXAM, "exam-1"),
        *_answers(1, MONDAY, 3, 1, AnswerSource.EXAM, "exam-2"),  # the same day, another exam: its own point
        *_answers(1, MONDAY + dt.timedelta(days=20), 9, 1, AnswerSource.EXAM, "exam-3"),
        # Practice on Tuesday and Sunday of one week is one point; the next week has too few answers to count.
        *_answers(1, MONDAY + dt.timedelta(days=1), 2, 2, AnswerSource.PRACTICE, "p1"),
        *_answers(1, MONDAY + dt.timedelta(days=6), 2, 0, AnswerSource.PRACTICE, "p2"),
        *_answers(1, MONDAY + dt.timedelta(days=8), MIN_WEEK_ANSWERS - 1, 0, AnswerSource.PRACTICE, "p3"),
        *_answers(2, MONDAY + dt.timedelta(days=15), 1, 3, AnswerSource.PRACTICE, "p4"),
        *_answers(2, MONDAY + dt.timedelta(days=22), 3, 1, AnswerSource.PRACTICE, "p5"),
    ]
    one, two, three = domain_trends(answers, [1, 2, 3])
    assert [(p.correct, p.answered) for p in one.exams] == [(6, 10), (3, 4), (9, 10)]
    assert [(p.day, p.correct, p.answered) for p in one.practice] == [(MONDAY, 4, 6)]
    assert one.change is not None and round(one.change, 2) == 0.3  # exams first: 60% then 90%
    assert [p.share for p in two.practice] == [0.25, 0.75] and two.change == 0.5
    assert two.exams == () and three.exams == three.practice == () and three.change is None


def test_only_the_last_weeks_are_kept() -> None:
    answers = [
        answer
        for week in range(12)
        for answer in _answers(4, MONDAY + dt.timedelta(weeks=week), week, 12 - week, AnswerSource.PRACTICE, "p")
        if week
    ]
    (trend,) = domain_trends(answers, [4], weeks=8)
    assert len(trend.practice) == 8 and trend.practice[-1].day == MONDAY + dt.timedelta(weeks=11)
