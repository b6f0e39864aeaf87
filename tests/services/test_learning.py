"""The learning loop on SQLite and PostgreSQL: card reviews and their log, limits, missed questions, readiness,
plans, settings, and learners who never see each other's data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import inspect, select

from certprep.content import load_pack
from certprep.engine.forms import FormRequest
from certprep.services.exams import ExamNotFound, ExamService
from certprep.services.learning import CardNotFound, LearningError, LearningService
from certprep.store import open_engine, upgrade
from certprep.store.db import downgrade
from certprep.store.schema import ReadinessSnapshot, Review, SrsCard
from tests.conftest import TINY_PACK, Learners

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
PACKS = {"tiny": load_pack(TINY_PACK)}
TINY = PACKS["tiny"]


@pytest.fixture
def world(learners: Learners) -> Iterator[tuple[LearningService, int, int]]:
    sessions = learners.sessions
    ids = (learners.alice, learners.bob)
    exams = ExamService(sessions, PACKS)
    yield LearningService(sessions, PACKS, exams, tz=dt.UTC), ids[0], ids[1]


def _answer_all(service: LearningService, user: int, right: set[str], now: dt.datetime, mode: str = "custom") -> str:
    """A practice session over the whole tiny bank: right for the ids in ``right``, wrong otherwise, all checked."""
    exams = service.records.exams
    # The pack's option order, so that the keys below are the letters answered (tests/services/test_option_shuffle.py
    # covers answering shuffled options by their display letters).
    request = FormRequest(mode=mode, count=20, shuffle_options=False)  # type: ignore[arg-type]
    attempt = exams.start(user, "tiny", request, seed=1, now=now)
    for item in exams.state(user, attempt, now=now).questions:
        question = TINY.question(item.question_id)
        assert question is not None
        key = sorted(question.correct_ids)
        wrong = sorted({o.id for o in question.options} - question.correct_ids)[: question.select]
        exams.answer(user, attempt, item.position, selected=key if question.id in right else wrong, now=now)
        exams.check(user, attempt, item.position, now=now)
    return attempt


def test_the_migration_creates_the_learning_tables_and_can_be_undone(database_url: str) -> None:
    engine = open_engine(database_url)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"srs_cards", "readiness_snapshots", "reviews"} <= tables
    for table in ("srs_cards", "readiness_snapshots"):
        assert "user_id" in {column["name"] for column in inspect(engine).get_columns(table)}
    downgrade(engine, "0002")
    assert not {"srs_cards", "readiness_snapshots"} & set(inspect(engine).get_table_names())
    upgrade(engine)
    engine.dispose()


def test_reviewing_a_card_schedules_it_and_logs_every_review(world: tuple[LearningService, int, int]) -> None:
    service, alice, _ = world
    queue = service.cards.due_cards(alice, "tiny", T0)
    assert (queue.counts.learning, queue.counts.review, queue.counts.new) == (0, 0, len(TINY.flashcards))
    card = queue.cards[0]
    assert card.front
    assert card.back
    assert set(card.intervals) == {"1", "2", "3", "4"}
    result = service.cards.review_card(alice, "tiny", card.id, 4, T0)
    assert dt.datetime.fromisoformat(result.due) - T0 >= dt.timedelta(days=1)
    assert service.cards.due_cards(alice, "tiny", T0).counts.new == len(TINY.flashcards) - 1
    # Due again later: it is a review then, and a lapse is counted when forgotten.
    later = dt.datetime.fromisoformat(result.due) + dt.timedelta(hours=1)
    assert service.cards.due_cards(alice, "tiny", later).counts.review == 1
    lapsed = service.cards.review_card(alice, "tiny", card.id, 1, later)
    assert lapsed.lapses == 1
    assert lapsed.reps == 2
    assert lapsed.interval == "10m"
    with service.records.sessions() as session:
        log = session.scalars(select(Review).where(Review.user_id == alice).order_by(Review.id)).all()
        row = session.scalar(select(SrsCard).where(SrsCard.user_id == alice))
    assert [(r.item_id, r.rating) for r in log] == [(card.id, 4), (card.id, 1)]
    assert all(r.item_kind == "card" and r.state for r in log)
    assert row is not None
    assert row.due == dt.datetime.fromisoformat(lapsed.due)


def test_daily_new_card_limit_and_decks(world: tuple[LearningService, int, int]) -> None:
    service, alice, _ = world
    service.records.update_settings(alice, new_per_day=1)
    first = service.cards.due_cards(alice, "tiny", T0)
    assert first.total == 1
    service.cards.review_card(alice, "tiny", first.cards[0].id, 4, T0)
    assert service.cards.due_cards(alice, "tiny", T0 + dt.timedelta(hours=1)).counts.new == 0
    assert service.cards.due_cards(alice, "tiny", T0 + dt.timedelta(days=1, hours=1)).counts.new == 1
    deck = service.cards.due_cards(alice, "tiny", T0, domain=2)
    assert all(card.domain == 2 for card in deck.cards)
    with pytest.raises(LearningError, match="no domain 9"):
        service.cards.due_cards(alice, "tiny", T0, domain=9)


def test_bad_reviews_are_refused_with_sentences(world: tuple[LearningService, int, int]) -> None:
    service, alice, _ = world
    card = TINY.flashcards[0].id
    with pytest.raises(LearningError, match="rating must be 1"):
        service.cards.review_card(alice, "tiny", card, 5, T0)
    with pytest.raises(CardNotFound):
        service.cards.review_card(alice, "tiny", "no-such-card", 3, T0)
    with pytest.raises(ExamNotFound):
        service.cards.review_card(alice, "nope", card, 3, T0)
    with pytest.raises(LearningError, match="retention"):
        service.records.update_settings(alice, desired_retention=0.2)


def test_missed_questions_come_back_when_due_in_a_session_of_their_own(world: tuple[LearningService, int, int]) -> None:
    service, alice, _ = world
    live = [q.id for q in TINY.questions if q.status == "live"]
    right = set(live[:2])
    _answer_all(service, alice, right, T0)
    assert service.missed.due_questions(alice, "tiny", T0) == []  # not the same day: FSRS schedules the next day
    with pytest.raises(LearningError, match="no missed question is due"):
        service.missed.start_due_questions(alice, "tiny", now=T0)
    tomorrow = T0 + dt.timedelta(days=2)
    due = service.missed.due_questions(alice, "tiny", tomorrow)
    assert set(due) == set(live) - right
    attempt = service.missed.start_due_questions(alice, "tiny", now=tomorrow)
    state = service.records.exams.state(alice, attempt, now=tomorrow)
    assert {q.question_id for q in state.questions} == set(due)
    assert state.feedback is True
    # Answered right in that session: each goes out to a longer interval and is no longer due. The session shows
    # its own option order, so the key is answered by the letters shown beside the key's texts.
    for item in state.questions:
        question = TINY.question(item.question_id)
        assert question is not None
        key_texts = {option.text for option in question.options if option.correct}
        shown = [option.id for option in item.options if option.text in key_texts]
        service.records.exams.answer(alice, attempt, item.position, selected=shown, now=tomorrow)
        service.records.exams.check(alice, attempt, item.position, now=tomorrow)
    assert service.missed.due_questions(alice, "tiny", tomorrow + dt.timedelta(days=1)) == []


def test_exam_answers_count_and_blank_items_do_not(world: tuple[LearningService, int, int]) -> None:
    service, alice, _ = world
    exams = service.records.exams
    attempt = exams.start(alice, "tiny", FormRequest(mode="full"), seed=3, now=T0)
    first = exams.state(alice, attempt, now=T0).questions[0]
    question = TINY.question(first.question_id)
    assert question is not None
    wrong = sorted({o.id for o in question.options} - question.correct_ids)[: question.select]
    exams.answer(alice, attempt, 1, selected=wrong, now=T0)
    exams.submit(alice, attempt, now=T0 + dt.timedelta(minutes=5))
    # Only the one answered question is missed; the blank ones were never answered.
    assert service.missed.due_questions(alice, "tiny", T0 + dt.timedelta(days=3)) == [first.question_id]


def test_readiness_rises_with_right_answers_and_is_kept_per_day(world: tuple[LearningService, int, int]) -> None:
    service, alice, bob = world
    live = {q.id for q in TINY.questions if q.status == "live"}
    before = service.progress.readiness(alice, "tiny", T0)
    for day in range(3):
        _answer_all(service, alice, live, T0 + dt.timedelta(days=day, hours=1))
    after = service.progress.readiness(alice, "tiny", T0 + dt.timedelta(days=3))
    again = service.progress.readiness(alice, "tiny", T0 + dt.timedelta(days=3, hours=1))
    assert after.pass_probability > before.pass_probability
    assert after.scaled_score > before.scaled_score
    assert after.scaled_low <= after.scaled_score <= after.scaled_high
    assert 0.0 <= again.pass_probability <= 1.0
    history = service.dashboard.history(alice, "tiny").readiness
    assert [row.date for row in history] == [dt.date(2026, 11, 23), dt.date(2026, 11, 26)]  # one snapshot per day
    assert service.dashboard.history(bob, "tiny").readiness == ()
    # Bob's readiness is untouched by Alice's answers.
    assert service.progress.readiness(bob, "tiny", T0 + dt.timedelta(days=3)).evidence == 0
    with service.records.sessions() as session:
        assert session.scalar(select(ReadinessSnapshot.user_id).where(ReadinessSnapshot.user_id == bob)) == bob


def test_learners_never_see_each_others_cards_or_missed_questions(world: tuple[LearningService, int, int]) -> None:
    service, alice, bob = world
    service.cards.review_card(alice, "tiny", TINY.flashcards[0].id, 3, T0)
    _answer_all(service, alice, set(), T0)
    assert service.cards.due_cards(bob, "tiny", T0).counts.learning == 0
    assert service.missed.due_questions(bob, "tiny", T0 + dt.timedelta(days=3)) == []
    assert service.cards.review_log(bob, "tiny") == []
    assert [(e.kind, e.item, e.rating, e.at) for e in service.cards.review_log(alice, "tiny")] == [
        ("card", TINY.flashcards[0].id, 3, T0)
    ]
    assert service.dashboard.activity(bob, "tiny", T0).total_minutes == 0
    assert service.progress.readiness(bob, "tiny", T0).answers == 0
    service.records.update_settings(alice, desired_retention=0.95)
    assert service.records.settings(bob).desired_retention == 0.9


def test_weak_spots_start_a_practice_attempt_of_picked_questions(world: tuple[LearningService, int, int]) -> None:
    service, alice, _ = world
    spots = service.progress.weak_spots(alice, "tiny", 3, T0)
    assert len(spots.questions) == 3
    assert all(spot.reason for spot in spots.questions)
    assert {TINY.question_by_code(spot.code) is not None for spot in spots.questions} == {True}  # public codes
    attempt = service.progress.start_weak_spots(alice, "tiny", 3, T0)
    state = service.records.exams.state(alice, attempt, now=T0)
    assert state.feedback is True
    assert len(state.questions) == 3
    # Named as the learner started it, in the exam bar and in History, not as the review mode it runs in.
    assert state.label == "Practise my weak spots"
    [listed] = [a for a in service.records.exams.list_attempts(alice, now=T0) if a.id == attempt]
    assert listed.label == "Practise my weak spots"
    with pytest.raises(LearningError, match="count"):
        service.progress.weak_spots(alice, "tiny", 0, T0)


def test_plan_and_dashboard(world: tuple[LearningService, int, int]) -> None:
    service, alice, _ = world
    _answer_all(service, alice, set(), T0)
    plan = service.progress.plan(alice, "tiny", T0.date() + dt.timedelta(days=7), 60, now=T0)
    assert plan.kind == "intensive"
    assert len(plan.days) == 8
    review = plan.days[1].sessions[0]  # the missed questions fall due tomorrow
    assert review.kind == "review"
    assert review.cards > 0
    with pytest.raises(LearningError, match="in the past"):
        service.progress.plan(alice, "tiny", T0.date() - dt.timedelta(days=1), 60, now=T0)
    service.records.set_exam_date(alice, "tiny", T0.date() + dt.timedelta(days=20))
    service.records.update_settings(alice, minutes_per_day=45)
    board = service.dashboard.view(alice, "tiny", T0 + dt.timedelta(minutes=30))
    assert board.exam_date == T0.date() + dt.timedelta(days=20)
    assert board.today_plan is not None
    assert board.today_plan.date == T0.date()
    assert board.activity.streak == 1
    assert board.readiness.answers > 0
    assert board.activity.unscored == 0  # every answer of _answer_all was scored
    assert len(board.forecast) == 14
    assert sum(day.questions for day in board.forecast) == board.missed_items
    assert [d.row.domain for d in board.domains] == [1, 2]


def test_plan_mastery_and_due_questions_as_the_api_sends_them(world: tuple[LearningService, int, int]) -> None:
    service, alice, _ = world
    _answer_all(service, alice, set(), T0)
    plan = service.progress.study_plan(alice, "tiny", T0.date() + dt.timedelta(days=10), 60, now=T0)
    data = plan.model_dump(mode="json")
    assert (data["pack"], data["today"], data["days_left"], len(data["days"])) == ("tiny", "2026-11-23", 10, 11)
    assert data["days"][0]["day"] == 1
    review = data["days"][0]["sessions"][0]
    assert set(review) == {"kind", "title", "minutes", "domain", "questions", "cards", "pre_exam"}
    mastery = service.progress.mastery(alice, "tiny", T0)
    assert [row.domain for row in mastery.domains] == [1, 2]
    assert {row.last_seen for row in mastery.tasks} == {T0.isoformat()}  # every task was answered at T0
    due = service.missed.due_codes(alice, "tiny", T0 + dt.timedelta(days=3))
    assert due.count == len(due.questions) > 0
    assert [TINY.code(qid) for qid in service.missed.due_questions(alice, "tiny", T0 + dt.timedelta(days=3))] == list(
        due.questions
    )
    readiness = service.progress.readiness(alice, "tiny", T0)
    assert (readiness.pack, readiness.evidence) == ("tiny", len(service.missed.answers(alice, "tiny")))
