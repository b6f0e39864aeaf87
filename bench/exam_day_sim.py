"""Exam-day simulation: how much does one pre-exam review of the cards FSRS would next show after the exam raise
recall on exam day, and how many reviews does it cost?

Run: python bench/exam_day_sim.py [--learners N] [--weeks 4 8 12] [--seed S]   (not a test; results go in the docs)

Simulated learners review the DOP-C02 flashcards for N weeks up to an exam date, once with FSRS alone and once with
the pre-exam reviews of certprep.learning.pre_exam. Both runs of a learner share the learner, the card factors and
the random stream, so their difference is the pre-exam reviews. What the learner studies each evening is exactly
what certprep would show: the queue of ``srs.build_queue`` (with the default limits: 20 new cards and 200 reviews a
day) and, in the second run, the pre-exam days of ``pre_exam.schedule``; every rating goes through FSRS as in the app.

The simulated learner (assumptions about people, stated here and in the docs):

- Studies every evening at 19:00 UTC, skipping a day with probability 0.1, and works through the whole queue, 15
  seconds a card, the queue rebuilt as it empties (so learning steps come back within the evening, as in the app).
  The exam is at 09:00 UTC on exam day; no study on exam day.
- Memory follows FSRS-6's own forgetting curve, but each learner and each card differ from FSRS's default model:
  the true stability is FSRS's stability times a learner factor (log-normal, sigma 0.3) times a card factor
  (log-normal, sigma 0.4). The learner's true recall at a moment is the fsrs library's retrievability at the
  elapsed time divided by those factors. FSRS does not know the factors; it only sees the ratings.
- A card never seen is known at its first showing with probability 0.6 (some facts are familiar). A card recalled
  is rated Hard, Good or Easy with probabilities 0.15, 0.75 and 0.10; a card not recalled is rated Again.

Reported per number of weeks, mean over learners: FSRS's predicted recall on exam day (``Scheduler.
get_card_retrievability`` at the exam, over all the deck's cards, 0 for a card never reviewed), the simulated true
recall on exam day, the share of cards FSRS predicts below 0.90, the reviews done in all and in the final week, and
the pre-exam reviews done; and, over all learners, the most due reviews (FSRS's and pre-exam ones, which the daily
review limit holds back) on one day of the final week, and the most cards shown on one day of it (new cards and the
learning steps of new and forgotten cards too, which the limit does not hold back, in certprep as in Anki). The
difference in predicted recall is paired per learner, with two standard errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import platform
import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from fsrs import Card, Rating, Scheduler

from certprep.content import load_pack
from certprep.learning import pre_exam, srs

ROOT = Path(__file__).resolve().parent.parent
PACK = load_pack(ROOT / "src" / "certprep" / "packs" / "dop-c02")
DECK = [card.id for card in PACK.flashcards]
EXAM_DATE = dt.date(2027, 3, 1)
EXAM_MOMENT = dt.datetime.combine(EXAM_DATE, dt.time(9), tzinfo=dt.UTC)
UTC = dt.UTC

# The simulated world: assumptions about people, stated in the module docstring and in the docs.
STUDY_HOUR = 19
SKIP_DAY = 0.1
SECONDS_A_CARD = 15
LEARNER_SIGMA = 0.3
CARD_SIGMA = 0.4
FIRST_SHOWING_KNOWN = 0.6
RECALLED_RATINGS = ((Rating.Hard, 0.15), (Rating.Good, 0.75), (Rating.Easy, 0.10))
SETTINGS = srs.SrsSettings()  # certprep's defaults: 0.90 retention, 20 new cards and 200 reviews a day


@dataclass
class Outcome:
    """One learner's run: recall on exam day and the reviews it took."""

    predicted: float
    true: float
    below_90: float
    reviews: int
    final_week: int
    busiest_final_day: int
    busiest_due: int
    pre_exam: int


def true_recall(scheduler: Scheduler, card: Card, factor: float, now: dt.datetime) -> float:
    """The learner's own recall: FSRS's curve, the elapsed time shrunk by the learner's and the card's factor."""
    if card.last_review is None:
        return 0.0
    stretched = card.last_review + (now - card.last_review) / factor
    return float(scheduler.get_card_retrievability(card, stretched))


def rate(scheduler: Scheduler, card: Card, factor: float, now: dt.datetime, rng: random.Random) -> int:
    """The rating the simulated learner gives ``card`` at ``now``."""
    known = FIRST_SHOWING_KNOWN if card.last_review is None else true_recall(scheduler, card, factor, now)
    if rng.random() >= known:
        return int(Rating.Again)
    pick, total = rng.random(), 0.0
    for rating, share in RECALLED_RATINGS:
        total += share
        if pick < total:
            return int(rating)
    return int(Rating.Good)


