"""Spaced repetition with FSRS (the ``fsrs`` package): flashcards, and questions the learner got wrong.

FSRS models each item's memory with a stability (days until recall probability falls to 90%) and a difficulty, and
schedules the next review when the predicted recall probability falls to the learner's desired retention. This
module only adapts it to certprep: item states are plain dicts (``fsrs.Card.to_dict``) so the store can keep them as
JSON, and the daily queue applies the learner's new-card and review limits.

Two schedulers are used:

- **Flashcards** keep FSRS's short learning steps (1 and 10 minutes), so a new or forgotten card comes back within
  the same session, as in Anki.
- **Questions** have no learning steps: a scenario question shown again ten minutes later tests memory of the key,
  not judgement, so a missed question first comes back the next day and then at growing intervals.

Fuzzing is off: schedules are reproducible, and the planner's forecast matches what the learner will see.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from fsrs import Card, Rating, Scheduler, State

from certprep.errors import InvalidInput

RATINGS: Mapping[int, str] = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
DEFAULT_RETENTION = 0.9
DEFAULT_NEW_PER_DAY = 20
DEFAULT_REVIEWS_PER_DAY = 200
# Cards in their short learning steps may be shown this much early when nothing else is due (Anki's "learn ahead").
LEARN_AHEAD = dt.timedelta(minutes=20)

ItemKind = Literal["card", "question"]
QueueKind = Literal["learning", "review", "pre-exam", "new"]


class SrsError(InvalidInput):
    """A rating or a setting that FSRS cannot use, explained in one sentence."""


@dataclass(frozen=True)
class SrsSettings:
    """The learner's spaced-repetition preferences."""

    desired_retention: float = DEFAULT_RETENTION
    new_per_day: int = DEFAULT_NEW_PER_DAY
    reviews_per_day: int = DEFAULT_REVIEWS_PER_DAY

    def __post_init__(self) -> None:
        if not 0.7 <= self.desired_retention <= 0.99:
            raise SrsError("desired retention must be between 0.70 and 0.99")
        if not 0 <= self.new_per_day <= 1000:
            raise SrsError("new cards per day must be between 0 and 1000")
        if not 1 <= self.reviews_per_day <= 10000:
            raise SrsError("reviews per day must be between 1 and 10000")


def card_scheduler(desired_retention: float = DEFAULT_RETENTION) -> Scheduler:
    """The FSRS scheduler for flashcards: default FSRS-6 parameters and learning steps, no fuzz."""
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


