"""Flashcards: the deck, the review queue within the daily limits, each review's FSRS update, and the pre-exam
reviews of the cards FSRS would next show after the exam (:mod:`certprep.learning.pre_exam`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from fsrs import Card, State
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certprep.content.models import Flashcard
from certprep.learning import pre_exam, srs
from certprep.services.learning.records import CardNotFound, LearnerRecords, LearningError
from certprep.services.learning.results import CardsDue, DailyLimits, DueCard, LoggedReview, QueueCounts, ReviewedCard
from certprep.store.db import transaction
from certprep.store.schema import Review, SrsCard


class Flashcards:
    """The learner's flashcard reviews (FSRS state in ``srs_cards``, every review in ``reviews``)."""

    def __init__(self, records: LearnerRecords) -> None:
        self.records = records

    def deck(self, pack_id: str, domain: int | None = None, task: str | None = None) -> list[Flashcard]:
        """The pack's flashcards, in pack order, of one domain or task statement if asked."""
        pack = self.records.pack(pack_id)
        if domain is not None and pack.blueprint.domain(domain) is None:
            raise LearningError(f"the exam has no domain {domain}")
        if task is not None and pack.blueprint.task(task) is None:
            raise LearningError(f"the exam has no task statement {task}")
        return [
            card
            for card in pack.flashcards
            if (domain is None or card.domain == domain) and (task is None or card.task == task)
        ]

    def card_rows(self, session: Session, user_id: int, pack_id: str) -> dict[str, SrsCard]:
        rows = session.scalars(select(SrsCard).where(SrsCard.user_id == user_id, SrsCard.pack_id == pack_id))
        return {row.card_id: row for row in rows}

    def _done_today(self, session: Session, user_id: int, pack_id: str, now: dt.datetime) -> tuple[int, int]:
        """(new cards started today, reviews of older cards today): what the daily limits count."""
        start = self.records.day_start(now)
        new = session.scalar(
            select(func.count())
            .select_from(SrsCard)
            .where(SrsCard.user_id == user_id, SrsCard.pack_id == pack_id, SrsCard.created_at >= start)
        )
        reviews = session.scalar(
            select(func.count())
            .select_from(Review)
            .join(
                SrsCard,
                (SrsCard.user_id == Review.user_id)
                & (SrsCard.pack_id == Review.pack_id)
                & (SrsCard.card_id == Review.item_id),
            )
            .where(
                Review.user_id == user_id,
                Review.pack_id == pack_id,
                Review.item_kind == "card",
                Review.reviewed_at >= start,
                SrsCard.created_at < start,
            )
        )
        return int(new or 0), int(reviews or 0)

    def _pre_exam(
        self,
        user_id: int,
        pack_id: str,
        cards: Mapping[str, Card],
        now: dt.datetime,
        reviews_done: int,
        exam_date: dt.date | None,
        reviews_per_day: int | None = None,
    ) -> dict[str, dt.date]:
        """The day of each pre-exam review, over the pack's whole deck (so a deck of one domain shows the same days
        as the whole), within the learner's reviews per day (read from the settings unless the caller has them);
        none without an exam date."""
        exam_date = exam_date or self.records.exam_date(user_id, pack_id)
        if exam_date is None:
            return {}
        deck = {card.id for card in self.records.pack(pack_id).flashcards}
        return pre_exam.schedule(
            {card_id: card for card_id, card in cards.items() if card_id in deck},
            self.records.today(now),
            exam_date,
            reviews_per_day if reviews_per_day is not None else self.records.settings(user_id).reviews_per_day,
            self.records.tz,
            reviews_done,
        )

    def _states(self, user_id: int, pack_id: str, now: dt.datetime) -> tuple[dict[str, Card], int, int]:
        """The learner's cards in the pack as FSRS cards, with (new cards started today, reviews done today)."""
        with self.records.sessions() as session:
            rows = self.card_rows(session, user_id, pack_id)
            new_done, reviews_done = self._done_today(session, user_id, pack_id, now)
        return {card_id: srs.from_state(row.state) for card_id, row in rows.items()}, new_done, reviews_done

    def pre_exam_reviews(
        self, user_id: int, pack_id: str, now: dt.datetime | None = None, exam_date: dt.date | None = None
    ) -> dict[str, dt.date]:
        """The day of each card's pre-exam review, keyed by card id, for ``exam_date`` (the learner's own exam date
        if not given): the cards FSRS would next show on or after exam day, reviewed once in the week before it."""
        now = now or self.records.clock()
        cards, _, reviews_done = self._states(user_id, pack_id, now)
        return self._pre_exam(user_id, pack_id, cards, now, reviews_done, exam_date)

    def forecast(
        self, user_id: int, pack_id: str, days: int, now: dt.datetime | None = None, exam_date: dt.date | None = None
    ) -> list[pre_exam.ReviewDay]:
        """Flashcard reviews on each of the next ``days`` days (today counts the overdue ones): FSRS's, and the
        pre-exam reviews for ``exam_date`` (the learner's own if not given), also counted apart."""
        now = now or self.records.clock()
        cards, _, reviews_done = self._states(user_id, pack_id, now)
        reviews = self._pre_exam(user_id, pack_id, cards, now, reviews_done, exam_date)
        return pre_exam.forecast(cards.values(), reviews, self.records.today(now), days, self.records.tz)

    def due_cards(
        self,
        user_id: int,
        pack_id: str,
        now: dt.datetime | None = None,
        domain: int | None = None,
        task: str | None = None,
        limit: int = 50,
    ) -> CardsDue:
        """The review queue now: learning cards, due reviews (pre-exam ones among them, on their day), then new cards
        within today's limits."""
        now = now or self.records.clock()
        deck = self.deck(pack_id, domain, task)
        settings = self.records.settings(user_id)
        scheduler = srs.card_scheduler(settings.desired_retention)
        cards, new_done, reviews_done = self._states(user_id, pack_id, now)
        reviews = self._pre_exam(user_id, pack_id, cards, now, reviews_done, None, settings.reviews_per_day)
        extra = pre_exam.moments(reviews, self.records.tz)
        queue = srs.build_queue([card.id for card in deck], cards, now, settings.srs, new_done, reviews_done, extra)
        by_id = {card.id: card for card in deck}
        counts = {"learning": 0, "review": 0, "new": 0}
        for item in queue:
            counts["review" if item.kind == "pre-exam" else item.kind] += 1  # a pre-exam review is a review
        shown = []
        for item in queue[:limit]:
            card = by_id[item.item_id]
            state = cards.get(item.item_id) or srs.new_card(item.item_id, now)
            shown.append(
                DueCard(
                    id=card.id,
                    domain=card.domain,
                    task=card.task,
                    front=card.front,
                    back=card.back,
                    kind=item.kind,
                    due=item.due.isoformat(),
                    intervals={
                        str(rating): srs.describe_interval(due - now)
                        for rating, due in srs.preview(scheduler, state, now).items()
                    },
                )
            )
        return CardsDue(
            pack=pack_id,
            domain=domain,
            task=task,
            counts=QueueCounts(**counts),
            total=len(queue),
            new_today=new_done,
            reviews_today=reviews_done,
            limits=DailyLimits(new_per_day=settings.new_per_day, reviews_per_day=settings.reviews_per_day),
            cards=tuple(shown),
        )

    def find_card_pack(self, card_id: str) -> str:
        """The id of the one pack holding ``card_id``; an error if none or several do."""
        holders = [
            pack.id for pack in self.records.packs.values() if any(card.id == card_id for card in pack.flashcards)
        ]
        if not holders:
            raise CardNotFound(f"No flashcard '{card_id}' in any installed pack.")
        if len(holders) > 1:
            raise LearningError(f"flashcard '{card_id}' is in several packs ({', '.join(holders)}); name the pack")
        return holders[0]

    def review_card(
        self, user_id: int, pack_id: str, card_id: str, rating: int, now: dt.datetime | None = None
    ) -> ReviewedCard:
        """Record one review (1 Again .. 4 Easy) and return when the card is due next."""
        now = now or self.records.clock()
        pack = self.records.pack(pack_id)
        if not any(card.id == card_id for card in pack.flashcards):
            raise CardNotFound(f"No flashcard '{card_id}' in pack '{pack_id}'.")
        try:
            srs.rating_of(rating)
        except srs.SrsError as error:
            raise LearningError(str(error)) from None
        scheduler = srs.card_scheduler(self.records.settings(user_id).desired_retention)
        with transaction(self.records.sessions) as session:
            row = session.scalar(
                select(SrsCard).where(
                    SrsCard.user_id == user_id, SrsCard.pack_id == pack_id, SrsCard.card_id == card_id
                )
            )
            before = srs.from_state(row.state) if row is not None else srs.new_card(card_id, now)
            after = srs.review(scheduler, before, rating, now)
            if row is None:
                row = SrsCard(
                    user_id=user_id,
                    pack_id=pack_id,
                    card_id=card_id,
                    reps=0,
                    lapses=0,
                    created_at=now,
                    state={},
                    due=after.due,
                )
                session.add(row)
            row.state = srs.to_state(after)
            row.due = after.due
            row.last_review = now
            row.reps += 1
            if rating == 1 and before.state == State.Review:
                row.lapses += 1
            session.add(
                Review(
                    user_id=user_id,
                    pack_id=pack_id,
                    item_kind="card",
                    item_id=card_id,
                    content_version=pack.content_version,
                    rating=rating,
                    reviewed_at=now,
                    state=srs.to_state(after),
                )
            )
        return ReviewedCard(
            card_id=card_id,
            rating=rating,
            rating_name=srs.RATINGS[rating],
            due=after.due.isoformat(),
            interval=srs.describe_interval(after.due - now),
            state=State(after.state).name.lower(),
            reps=row.reps,
            lapses=row.lapses,
        )

    def review_log(self, user_id: int, pack_id: str, limit: int = 200) -> list[LoggedReview]:
        """The learner's latest reviews in the pack, newest first."""
        with self.records.sessions() as session:
            rows = session.scalars(
                select(Review)
                .where(Review.user_id == user_id, Review.pack_id == pack_id)
                .order_by(Review.reviewed_at.desc(), Review.id.desc())
                .limit(limit)
            ).all()
        return [LoggedReview(r.item_kind, r.item_id, r.rating, r.reviewed_at) for r in rows]
