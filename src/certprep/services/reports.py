"""Reports of problems with questions in the database: learners file them, authors answer them and may withdraw a
question from new forms while it is fixed (the rules of a report are in ``content.feedback``).

A learner names a question by its public code and sees only their own reports. An author's reply can explain the
key, so it reaches the learner only once the learner may see that question's key: never for a question of an
unsubmitted exam or an unchecked practice answer (``ExamService.unrevealed``). Who may answer reports is checked at
the front door (the author role in hosted mode; the local user owns a local install).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from certprep.clock import Clock, system_clock
from certprep.content.feedback import (
    QuestionReport,
    ReportReason,
    ReportStatus,
    ReportTally,
    check_reply,
    check_report,
)
from certprep.content.models import Pack
from certprep.errors import NotFound
from certprep.services.exams import ExamService
from certprep.store.db import transaction
from certprep.store.schema import QuestionReport as ReportRow
from certprep.store.schema import User, WithdrawnQuestion

__all__ = ["LearnerReport", "QueueEntry", "ReportNotFound", "ReportService"]

# The reply a learner reads in place of the author's while the key of that question is still hidden from them.
REPLY_HIDDEN = "The authors answered; their reply shows once you have answered and checked this question."


class ReportNotFound(NotFound):
    """No such report, question or pack (or, for a learner, a report that is not theirs)."""


@dataclass(frozen=True)
class LearnerReport:
    """A report as its learner sees it: by code, with the reply only where the learner may read it."""

    id: int
    pack_id: str
    code: str
    stem_start: str
    reason: ReportReason
    text: str
    status: ReportStatus
    reply: str | None
    created_at: dt.datetime
    decided_at: dt.datetime | None


@dataclass(frozen=True)
class QueueEntry:
    """A report in the authors' review queue: the report, who sent it, and whether its question is withdrawn."""

    report: QuestionReport
    reporter: str
    withdrawn: bool
    reports_on_question: int


