"""Missed questions: their FSRS schedule replayed from every graded answer, and sessions of the due ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from fsrs import Card
from sqlalchemy import select

from certprep.engine.forms import FormRequest
from certprep.learning import srs
from certprep.services.learning.records import DUE_SESSION_QUESTIONS, GradedAnswer, LearnerRecords, LearningError
from certprep.services.learning.results import DueQuestions
from certprep.store.schema import Attempt, AttemptItem


class MissedQuestions:
    """Missed questions are not copied anywhere: their schedule is replayed from ``attempt_items``."""

    def __init__(self, records: LearnerRecords) -> None:
        self.records = records

    def answers(self, user_id: int, pack_id: str) -> list[GradedAnswer]:
        """Every graded answer the learner gave in the pack (practice and exams), oldest first.

        An item left blank is not an answer: a practice session stopped halfway must not turn its unseen
        questions into "missed" ones.
        """
        with self.records.sessions() as session:
            rows = session.execute(
                select(
                    AttemptItem.question_id,
                    AttemptItem.correct,
                    AttemptItem.selected,
                    AttemptItem.answered_at,
                    Attempt.submitted_at,
                    Attempt.started_at,
                )
                .join(Attempt, Attempt.id == AttemptItem.attempt_id)
                .where(Attempt.user_id == user_id, Attempt.pack_id == pack_id, AttemptItem.correct.is_not(None))
            ).all()
        answers = [
            GradedAnswer(question_id, answered_at or submitted_at or started_at, bool(correct))
            for question_id, correct, selected, answered_at, submitted_at, started_at in rows
            if selected
        ]
        answers.sort(key=lambda answer: answer.at)
        return answers

    def question_cards(
        self, user_id: int, pack_id: str, answers: Sequence[GradedAnswer] | None = None
    ) -> dict[str, Card]:
        """FSRS states of the learner's missed questions, replayed from their answers."""
        answers = self.answers(user_id, pack_id) if answers is None else answers
        scheduler = srs.question_scheduler(self.records.settings(user_id).desired_retention)
        return srs.question_cards((srs.Graded(a.question_id, a.at, a.correct) for a in answers), scheduler)

    def due_questions(self, user_id: int, pack_id: str, now: dt.datetime | None = None) -> list[str]:
        """Missed questions FSRS says are due now, most overdue first."""
        now = now or self.records.clock()
        pack = self.records.pack(pack_id)
        cards = self.question_cards(user_id, pack_id)
        due = [(card.due, qid) for qid, card in cards.items() if card.due <= now and pack.question(qid) is not None]
        return [qid for _, qid in sorted(due)]

    def due_codes(self, user_id: int, pack_id: str, now: dt.datetime | None = None) -> DueQuestions:
        """The due missed questions by their public codes, as the API lists them."""
        pack = self.records.pack(pack_id)
        due = self.due_questions(user_id, pack_id, now)
        return DueQuestions(pack=pack_id, count=len(due), questions=tuple(pack.code(qid) for qid in due))

    def start_due_questions(
        self, user_id: int, pack_id: str, count: int = DUE_SESSION_QUESTIONS, now: dt.datetime | None = None
    ) -> str:
        """A practice attempt of the missed questions that are due; its id."""
        due = self.due_questions(user_id, pack_id, now)
        if not due:
            raise LearningError("no missed question is due for review right now")
        request = FormRequest(mode="review", count=count, review_ids=tuple(due[:count]))
        return self.records.exams.start(user_id, pack_id, request, now=now)
