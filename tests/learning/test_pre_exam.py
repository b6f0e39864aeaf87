"""Exam-day-aware reviews: every card FSRS would next show after the exam gets one review in the week before it,
within the learner's daily load, the weakest nearest the exam; FSRS's own schedule stays as it is."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from fsrs import Card, State

from certprep.learning import pre_exam, srs
from certprep.learning.plan import DomainFocus, build_plan

UTC = dt.UTC
TODAY = dt.date(2026, 12, 2)
EXAM = dt.date(2026, 12, 30)
WINDOW = [EXAM - dt.timedelta(days=n) for n in range(7, 0, -1)]  # 23 Dec .. 29 Dec


def at(day: dt.date, hour: int = 18) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


def reviewed(item_id: str, last: dt.date, interval_days: int) -> Card:
    """A card in review last seen on ``last`` and due ``interval_days`` later. FSRS's stability is the interval at
    which recall falls to 0.90, so a card scheduled at the default retention has a stability of its interval."""
    moment = at(last)
    return Card(
        card_id=srs.stable_card_id(item_id),
        state=State.Review,
        stability=float(interval_days),
        difficulty=5.0,
        due=moment + dt.timedelta(days=interval_days),
        last_review=moment,
    )


def deck_after_the_exam(count: int) -> dict[str, Card]:
    """``count`` cards last seen in November, all due on or after exam day."""
    return {f"late{n:02}": reviewed(f"late{n:02}", dt.date(2026, 11, 10 + n % 15), 50 + n % 9) for n in range(count)}


def loads(cards: dict[str, Card], reviews: dict[str, dt.date], today: dt.date) -> dict[dt.date, int]:
    """Every review falling on each day from today to the exam: FSRS's (overdue ones today) plus the pre-exam ones."""
    days = (EXAM - today).days
    return {day.date: day.reviews for day in pre_exam.forecast(cards.values(), reviews, today, days, UTC)}


def test_every_card_due_after_the_exam_gets_one_review_in_the_last_week_within_the_daily_load() -> None:
    cards = deck_after_the_exam(60)
    # FSRS's own reviews in the window: one on each day, two on Christmas Eve.
    for n, day in enumerate([*WINDOW, WINDOW[1]]):
        cards[f"fsrs{n}"] = reviewed(f"fsrs{n}", day - dt.timedelta(days=20), 20)
    reviews = pre_exam.schedule(cards, TODAY, EXAM, 12, UTC)
    assert set(reviews) == {item_id for item_id in cards if item_id.startswith("late")}
    assert set(reviews.values()) <= set(WINDOW)
    per_day = loads(cards, reviews, TODAY)
    window_loads = [per_day[day] for day in WINDOW]
    assert max(window_loads) <= 12
    # 60 pre-exam and 8 FSRS reviews over 7 days: levelled at 9 or 10 a day, the extra ones nearest the exam.
    assert window_loads == [9, 9, 10, 10, 10, 10, 10]
    # Before the window nothing changes: FSRS's reviews alone.
    assert all(count == 0 for day, count in per_day.items() if day < WINDOW[0])


def test_no_exam_date_no_pre_exam_reviews_and_none_from_exam_day_on() -> None:
    cards = deck_after_the_exam(10)
    assert pre_exam.schedule(cards, TODAY, None, 200, UTC) == {}
    assert pre_exam.schedule(cards, EXAM, EXAM, 200, UTC) == {}
    assert pre_exam.schedule(cards, EXAM + dt.timedelta(days=1), EXAM, 200, UTC) == {}
    assert pre_exam.window(TODAY, None) == []
    assert pre_exam.window(EXAM - dt.timedelta(days=2), EXAM) == [EXAM - dt.timedelta(days=2), EXAM - dt.timedelta(1)]


