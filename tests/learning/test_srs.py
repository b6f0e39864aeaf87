"""Spaced repetition on FSRS: ratings, the daily queue and its limits, and missed questions replayed as reviews."""

from __future__ import annotations

import datetime as dt

import pytest

from certprep.learning import srs

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def test_rating_good_on_a_new_card_brings_it_back_in_the_same_session_and_easy_days_later() -> None:
    scheduler = srs.card_scheduler()
    card = srs.new_card("c1", T0)
    after_good = srs.review(scheduler, card, 3, T0)
    after_easy = srs.review(scheduler, card, 4, T0)
    assert after_good.due - T0 == dt.timedelta(minutes=10)
    assert after_easy.due - T0 >= dt.timedelta(days=1)
    preview = srs.preview(scheduler, card, T0)
    assert preview[1] < preview[2] < preview[3] < preview[4]


def test_a_card_remembered_again_and_again_gets_growing_intervals() -> None:
    scheduler = srs.card_scheduler()
    card, now, intervals = srs.new_card("c1", T0), T0, []
    for _ in range(6):
        card = srs.review(scheduler, card, 3, now)
        intervals.append(card.due - now)
        now = card.due
    long_ones = [interval for interval in intervals if interval >= dt.timedelta(days=1)]
    assert len(long_ones) >= 3
    assert long_ones == sorted(long_ones)


def test_higher_desired_retention_schedules_sooner() -> None:
    card = srs.review(srs.card_scheduler(), srs.new_card("c1", T0), 4, T0)
    later = card.due + dt.timedelta(days=1)
    relaxed = srs.review(srs.card_scheduler(0.8), card, 3, later).due
    strict = srs.review(srs.card_scheduler(0.97), card, 3, later).due
    assert strict < relaxed


@pytest.mark.parametrize("value", [0, 5, -1])
def test_a_rating_outside_1_to_4_is_refused_with_a_sentence(value: int) -> None:
    with pytest.raises(srs.SrsError, match="rating must be 1"):
        srs.rating_of(value)


def test_settings_refuse_unusable_retention() -> None:
    with pytest.raises(srs.SrsError, match="desired retention"):
        srs.SrsSettings(desired_retention=0.5)


def test_state_survives_a_round_trip_through_json_data() -> None:
    card = srs.review(srs.card_scheduler(), srs.new_card("c1", T0), 3, T0)
    again = srs.from_state(srs.to_state(card))
    assert again.due == card.due
    assert again.stability == card.stability
    assert again.state == card.state


def test_queue_order_and_daily_limits() -> None:
    scheduler = srs.card_scheduler()
    learning = srs.review(scheduler, srs.new_card("learning", T0), 1, T0)  # due in a minute
    review = srs.review(scheduler, srs.new_card("review", T0 - dt.timedelta(days=30)), 4, T0 - dt.timedelta(days=30))
    cards = {"learning": learning, "review": review}
    now = T0 + dt.timedelta(minutes=5)
    deck = ["new1", "review", "new2", "learning", "new3"]
    queue = srs.build_queue(deck, cards, now, srs.SrsSettings(new_per_day=2))
    assert [(item.item_id, item.kind) for item in queue] == [
        ("learning", "learning"),
        ("review", "review"),
        ("new1", "new"),
        ("new2", "new"),
    ]
    # Two new cards already started today: none left; the review limit reached: the review waits too.
    limited = srs.build_queue(deck, cards, now, srs.SrsSettings(new_per_day=2, reviews_per_day=1), 2, 1)
    assert [item.item_id for item in limited] == ["learning"]


def test_a_missed_question_becomes_a_review_item_due_the_next_day_and_a_right_answer_pushes_it_out() -> None:
    scheduler = srs.question_scheduler()
    answers = [srs.Graded("q-right", T0, True), srs.Graded("q-wrong", T0, False)]
    cards = srs.question_cards(answers, scheduler)
    assert set(cards) == {"q-wrong"}  # a question answered right is not a review item
    first_due = cards["q-wrong"].due
    assert dt.timedelta(hours=20) <= first_due - T0 <= dt.timedelta(days=2)
    later = srs.question_cards([*answers, srs.Graded("q-wrong", first_due, True)], scheduler)
    assert later["q-wrong"].due - first_due > first_due - T0


def test_due_forecast_counts_overdue_items_today_and_skips_new_ones() -> None:
    scheduler = srs.card_scheduler()
    overdue = srs.review(scheduler, srs.new_card("a", T0 - dt.timedelta(days=20)), 4, T0 - dt.timedelta(days=20))
    tomorrow = srs.review(srs.question_scheduler(), srs.new_card("b", T0), 1, T0)
    forecast = srs.due_forecast([overdue, tomorrow, srs.new_card("c", T0)], T0.date(), 3, dt.UTC)
    assert [count for _, count in forecast] == [1, 1, 0]


def test_describe_interval() -> None:
    assert srs.describe_interval(dt.timedelta(seconds=30)) == "<1m"
    assert srs.describe_interval(dt.timedelta(minutes=10)) == "10m"
    assert srs.describe_interval(dt.timedelta(days=3)) == "3d"
    assert srs.describe_interval(dt.timedelta(days=90)) == "3.0mo"
