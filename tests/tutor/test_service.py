"""The tutor inside a runtime (SQLite and PostgreSQL): a running exam's questions are off limits to its learner
only, practice answers open up once checked, and submitting the exam lifts the ban."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from certprep.content import load_pack
from certprep.engine.forms import FormRequest
from certprep.services.exams import ExamService
from certprep.services.tutoring import TutorService
from tests.conftest import TINY_PACK, Learners

PACKS = {"tiny": load_pack(TINY_PACK)}


@pytest.fixture
def service(learners: Learners) -> Iterator[tuple[TutorService, int, int]]:
    sessions = learners.sessions
    ids = (learners.alice, learners.bob)
    yield TutorService(PACKS, ExamService(sessions, PACKS), llm=lambda: None), ids[0], ids[1]


def test_a_running_exam_blocks_its_questions_until_it_is_submitted(service: tuple[TutorService, int, int]) -> None:
    tutors, alice, bob = service
    exams = tutors.exams
    attempt = exams.start(alice, "tiny", FormRequest(mode="full"), seed=3)
    questions = [q.question_id for q in exams.state(alice, attempt).questions]
    context = tutors.context(alice, "tiny")
    assert context.sealed is not None
    assert "timed exam running" in context.sealed
    tutor = tutors.tutor("tiny")
    assert tutor is not None
    assert tutors.tutor("tiny") is tutor  # built once, then reused
    for query in (f"explain question {questions[0]}", "explain question 1", "what does ls -a show"):
        answer = tutor.answer(query, context)
        assert answer.refused
        assert answer.text == context.sealed
        assert not answer.hits
    # Another learner's exam is none of this learner's business, and the reverse.
    other = tutors.context(bob, "tiny")
    assert other.sealed is None
    assert other.blocked == frozenset()
    exams.submit(alice, attempt)
    after = tutors.context(alice, "tiny")
    assert after.sealed is None
    assert after.blocked == frozenset()
    assert after.positions[1] == questions[0]
    explained = tutor.answer("explain question 1", after)
    assert not explained.refused
    assert "Why the key wins" in explained.text


def test_practice_questions_open_up_once_checked(service: tuple[TutorService, int, int]) -> None:
    tutors, alice, _ = service
    exams = tutors.exams
    attempt = exams.start(alice, "tiny", FormRequest(mode="quick", count=3), seed=5)
    first = exams.state(alice, attempt).questions[0]
    assert first.question_id in tutors.context(alice, "tiny").blocked
    exams.answer(alice, attempt, 1, selected=["A"])
    exams.check(alice, attempt, 1)
    context = tutors.context(alice, "tiny")
    assert first.question_id not in context.blocked
    assert len(context.blocked) == 2


def test_unknown_pack_and_default_pack(service: tuple[TutorService, int, int]) -> None:
    tutors, _, _ = service
    assert tutors.tutor("nope") is None
    assert tutors.default_pack() == "tiny"


def test_explaining_a_practice_question_uses_the_letters_the_session_showed(
    service: tuple[TutorService, int, int],
) -> None:
    tutors, alice, _ = service
    exams = tutors.exams
    tutor = tutors.tutor("tiny")
    assert tutor is not None
    attempt = exams.start(alice, "tiny", FormRequest(mode="custom", count=6), seed=3)
    items = exams.state(alice, attempt).questions
    shuffled = [
        item
        for item in items
        if [o.text for o in item.options] != [o.text for o in PACKS["tiny"].question(item.question_id).options]  # type: ignore[union-attr]
    ]
    assert shuffled, "the practice session shows no question in an order of its own"
    item = shuffled[0]
    exams.answer(alice, attempt, item.position, selected=["A"])
    checked = exams.check(alice, attempt, item.position)
    explained = tutor.answer(f"explain question {item.position}", tutors.context(alice, "tiny"))
    assert not explained.refused
    wins = explained.text.split("**Why the key wins:**")[1].split("**Why each distractor loses:**")[0]
    # Every option under the letter the session showed it under, the key under the letters its feedback named.
    for option in item.options:
        assert f"**{option.id}** — {option.text}" in explained.text
    assert sorted(re.findall(r"\*\*([A-H])\*\* —", wins)) == checked.correct_options
