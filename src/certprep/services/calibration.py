"""Item difficulties estimated from learners' exams, once for all workers, and kept in the database.

What counts, so that no learner can bend another learner's score:

- only exams taken live on this server (``attempts.origin = 'live'``), full or 100-question mocks, submitted;
  attempts merged from a backup stay in their owner's history but never reach the estimate;
- only each learner's first response to an item: however many exams one learner takes (or scripts), they weigh
  exactly as much as anybody else on every item;
- an item leaves its author's rating only once ``MIN_CALIBRATION_RESPONSES`` independent learners have answered it,
  and even then the author's rating remains the prior the estimate is pulled towards.

When: after a live exam is submitted, if the live exams have grown by a quarter (at least ten) since the last
estimate. One worker claims the pack's row in ``calibration_runs`` with a conditional UPDATE, so only it
recalculates; it does so in a background thread, off the submission's request, and writes every difficulty in one
transaction. Every worker reads the stored estimate (cached in memory until the row says it changed), so a restart
costs nothing and all workers score alike. Until a pack has an estimate, the author's ratings are used.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from certprep.content.models import Pack
from certprep.engine.forms import EXAM_MODES
from certprep.engine.scoring import MIN_CALIBRATION_RESPONSES, author_difficulty, estimate_difficulties
from certprep.store.db import transaction
from certprep.store.schema import Attempt, AttemptItem, CalibrationRun, ItemDifficulty

if TYPE_CHECKING:
    import numpy as np

__all__ = ["CLAIM_TIMEOUT", "CalibrationService", "Estimate"]

log = logging.getLogger(__name__)
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
MIN_NEW_EXAMS = 10


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Estimate:
    """One pack's difficulties as stored, with what they rest on."""

    difficulties: dict[str, float]
    computed_at: dt.datetime | None
    live_exams: int
    learners: int


