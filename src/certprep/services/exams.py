"""Attempts in the database: start, answer, check, submit, review. The rules come from certprep.engine.

Every answer is written in its own transaction as it is given, and the deadline is stored, not counted in memory,
so a reload, a crashed browser or a restarted server loses nothing and the timer resumes where it was.
Every read and write is filtered by the learner's id: one learner can never reach another's attempt.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Literal, cast

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from certprep.clock import Clock, system_clock
from certprep.content.models import Pack
from certprep.engine.forms import (
    EXAM_MODES,
    MOCK_QUESTIONS,
    FormRequest,
    Mode,
    assemble_form,
    is_exam_mode,
    preview_question_ids,
    section_domain,
    sections,
    session_label,
    unseen_full_forms,
)
from certprep.engine.options import SHUFFLE_CONFIG, OptionLabels, shuffles_by_default
from certprep.engine.session import (
    AnswerError,
    Response,
    clean_selection,
    clean_struck,
    duration_minutes,
    gives_feedback,
    grade,
    may_reveal,
    public_question,
    remaining_seconds,
    revealed_question,
)
from certprep.errors import Conflict, NotFound
from certprep.services.calibration import CalibrationService
from certprep.services.exam_results import (
    AttemptState,
    AttemptSummary,
    CheckedAnswer,
    ExamResult,
    ItemView,
    OptionView,
    SavedAnswer,
    UnseenExams,
)
from certprep.store.db import transaction
from certprep.store.schema import Attempt, AttemptItem, Setting, WithdrawnQuestion

log = logging.getLogger(__name__)
RECENT_ATTEMPTS = 3
# The accommodation for non-native English speakers: extra time on every timed exam, as the real exam grants on
# request. The learner turns it on in their settings (LearnerRecords writes this key as "esl_accommodation").
ESL_SETTING = "learning.esl_accommodation"
ESL_EXTRA_MINUTES = 30
# "Why did I miss it?": the tags a learner may put on a missed question, and how each is shown. The API's schema and
# the results page both come from these two (a test checks they name the same tags).
SelfTagName = Literal["tradeoff", "knowledge", "misread", "guessed"]
SELF_TAGS: dict[SelfTagName, str] = {
    "tradeoff": "Knew the services, chose the wrong trade-off",
    "knowledge": "Did not know the service or feature",
    "misread": "Misread the question",
    "guessed": "Guessed",
}


class ExamNotFound(NotFound):
    """No such attempt for this learner."""


class ExamConflict(Conflict):
    """The request does not fit the attempt's state (already submitted, answer locked, time over)."""


def _mode(attempt: Attempt) -> Mode:
    return cast(Mode, attempt.mode)


def _labels(attempt: Attempt, pack: Pack, position: int, question_id: str) -> OptionLabels | None:
    """How ``attempt`` shows the options of its item at ``position`` (engine.options), or None when it shows the
    pack's order and letters (not shuffled, or the question left the pack)."""
    if not (attempt.config or {}).get(SHUFFLE_CONFIG):
        return None
    question = pack.question(question_id)
    return OptionLabels.of(question, attempt.seed, position, shuffle=True) if question is not None else None


def _shown(view: dict[str, Any], labels: OptionLabels | None) -> dict[str, Any]:
    """A question view (options as :class:`OptionView`, maybe the key and the learner's choices, all by authoring
    id) as the attempt shows it: options in the attempt's order under display letters, every letter relabelled."""
    if labels is None:
        return view
    by_id = {option.id: option for option in view["options"]}
    view["options"] = [
        by_id[option_id].model_copy(update={"id": letter})
        for option_id, letter in zip(labels.order, labels.letters, strict=True)
    ]
    for key in ("correct_options", "selected", "struck"):
        if view.get(key) is not None:
            view[key] = labels.shown(view[key])
    return view


def submitted_exams(user_id: int, pack_id: str) -> Select[Attempt]:
    """The learner's submitted full and 100-question mock exams of the pack, newest first (add a ``limit``).

    One query for the readiness the tracker shows and the score history the dashboard draws.
    """
    return (
        select(Attempt)
        .where(
            Attempt.user_id == user_id,
            Attempt.pack_id == pack_id,
            Attempt.status == "submitted",
            Attempt.mode.in_(EXAM_MODES),
        )
        .order_by(Attempt.submitted_at.desc())
    )


def _time_is_up(attempt: Attempt, now: dt.datetime) -> bool:
    """An attempt still open although its deadline has passed: it must be submitted before anything else."""
    return attempt.status == "in_progress" and attempt.deadline_at is not None and attempt.deadline_at <= now


class _TimeUp(ExamConflict):
    """Raised inside a transaction that found the time over; the caller submits the attempt once it has ended."""