def test_cards_fsrs_shows_in_the_window_or_that_were_reviewed_in_it_or_never_are_left_alone() -> None:
    today = WINDOW[3]
    cards = {
        "after": reviewed("after", dt.date(2026, 11, 20), 60),
        "due-in-window": reviewed("due-in-window", dt.date(2026, 12, 1), 28),  # due 29 Dec
        "seen-in-window": reviewed("seen-in-window", WINDOW[1], 40),
        "due-on-exam-day": reviewed("due-on-exam-day", dt.date(2026, 12, 10), 20),
        "new": srs.new_card("new", at(TODAY)),
    }
    reviews = pre_exam.schedule(cards, today, EXAM, 200, UTC)
    assert set(reviews) == {"after", "due-on-exam-day"}
    # Inside the window, the reviews start from today, never on a day already gone.
    assert min(reviews.values()) >= today


def test_the_weakest_cards_come_nearest_the_exam_and_the_strongest_go_without_when_the_days_are_full() -> None:
    cards = {
        "weak": reviewed("weak", dt.date(2026, 11, 28), 33),  # due 31 Dec: a short stability, lowest recall
        "middle": reviewed("middle", dt.date(2026, 11, 20), 60),
        "strong": reviewed("strong", dt.date(2026, 12, 1), 200),
    }
    recall = {item_id: srs.retrievability(srs.card_scheduler(), card, at(EXAM, 0)) for item_id, card in cards.items()}
    assert recall["weak"] < recall["middle"] < recall["strong"]
    spread = pre_exam.schedule(cards, TODAY, EXAM, 1, UTC)
    assert spread == {"strong": WINDOW[4], "middle": WINDOW[5], "weak": WINDOW[6]}
    # Two days left and one review a day: room for two; the strongest card, which loses least, goes without.
    tight = pre_exam.schedule(cards, WINDOW[5], EXAM, 1, UTC)
    assert tight == {"middle": WINDOW[5], "weak": WINDOW[6]}


def test_a_day_fsrs_already_fills_gets_none_and_today_counts_the_reviews_done() -> None:
    cards = deck_after_the_exam(4)
    for n in range(3):  # three FSRS reviews overdue or due today: today is full at a load of 3
        cards[f"due{n}"] = reviewed(f"due{n}", WINDOW[5] - dt.timedelta(days=10), 10 - n)
    reviews = pre_exam.schedule(cards, WINDOW[5], EXAM, 3, UTC)
    assert Counter(reviews.values()) == {WINDOW[6]: 3}  # tomorrow has room for three; the fourth goes without
    # Fifty reviews already done today at a load of 60: the 60 pre-exam reviews level out at 55 on each day.
    done = pre_exam.schedule(deck_after_the_exam(60), WINDOW[5], EXAM, 60, UTC, reviews_done_today=50)
    assert Counter(done.values()) == {WINDOW[5]: 5, WINDOW[6]: 55}


def test_a_learner_who_keeps_up_does_each_pre_exam_review_once_on_the_day_first_shown() -> None:
    """Ten days of real queues: each evening the learner reviews everything due (Good) and FSRS updates each card.

    FSRS's own reviews just before the window push some cards past the exam too: they get a pre-exam review as well.
    """
    scheduler = srs.card_scheduler()
    cards = deck_after_the_exam(45)
    for n in range(20):  # FSRS's own reviews from 20 to 27 December, before and in the window
        cards[f"fsrs{n:02}"] = reviewed(f"fsrs{n:02}", dt.date(2026, 11, 25), 25 + n % 8)
    settings = srs.SrsSettings(reviews_per_day=15)
    first_day: dict[str, dt.date] = {}
    done: Counter[str] = Counter()
    day = WINDOW[0] - dt.timedelta(days=3)
    while day < EXAM:
        now = at(day)
        reviews = pre_exam.schedule(cards, day, EXAM, settings.reviews_per_day, UTC)
        if day >= WINDOW[0]:
            for item_id, planned in reviews.items():
                assert first_day.setdefault(item_id, planned) == planned  # once the week has begun, days stay put
        queue = srs.build_queue(sorted(cards), cards, now, settings, pre_exam=pre_exam.moments(reviews, UTC))
        # The whole day's plan fits the review limit: the queue holds every pre-exam review of the day.
        assert sum(1 for item in queue if item.kind == "pre-exam") == Counter(reviews.values())[day]
        assert len(queue) <= settings.reviews_per_day
        for item in queue:
            if item.kind == "pre-exam":
                done[item.item_id] += 1
            cards[item.item_id] = srs.review(scheduler, cards[item.item_id], 3, now)
        day += dt.timedelta(days=1)
    due_after_the_exam = {item_id for item_id, card in cards.items() if card.due.date() >= EXAM}
    reviewed_in_the_week = {item_id for item_id, card in cards.items() if card.last_review.date() >= WINDOW[0]}  # type: ignore[union-attr]
    assert due_after_the_exam == set(cards)  # FSRS carried on: every card is next due after the exam...
    assert reviewed_in_the_week == set(cards)  # ...and every one was reviewed in the last week before it,
    assert set(done.values()) == {1}  # each pre-exam review once
    assert {item_id for item_id in done if item_id.startswith("late")} == {i for i in cards if i.startswith("late")}
    assert len(done) > 45  # some of FSRS's reviews of 20-22 December needed one too