def question_scheduler(desired_retention: float = DEFAULT_RETENTION) -> Scheduler:
    """The FSRS scheduler for missed questions: no same-day learning steps (see the module docstring)."""
    return Scheduler(desired_retention=desired_retention, learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def rating_of(value: int) -> Rating:
    """1..4 as an FSRS rating, or SrsError."""
    if value not in RATINGS:
        raise SrsError("rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)")
    return Rating(value)


def stable_card_id(item_id: str) -> int:
    """FSRS wants an integer id; derive it from the item id so it is the same on every run and machine."""
    return zlib.crc32(item_id.encode("utf-8"))


def new_card(item_id: str, now: dt.datetime) -> Card:
    """A card that has never been reviewed, due now."""
    return Card(card_id=stable_card_id(item_id), due=now)


def to_state(card: Card) -> dict[str, Any]:
    """The card as JSON-ready data (what the store keeps)."""
    return card.to_dict()  # type: ignore[return-value]  # fsrs types it as a TypedDict


def from_state(state: Mapping[str, Any]) -> Card:
    return Card.from_dict(dict(state))  # type: ignore[arg-type]


def review(scheduler: Scheduler, card: Card, rating: int, now: dt.datetime) -> Card:
    """The card after a review with ``rating`` (1..4) at ``now``."""
    updated, _log = scheduler.review_card(card, rating_of(rating), now)
    return updated


def preview(scheduler: Scheduler, card: Card, now: dt.datetime) -> dict[int, dt.datetime]:
    """When the card would next be due for each rating: shown on the rating buttons."""
    return {value: review(scheduler, card, value, now).due for value in RATINGS}


def describe_interval(delta: dt.timedelta) -> str:
    """A short human interval: '<1m', '10m', '3h', '4d', '2.5mo', '1.2y'."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


def retrievability(scheduler: Scheduler, card: Card, now: dt.datetime) -> float:
    """FSRS's predicted probability of recalling the card at ``now`` (0 for a card never reviewed)."""
    if card.last_review is None:
        return 0.0
    return float(scheduler.get_card_retrievability(card, now))


def is_learning(card: Card) -> bool:
    return card.state in (State.Learning, State.Relearning) and card.last_review is not None


# -- questions answered in practice and exams ---------------------------------------------------------------------


@dataclass(frozen=True)
class Graded:
    """One graded answer to a question: which, when, and whether it was right."""

    question_id: str
    at: dt.datetime
    correct: bool


def question_cards(answers: Iterable[Graded], scheduler: Scheduler) -> dict[str, Card]:
    """FSRS states of the questions that became review items, replayed from the answer history.

    A question becomes a review item the first time it is answered wrong (rated Again); from then on every answer to
    it is a review: wrong is Again, right is Good. Replaying from the answers, rather than storing a second copy,
    means the schedule can never disagree with the record of what the learner did.
    """
    cards: dict[str, Card] = {}
    for answer in sorted(answers, key=lambda graded: graded.at):
        card = cards.get(answer.question_id)
        if card is None:
            if answer.correct:
                continue
            card = new_card(answer.question_id, answer.at)
        cards[answer.question_id] = review(scheduler, card, 3 if answer.correct else 1, answer.at)
    return cards


# -- the daily queue -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    """An item to show now: learning (short steps), a due review, a pre-exam review (see
    :mod:`certprep.learning.pre_exam`), or a new card."""

    item_id: str
    kind: QueueKind
    due: dt.datetime


def build_queue(
    deck: Sequence[str],
    cards: Mapping[str, Card],
    now: dt.datetime,
    settings: SrsSettings,
    new_done_today: int = 0,
    reviews_done_today: int = 0,
    pre_exam: Mapping[str, dt.datetime] | None = None,
) -> list[QueueItem]:
    """What to study now from ``deck`` (item ids in the deck's order), given the stored ``cards``.

    Order: learning cards that are due, then due reviews (most overdue first), then new cards in deck order up to
    what is left of today's new-card limit, then learning cards due within LEARN_AHEAD. Reviews beyond what is left
    of the daily review limit wait for tomorrow.

    ``pre_exam`` gives some cards an extra review moment before the exam (:func:`certprep.learning.pre_exam.schedule`)
    on top of their FSRS due time, which stays as FSRS set it. Once that moment has come, the card is a "pre-exam"
    review: it queues with the due reviews, by that moment, and counts against the same daily review limit.
    """
    extra = pre_exam or {}
    learning: list[QueueItem] = []
    reviews: list[QueueItem] = []
    ahead: list[QueueItem] = []
    fresh: list[QueueItem] = []
    for item_id in deck:
        card = cards.get(item_id)
        if card is None or card.last_review is None:
            fresh.append(QueueItem(item_id, "new", now))
        elif is_learning(card):
            if card.due <= now:
                learning.append(QueueItem(item_id, "learning", card.due))
            elif card.due <= now + LEARN_AHEAD:
                ahead.append(QueueItem(item_id, "learning", card.due))
        elif card.due <= now:
            reviews.append(QueueItem(item_id, "review", card.due))
        elif item_id in extra and extra[item_id] <= now:
            reviews.append(QueueItem(item_id, "pre-exam", extra[item_id]))
    learning.sort(key=lambda item: item.due)
    reviews.sort(key=lambda item: item.due)
    ahead.sort(key=lambda item: item.due)
    reviews = reviews[: max(0, settings.reviews_per_day - reviews_done_today)]
    fresh = fresh[: max(0, settings.new_per_day - new_done_today)]
    return learning + reviews + fresh + ahead


def due_forecast(cards: Iterable[Card], today: dt.date, days: int, tz: dt.tzinfo) -> list[tuple[dt.date, int]]:
    """How many already-scheduled items fall due on each of the next ``days`` days (overdue ones count today).

    New cards are not counted: they are introduced at the learner's pace, within the daily limit.
    """
    return count_by_day((card.due.astimezone(tz).date() for card in cards if card.last_review is not None), today, days)


def count_by_day(dates: Iterable[dt.date], today: dt.date, days: int) -> list[tuple[dt.date, int]]:
    """How many of ``dates`` fall on each of the next ``days`` days; a date before today counts today (overdue)."""
    counts = [0] * days
    for date in dates:
        offset = (date - today).days
        if offset < days:
            counts[max(0, offset)] += 1
    return [(today + dt.timedelta(days=offset), count) for offset, count in enumerate(counts)]