class CalibrationService:
    """The stored item calibration of every pack: read it, and refresh it when enough new exams have come in."""

    def __init__(
        self, sessions: sessionmaker[Session], clock: Callable[[], dt.datetime] = _utcnow, background: bool = True
    ) -> None:
        """``background=False`` recalculates inside :meth:`note_submission` (tests, command-line tools)."""
        self.sessions = sessions
        self.clock = clock
        self.background = background
        self._cache: dict[str, Estimate] = {}
        self._lock = threading.Lock()

    # -- reading ------------------------------------------------------------------------------------------------

    def difficulties(self, pack: Pack) -> dict[str, float]:
        """Every question's difficulty in logits: the stored estimate where there is one, else the author's."""
        return self.estimate(pack).difficulties

    def estimate(self, pack: Pack) -> Estimate:
        with self.sessions() as session:
            run = session.get(CalibrationRun, pack.id)
            stamp = run.computed_at if run is not None and run.content_version == pack.content_version else None
            with self._lock:
                cached = self._cache.get(pack.id)
                if cached is not None and cached.computed_at == stamp:
                    return cached
            priors = {question.id: author_difficulty(question.difficulty) for question in pack.questions}
            stored: dict[str, float] = {}
            if stamp is not None:
                rows = session.execute(
                    select(ItemDifficulty.question_id, ItemDifficulty.difficulty).where(
                        ItemDifficulty.pack_id == pack.id
                    )
                )
                stored = {question_id: difficulty for question_id, difficulty in rows}
            estimate = Estimate(
                difficulties={**priors, **{key: value for key, value in stored.items() if key in priors}},
                computed_at=stamp,
                live_exams=run.live_exams if run is not None and stamp is not None else 0,
                learners=run.learners if run is not None and stamp is not None else 0,
            )
        with self._lock:
            self._cache[pack.id] = estimate
        return estimate

    # -- refreshing ---------------------------------------------------------------------------------------------

    def live_exams(self, session: Session, pack_id: str) -> int:
        return (
            session.scalar(
                select(func.count())
                .select_from(Attempt)
                .where(
                    Attempt.pack_id == pack_id,
                    Attempt.status == "submitted",
                    Attempt.mode.in_(EXAM_MODES),
                    Attempt.origin == "live",
                )
            )
            or 0
        )

    def note_submission(self, pack: Pack) -> None:
        """A live exam of ``pack`` was submitted: recalculate if it is time and no other worker is at it."""
        try:
            if self._claim(pack):
                if self.background:
                    threading.Thread(target=self._refresh_quietly, args=(pack,), daemon=True).start()
                else:
                    self.recalculate(pack)
        except SQLAlchemyError as error:  # a busy or vanished database only delays the next estimate
            log.warning("certprep: could not schedule item calibration (%s)", type(error).__name__)

    def _claim(self, pack: Pack) -> bool:
        now = self.clock()
        with transaction(self.sessions) as session:
            run = session.get(CalibrationRun, pack.id)
            if run is None:
                try:
                    with session.begin_nested():
                        session.add(CalibrationRun(pack_id=pack.id))
                except IntegrityError:  # another worker created it just now
                    pass
                run = session.get(CalibrationRun, pack.id)
            assert run is not None
            current = run.content_version == pack.content_version and run.computed_at is not None
            live = self.live_exams(session, pack.id)
            due = live >= MIN_NEW_EXAMS and (
                not current or live >= run.live_exams + max(MIN_NEW_EXAMS, run.live_exams // 4)
            )
            if not due:
                return False
            claimed = session.execute(
                update(CalibrationRun)
                .where(
                    CalibrationRun.pack_id == pack.id,
                    or_(CalibrationRun.claimed_at.is_(None), CalibrationRun.claimed_at < now - CLAIM_TIMEOUT),
                )
                .values(claimed_at=now)
            )
            return bool(getattr(claimed, "rowcount", 0))

    def _refresh_quietly(self, pack: Pack) -> None:
        try:
            self.recalculate(pack)
        except SQLAlchemyError as error:  # e.g. the server is shutting down; the next submission tries again
            log.warning(
                "certprep: recalibrating item difficulties failed (%s); keeping the stored estimate",
                type(error).__name__,
            )
            self._release(pack)

    def _release(self, pack: Pack) -> None:
        try:
            with transaction(self.sessions) as session:
                session.execute(update(CalibrationRun).where(CalibrationRun.pack_id == pack.id).values(claimed_at=None))
        except SQLAlchemyError:
            pass  # the claim times out by itself

    def first_responses(self, session: Session, pack: Pack) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
        """Each learner's first response to each item in live, submitted exams: learner, item and outcome arrays."""
        rows = session.execute(
            select(Attempt.user_id, AttemptItem.question_id, AttemptItem.correct, Attempt.submitted_at)
            .join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .where(
                Attempt.pack_id == pack.id,
                Attempt.status == "submitted",
                Attempt.mode.in_(EXAM_MODES),
                Attempt.origin == "live",
                AttemptItem.correct.is_not(None),
            )
            .order_by(Attempt.submitted_at, Attempt.id)
        )
        first: dict[tuple[int, str], bool] = {}
        for user_id, question_id, correct, _ in rows:  # oldest first: setdefault keeps each learner's first answer
            first.setdefault((user_id, question_id), bool(correct))
        users = {user for user, _ in first}
        return (*_arrays(first), len(users), len(first))

    def recalculate(self, pack: Pack) -> Estimate:
        """Estimate now from every live exam and store the result (the claim, if any, is released)."""
        import numpy as np  # imported here: every command and worker loads this module, few recalculate

        question_ids = [question.id for question in pack.questions]
        position = {question_id: index for index, question_id in enumerate(question_ids)}
        prior = np.asarray([author_difficulty(question.difficulty) for question in pack.questions], dtype=np.float64)
        with self.sessions() as session:
            live = self.live_exams(session, pack.id)
            persons, item_keys, outcomes, learners, responses = self.first_responses(session, pack)
        known = np.asarray([key in position for key in item_keys], dtype=bool)
        items = np.asarray([position.get(key, 0) for key in item_keys], dtype=np.int64)
        difficulty, counts = estimate_difficulties(
            persons[known], items[known], outcomes[known], prior, int(persons.max(initial=-1)) + 1
        )
        calibrated = {
            question_ids[index]: float(difficulty[index])
            for index in range(len(question_ids))
            if counts[index] >= MIN_CALIBRATION_RESPONSES
        }
        now = self.clock()
        with transaction(self.sessions) as session:
            session.execute(delete(ItemDifficulty).where(ItemDifficulty.pack_id == pack.id))
            if calibrated:
                session.execute(
                    insert(ItemDifficulty),
                    [
                        {
                            "pack_id": pack.id,
                            "question_id": key,
                            "difficulty": value,
                            "learners": int(counts[position[key]]),
                        }
                        for key, value in calibrated.items()
                    ],
                )
            session.execute(
                update(CalibrationRun)
                .where(CalibrationRun.pack_id == pack.id)
                .values(
                    content_version=pack.content_version,
                    live_exams=live,
                    responses=responses,
                    learners=learners,
                    computed_at=now,
                    claimed_at=None,
                )
            )
        return self.estimate(pack)


def _arrays(first: dict[tuple[int, str], bool]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Learner numbers (0..n-1), item ids and outcomes of ``first``, as arrays."""
    import numpy as np

    learner_number: dict[int, int] = {}
    persons = np.fromiter(
        (learner_number.setdefault(user, len(learner_number)) for user, _ in first), dtype=np.int64, count=len(first)
    )
    items = np.asarray([question_id for _, question_id in first], dtype=object)
    outcomes = np.fromiter((1.0 if value else 0.0 for value in first.values()), dtype=np.float64, count=len(first))
    return persons, items, outcomes