@dataclass(frozen=True)
class AttemptPosition:
    """Where a learner stands in an attempt, without building any question view: enough to route a form post."""

    submitted: bool
    question_count: int
    locked: bool | None  # the position's answer is final; None when the attempt has no such position


@dataclass(frozen=True)
class Seal:
    """A learner's running timed exam (full or 100-question mock): a sealed room, as at the test centre.

    While it runs, no other door shows its questions' keys: practice leaves them out or refuses to check them, past
    results hide them, downloads with keys and the tutor refuse, and exams never draw the guest preview's questions.
    """

    attempt_id: str
    pack_id: str
    deadline: dt.datetime | None
    questions: frozenset[str]

    def sentence(self, now: dt.datetime) -> str:
        """Why something is closed, and for how long, in one sentence."""
        left = remaining_seconds(self.deadline, now)
        minutes = -(-left // 60) if left else 0  # whole minutes, rounded up
        when = f" for {minutes} more minute{'s' if minutes != 1 else ''}" if minutes else ""
        return (
            "You have a timed exam running" + when + ": answer keys, the tutor and downloads with answers open "
            "again once you submit it or its time is up."
        )


class ExamService:
    """Attempts of every mode for the packs of one running certprep."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        packs: dict[str, Pack],
        calibration: CalibrationService | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self.sessions = sessions
        self.packs = packs
        self.clock = clock
        self.calibration = calibration or CalibrationService(sessions, clock=clock)
        self._views: dict[tuple[str, str, str, bool], dict[str, Any]] = {}

    # -- starting -------------------------------------------------------------------------------------------------

    def pack(self, pack_id: str) -> Pack:
        pack = self.packs.get(pack_id)
        if pack is None:
            raise ExamNotFound(f"No pack named '{pack_id}' is installed.")
        return pack

    def start(
        self,
        user_id: int,
        pack_id: str,
        request: FormRequest,
        seed: int | None = None,
        now: dt.datetime | None = None,
    ) -> str:
        """Assemble a form and store a new attempt; return its id."""
        pack = self.pack(pack_id)
        now = now or self.clock()
        seed = seed if seed is not None else secrets.randbelow(2**31)
        if request.mode == "review" and not request.review_ids:  # explicit ids: due questions, weak spots
            request = replace(request, review_ids=tuple(self.missed(user_id, pack_id)))
        withdrawn = self.withdrawn(pack_id)  # taken out by an author while a report on them is fixed
        if is_exam_mode(request.mode):
            # Every question the learner ever met, not only those of recent attempts: the exam asks unmet ones first.
            seen = self.last_seen(user_id, pack_id)
            exclude = self._preview_exclusion(pack, request.mode) | withdrawn
            form = assemble_form(pack, request, seed, seen=seen, exclude=exclude)
        else:
            seal = self.seal(user_id, now)
            exclude = seal.questions if seal is not None else frozenset()  # practice never meets the exam's items
            recent = self.recent_question_ids(user_id, pack_id)
            form = assemble_form(pack, request, seed, recent=recent, exclude=exclude | withdrawn)
        blueprint = pack.blueprint
        minutes = duration_minutes(request.mode, len(form.items), blueprint.duration_minutes, blueprint.questions.total)
        extra = self.extra_minutes(user_id) if minutes else 0
        if minutes:
            minutes += extra
        elif request.mode == "section":  # the domain's share of the exam's time
            minutes = dict(sections(pack))[section_domain(pack, request.domains).id][1]
        else:
            minutes = request.minutes  # a practice session's own timer, if the learner set one
        attempt_id = str(uuid.uuid4())
        config = {
            "count": request.count,
            "domains": list(request.domains),
            "tasks": list(request.tasks),
            "difficulty": [request.difficulty_min, request.difficulty_max],
            "type": request.question_type,
            "shortfalls": list(form.shortfalls),
            "duration_minutes": minutes,
            SHUFFLE_CONFIG: (
                request.shuffle_options if request.shuffle_options is not None else shuffles_by_default(request.mode)
            ),
            **({"accommodation_minutes": extra} if extra else {}),
            **({"title": request.title} if request.title else {}),
        }
        with transaction(self.sessions) as session:
            session.add(
                Attempt(
                    id=attempt_id,
                    user_id=user_id,
                    pack_id=pack_id,
                    content_version=pack.content_version,
                    mode=request.mode,
                    config=config,
                    seed=seed,
                    status="in_progress",
                    started_at=now,
                    deadline_at=now + dt.timedelta(minutes=minutes) if minutes else None,
                )
            )
            session.flush()
            # One multi-row INSERT rather than 75 ORM objects through the unit of work: starting an exam is what a
            # whole class does in the same minute.
            session.execute(
                insert(AttemptItem),
                [
                    {
                        "attempt_id": attempt_id,
                        "position": position,
                        "question_id": item.question_id,
                        "scored": item.scored,
                        "selected": [],
                        "struck": [],
                        "flagged": False,
                        "locked": False,
                    }
                    for position, item in enumerate(form.items, start=1)
                ],
            )
        return attempt_id

    def withdrawn(self, pack_id: str) -> frozenset[str]:
        """Questions of the pack an author withdrew from new forms and sessions (services.reports)."""
        with self.sessions() as session:
            return frozenset(
                session.scalars(select(WithdrawnQuestion.question_id).where(WithdrawnQuestion.pack_id == pack_id))
            )

    def extra_minutes(self, user_id: int) -> int:
        """Minutes the learner's accommodation adds to each timed exam: 30 with the ESL setting on, else 0."""
        with self.sessions() as session:
            row = session.get(Setting, (user_id, ESL_SETTING))
        return ESL_EXTRA_MINUTES if row is not None and row.value is True else 0

    def _preview_exclusion(self, pack: Pack, mode: Mode) -> frozenset[str]:
        """The guest preview's questions, which exams leave out because anyone can see their keys signed out.

        A bank too small to fill a form without them (a test pack) keeps them: a full-length form matters more there.
        """
        preview = frozenset(preview_question_ids(pack))
        needed = pack.blueprint.questions.total if mode == "full" else MOCK_QUESTIONS
        live = sum(1 for question in pack.questions if question.status == "live" and question.id not in preview)
        return preview if live >= needed else frozenset()

    def seal(self, user_id: int, now: dt.datetime | None = None) -> Seal | None:
        """The learner's running timed exam, if any. A read: an exam whose time is up no longer seals, and is left
        for a write (:meth:`submit_expired`, the next answer, the learner's submit) to score."""
        now = now or self.clock()
        with self.sessions() as session:
            return self._seal_in(session, user_id, now)

    def _seal_in(self, session: Session, user_id: int, now: dt.datetime) -> Seal | None:
        """Every timed attempt of the learner still running seals its questions (the newest names the seal).

        An exam past its deadline takes no more answers (see :meth:`_open_item`), so its keys hide nothing any more
        than a submitted one's do.
        """
        attempts = session.scalars(
            select(Attempt)
            .where(
                Attempt.user_id == user_id,
                Attempt.status == "in_progress",
                Attempt.mode.in_(EXAM_MODES),
                Attempt.deadline_at.is_(None) | (Attempt.deadline_at > now),
            )
            .order_by(Attempt.started_at.desc())
        ).all()
        if not attempts:
            return None
        questions = session.scalars(
            select(AttemptItem.question_id).where(AttemptItem.attempt_id.in_([attempt.id for attempt in attempts]))
        )
        deadlines = [attempt.deadline_at for attempt in attempts if attempt.deadline_at is not None]
        newest = attempts[0]
        return Seal(newest.id, newest.pack_id, max(deadlines) if deadlines else None, frozenset(questions))

    def unrevealed(self, user_id: int, pack_id: str) -> frozenset[str]:
        """Questions of ``pack_id`` whose keys the learner may not see yet: every question of an unsubmitted exam,
        and every practice question not yet checked, however many attempts the learner has."""
        with self.sessions() as session:
            rows = session.execute(
                select(AttemptItem.question_id, Attempt.mode, AttemptItem.locked)
                .join(Attempt, Attempt.id == AttemptItem.attempt_id)
                .where(Attempt.user_id == user_id, Attempt.pack_id == pack_id, Attempt.status == "in_progress")
            )
            return frozenset(
                question_id
                for question_id, mode, locked in rows
                if not may_reveal(cast(Mode, mode), submitted=False, locked=bool(locked))
            )

    def revealed(self, user_id: int, pack_id: str) -> frozenset[str]:
        """Questions of the pack whose key the learner has seen and may see now: answered in a submitted attempt or
        checked in practice, and not also held by an attempt that keeps them hidden (:meth:`unrevealed`)."""
        with self.sessions() as session:
            seen = frozenset(
                session.scalars(
                    select(AttemptItem.question_id)
                    .join(Attempt, Attempt.id == AttemptItem.attempt_id)
                    .where(
                        Attempt.user_id == user_id,
                        Attempt.pack_id == pack_id,
                        (Attempt.status == "submitted") | AttemptItem.locked.is_(True),
                    )
                    .distinct()
                )
            )
        return seen - self.unrevealed(user_id, pack_id)

    def recent_question_ids(self, user_id: int, pack_id: str) -> set[str]:
        with self.sessions() as session:
            recent = session.scalars(
                select(Attempt.id)
                .where(Attempt.user_id == user_id, Attempt.pack_id == pack_id)
                .order_by(Attempt.started_at.desc())
                .limit(RECENT_ATTEMPTS)
            ).all()
            if not recent:
                return set()
            return set(session.scalars(select(AttemptItem.question_id).where(AttemptItem.attempt_id.in_(recent))))

    def last_seen(self, user_id: int, pack_id: str) -> dict[str, dt.datetime]:
        """Every question of ``pack_id`` the learner has met, with when they last met it.

        A question is met once an attempt of any mode asked it, answered or not, running, submitted or restored from
        a backup; the moment is the start of the latest such attempt. Timed exams ask the questions missing from
        this first, then the ones met longest ago (``seen`` of :func:`~certprep.engine.forms.assemble_form`).
        """
        with self.sessions() as session:
            rows = session.execute(
                select(AttemptItem.question_id, func.max(Attempt.started_at))
                .join(Attempt, Attempt.id == AttemptItem.attempt_id)
                .where(Attempt.user_id == user_id, Attempt.pack_id == pack_id)
                .group_by(AttemptItem.question_id)
            )
            return {question_id: moment for question_id, moment in rows}

    def unseen_exams(self, user_id: int, pack_id: str) -> UnseenExams:
        """How many complete full exams of questions the learner has never met the pack can still give, as the
        next full exam would be drawn (the guest preview's questions left out the same way), and the sentence that
        says so where a timed exam starts."""
        pack = self.pack(pack_id)
        exclude = self._preview_exclusion(pack, "full")
        return UnseenExams.of(unseen_full_forms(pack, self.last_seen(user_id, pack_id), exclude=exclude))

    def missed(self, user_id: int, pack_id: str) -> list[str]:
        """Questions whose latest graded answer was wrong, most recently missed first."""
        with self.sessions() as session:
            rows = session.execute(
                select(AttemptItem.question_id, AttemptItem.correct)
                .join(Attempt, Attempt.id == AttemptItem.attempt_id)
                .where(Attempt.user_id == user_id, Attempt.pack_id == pack_id, AttemptItem.correct.is_not(None))
                .order_by(AttemptItem.answered_at.desc().nulls_last(), Attempt.started_at.desc())
            ).all()
        latest: dict[str, bool] = {}
        for question_id, correct in rows:
            latest.setdefault(question_id, bool(correct))
        return [question_id for question_id, correct in latest.items() if not correct]

    # -- reading --------------------------------------------------------------------------------------------------

    def _attempt(self, session: Session, user_id: int, attempt_id: str, lock: bool = False) -> Attempt:
        """The learner's attempt. ``lock``: hold the row until the transaction ends (PostgreSQL SELECT ... FOR
        UPDATE), so an answer and a submission of the same attempt never interleave, e.g. from two tabs."""
        query = select(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user_id)
        attempt = session.scalar(query.with_for_update() if lock else query)
        if attempt is None:
            raise ExamNotFound("No such exam or practice session.")
        return attempt

    def _items(self, session: Session, attempt_id: str) -> Sequence[AttemptItem]:
        return session.scalars(
            select(AttemptItem).where(AttemptItem.attempt_id == attempt_id).order_by(AttemptItem.position)
        ).all()

    def _question_view(self, pack: Pack, question_id: str, reveal: bool) -> dict[str, Any] | None:
        """A fresh copy of the question as the learner may see it, with its public code (None if it left the pack).

        Pack content does not change while certprep runs, so each view is built once and copied per request: a
        question page lists the whole form, and rebuilding 75 questions for every page was measurable under load.
        """
        key = (pack.id, pack.content_version, question_id, reveal)
        view = self._views.get(key)
        if view is None:
            question = pack.question(question_id)
            if question is None:
                return None
            view = revealed_question(question) if reveal else public_question(question)
            # Options as frozen models, built once: validating them again for every item of every page doubled
            # the cost of a state.
            view |= {"code": pack.code(question_id), "options": [OptionView(**option) for option in view["options"]]}
            self._views[key] = view
        return dict(view)

    def option_orders(self, user_id: int, attempt_id: str) -> dict[int, tuple[str, ...]]:
        """Position -> the authoring ids of the item's options top to bottom, for each item of the learner's attempt
        that shows them in an order of its own (the tutor's "explain question 3" letters them as the learner saw)."""
        with self.sessions() as session:
            attempt = self._attempt(session, user_id, attempt_id)
            pack = self.packs.get(attempt.pack_id)
            if pack is None:
                return {}
            orders = {}
            for row in self._items(session, attempt.id):
                labels = _labels(attempt, pack, row.position, row.question_id)
                if labels is not None and not labels.identity:
                    orders[row.position] = labels.order
            return orders

    def position(self, user_id: int, attempt_id: str, position: int) -> AttemptPosition:
        """Whether the attempt is submitted, how many questions it has and whether ``position`` is locked.

        Two small reads instead of :meth:`state`, which builds every item's view: a "Next" on question 30 of 75 needs
        none of them.
        """
        with self.sessions() as session:
            attempt = self._attempt(session, user_id, attempt_id)
            count = session.scalar(
                select(func.count()).select_from(AttemptItem).where(AttemptItem.attempt_id == attempt.id)
            )
            item = session.get(AttemptItem, (attempt.id, position))
            submitted = attempt.status == "submitted"
            return AttemptPosition(submitted, int(count or 0), (item.locked or submitted) if item else None)

    def state(self, user_id: int, attempt_id: str, now: dt.datetime | None = None) -> AttemptState:
        """The attempt as the learner may see it now: keys only for items that may be revealed.

        A read, so it writes nothing: an attempt whose time ran out while nobody was looking is reported with
        ``time_up`` and stays unscored until a write submits it (:meth:`submit_expired`, which the web app runs in the
        background, the next answer, or the learner's submit).
        """
        now = now or self.clock()
        with self.sessions() as session:
            return self._state(session, self._attempt(session, user_id, attempt_id), now)

    def _state(self, session: Session, attempt: Attempt, now: dt.datetime) -> AttemptState:
        # Plain rows, not ORM objects: this runs for every question page and is read-only.
        rows = session.execute(
            select(
                AttemptItem.position,
                AttemptItem.question_id,
                AttemptItem.scored,
                AttemptItem.selected,
                AttemptItem.struck,
                AttemptItem.flagged,
                AttemptItem.locked,
                AttemptItem.correct,
                AttemptItem.self_tag,
            )
            .where(AttemptItem.attempt_id == attempt.id)
            .order_by(AttemptItem.position)
        ).all()
        pack = self.pack(attempt.pack_id)
        mode = _mode(attempt)
        submitted = attempt.status == "submitted"
        # The running exam reveals nothing of itself; any other attempt hides the keys of its questions meanwhile.
        seal = None if (is_exam_mode(mode) and not submitted) else self._seal_in(session, attempt.user_id, now)
        sealed = seal.questions if seal is not None else frozenset()
        questions: list[ItemView] = []
        for row in rows:
            reveal = may_reveal(mode, submitted, row.locked) and row.question_id not in sealed
            data = self._question_view(pack, row.question_id, reveal)
            if data is None:
                continue
            data.update(
                position=row.position,
                selected=list(row.selected or []),
                struck=list(row.struck or []),
                flagged=row.flagged,
                locked=row.locked or submitted,
                answered=bool(row.selected),
            )
            if reveal:
                data["correct"] = row.correct if submitted or row.locked else None
                data["self_tag"] = row.self_tag
            if submitted:
                data["scored"] = row.scored
            if row.question_id in sealed:
                data["sealed"] = True
            # Only the fields set here are "set": the API leaves an unrevealed item's key fields out, not null.
            questions.append(ItemView(**_shown(data, _labels(attempt, pack, row.position, row.question_id))))
        result = self._stored_result(attempt, pack, sealed) if submitted and attempt.result is not None else None
        return AttemptState(
            id=attempt.id,
            pack=attempt.pack_id,
            mode=attempt.mode,
            label=session_label(attempt.mode, attempt.config),
            status=attempt.status,
            exam=is_exam_mode(mode),
            feedback=gives_feedback(mode),
            started_at=attempt.started_at.isoformat(),
            ends_at=attempt.deadline_at.isoformat() if attempt.deadline_at else None,
            remaining_seconds=None if submitted else remaining_seconds(attempt.deadline_at, now),
            time_up=_time_is_up(attempt, now),
            submitted_at=attempt.submitted_at.isoformat() if attempt.submitted_at else None,
            question_count=len(questions),
            answered=sum(1 for q in questions if q.answered),
            flagged=sum(1 for q in questions if q.flagged),
            questions=questions,
            result=result,
            sealed=seal.sentence(now) if seal is not None and sealed else None,
            config=attempt.config,
        )

    def submit_expired(self, now: dt.datetime | None = None) -> int:
        """Submit every attempt of every learner whose time is up; how many there were.

        The web app runs this in the background (the sweeper in :mod:`certprep.web.app`), so that no GET request
        has to write; the command line submits the learner's own when it starts an exam command.
        """
        now = now or self.clock()
        with self.sessions() as session:
            due = session.execute(
                select(Attempt.user_id, Attempt.id).where(
                    Attempt.status == "in_progress", Attempt.deadline_at.is_not(None), Attempt.deadline_at <= now
                )
            ).all()
        for user_id, attempt_id in due:
            self.submit(user_id, attempt_id, now=now, auto=True)
        return len(due)

    def expire_due(self, user_id: int, now: dt.datetime | None = None) -> None:
        """Submit every attempt of the learner whose time ran out while nobody was looking."""
        now = now or self.clock()
        with self.sessions() as session:
            due = session.scalars(
                select(Attempt.id).where(
                    Attempt.user_id == user_id,
                    Attempt.status == "in_progress",
                    Attempt.deadline_at.is_not(None),
                    Attempt.deadline_at <= now,
                )
            ).all()
        for attempt_id in due:
            self.submit(user_id, attempt_id, now=now, auto=True)

    def list_attempts(self, user_id: int, limit: int = 50, now: dt.datetime | None = None) -> list[AttemptSummary]:
        """The learner's attempts, newest first. A read: an attempt past its deadline shows ``time_up``."""
        now = now or self.clock()
        with self.sessions() as session:
            attempts = session.scalars(
                select(Attempt).where(Attempt.user_id == user_id).order_by(Attempt.started_at.desc()).limit(limit)
            ).all()
            return [
                AttemptSummary(
                    id=attempt.id,
                    pack=attempt.pack_id,
                    mode=attempt.mode,
                    label=session_label(attempt.mode, attempt.config),
                    status=attempt.status,
                    started_at=attempt.started_at.isoformat(),
                    time_up=_time_is_up(attempt, now),
                    scaled_score=(attempt.result or {}).get("scaled_score"),
                    passed=(attempt.result or {}).get("passed"),
                    percent=(attempt.result or {}).get("percent"),
                )
                for attempt in attempts
            ]

    def time_left(self, user_id: int, now: dt.datetime | None = None) -> dict[str, int]:
        """Seconds left of each of the learner's running timed attempts (by id), for History; a read."""
        now = now or self.clock()
        with self.sessions() as session:
            rows = session.execute(
                select(Attempt.id, Attempt.deadline_at).where(
                    Attempt.user_id == user_id, Attempt.status == "in_progress", Attempt.deadline_at > now
                )
            ).all()
        return {attempt_id: remaining_seconds(deadline, now) or 0 for attempt_id, deadline in rows}

    def delete(self, user_id: int, attempt_id: str) -> None:
        """Delete one of the learner's own attempts with every answer: how a running one is abandoned.

        Abandoning is deletion, never a submission without a score: nothing is graded, so no key of a running exam
        is shown, and nothing is left to show one later. Another learner's attempt is not found, as everywhere.
        """
        with transaction(self.sessions) as session:
            attempt = self._attempt(session, user_id, attempt_id, lock=True)
            session.execute(delete(AttemptItem).where(AttemptItem.attempt_id == attempt.id))
            session.delete(attempt)

    # -- answering ------------------------------------------------------------------------------------------------

    @contextmanager
    def _submitting_when_time_is_up(self, user_id: int, attempt_id: str, now: dt.datetime) -> Iterator[None]:
        """Around a write transaction: if it found the time over (``_TimeUp``, already rolled back), submit the
        attempt as the deadline requires, then let the learner know with the same 409."""
        try:
            yield
        except _TimeUp:
            self.submit(user_id, attempt_id, now=now, auto=True)
            raise

    def _open_item(
        self, session: Session, user_id: int, attempt_id: str, position: int, now: dt.datetime
    ) -> tuple[Attempt, AttemptItem]:
        attempt = self._attempt(session, user_id, attempt_id, lock=True)
        if attempt.status == "submitted":
            raise ExamConflict("This attempt has been submitted; answers can no longer change.")
        if _time_is_up(attempt, now):
            raise _TimeUp("Time is up; the attempt has been submitted.")
        item = session.get(AttemptItem, (attempt_id, position))
        if item is None:
            raise ExamNotFound(f"Position {position} does not exist in this attempt.")
        return attempt, item

    def answer(
        self,
        user_id: int,
        attempt_id: str,
        position: int,
        selected: Sequence[str] | None = None,
        flagged: bool | None = None,
        struck: Sequence[str] | None = None,
        now: dt.datetime | None = None,
        seq: int | None = None,
    ) -> SavedAnswer:
        """Save one answer (and/or flag, struck-out options) at once. Locked practice answers cannot change.

        ``seq`` is the client's sequence number of this save (a page's autosaves count up): a save that arrives
        after one with a higher number is not applied, and the answer says so (``applied``) with what is kept, so a
        quick change of mind is never overwritten by the earlier choice arriving late. Saves without one (form
        posts, the terminal) always apply. A chosen option is never also struck out: choosing one takes its strike
        back, striking one takes it out of the choice.
        """
        now = now or self.clock()
        with self._submitting_when_time_is_up(user_id, attempt_id, now), transaction(self.sessions) as session:
            attempt, item = self._open_item(session, user_id, attempt_id, position, now)
            pack = self.pack(attempt.pack_id)
            question = pack.question(item.question_id)
            if question is None:
                raise ExamNotFound("This question is no longer in the pack.")
            # The learner answers by the letters shown; the answer is kept by the options' authoring ids.
            labels = _labels(attempt, pack, position, question.id)
            if labels is not None:
                selected = None if selected is None else labels.stored(selected)
                struck = None if struck is None else labels.stored(struck)
            applied = seq is None or item.client_seq is None or seq > item.client_seq
            if applied:
                if selected is not None:
                    if item.locked:
                        raise ExamConflict("This answer was checked and is final.")
                    item.selected = list(clean_selection(question, selected))
                    item.struck = [option for option in item.struck if option not in item.selected]
                    item.answered_at = now
                if flagged is not None:
                    item.flagged = flagged
                if struck is not None:
                    item.struck = list(clean_struck(question, struck))
                    if not item.locked:
                        item.selected = [option for option in item.selected if option not in item.struck]
                    else:
                        item.struck = [option for option in item.struck if option not in item.selected]
                if seq is not None:
                    item.client_seq = seq
            shown = labels.shown if labels is not None else list
            return SavedAnswer(
                position=item.position,
                selected=shown(item.selected),
                flagged=item.flagged,
                struck=shown(item.struck),
                saved_at=now.isoformat(),
                applied=applied,
                seq=item.client_seq,
            )

    def check(self, user_id: int, attempt_id: str, position: int, now: dt.datetime | None = None) -> CheckedAnswer:
        """Practice: make the saved answer final and return the key with every reason."""
        now = now or self.clock()
        with self._submitting_when_time_is_up(user_id, attempt_id, now), transaction(self.sessions) as session:
            attempt, item = self._open_item(session, user_id, attempt_id, position, now)
            if not gives_feedback(_mode(attempt)):
                raise ExamConflict("An exam shows answers only after it is submitted.")
            question = self.pack(attempt.pack_id).question(item.question_id)
            if question is None:
                raise ExamNotFound("This question is no longer in the pack.")
            seal = self._seal_in(session, user_id, now)
            if seal is not None and question.id in seal.questions:
                raise ExamConflict(seal.sentence(now))
            if not item.selected and not item.locked:
                raise AnswerError("Choose an answer before checking it.")
            if not item.locked:
                item.locked = True
                item.correct = question.is_correct(item.selected)
                item.answered_at = item.answered_at or now
            pack = self.pack(attempt.pack_id)
            view = revealed_question(question) | {"selected": list(item.selected)}
            view["options"] = [OptionView(**option) for option in view["options"]]
            return CheckedAnswer(
                **_shown(view, _labels(attempt, pack, item.position, question.id)),
                code=pack.code(question.id),
                pack=attempt.pack_id,
                position=item.position,
                correct=item.correct,
            )

    # -- submitting -----------------------------------------------------------------------------------------------

    def difficulties(self, pack: Pack) -> dict[str, float]:
        """Item difficulties used to score exams: the stored calibration (services.calibration) or the author's."""
        return self.calibration.difficulties(pack)

    def submit(self, user_id: int, attempt_id: str, now: dt.datetime | None = None, auto: bool = False) -> ExamResult:
        """Grade and close the attempt. Submitting twice returns the first result.

        The result is shown as :meth:`state` shows it: while a timed exam of the learner runs, the keys of its
        questions are withheld from this result too.
        """
        now = now or self.clock()
        with self.sessions() as session:
            attempt = self._attempt(session, user_id, attempt_id)
            pack = self.pack(attempt.pack_id)
            if attempt.status == "submitted":
                return self._result_shown(session, attempt, pack, now)
        exam = is_exam_mode(_mode(attempt))
        difficulties = self.difficulties(pack) if exam else None
        with transaction(self.sessions) as session:
            attempt = self._attempt(session, user_id, attempt_id, lock=True)
            if attempt.status == "submitted":
                return self._result_shown(session, attempt, pack, now)
            # Submitted after its deadline (the timer's own submit, or a late click): time ran out, whoever sent it.
            score_attempt(session, attempt, pack, difficulties, now, auto or _time_is_up(attempt, now))
            live = attempt.origin == "live"
        if exam and live:
            self.calibration.note_submission(pack)
        with self.sessions() as session:
            return self._result_shown(session, self._attempt(session, user_id, attempt_id), pack, now)

    def _result_shown(self, session: Session, attempt: Attempt, pack: Pack, now: dt.datetime) -> ExamResult:
        """A submitted attempt's result as the learner may see it now: no key of a question that a running timed
        exam has."""
        seal = self._seal_in(session, attempt.user_id, now)
        return self._stored_result(attempt, pack, seal.questions if seal is not None else frozenset())

    @staticmethod
    def _stored_result(attempt: Attempt, pack: Pack, sealed: frozenset[str]) -> ExamResult:
        """A scored attempt's stored result (items by authoring id) under the letters the attempt showed."""
        return ExamResult.stored(pack, attempt.result, sealed, labels=lambda at, qid: _labels(attempt, pack, at, qid))

    def score_restored(self, session: Session, attempt_ids: Sequence[str]) -> None:
        """Score again, with this server's rules and key, the submitted attempts a backup has just added.

        A backup carries results and right/wrong flags, but the file is the learner's to edit; what the app shows
        and stores is what this server computes from the answers given. An attempt of a pack that is not installed
        cannot be scored here, so it cannot be restored (BackupError-worthy: the caller says which).
        """
        for attempt_id in attempt_ids:
            attempt = session.get(Attempt, attempt_id)
            if attempt is None or attempt.status != "submitted":
                continue
            pack = self.packs.get(attempt.pack_id)
            if pack is None:
                raise ExamNotFound(f"the backup has an attempt of pack '{attempt.pack_id}', which is not installed")
            difficulties = self.difficulties(pack) if is_exam_mode(_mode(attempt)) else None
            auto = bool((attempt.result or {}).get("auto_submitted", False))
            score_attempt(session, attempt, pack, difficulties, attempt.submitted_at or self.clock(), auto)

    def self_tag(self, user_id: int, attempt_id: str, position: int, tag: str | None) -> None:
        """Tag a reviewed item, e.g. "knew the services, chose the wrong trade-off"."""
        if tag is not None and tag not in SELF_TAGS:
            raise AnswerError(f"unknown tag; use one of: {', '.join(SELF_TAGS)}")
        with transaction(self.sessions) as session:
            attempt = self._attempt(session, user_id, attempt_id)
            item = session.get(AttemptItem, (attempt_id, position))
            if item is None:
                raise ExamNotFound(f"Position {position} does not exist in this attempt.")
            if attempt.status != "submitted" and not item.locked:
                raise ExamConflict("Tag an answer after you have seen its key.")
            item.self_tag = tag


def score_attempt(
    session: Session,
    attempt: Attempt,
    pack: Pack,
    difficulties: dict[str, float] | None,
    now: dt.datetime,
    auto: bool,
) -> dict[str, Any]:
    """Grade ``attempt``'s answers against ``pack``, write each item's right/wrong and the result, mark it submitted.

    Returns the result as the database keeps it (items by authoring id); :meth:`ExamResult.stored` makes the typed
    result that learners are shown from it.
    """
    items = session.scalars(
        select(AttemptItem).where(AttemptItem.attempt_id == attempt.id).order_by(AttemptItem.position)
    ).all()
    responses = [
        Response(item.position, item.question_id, item.scored, tuple(item.selected or []), item.flagged)
        for item in items
    ]
    report, correctness = grade(pack, responses, difficulties)
    for item in items:
        item.correct = correctness.get(item.position, False)
        if item.selected and item.answered_at is None:
            item.answered_at = now
    answered = sum(1 for item in items if item.selected)
    result = {
        "scaled_score": report.scaled_score,
        "passed": report.passed,
        "pass_probability": report.pass_probability,
        "score_range": list(report.score_range),
        "theta": report.theta,
        "theta_se": report.theta_se,
        "correct": report.raw_correct,
        "scored_items": report.raw_total,
        "percent": round(100.0 * report.raw_correct / report.raw_total, 1) if report.raw_total else 0.0,
        "answered": answered,
        "unanswered": len(items) - answered,
        "auto_submitted": auto,
        "exam": is_exam_mode(_mode(attempt)),
        "sections": [
            {
                "domain": section.domain,
                "name": section.name,
                "scored_items": section.scored_items,
                "correct": section.correct,
                "percent": section.percent,
                "classification": section.classification,
            }
            for section in report.sections
        ],
        "items": [
            {
                "position": item.position,
                "question_id": item.question_id,
                "scored": item.scored,
                "selected": list(item.selected or []),
                "correct_options": sorted(q.correct_ids) if (q := pack.question(item.question_id)) else [],
                "correct": item.correct,
                "flagged": item.flagged,
            }
            for item in items
        ],
    }
    attempt.result = result
    attempt.status = "submitted"
    attempt.submitted_at = attempt.submitted_at or now
    return result
