"""The learning loop on the database, in four parts over the learner's records.

The models live in certprep.learning (pure); these parts feed them the learner's own records and store what they
decide. What is kept where:

- a flashcard's FSRS state in ``srs_cards`` (one row per learner and card), and every review in ``reviews``
  (:mod:`.cards`);
- missed questions are not copied anywhere: their FSRS schedule is replayed from ``attempt_items`` (every graded
  answer of practice and exams), so it can never disagree with what the learner actually did (:mod:`.missed`);
- preferences (desired retention, daily limits, exam date, minutes a day) in ``settings`` (:mod:`.records`);
- one readiness prediction per day in ``readiness_snapshots``, for the score history (:mod:`.progress`).

What the parts return is typed once in :mod:`.results` (frozen pydantic models for what the API sends, frozen
dataclasses for what only the pages read); the API declares those models as its response models.

Every query filters by the learner's id.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from certprep.clock import Clock
from certprep.content.models import Pack
from certprep.services.exams import ExamService
from certprep.services.learning.cards import Flashcards
from certprep.services.learning.dashboard import Dashboard
from certprep.services.learning.missed import MissedQuestions
from certprep.services.learning.progress import Progress
from certprep.services.learning.records import (
    MINUTES_SETTING,
    CardNotFound,
    GradedAnswer,
    LearnerRecords,
    LearningError,
)
from certprep.services.learning.results import LearnerSettings

__all__ = [
    "MINUTES_SETTING",
    "CardNotFound",
    "Dashboard",
    "Flashcards",
    "GradedAnswer",
    "LearnerRecords",
    "LearnerSettings",
    "LearningError",
    "LearningService",
    "MissedQuestions",
    "Progress",
]


class LearningService:
    """The learning loop for the packs of one running certprep: ``records`` (settings, exam date), ``cards``,
    ``missed`` (missed questions), ``progress`` (mastery, readiness, weak spots, plan) and ``dashboard``."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        packs: dict[str, Pack],
        exams: ExamService,
        tz: dt.tzinfo | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.records = LearnerRecords(sessions, packs, exams, tz, clock)
        self.cards = Flashcards(self.records)
        self.missed = MissedQuestions(self.records)
        self.progress = Progress(self.records, self.cards, self.missed)
        self.dashboard = Dashboard(self.records, self.cards, self.missed, self.progress)