def simulate(weeks: int, learner_seed: int, with_pre_exam: bool) -> Outcome:
    """One learner, ``weeks`` weeks of evenings up to the exam, with or without the pre-exam reviews."""
    setup = random.Random(learner_seed)
    learner = math.exp(setup.gauss(0.0, LEARNER_SIGMA))
    factors = {card_id: learner * math.exp(setup.gauss(0.0, CARD_SIGMA)) for card_id in DECK}
    rng = random.Random(learner_seed * 7919 + 1)  # the same stream in both runs
    scheduler = srs.card_scheduler(SETTINGS.desired_retention)
    cards: dict[str, Card] = {}
    reviews_by_day: dict[dt.date, int] = {}
    due_by_day: dict[dt.date, int] = {}  # due reviews (FSRS's and pre-exam): what the daily review limit holds back
    pre_exam_done = 0
    day = EXAM_DATE - dt.timedelta(weeks=weeks)
    while day < EXAM_DATE:
        skip = rng.random() < SKIP_DAY
        now = dt.datetime.combine(day, dt.time(STUDY_HOUR), tzinfo=UTC)
        started_today: set[str] = set()
        new_done = reviews_done = 0
        while not skip:
            planned = (
                pre_exam.schedule(cards, day, EXAM_DATE, SETTINGS.reviews_per_day, UTC, reviews_done)
                if with_pre_exam
                else {}
            )
            queue = srs.build_queue(DECK, cards, now, SETTINGS, new_done, reviews_done, pre_exam.moments(planned, UTC))
            if not queue:
                break
            for item in queue:
                card = cards.get(item.item_id) or srs.new_card(item.item_id, now)
                if card.last_review is None:
                    new_done += 1
                    started_today.add(item.item_id)
                elif item.item_id not in started_today:
                    reviews_done += 1  # what the app's review limit counts: reviews of cards started before today
                pre_exam_done += item.kind == "pre-exam"
                if item.kind in ("review", "pre-exam"):
                    due_by_day[day] = due_by_day.get(day, 0) + 1
                rating = rate(scheduler, card, factors[item.item_id], now, rng)
                cards[item.item_id] = srs.review(scheduler, card, rating, now)
                reviews_by_day[day] = reviews_by_day.get(day, 0) + 1
                now += dt.timedelta(seconds=SECONDS_A_CARD)
        day += dt.timedelta(days=1)
    predicted = [srs.retrievability(scheduler, cards[c], EXAM_MOMENT) if c in cards else 0.0 for c in DECK]
    true = [true_recall(scheduler, cards[c], factors[c], EXAM_MOMENT) if c in cards else 0.0 for c in DECK]
    week = [EXAM_DATE - dt.timedelta(days=n) for n in range(1, 8)]
    final_week = [reviews_by_day.get(day, 0) for day in week]
    return Outcome(
        predicted=statistics.fmean(predicted),
        true=statistics.fmean(true),
        below_90=sum(1 for value in predicted if value < 0.9) / len(DECK),
        reviews=sum(reviews_by_day.values()),
        final_week=sum(final_week),
        busiest_final_day=max(final_week),
        busiest_due=max(due_by_day.get(day, 0) for day in week),
        pre_exam=pre_exam_done,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--weeks", type=int, nargs="+", default=[4, 8, 12])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    print(
        f"{len(DECK)} DOP-C02 flashcards, {args.learners} simulated learners, seed {args.seed}, exam "
        f"{EXAM_DATE.isoformat()} 09:00 UTC; limits {SETTINGS.new_per_day} new and {SETTINGS.reviews_per_day} "
        f"reviews a day, retention {SETTINGS.desired_retention:.2f}; Python {platform.python_version()}.\n"
    )
    rows = []
    for weeks in args.weeks:
        seeds = [args.seed * 100_003 + n for n in range(args.learners)]
        without = [simulate(weeks, seed, False) for seed in seeds]
        with_ = [simulate(weeks, seed, True) for seed in seeds]
        rows.append((weeks, without, with_))

    def mean(outcomes: list[Outcome], field: str) -> float:
        return statistics.fmean(getattr(outcome, field) for outcome in outcomes)

    print(
        "| Weeks of study | Predicted recall on exam day, FSRS alone | with pre-exam reviews | Difference (±2 SE) "
        "| Reviews, FSRS alone | with pre-exam reviews |"
    )
    print("|---|---|---|---|---|---|")
    for weeks, without, with_ in rows:
        gains = [b.predicted - a.predicted for a, b in zip(without, with_, strict=True)]
        spread = 2 * statistics.stdev(gains) / math.sqrt(len(gains)) if len(gains) > 1 else 0.0
        print(
            f"| {weeks} | {mean(without, 'predicted'):.3f} | {mean(with_, 'predicted'):.3f} | "
            f"{statistics.fmean(gains):+.3f} (±{spread:.3f}) | {mean(without, 'reviews'):.0f} | "
            f"{mean(with_, 'reviews'):.0f} |"
        )
    print(
        "\n| Weeks of study | Run | Simulated true recall on exam day | Cards predicted below 0.90 "
        f"| Reviews in the final week | Most due reviews on one day of it (limit {SETTINGS.reviews_per_day}) "
        "| Most cards shown on one day of it | Pre-exam reviews |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for weeks, without, with_ in rows:
        for label, outcomes in (("FSRS alone", without), ("with pre-exam reviews", with_)):
            busiest = max(outcome.busiest_final_day for outcome in outcomes)
            due = max(outcome.busiest_due for outcome in outcomes)
            print(
                f"| {weeks} | {label} | {mean(outcomes, 'true'):.3f} | {mean(outcomes, 'below_90'):.1%} | "
                f"{mean(outcomes, 'final_week'):.0f} | {due} | {busiest} | {mean(outcomes, 'pre_exam'):.0f} |"
            )
    print(f"\nRun time {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
