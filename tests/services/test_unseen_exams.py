"""Unseen-first exams in the database (SQLite and PostgreSQL): a timed exam asks none of the questions the learner
met in any attempt while unmet ones remain, and the count of full exams of unmet questions falls as exams are taken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from certprep.content import load_pack
from certprep.engine.forms import FormRequest, preview_question_ids
from certprep.services.exams import ExamService
from certprep.store.schema import AttemptItem
from tests.conftest import TINY_PACK, Learners, dop_pack

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
PACKS = {"dop-c02": dop_pack(), "tiny": load_pack(TINY_PACK)}


@pytest.fixture
def exams(learners: Learners) -> Iterator[ExamService]:
    yield ExamService(learners.sessions, PACKS)


def _scored(exams: ExamService, attempt_id: str) -> set[str]:
    """The scored questions of an attempt, as stored (a running exam does not tell the learner which they are)."""
    with exams.sessions() as session:
        rows = session.scalars(
            select(AttemptItem.question_id).where(AttemptItem.attempt_id == attempt_id, AttemptItem.scored)
        )
        return set(rows)


def _questions(exams: ExamService, user_id: int, attempt_id: str) -> set[str]:
    return {question.question_id for question in exams.state(user_id, attempt_id, now=T0).questions}


def test_a_full_exam_asks_none_of_the_questions_met_in_any_attempt(exams: ExamService, learners: Learners) -> None:
    alice = learners.alice
    # Practice answered and checked, a drill left untouched and a full exam submitted, then three short quizzes, so
    # that the first three fall out of the recent attempts practice avoids: all of it counts as met.
    quiz = exams.start(alice, "dop-c02", FormRequest(mode="quick"), seed=1, now=T0)
    for question in exams.state(alice, quiz, now=T0).questions:
        exams.answer(alice, quiz, question.position, selected=["A"], now=T0)
        exams.check(alice, quiz, question.position, now=T0)
    drill = exams.start(alice, "dop-c02", FormRequest(mode="drill", domains=(5,), count=60), seed=2, now=T0)
    first = exams.start(alice, "dop-c02", FormRequest(mode="full"), seed=3, now=T0 + dt.timedelta(hours=1))
    exams.submit(alice, first, now=T0 + dt.timedelta(hours=2))
    attempts = [quiz, drill, first]
    for later in range(3):
        moment = T0 + dt.timedelta(hours=3, minutes=later)
        attempts.append(exams.start(alice, "dop-c02", FormRequest(mode="quick", count=2), seed=later, now=moment))
    met = set().union(*(_questions(exams, alice, attempt) for attempt in attempts))
    assert len(met) > 100
    assert exams.unseen_exams(alice, "dop-c02").remaining >= 1

    second = exams.start(alice, "dop-c02", FormRequest(mode="full"), seed=3, now=T0 + dt.timedelta(hours=4))
    asked = _questions(exams, alice, second)
    assert len(asked) == 75
    assert not asked & met  # avoiding only the last three attempts, it asked several of these again
    assert not asked & set(preview_question_ids(PACKS["dop-c02"]))  # nor the guest preview's public questions


def test_what_the_learner_met_is_theirs_alone_and_dated_by_the_latest_attempt(
    exams: ExamService, learners: Learners
) -> None:
    alice, bob = learners.alice, learners.bob
    quiz = exams.start(alice, "tiny", FormRequest(mode="quick", count=3), seed=1, now=T0)
    later = T0 + dt.timedelta(days=2)
    drill = exams.start(alice, "tiny", FormRequest(mode="drill", domains=(2,)), seed=1, now=later)
    in_quiz, in_drill = _questions(exams, alice, quiz), _questions(exams, alice, drill)
    seen = exams.last_seen(alice, "tiny")
    assert seen == {q: later if q in in_drill else T0 for q in in_quiz | in_drill}  # timezone-aware on both databases
    assert exams.last_seen(bob, "tiny") == {}
    assert exams.last_seen(alice, "dop-c02") == {}
    assert exams.unseen_exams(bob, "tiny").remaining == 1


def test_the_count_of_unseen_full_exams_falls_as_exams_are_taken(exams: ExamService, learners: Learners) -> None:
    alice = learners.alice
    tiny = exams.unseen_exams(alice, "tiny")
    assert (tiny.remaining, tiny.unseen_questions) == (1, 6)  # the tiny bank holds exactly one full exam
    assert tiny.sentence == "1 full exam of questions you have not seen remains."
    exams.start(alice, "tiny", FormRequest(mode="full"), seed=1, now=T0)
    tiny = exams.unseen_exams(alice, "tiny")
    assert (tiny.remaining, tiny.unseen_questions) == (0, 0)
    assert tiny.sentence.startswith("You have seen every question at least once")

    # DOP-C02: 20 pretest questions fill the unscored seats of two full exams; after those, every full exam has to
    # repeat a pretest question, although hundreds of live ones are still unmet.
    # Their scored questions stay unmet for many more exams, and the count of those says so.
    counts, met = [], set[str]()
    for exam in range(3):
        before = exams.unseen_exams(alice, "dop-c02")
        counts.append((before.remaining, before.scored_remaining))
        attempt = exams.start(alice, "dop-c02", FormRequest(mode="full"), seed=exam, now=T0 + dt.timedelta(days=exam))
        scored = _scored(exams, attempt)
        assert len(scored) == 65 and not scored & met, exam
        met |= _questions(exams, alice, attempt)
        exams.submit(alice, attempt, now=T0 + dt.timedelta(days=exam, hours=1))
    left = exams.unseen_exams(alice, "dop-c02")
    assert [*counts, (left.remaining, left.scored_remaining)] == [(2, 11), (1, 10), (0, 9), (0, 8)]
    assert left.unseen_questions > 500
    assert left.sentence.startswith("No whole full exam of questions you have not seen remains")
