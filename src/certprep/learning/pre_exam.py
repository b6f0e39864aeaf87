"""Exam-day-aware reviews: one extra review, in the last days before the exam, for every card FSRS would next show
after it.

FSRS brings a card back when its predicted recall has fallen to the desired retention (0.90 by default). That is
the right rule for memory that should last, but an exam is a deadline: a card next due two days after the exam is,
on exam day, near the bottom of what FSRS allows, and many cards are in that state at once. One review shortly
before the exam puts each of them back near the top of its forgetting curve on the day that counts.

The rule, when the learner has an exam date:

- **Which cards.** A card gets a pre-exam review when its FSRS due date is on or after exam day (exam day is for the
  exam, not for reviews) and it has not been reviewed in the window below. A card that FSRS brings back inside the
  window is reviewed then anyway, and one already reviewed in the window has had its review. Cards never reviewed
  are left out: there is nothing to refresh.
- **When: the last seven days before exam day**, the study plan's final week (:data:`~certprep.learning.plan.
  INTENSIVE_DAYS`), or from today when today is already inside them. The later the review, the less time there is
  to forget before the exam, but one day cannot hold a deck within the learner's daily load. The cards concerned
  are due after the exam, so their stability is usually weeks: against that, a week is short (a review anywhere in
  it leaves the card near the top of its curve on exam day), and seven days spread the load.
- **How many a day: level, never above the load.** The load is the learner's reviews-per-day setting, the same
  limit the daily queue applies. Each window day already holds the FSRS reviews falling due on it (today also the
  overdue ones and the reviews already done today). Pre-exam reviews are added one at a time to the least loaded
  day still below the load, the later day on a tie: the days come out as even as the FSRS reviews allow, none above
  the load, and what does not divide evenly goes to the days nearest the exam. A day FSRS already fills gets none.
- **Which card on which day: the weakest last.** Cards are ranked by FSRS's predicted recall on exam day. The ones
  with the highest recall take the earliest days and the weakest the days nearest the exam, where a review helps
  them most. If the window cannot hold them all within the load, the ones with the highest predicted recall, which
  lose least, go without.

The schedule is derived, not stored: a function of the cards' FSRS states, today, the exam date and the load, so it
needs no column and can never disagree with the cards. FSRS itself is untouched: a card's state and due date stay
as FSRS computed them, and the pre-exam review is a moment on top of them. Doing that review is an ordinary FSRS
review (an early one, which FSRS handles: stability grows less than at the due time); FSRS schedules the card on
from there, and as the card now has a review inside the window it gets no other. The ranking does not depend on
today and the days are levelled from the first open day, so a learner who keeps up sees, in the main, the same
cards on the same days as the week goes on; the cards of a missed day are spread again over the days left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from fsrs import Card

from certprep.learning import srs
from certprep.learning.plan import INTENSIVE_DAYS

WINDOW_DAYS = INTENSIVE_DAYS
# Only FSRS's forgetting curve is used here, and the desired retention does not change that curve.
_FORGETTING = srs.card_scheduler()


@dataclass(frozen=True)
class ReviewDay:
    """The flashcard reviews falling on a day: ``reviews`` counts FSRS's and the pre-exam ones, ``pre_exam`` the
    latter alone."""

    date: dt.date
    reviews: int
    pre_exam: int


def day_start(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """Midnight starting ``day`` in ``tz``: the moment a review planned for that day becomes due."""
    return dt.datetime.combine(day, dt.time(), tzinfo=tz)


def window(today: dt.date, exam_date: dt.date | None, days: int = WINDOW_DAYS) -> list[dt.date]:
    """The days a pre-exam review may fall on: the last ``days`` before exam day, from today if that is later.

    Empty without an exam date and from exam day on.
    """
    if exam_date is None:
        return []
    first = max(today, exam_date - dt.timedelta(days=days))
    return [first + dt.timedelta(days=offset) for offset in range((exam_date - first).days)]


def needs_review(card: Card, exam_date: dt.date, tz: dt.tzinfo, days: int = WINDOW_DAYS) -> bool:
    """Whether ``card`` is due on or after exam day and was not reviewed in the ``days`` before it."""
    if card.last_review is None:
        return False
    opens = exam_date - dt.timedelta(days=days)
    return card.due.astimezone(tz).date() >= exam_date and card.last_review.astimezone(tz).date() < opens


def schedule(
    cards: Mapping[str, Card],
    today: dt.date,
    exam_date: dt.date | None,
    reviews_per_day: int,
    tz: dt.tzinfo,
    reviews_done_today: int = 0,
    days: int = WINDOW_DAYS,
) -> dict[str, dt.date]:
    """The day of each card's pre-exam review (see the module docstring), keyed by item id.

    ``cards`` are all the learner's cards of the deck (their FSRS reviews make up each day's load);
    ``reviews_done_today`` are the reviews already done today, which today's load counts too.
    """
    dates = window(today, exam_date, days)
    if exam_date is None or not dates:
        return {}
    exam_start = day_start(exam_date, tz)
    ranked = sorted(
        (item_id for item_id, card in cards.items() if needs_review(card, exam_date, tz, days)),
        key=lambda item_id: (-srs.retrievability(_FORGETTING, cards[item_id], exam_start), item_id),
    )
    # FSRS's own reviews on each day from today to the exam (the overdue ones today, as the queue shows them); the
    # window is the last of those days.
    horizon = (exam_date - today).days
    load = [count for _, count in srs.due_forecast(cards.values(), today, horizon, tz)][horizon - len(dates) :]
    if dates[0] == today:
        load[0] += reviews_done_today
    per_day = level(load, len(ranked), reviews_per_day)
    kept = iter(ranked[len(ranked) - sum(per_day) :])  # the highest predicted recall goes without, if any must
    return {next(kept): date for date, count in zip(dates, per_day, strict=True) for _ in range(count)}


def level(load: Sequence[int], count: int, limit: int) -> list[int]:
    """How many of ``count`` extra reviews each day takes, on top of its ``load``: one at a time to the least loaded
    day below ``limit``, the later day on a tie. Fewer than ``count`` in all when the days fill up."""
    extra = [0] * len(load)
    for _ in range(count):
        open_days = [index for index, base in enumerate(load) if base + extra[index] < limit]
        if not open_days:
            break
        extra[min(open_days, key=lambda index: (load[index] + extra[index], -index))] += 1
    return extra


def moments(reviews: Mapping[str, dt.date], tz: dt.tzinfo) -> dict[str, dt.datetime]:
    """The pre-exam reviews as the moments they become due (the start of their day), for :func:`srs.build_queue`."""
    return {item_id: day_start(day, tz) for item_id, day in reviews.items()}


def forecast(
    cards: Iterable[Card], reviews: Mapping[str, dt.date], today: dt.date, days: int, tz: dt.tzinfo
) -> list[ReviewDay]:
    """Flashcard reviews on each of the next ``days`` days: FSRS's (:func:`srs.due_forecast`) plus the pre-exam
    ``reviews``, which are counted on their own day as well as in the total."""
    due = srs.due_forecast(cards, today, days, tz)
    extra = srs.count_by_day(reviews.values(), today, days)
    return [ReviewDay(date, count + more, more) for (date, count), (_, more) in zip(due, extra, strict=True)]
