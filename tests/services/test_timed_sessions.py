"""The ESL accommodation, timed practice and timed domain sections in the database (SQLite and PostgreSQL),
#24 item 17."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from certprep.content import load_pack
from certprep.engine.forms import start_request
from certprep.services.exams import ExamConflict, ExamService
from certprep.services.learning import LearningService
from tests.conftest import TINY_PACK, Learners

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
PACKS = {"tiny": load_pack(TINY_PACK)}


@pytest.fixture
def world(learners: Learners) -> Iterator[tuple[LearningService, int, int]]:
    exams = ExamService(learners.sessions, PACKS)
    yield LearningService(learners.sessions, PACKS, exams, tz=dt.UTC), learners.alice, learners.bob


def test_the_esl_setting_adds_30_minutes_to_timed_exams_of_that_learner_only(
    world: tuple[LearningService, int, int],
) -> None:
    learning, alice, bob = world
    exams = learning.records.exams
    assert learning.records.settings(alice).esl_accommodation is False
    assert learning.records.update_settings(alice, esl_accommodation=True).esl_accommodation is True
    assert learning.records.settings(alice).esl_accommodation is True
    full = exams.state(alice, exams.start(alice, "tiny", start_request("full"), seed=1, now=T0), now=T0)
    assert full.remaining_seconds == (20 + 30) * 60
    assert full.config is not None and full.config["accommodation_minutes"] == 30
    exams.submit(alice, full.id, now=T0)
    mock = exams.state(alice, exams.start(alice, "tiny", start_request("mock100"), seed=1, now=T0), now=T0)
    assert mock.remaining_seconds is not None and mock.remaining_seconds > 30 * 60
    exams.submit(alice, mock.id, now=T0)
    bobs = exams.start(bob, "tiny", start_request("full"), seed=1, now=T0)
    assert exams.state(bob, bobs, now=T0).remaining_seconds == 20 * 60
    # Practice stays untimed: the accommodation is for timed exams.
    quick = exams.state(alice, exams.start(alice, "tiny", start_request("quick"), seed=1, now=T0), now=T0)
    assert quick.remaining_seconds is None
    # Other settings saved later leave it on; turning it off takes it away from the next exam.
    learning.records.update_settings(alice, minutes_per_day=45)
    assert learning.records.settings(alice).esl_accommodation is True
    learning.records.update_settings(alice, esl_accommodation=False)
    assert exams.extra_minutes(alice) == 0


def test_a_practice_timer_counts_down_and_time_up_submits_the_session(world: tuple[LearningService, int, int]) -> None:
    learning, alice, _ = world
    exams = learning.records.exams
    attempt = exams.start(alice, "tiny", start_request("quick", minutes=5), seed=2, now=T0)
    state = exams.state(alice, attempt, now=T0 + dt.timedelta(minutes=1))
    assert (state.remaining_seconds, state.feedback, state.exam) == (4 * 60, True, False)
    exams.answer(alice, attempt, 1, selected=["A"], now=T0 + dt.timedelta(minutes=2))
    with pytest.raises(ExamConflict):
        exams.answer(alice, attempt, 2, selected=["A"], now=T0 + dt.timedelta(minutes=6))
    final = exams.state(alice, attempt, now=T0 + dt.timedelta(minutes=6))
    assert final.status == "submitted"
    assert final.result is not None and final.result.auto_submitted is True


def test_a_timed_review_session_keeps_its_timer(world: tuple[LearningService, int, int]) -> None:
    learning, alice, _ = world
    exams = learning.records.exams
    missed = exams.start(alice, "tiny", start_request("quick", count=3), seed=2, now=T0)
    exams.submit(alice, missed, now=T0)  # nothing answered: all three are missed
    review = exams.start(alice, "tiny", start_request("review", minutes=10), seed=2, now=T0)
    state = exams.state(alice, review, now=T0)
    assert (len(state.questions), state.remaining_seconds, state.feedback) == (3, 10 * 60, True)


def test_a_timed_section_asks_one_domain_in_its_share_of_the_time(world: tuple[LearningService, int, int]) -> None:
    learning, alice, _ = world
    exams = learning.records.exams
    attempt = exams.start(alice, "tiny", start_request("section", domains=[2]), seed=2, now=T0)
    state = exams.state(alice, attempt, now=T0)
    # Domain 2 weighs 40 % of 6 questions in 20 minutes: 2 questions in 7 minutes, with feedback after each.
    assert {question.domain for question in state.questions} == {2}
    assert (len(state.questions), state.remaining_seconds, state.label) == (2, 7 * 60, "Timed domain section")
    assert state.feedback is True
