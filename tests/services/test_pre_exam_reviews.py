"""Pre-exam reviews on SQLite and PostgreSQL: a flashcard FSRS would next show after the exam comes up in the due
queue on its pre-exam day, and only then; reviewing it is an ordinary FSRS review, after which FSRS carries on."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from certprep.content import load_pack
from certprep.services.exams import ExamService
from certprep.services.learning import LearningService
from certprep.store.schema import SrsCard
from tests.conftest import TINY_PACK, Learners

PACKS = {"tiny": load_pack(TINY_PACK)}
T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
EXAM = dt.date(2027, 1, 15)
CARDS = ("tiny-fc-ls-a", "tiny-fc-vi-x")  # both domain 1


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


@pytest.fixture
def service(learners: Learners) -> Iterator[LearningService]:
    yield LearningService(learners.sessions, PACKS, ExamService(learners.sessions, PACKS), tz=dt.UTC)


def _learn_well(service: LearningService, user: int) -> None:
    """Both cards rated Easy twice: on 23 November and when due on 1 December; FSRS then puts them in February."""
    for card_id in CARDS:
        first = service.cards.review_card(user, "tiny", card_id, 4, T0)
        again = service.cards.review_card(user, "tiny", card_id, 4, dt.datetime.fromisoformat(first.due))
        assert dt.datetime.fromisoformat(again.due).date() > EXAM


def _reviews(service: LearningService, user: int, now: dt.datetime) -> dict[str, str]:
    """The review items of the domain-1 queue at ``now``, card id to kind."""
    queue = service.cards.due_cards(user, "tiny", now, domain=1)
    return {card.id: card.kind for card in queue.cards if card.kind != "new"}


def test_a_card_due_after_the_exam_shows_in_the_queue_on_its_pre_exam_day(
    service: LearningService, learners: Learners
) -> None:
    alice, bob = learners.alice, learners.bob
    _learn_well(service, alice)
    _learn_well(service, bob)
    # Without an exam date, nothing before February.
    assert service.cards.pre_exam_reviews(alice, "tiny", at(EXAM - dt.timedelta(days=1), 10)) == {}
    assert _reviews(service, alice, at(EXAM - dt.timedelta(days=1), 10)) == {}
    service.records.set_exam_date(alice, "tiny", EXAM)
    # Two cards, a week to place them in, the learner's load of 200 a day: one on each of the last two days.
    days = service.cards.pre_exam_reviews(alice, "tiny", at(dt.date(2027, 1, 2), 10))
    assert days == {CARDS[0]: dt.date(2027, 1, 13), CARDS[1]: dt.date(2027, 1, 14)}
    forecast = service.cards.forecast(alice, "tiny", 14, at(dt.date(2027, 1, 2), 10))
    assert {day.date: day.pre_exam for day in forecast if day.pre_exam} == Counter(days.values())
    assert sum(day.reviews for day in forecast) == 2

    assert _reviews(service, alice, at(dt.date(2027, 1, 12), 20)) == {}
    on_the_day = service.cards.due_cards(alice, "tiny", at(dt.date(2027, 1, 13), 8), domain=1)
    assert {card.id: card.kind for card in on_the_day.cards if card.kind != "new"} == {CARDS[0]: "pre-exam"}
    assert on_the_day.counts.review == 1
    assert on_the_day.cards[0].due == "2027-01-13T00:00:00+00:00"
    # Bob set no exam date: his cards stay on FSRS's own schedule.
    assert _reviews(service, bob, at(dt.date(2027, 1, 13), 8)) == {}

    with service.records.sessions() as session:
        before = session.scalar(select(SrsCard.due).where(SrsCard.user_id == alice, SrsCard.card_id == CARDS[0]))
    assert before is not None
    assert before.date() > EXAM  # the pre-exam review left FSRS's due date as it was
    reviewed = service.cards.review_card(alice, "tiny", CARDS[0], 3, at(dt.date(2027, 1, 13), 8))
    assert dt.datetime.fromisoformat(reviewed.due).date() > EXAM  # FSRS carries on from the early review
    assert reviewed.reps == 3
    # Done: it does not come back before the exam; the other card is tomorrow's.
    assert _reviews(service, alice, at(dt.date(2027, 1, 13), 21)) == {}
    assert _reviews(service, alice, at(dt.date(2027, 1, 14), 8)) == {CARDS[1]: "pre-exam"}
    assert service.cards.pre_exam_reviews(alice, "tiny", at(dt.date(2027, 1, 14), 8)) == {
        CARDS[1]: dt.date(2027, 1, 14)
    }
    # On exam day, and without an exam date, there are none.
    assert _reviews(service, alice, at(EXAM, 7)) == {}
    service.records.set_exam_date(alice, "tiny", None)
    assert _reviews(service, alice, at(dt.date(2027, 1, 14), 8)) == {}
