"""Bookmarks and personal notes on questions and flashcards, and the "my bookmarks" practice session.

A learner names a question by its public code and a card by its id (cards have no key to hide). Everything is read
and written for one learner only. A bookmarked question's practice session is a review session of those questions,
so it follows the review rules (feedback after each answer, no question sealed by a running exam).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from certprep.clock import Clock, system_clock
from certprep.content.models import Pack
from certprep.engine.forms import FormRequest
from certprep.errors import InvalidInput, NotFound
from certprep.services.exams import ExamService
from certprep.store.db import transaction
from certprep.store.schema import LearnerMark

__all__ = ["BOOKMARKS_TITLE", "MAX_NOTE", "Mark", "MarkError", "MarkKind", "MarkService"]

MAX_NOTE = 4000
BOOKMARKS_TITLE = "My bookmarks"


class MarkKind(StrEnum):
    QUESTION = "question"
    CARD = "card"


class MarkError(InvalidInput):
    """A note or bookmark that cannot be saved, as one sentence."""


class MarkNotFound(NotFound):
    """No such question or card in the pack."""


@dataclass(frozen=True)
class Mark:
    """A learner's mark on one item, as the learner sees it: questions by public code."""

    kind: MarkKind
    item_id: str  # authoring id, kept for the service's own use
    label: str  # the public code of a question, the id of a card
    title: str  # the question's first words, the card's front
    bookmarked: bool
    note: str
    updated_at: dt.datetime


class MarkService:
    """Marks of one runtime's learners."""

    def __init__(
        self, sessions: sessionmaker[Session], packs: dict[str, Pack], exams: ExamService, clock: Clock = system_clock
    ) -> None:
        self.sessions = sessions
        self.packs = packs
        self.exams = exams
        self.clock = clock

    def _item(self, pack_id: str, kind: str, ref: str) -> tuple[Pack, MarkKind, str]:
        pack = self.packs.get(pack_id)
        if pack is None:
            raise MarkNotFound(f"No pack '{pack_id}' is installed.")
        if kind == MarkKind.QUESTION:
            question = pack.question_by_code(ref.strip().upper())
            if question is None:
                raise MarkNotFound(f"This pack has no question {ref.strip()[:20]!r}.")
            return pack, MarkKind.QUESTION, question.id
        if kind == MarkKind.CARD:
            if not any(card.id == ref for card in pack.flashcards):
                raise MarkNotFound(f"This pack has no flashcard {ref[:60]!r}.")
            return pack, MarkKind.CARD, ref
        raise MarkError("Marks are on a question or a card.")

    def save(
        self,
        user_id: int,
        pack_id: str,
        kind: str,
        ref: str,
        bookmarked: bool | None = None,
        note: str | None = None,
        now: dt.datetime | None = None,
    ) -> Mark:
        """Set the bookmark and/or the note of one item (None leaves that part as it is); return the mark."""
        pack, chosen, item_id = self._item(pack_id, kind, ref)
        if note is not None and len(note) > MAX_NOTE:
            raise MarkError(f"Keep a note under {MAX_NOTE} characters.")
        with transaction(self.sessions) as session:
            row = session.scalar(_row_of(user_id, pack_id, chosen, item_id))
            if row is None:
                row = LearnerMark(user_id=user_id, pack_id=pack_id, kind=chosen.value, item_id=item_id)
                row.bookmarked, row.note = False, ""
                session.add(row)
            if bookmarked is not None:
                row.bookmarked = bookmarked
            if note is not None:
                row.note = note.strip()
            row.updated_at = now or self.clock()
            session.flush()
            return _mark(pack, row)

    def mark(self, user_id: int, pack_id: str, kind: str, ref: str) -> Mark | None:
        """The learner's mark on one item, or None."""
        pack, chosen, item_id = self._item(pack_id, kind, ref)
        with self.sessions() as session:
            row = session.scalar(_row_of(user_id, pack_id, chosen, item_id))
            return _mark(pack, row) if row is not None else None

    def marks(self, user_id: int, pack_id: str) -> list[Mark]:
        """Every item the learner bookmarked or wrote a note on, newest first."""
        pack = self.packs.get(pack_id)
        if pack is None:
            raise MarkNotFound(f"No pack '{pack_id}' is installed.")
        with self.sessions() as session:
            rows = session.scalars(
                select(LearnerMark)
                .where(LearnerMark.user_id == user_id, LearnerMark.pack_id == pack_id)
                .order_by(LearnerMark.updated_at.desc())
            ).all()
            return [_mark(pack, row) for row in rows if row.bookmarked or row.note]

    def start_bookmarks(self, user_id: int, pack_id: str) -> str:
        """A practice session of the learner's bookmarked questions (review rules); return its id."""
        ids = tuple(m.item_id for m in self.marks(user_id, pack_id) if m.kind is MarkKind.QUESTION and m.bookmarked)
        if not ids:
            raise MarkError("Bookmark a question first: the star under each question does it.")
        request = FormRequest(mode="review", review_ids=ids, count=len(ids), title=BOOKMARKS_TITLE)
        return self.exams.start(user_id, pack_id, request)


def _row_of(user_id: int, pack_id: str, kind: MarkKind, item_id: str) -> Select[LearnerMark]:
    """The query for the learner's mark row on one item (at most one: the table's unique constraint)."""
    return select(LearnerMark).where(
        LearnerMark.user_id == user_id,
        LearnerMark.pack_id == pack_id,
        LearnerMark.kind == kind.value,
        LearnerMark.item_id == item_id,
    )


def _mark(pack: Pack, row: LearnerMark) -> Mark:
    kind = MarkKind(row.kind)
    if kind is MarkKind.QUESTION:
        question = pack.question(row.item_id)
        label = pack.code(row.item_id)
        title = " ".join(question.stem.split())[:140] if question is not None else "(no longer in the pack)"
    else:
        card = next((c for c in pack.flashcards if c.id == row.item_id), None)
        label = row.item_id
        title = " ".join(card.front.split())[:140] if card is not None else "(no longer in the pack)"
    return Mark(kind, row.item_id, label, title, row.bookmarked, row.note, row.updated_at)