class ReportService:
    """Question reports and withdrawals of one runtime."""

    def __init__(
        self, sessions: sessionmaker[Session], packs: dict[str, Pack], exams: ExamService, clock: Clock = system_clock
    ) -> None:
        self.sessions = sessions
        self.packs = packs
        self.exams = exams
        self.clock = clock

    def _pack(self, pack_id: str) -> Pack:
        pack = self.packs.get(pack_id)
        if pack is None:
            raise ReportNotFound(f"No pack '{pack_id}' is installed.")
        return pack

    def file(
        self, user_id: int, pack_id: str, code: str, reason: str, text: str, now: dt.datetime | None = None
    ) -> int:
        """Store the learner's report on the question with public ``code``; return the report's id."""
        pack = self._pack(pack_id)
        question = pack.question_by_code(code.strip().upper())
        if question is None:
            raise ReportNotFound(f"This pack has no question {code.strip()[:20]!r}.")
        chosen, cleaned = check_report(reason, text)
        with transaction(self.sessions) as session:
            row = ReportRow(
                user_id=user_id,
                pack_id=pack_id,
                question_id=question.id,
                content_version=pack.content_version,
                reason=chosen.value,
                text=cleaned,
                status=ReportStatus.OPEN.value,
                reply="",
                created_at=now or self.clock(),
            )
            session.add(row)
            session.flush()
            return row.id

    def mine(self, user_id: int) -> list[LearnerReport]:
        """The learner's reports, newest first; a reply stays hidden while the question's key is."""
        with self.sessions() as session:
            rows = session.scalars(
                select(ReportRow).where(ReportRow.user_id == user_id).order_by(ReportRow.created_at.desc())
            ).all()
        hidden: dict[str, frozenset[str]] = {}
        reports = []
        for row in rows:
            if row.pack_id not in hidden:
                hidden[row.pack_id] = self.exams.unrevealed(user_id, row.pack_id)
            pack = self.packs.get(row.pack_id)
            question = pack.question(row.question_id) if pack is not None else None
            reply: str | None = row.reply or None
            if reply is not None and row.question_id in hidden[row.pack_id]:
                reply = REPLY_HIDDEN
            reports.append(
                LearnerReport(
                    id=row.id,
                    pack_id=row.pack_id,
                    code=pack.code(row.question_id) if pack is not None else "",
                    stem_start=" ".join(question.stem.split())[:120] if question is not None else "",
                    reason=ReportReason(row.reason),
                    text=row.text,
                    status=ReportStatus(row.status),
                    reply=reply,
                    created_at=row.created_at,
                    decided_at=row.decided_at,
                )
            )
        return reports

    def reports(self, pack_id: str, status: ReportStatus | None = None) -> list[QuestionReport]:
        """Every report on the pack (an author's view, by authoring id), oldest first; only ``status`` if given."""
        pack = self._pack(pack_id)
        query = select(ReportRow).where(ReportRow.pack_id == pack_id).order_by(ReportRow.created_at, ReportRow.id)
        if status is not None:
            query = query.where(ReportRow.status == status.value)
        with self.sessions() as session:
            return [_report(pack, row) for row in session.scalars(query)]

    def queue(self, pack_id: str, status: ReportStatus | None = ReportStatus.OPEN) -> list[QueueEntry]:
        """The authors' review queue of the pack: reports (open ones by default) with who sent them."""
        pack = self._pack(pack_id)
        withdrawn = self.withdrawn(pack_id)
        # One read of every report on the pack with its sender: the queue is a status's share of them, and each
        # entry says how many reports (of any status) its question has.
        with self.sessions() as session:
            rows = session.execute(
                select(ReportRow, User)
                .join(User, User.id == ReportRow.user_id, isouter=True)
                .where(ReportRow.pack_id == pack_id)
                .order_by(ReportRow.created_at, ReportRow.id)
            ).all()
            reports = [(_report(pack, row), user) for row, user in rows]
        per_question = Counter(report.question_id for report, _ in reports)
        entries = []
        for report, user in reports:
            if status is not None and report.status is not status:
                continue
            name = "(deleted account)"
            if user is not None:
                name = user.display_name or user.username
                name += f" ({user.email})" if user.email and user.email != name else ""
            entries.append(QueueEntry(report, name, report.question_id in withdrawn, per_question[report.question_id]))
        return entries

    def decide(
        self, report_id: int, decider_id: int, status: str, reply: str, now: dt.datetime | None = None
    ) -> QuestionReport:
        """Accept or reject a report with a reply the learner will read."""
        chosen, cleaned = check_reply(status, reply)
        with transaction(self.sessions) as session:
            row = session.get(ReportRow, report_id)
            if row is None:
                raise ReportNotFound(f"No report {report_id}.")
            row.status = chosen.value
            row.reply = cleaned
            row.decided_by = decider_id
            row.decided_at = now or self.clock()
            session.flush()
            return _report(self._pack(row.pack_id), row)

    def withdraw(self, pack_id: str, code: str, by: int, now: dt.datetime | None = None) -> str:
        """Keep the question out of new forms and sessions until it is restored; return its authoring id."""
        question_id = self._question_id(pack_id, code)
        with transaction(self.sessions) as session:
            if session.get(WithdrawnQuestion, (pack_id, question_id)) is None:
                session.add(
                    WithdrawnQuestion(
                        pack_id=pack_id, question_id=question_id, withdrawn_by=by, withdrawn_at=now or self.clock()
                    )
                )
        return question_id

    def restore(self, pack_id: str, code: str) -> str:
        """Let new forms draw the question again; return its authoring id."""
        question_id = self._question_id(pack_id, code)
        with transaction(self.sessions) as session:
            session.execute(
                delete(WithdrawnQuestion).where(
                    WithdrawnQuestion.pack_id == pack_id, WithdrawnQuestion.question_id == question_id
                )
            )
        return question_id

    def withdrawn(self, pack_id: str) -> frozenset[str]:
        """The pack's questions withdrawn from new forms."""
        return self.exams.withdrawn(pack_id)

    def counts(self, pack_id: str) -> list[ReportTally]:
        """Reports per reported question of the pack, most reported first (``certprep pack stats``)."""
        pack = self._pack(pack_id)
        total: Counter[str] = Counter()
        still_open: Counter[str] = Counter()
        for report in self.reports(pack_id):
            total[report.question_id] += 1
            if report.status is ReportStatus.OPEN:
                still_open[report.question_id] += 1
        return [
            ReportTally(question_id, pack.code(question_id), count, still_open[question_id])
            for question_id, count in sorted(total.items(), key=lambda item: (-item[1], item[0]))
        ]

    def _question_id(self, pack_id: str, code: str) -> str:
        question = self._pack(pack_id).question_by_code(code.strip().upper())
        if question is None:
            raise ReportNotFound(f"This pack has no question {code.strip()[:20]!r}.")
        return question.id


def _report(pack: Pack, row: ReportRow) -> QuestionReport:
    return QuestionReport(
        id=row.id,
        pack_id=row.pack_id,
        question_id=row.question_id,
        code=pack.code(row.question_id),
        reason=ReportReason(row.reason),
        text=row.text,
        status=ReportStatus(row.status),
        reply=row.reply,
        created_at=row.created_at,
        decided_at=row.decided_at,
    )