def test_the_queue_shows_a_pre_exam_review_from_the_start_of_its_day_within_the_review_limit() -> None:
    cards = {
        "late": reviewed("late", dt.date(2026, 11, 20), 60),
        "due": reviewed("due", WINDOW[2] - dt.timedelta(days=5), 5),  # an FSRS review due the same day at 18:00
    }
    moment = pre_exam.moments({"late": WINDOW[2]}, UTC)
    settings = srs.SrsSettings()
    before = srs.build_queue(["late", "due"], cards, at(WINDOW[1], 23), settings, pre_exam=moment)
    assert before == []
    on_the_day = srs.build_queue(["late", "due"], cards, at(WINDOW[2], 19), settings, pre_exam=moment)
    assert [(item.item_id, item.kind) for item in on_the_day] == [("late", "pre-exam"), ("due", "review")]
    assert on_the_day[0].due == at(WINDOW[2], 0)
    limited = srs.build_queue(
        ["late", "due"], cards, at(WINDOW[2], 19), srs.SrsSettings(reviews_per_day=1), 0, 0, moment
    )
    assert [item.item_id for item in limited] == ["late"]
    # FSRS's own due time is untouched: the card is still due after the exam.
    assert cards["late"].due.date() > EXAM


def test_the_plan_names_the_pre_exam_reviews_of_each_day() -> None:
    domains = [DomainFocus(1, "SDLC Automation", 60, 0.5), DomainFocus(2, "Monitoring", 40, 0.5)]
    due = {WINDOW[0]: 30, WINDOW[6]: 1}
    plan = build_plan(domains, TODAY, EXAM, 120, due, pre_exam={WINDOW[0]: 12, WINDOW[6]: 1})
    by_date = {day.date: day.sessions[0] for day in plan.days}
    assert "(about 30 items, including 12 pre-exam reviews)" in by_date[WINDOW[0]].title
    assert by_date[WINDOW[0]].pre_exam == 12
    assert "including 1 pre-exam review)" in by_date[WINDOW[6]].title
    assert "pre-exam" not in by_date[TODAY].title
    assert by_date[TODAY].pre_exam == 0
    # The final week's mock day keeps the mock first and lists its reviews after it, when there are any.
    mock_day = {day.date: day for day in plan.days}[WINDOW[5]]
    assert [s.kind for s in mock_day.sessions] == ["mock", "mock-review"]
    with_reviews = build_plan(domains, TODAY, EXAM, 120, {WINDOW[5]: 9}, pre_exam={WINDOW[5]: 9})
    mock_day = {day.date: day for day in with_reviews.days}[WINDOW[5]]
    assert [s.kind for s in mock_day.sessions] == ["mock", "mock-review", "review"]
    assert mock_day.sessions[-1].pre_exam == 9
