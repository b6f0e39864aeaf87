"""Attempts in the database (SQLite and PostgreSQL): saving, resuming, timing out, grading, isolation."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest

from certprep.content import load_pack
from certprep.engine.forms import FormRequest
from certprep.engine.session import AnswerError
from certprep.services.exams import ExamConflict, ExamNotFound, ExamService
from tests.conftest import TINY_PACK, Learners

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
PACKS = {"tiny": load_pack(TINY_PACK)}


@pytest.fixture
def service(learners: Learners) -> Iterator[tuple[ExamService, int, int]]:
    sessions = learners.sessions
    ids = (learners.alice, learners.bob)
    yield ExamService(sessions, PACKS), ids[0], ids[1]


def _key(question_id: str) -> list[str]:
    question = PACKS["tiny"].question(question_id)
    assert question is not None
    return sorted(question.correct_ids)


def test_answers_survive_a_new_service_and_the_timer_keeps_running(service: tuple[ExamService, int, int]) -> None:
    exams, alice, _ = service
    attempt = exams.start(alice, "tiny", FormRequest(mode="full"), seed=4, now=T0)
    state = exams.state(alice, attempt, now=T0)
    assert state.remaining_seconds == 20 * 60
    first = state.questions[0]
    exams.answer(alice, attempt, 1, selected=_key(first.question_id), flagged=True, now=T0 + dt.timedelta(minutes=1))
    exams.answer(alice, attempt, 2, struck=["A"], now=T0 + dt.timedelta(minutes=2))
    # A restarted server is a new service over the same database.
    again = ExamService(exams.sessions, PACKS).state(alice, attempt, now=T0 + dt.timedelta(minutes=5))
    assert again.remaining_seconds == 15 * 60
    assert again.questions[0].selected == _key(first.question_id)
    assert again.questions[0].flagged is True
    assert again.questions[1].struck == ["A"]
    assert again.questions[0].correct_options is None
    assert again.questions[0].explanation is None
    assert [q.revealed for q in again.questions] == [False] * len(again.questions)


def test_time_over_submits_with_the_saved_answers(service: tuple[ExamService, int, int]) -> None:
    exams, alice, _ = service
    attempt = exams.start(alice, "tiny", FormRequest(mode="full"), seed=4, now=T0)
    state = exams.state(alice, attempt, now=T0)
    for question in state.questions:
        exams.answer(alice, attempt, question.position, selected=_key(question.question_id), now=T0)
    late = T0 + dt.timedelta(minutes=21)
    with pytest.raises(ExamConflict):
        exams.answer(alice, attempt, 1, selected=["B"], now=late)  # a write past the deadline submits it
    final = exams.state(alice, attempt, now=late)
    assert final.status == "submitted"
    assert final.result is not None
    assert final.result.auto_submitted is True
    assert final.result.correct == 5
    assert final.result.passed is True


def test_submit_grades_and_is_idempotent(service: tuple[ExamService, int, int]) -> None:
    exams, alice, _ = service
    attempt = exams.start(alice, "tiny", FormRequest(mode="full"), seed=4, now=T0)
    result = exams.submit(alice, attempt, now=T0 + dt.timedelta(minutes=3))
    assert result.correct == 0
    assert result.unanswered == 6
    assert result.passed is False
    assert exams.submit(alice, attempt, now=T0 + dt.timedelta(minutes=4)) == result
    with pytest.raises(ExamConflict):
        exams.answer(alice, attempt, 1, selected=["A"], now=T0 + dt.timedelta(minutes=5))
    review = exams.state(alice, attempt, now=T0 + dt.timedelta(minutes=5))
    assert all(q.correct_options for q in review.questions)
    assert all(q.explanation for q in review.questions)
    assert all(q.revealed for q in review.questions)


def test_practice_reveals_only_checked_answers_and_locks_them(service: tuple[ExamService, int, int]) -> None:
    exams, alice, _ = service
    attempt = exams.start(alice, "tiny", FormRequest(mode="drill", domains=(1,), count=3), seed=1, now=T0)
    state = exams.state(alice, attempt, now=T0)
    with pytest.raises(AnswerError, match="Choose an answer"):
        exams.check(alice, attempt, 1, now=T0)
    exams.answer(alice, attempt, 1, selected=["A"], now=T0)
    feedback = exams.check(alice, attempt, 1, now=T0)
    assert feedback.correct == (_key(state.questions[0].question_id) == ["A"])
    assert all(option.why for option in feedback.options)
    with pytest.raises(ExamConflict, match="final"):
        exams.answer(alice, attempt, 1, selected=["B"], now=T0)
    after = exams.state(alice, attempt, now=T0)
    assert after.questions[0].explanation
    assert after.questions[1].explanation is None
    # The reveal rule's verdict travels with each item: callers ask it instead of looking for the key.
    assert [q.revealed for q in after.questions] == [True, False, False]


def test_exams_refuse_to_check_before_submission(service: tuple[ExamService, int, int]) -> None:
    exams, alice, _ = service
    attempt = exams.start(alice, "tiny", FormRequest(mode="full"), seed=1, now=T0)
    exams.answer(alice, attempt, 1, selected=["A"], now=T0)
    with pytest.raises(ExamConflict, match="only after it is submitted"):
        exams.check(alice, attempt, 1, now=T0)


def test_bad_answers_are_refused_with_a_reason(service: tuple[ExamService, int, int]) -> None:
    exams, alice, _ = service
    attempt = exams.start(alice, "tiny", FormRequest(mode="full"), seed=1, now=T0)
    with pytest.raises(AnswerError, match="does not exist"):
        exams.answer(alice, attempt, 1, selected=["Q"], now=T0)
    with pytest.raises(ExamNotFound):
        exams.answer(alice, attempt, 99, selected=["A"], now=T0)


def test_missed_questions_come_back_in_review_mode(service: tuple[ExamService, int, int]) -> None:
    exams, alice, _ = service
    attempt = exams.start(alice, "tiny", FormRequest(mode="full"), seed=2, now=T0)
    state = exams.state(alice, attempt, now=T0)
    right = state.questions[0]
    exams.answer(alice, attempt, 1, selected=_key(right.question_id), now=T0)
    exams.submit(alice, attempt, now=T0 + dt.timedelta(minutes=1))
    missed = exams.missed(alice, "tiny")
    assert right.question_id not in missed
    assert len(missed) == 5
    review = exams.start(alice, "tiny", FormRequest(mode="review"), now=T0 + dt.timedelta(minutes=2))
    assert {q.question_id for q in exams.state(alice, review).questions} == set(missed)


def test_one_learner_cannot_reach_another_learners_attempt(service: tuple[ExamService, int, int]) -> None:
    exams, alice, bob = service
    attempt = exams.start(alice, "tiny", FormRequest(mode="full"), seed=1, now=T0)
    for call in (
        lambda: exams.state(bob, attempt, now=T0),
        lambda: exams.answer(bob, attempt, 1, selected=["A"], now=T0),
        lambda: exams.submit(bob, attempt, now=T0),
        lambda: exams.self_tag(bob, attempt, 1, "tradeoff"),
    ):
        with pytest.raises(ExamNotFound):
            call()
    assert exams.list_attempts(bob) == []
    assert exams.missed(bob, "tiny") == []
    assert exams.state(alice, attempt, now=T0).questions[0].selected == []


def test_self_tag_after_review(service: tuple[ExamService, int, int]) -> None:
    exams, alice, _ = service
    attempt = exams.start(alice, "tiny", FormRequest(mode="full"), seed=1, now=T0)
    with pytest.raises(ExamConflict):
        exams.self_tag(alice, attempt, 1, "tradeoff")
    exams.submit(alice, attempt, now=T0)
    exams.self_tag(alice, attempt, 1, "tradeoff")
    assert exams.state(alice, attempt).questions[0].self_tag == "tradeoff"
    with pytest.raises(AnswerError):
        exams.self_tag(alice, attempt, 1, "bogus")


def test_an_abandoned_exam_is_submitted_when_its_time_is_up(service: tuple[ExamService, int, int]) -> None:
    exams, alice, _ = service
    attempt = exams.start(alice, "tiny", FormRequest(mode="full"), seed=4, now=T0)
    exams.expire_due(alice, now=T0 + dt.timedelta(minutes=19))
    assert exams.state(alice, attempt, now=T0 + dt.timedelta(minutes=19)).status == "in_progress"
    exams.expire_due(alice, now=T0 + dt.timedelta(minutes=20))
    listed = exams.list_attempts(alice)
    assert [(a.id, a.status) for a in listed] == [(attempt, "submitted")]


def test_reading_an_attempt_past_its_deadline_writes_nothing(service: tuple[ExamService, int, int]) -> None:
    exams, alice, bob = service
    attempt = exams.start(alice, "tiny", FormRequest(mode="full"), seed=4, now=T0)
    other = exams.start(bob, "tiny", FormRequest(mode="full"), seed=5, now=T0)
    late = T0 + dt.timedelta(minutes=25)
    seen = exams.state(alice, attempt, now=late)
    assert (seen.status, seen.time_up, seen.result) == ("in_progress", True, None)
    assert exams.list_attempts(alice, now=late)[0].time_up is True
    assert exams.seal(alice, now=late) is None  # the exam is over: it seals nothing any more
    assert exams.state(alice, attempt, now=late).status == "in_progress"  # still nothing written by the reads
    # The writes: the server's sweeper scores every learner's timed-out attempt, as if time had run out.
    assert exams.submit_expired(now=late) == 2
    scored = exams.state(alice, attempt, now=late)
    assert scored.result is not None
    assert (scored.status, scored.time_up, scored.result.auto_submitted) == ("submitted", False, True)
    assert exams.state(bob, other, now=late).status == "submitted"
    assert exams.submit_expired(now=late) == 0


def test_a_form_post_learns_where_it_stands_without_building_the_views(service: tuple[ExamService, int, int]) -> None:
    exams, alice, bob = service
    attempt = exams.start(alice, "tiny", FormRequest(mode="drill", domains=(1,), count=3), seed=1, now=T0)
    fresh = exams.position(alice, attempt, 1)
    assert (fresh.submitted, fresh.question_count, fresh.locked) == (False, 3, False)
    exams.answer(alice, attempt, 1, selected=["A"], now=T0)
    exams.check(alice, attempt, 1, now=T0)
    assert exams.position(alice, attempt, 1).locked is True
    assert exams.position(alice, attempt, 2).locked is False
    assert exams.position(alice, attempt, 9).locked is None  # no such position
    exams.submit(alice, attempt, now=T0)
    assert exams.position(alice, attempt, 2).submitted is True
    with pytest.raises(ExamNotFound):
        exams.position(bob, attempt, 1)  # another learner's attempt does not exist for Bob


def test_what_a_learner_is_sent_has_no_authoring_id_and_no_unrevealed_key(
    service: tuple[ExamService, int, int],
) -> None:
    exams, alice, _ = service
    attempt = exams.start(alice, "tiny", FormRequest(mode="drill", domains=(1,), count=3), seed=1, now=T0)
    exams.answer(alice, attempt, 1, selected=["A"], now=T0)
    checked = exams.check(alice, attempt, 1, now=T0)
    state = exams.state(alice, attempt, now=T0)
    first, second = state.questions[0], state.questions[1]
    # The service's callers get the authoring id; every dump, the API's JSON included, names the public code only.
    assert PACKS["tiny"].question(first.question_id) is not None
    assert first.code == PACKS["tiny"].code(first.question_id)
    sent = state.model_dump(mode="json", exclude_unset=True)
    assert "question_id" not in json.dumps(sent)
    assert "question_id" not in checked.model_dump_json()
    assert first.question_id not in json.dumps(sent)
    # The checked item carries its key; the unchecked one has no key field at all, not even a null.
    assert sent["questions"][0]["correct_options"] == checked.correct_options
    assert {"correct_options", "explanation", "correct", "references"}.isdisjoint(sent["questions"][1])
    assert [set(option) for option in sent["questions"][1]["options"]] == [{"id", "text"}] * len(second.options)


def test_a_result_submitted_during_a_timed_exam_withholds_that_exams_keys(
    service: tuple[ExamService, int, int],
) -> None:
    exams, alice, _ = service
    # The pack's option order, so that the keys compare with the pack's own letters (_key).
    practice = exams.start(alice, "tiny", FormRequest(mode="quick", count=3, shuffle_options=False), seed=2, now=T0)
    exams.answer(alice, practice, 1, selected=["A"], now=T0)
    exam = exams.start(alice, "tiny", FormRequest(mode="full"), seed=4, now=T0)  # the tiny exam has every question
    result = exams.submit(alice, practice, now=T0 + dt.timedelta(minutes=1))
    # The submit answer withholds the keys exactly as the attempt's state does while the exam runs.
    assert [item.correct_options for item in result.items] == [None, None, None]
    state = exams.state(alice, practice, now=T0 + dt.timedelta(minutes=1))
    assert state.result == result
    assert exams.submit(alice, practice, now=T0 + dt.timedelta(minutes=2)) == result  # and so does a second submit
    exams.submit(alice, exam, now=T0 + dt.timedelta(minutes=3))
    after = exams.submit(alice, practice, now=T0 + dt.timedelta(minutes=3))
    assert [item.correct_options for item in after.items] == [_key(item.question_id) for item in after.items]


def test_a_late_save_of_an_earlier_choice_never_overwrites_the_newer_one(service: tuple[ExamService, int, int]) -> None:
    exams, alice, _ = service
    attempt = exams.start(alice, "tiny", FormRequest(mode="full"), seed=4, now=T0)
    newer = exams.answer(alice, attempt, 1, selected=["B"], seq=1_000_002, now=T0)
    assert (newer.applied, newer.seq) == (True, 1_000_002)
    late = exams.answer(alice, attempt, 1, selected=["A"], flagged=True, seq=1_000_001, now=T0)
    assert (late.applied, late.seq, late.selected, late.flagged) == (False, 1_000_002, ["B"], False)
    assert exams.state(alice, attempt, now=T0).questions[0].selected == ["B"]
    # The same save sent again (a retry) changes nothing either; a form post without a number always applies.
    assert exams.answer(alice, attempt, 1, selected=["B"], seq=1_000_002, now=T0).applied is False
    assert exams.answer(alice, attempt, 1, selected=["C"], now=T0).selected == ["C"]
    assert exams.answer(alice, attempt, 1, selected=["D"], seq=1_000_003, now=T0).selected == ["D"]


def test_an_option_is_never_both_chosen_and_struck_out(service: tuple[ExamService, int, int]) -> None:
    exams, alice, _ = service
    attempt = exams.start(alice, "tiny", FormRequest(mode="full"), seed=4, now=T0)
    exams.answer(alice, attempt, 1, selected=["A"], now=T0)
    struck = exams.answer(alice, attempt, 1, struck=["A", "B"], now=T0)
    assert (struck.selected, struck.struck) == ([], ["A", "B"])
    chosen = exams.answer(alice, attempt, 1, selected=["B"], now=T0)
    assert (chosen.selected, chosen.struck) == (["B"], ["A"])
