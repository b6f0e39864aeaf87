"""The certification tracker in the database: bookings, results and credentials, with the rules of certprep.certs.

Every read and write is filtered by the learner's id, so one learner can never see or change another's bookings or
credentials. Rules (retake wait, voucher, scale, uniqueness, dates) are checked by the pure functions in
``certprep.certs`` before anything is written; the unique constraint on (user, credential id) backs the uniqueness
rule up when two requests race.

Readiness for the booking page starts from the pass probability of the learner's latest full mock exam of that pack
(scored by the engine's Rasch model) and the ``exam_date`` setting the study planner keeps. When the runtime gives the
service a :class:`LearningModel` (the learning service), :func:`with_learning_model` layers its prediction and exam
date on top, and quietly keeps the mock exam's figures when it has no evidence or refuses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from certprep.certs.facts import ExamFacts, KnownExam, exam_facts, known_exams
from certprep.certs.path import PathView, path_view
from certprep.certs.portfolio import (
    JsonResumeCertificates,
    json_resume_certificates,
    portfolio_filenames,
    portfolio_markdown,
)
from certprep.certs.readiness import BookingAdvice, Readiness, booking_advice
from certprep.certs.records import CertError, Credential, ExamAttempt, SectionResult
from certprep.certs.rules import (
    Reminder,
    Renewal,
    check_failure,
    check_result,
    check_retake,
    check_voucher,
    due_reminders,
    earliest_retake,
    match_delivery,
    renewal,
    renewals,
    section_results,
    voucher_credentials,
)
from certprep.certs.validate import CredentialInput, build_credential, parse_date, parse_time
from certprep.clock import Clock, local_today, system_clock
from certprep.content.models import Pack
from certprep.errors import CertprepError, NotFound
from certprep.services.exams import submitted_exams
from certprep.services.learning.results import Readiness as LearnerReadiness
from certprep.store.db import transaction
from certprep.store.schema import CertAttempt, CertCredential, Setting

# The study planner keeps the learner's target exam date under this settings key (YYYY-MM-DD).
PLAN_DATE_SETTING = "exam_date"
# Attribute names a study plan may use for the date it suggests sitting the exam, most specific first.


class LearningModel(Protocol):
    """What the booking advice asks of the learning loop; ``certprep.services.learning.LearningService`` is one.

    A protocol rather than an import: the tracker works on its own (tests, a runtime without the learning service),
    and the learning service does not depend on the tracker either.
    """

    def readiness(self, user_id: int, pack_id: str) -> LearnerReadiness:
        """The learner's predicted result on the pack's exam, from practice and reviews."""
        ...

    def exam_date(self, user_id: int, pack_id: str) -> dt.date | None:
        """The exam date the learner planned for, if any."""
        ...


class CertNotFound(NotFound):
    """No such booking or credential for this learner."""


def _attempt(row: CertAttempt) -> ExamAttempt:
    return ExamAttempt(
        id=row.id,
        exam_code=row.exam_code,
        pack_id=row.pack_id,
        scheduled_on=row.scheduled_on,
        scheduled_time=row.scheduled_time,
        delivery=row.delivery,
        voucher=row.voucher,
        fee_cents=row.fee_cents,
        currency=row.currency,
        result="pass" if row.result == "pass" else "fail" if row.result == "fail" else None,
        scaled_score=row.scaled_score,
        sections=tuple(
            SectionResult(domain=int(s["domain"]), name=str(s["name"]), outcome=s["outcome"])
            for s in (row.sections or [])
        ),
    )


def _credential(row: CertCredential) -> Credential:
    return Credential(
        id=row.id,
        credential_id=row.credential_id,
        title=row.title,
        provider=row.provider,
        earned_on=row.earned_on,
        expires_on=row.expires_on,
        exam_code=row.exam_code,
        level=row.level,
        verification_url=row.verification_url,
        skills=tuple(row.skills or ()),
        description=row.description,
        logo=row.logo,
    )


def _write_credential(row: CertCredential, credential: Credential) -> None:
    row.credential_id = credential.credential_id
    row.title = credential.title
    row.provider = credential.provider
    row.earned_on = credential.earned_on
    row.expires_on = credential.expires_on
    row.exam_code = credential.exam_code
    row.level = credential.level
    row.verification_url = credential.verification_url
    row.skills = list(credential.skills)
    row.description = credential.description
    row.logo = credential.logo


class CertService:
    """The certification journey of the learners of one running certprep."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        packs: Mapping[str, Pack],
        learning: LearningModel | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self.sessions = sessions
        self.packs = packs
        self.learning = learning
        self.clock = clock

    def _today(self) -> dt.date:
        return local_today(self.clock)

    # -- exam facts -----------------------------------------------------------------------------------------------

    def known(self) -> dict[str, KnownExam]:
        return known_exams((pack_id, pack.blueprint) for pack_id, pack in self.packs.items())

    def facts(self, pack_id: str) -> ExamFacts:
        pack = self.packs.get(pack_id)
        if pack is None:
            raise CertNotFound(f"No pack named '{pack_id}' is installed.")
        return exam_facts(pack_id, pack.blueprint)

    def bookable(self) -> list[ExamFacts]:
        """Every installed exam whose blueprint has logistics, in pack-id order."""
        return [
            exam_facts(pack_id, self.packs[pack_id].blueprint)
            for pack_id in sorted(self.packs)
            if self.packs[pack_id].blueprint.logistics is not None
        ]

    def pack_for_exam(self, exam_code: str) -> str | None:
        code = exam_code.strip().upper()
        return next((pid for pid, pack in self.packs.items() if pack.blueprint.exam_code.upper() == code), None)

    # -- reading --------------------------------------------------------------------------------------------------

    def attempts(self, user_id: int) -> list[ExamAttempt]:
        """The learner's bookings, newest date first."""
        with self.sessions() as session:
            rows = session.scalars(
                select(CertAttempt)
                .where(CertAttempt.user_id == user_id)
                .order_by(CertAttempt.scheduled_on.desc(), CertAttempt.scheduled_time.desc(), CertAttempt.id.desc())
            ).all()
            return [_attempt(row) for row in rows]

    def attempt(self, user_id: int, attempt_id: int) -> ExamAttempt:
        with self.sessions() as session:
            return _attempt(self._attempt_row(session, user_id, attempt_id))

    def credentials(self, user_id: int) -> list[Credential]:
        """The learner's credentials, most recently earned first."""
        with self.sessions() as session:
            rows = session.scalars(
                select(CertCredential)
                .where(CertCredential.user_id == user_id)
                .order_by(CertCredential.earned_on.desc(), CertCredential.id.desc())
            ).all()
            return [_credential(row) for row in rows]

    def credential(self, user_id: int, row_id: int) -> Credential:
        with self.sessions() as session:
            return _credential(self._credential_row(session, user_id, row_id))

    def credential_by_issuer_id(self, user_id: int, credential_id: str) -> Credential:
        wanted = credential_id.strip().casefold()
        found = next((c for c in self.credentials(user_id) if c.credential_id.casefold() == wanted), None)
        if found is None:
            raise CertNotFound(f"You have no credential with the id '{credential_id.strip()}'.")
        return found

    def _attempt_row(self, session: Session, user_id: int, attempt_id: int) -> CertAttempt:
        row = session.scalar(select(CertAttempt).where(CertAttempt.id == attempt_id, CertAttempt.user_id == user_id))
        if row is None:
            raise CertNotFound("No such exam booking.")
        return row

    def _credential_row(self, session: Session, user_id: int, row_id: int) -> CertCredential:
        row = session.scalar(
            select(CertCredential).where(CertCredential.id == row_id, CertCredential.user_id == user_id)
        )
        if row is None:
            raise CertNotFound("No such credential.")
        return row

    # -- booking --------------------------------------------------------------------------------------------------

    def book(
        self,
        user_id: int,
        pack_id: str,
        on: str | dt.date,
        at: str | dt.time,
        delivery: str,
        voucher: bool = False,
        today: dt.date | None = None,
    ) -> ExamAttempt:
        """Book a sitting of the pack's exam, after checking the retake wait and the voucher."""
        today = today or self._today()
        facts = self.facts(pack_id)
        scheduled_on, scheduled_time = parse_date(on, "exam date"), parse_time(at, "exam time")
        chosen = match_delivery(delivery, facts.delivery)
        check_retake(scheduled_on, self.attempts(user_id), facts.exam_code, facts.retake_wait_days)
        eligible = voucher_credentials(self.credentials(user_id), facts, self.known(), today)
        check_voucher(voucher, facts, eligible, today)
        with transaction(self.sessions) as session:
            row = CertAttempt(
                user_id=user_id,
                pack_id=pack_id,
                exam_code=facts.exam_code,
                scheduled_on=scheduled_on,
                scheduled_time=scheduled_time,
                delivery=chosen,
                voucher=voucher,
                fee_cents=facts.fee(voucher),
                currency=facts.currency,
                sections=[],
            )
            session.add(row)
            session.flush()
            return _attempt(row)

    def reschedule(
        self,
        user_id: int,
        attempt_id: int,
        on: str | dt.date,
        at: str | dt.time,
        delivery: str | None = None,
    ) -> ExamAttempt:
        """Move a booking (date, time, delivery). Its fee and voucher stay as booked."""
        current = self.attempt(user_id, attempt_id)
        if current.result is not None:
            raise CertError("This attempt already has a result; it cannot be moved.")
        facts = self.facts(current.pack_id)
        scheduled_on, scheduled_time = parse_date(on, "exam date"), parse_time(at, "exam time")
        chosen = match_delivery(delivery, facts.delivery) if delivery else current.delivery
        check_retake(
            scheduled_on, self.attempts(user_id), current.exam_code, facts.retake_wait_days, ignore_id=attempt_id
        )
        with transaction(self.sessions) as session:
            row = self._attempt_row(session, user_id, attempt_id)
            row.scheduled_on, row.scheduled_time, row.delivery = scheduled_on, scheduled_time, chosen
            session.flush()
            return _attempt(row)

    def record_result(
        self,
        user_id: int,
        attempt_id: int,
        outcome: str,
        scaled_score: int | None = None,
        sections: Mapping[int, str] | None = None,
        today: dt.date | None = None,
    ) -> ExamAttempt:
        """Enter the result from the score report: pass or fail, scaled score, and section outcomes."""
        today = today or self._today()
        current = self.attempt(user_id, attempt_id)
        facts = self.facts(current.pack_id)
        result = check_result(current, outcome, scaled_score, facts, today)
        checked = section_results(sections or {}, facts)
        if result == "fail":
            check_failure(current, self.attempts(user_id), facts.retake_wait_days)
        with transaction(self.sessions) as session:
            row = self._attempt_row(session, user_id, attempt_id)
            row.result = result
            row.scaled_score = scaled_score
            row.sections = [{"domain": s.domain, "name": s.name, "outcome": s.outcome} for s in checked]
            row.result_entered_at = self.clock()
            session.flush()
            return _attempt(row)

    def delete_attempt(self, user_id: int, attempt_id: int) -> None:
        with transaction(self.sessions) as session:
            session.delete(self._attempt_row(session, user_id, attempt_id))

    def earliest_retake(self, user_id: int, pack_id: str) -> dt.date | None:
        facts = self.facts(pack_id)
        return earliest_retake(self.attempts(user_id), facts.exam_code, facts.retake_wait_days)

    # -- credentials ----------------------------------------------------------------------------------------------

    def add_credential(self, user_id: int, raw: CredentialInput, today: dt.date | None = None) -> Credential:
        """Check and store a credential; its id must be new among the learner's credentials."""
        today = today or self._today()
        existing = [c.credential_id for c in self.credentials(user_id)]
        credential = build_credential(raw, self.known(), existing, today)
        try:
            with transaction(self.sessions) as session:
                row = CertCredential(user_id=user_id)
                _write_credential(row, credential)
                session.add(row)
                session.flush()
                return replace(credential, id=row.id)
        except IntegrityError:
            # Another request stored the same id between our check and our write.
            raise CertError(_duplicate_message(credential.credential_id)) from None

    def update_credential(
        self, user_id: int, row_id: int, raw: CredentialInput, today: dt.date | None = None
    ) -> Credential:
        today = today or self._today()
        self.credential(user_id, row_id)  # 404 before 422: a missing credential is the first thing to say
        existing = [c.credential_id for c in self.credentials(user_id) if c.id != row_id]
        credential = build_credential(raw, self.known(), existing, today, row_id=row_id)
        try:
            with transaction(self.sessions) as session:
                row = self._credential_row(session, user_id, row_id)
                _write_credential(row, credential)
                return credential
        except IntegrityError:
            raise CertError(_duplicate_message(credential.credential_id)) from None

    def delete_credential(self, user_id: int, row_id: int) -> None:
        with transaction(self.sessions) as session:
            session.delete(self._credential_row(session, user_id, row_id))

    # -- views ----------------------------------------------------------------------------------------------------

    def renewals(self, user_id: int, today: dt.date | None = None) -> list[Renewal]:
        return renewals(self.credentials(user_id), today or self._today())

    def renewal(self, user_id: int, credential: Credential, today: dt.date | None = None) -> Renewal:
        """One credential's renewal state, knowing the learner's other credentials (a later pass renews it)."""
        return renewal(credential, today or self._today(), self.credentials(user_id))

    def reminders(self, user_id: int, today: dt.date | None = None) -> list[Reminder]:
        return due_reminders(self.credentials(user_id), today or self._today())

    def voucher_credentials(self, user_id: int, pack_id: str, today: dt.date | None = None) -> list[Credential]:
        """The credentials that make the learner eligible for the pack exam's voucher today."""
        return voucher_credentials(self.credentials(user_id), self.facts(pack_id), self.known(), today or self._today())

    def path(self, user_id: int, pack_id: str, today: dt.date | None = None) -> PathView:
        pack = self.packs.get(pack_id)
        if pack is None:
            raise CertNotFound(f"No pack named '{pack_id}' is installed.")
        return path_view(
            pack.blueprint.path, self.credentials(user_id), today or self._today(), pack.blueprint.exam_code
        )

    def readiness(self, user_id: int, pack_id: str, proposed: dt.date | None = None) -> tuple[Readiness, BookingAdvice]:
        """The learner's readiness for the pack's exam and the advice to show before booking on ``proposed``."""
        self.facts(pack_id)
        readiness = self.mock_exam_readiness(user_id, pack_id)
        if self.learning is not None:
            readiness = with_learning_model(readiness, self.learning, user_id, pack_id)
        return readiness, booking_advice(readiness, proposed)

    def mock_exam_readiness(self, user_id: int, pack_id: str) -> Readiness:
        """Readiness from the learner's latest submitted full or 100-question mock exam, and the plan's exam date."""
        with self.sessions() as session:
            latest = session.scalar(submitted_exams(user_id, pack_id).limit(1))
            setting = session.get(Setting, (user_id, PLAN_DATE_SETTING))
            plan_value: Any = setting.value if setting is not None else None
        probability = score = measured = None
        score_range: Any = None
        source = ""
        if latest is not None and isinstance(latest.result, dict) and "pass_probability" in latest.result:
            probability = float(latest.result["pass_probability"])
            score = latest.result.get("scaled_score")
            score_range = latest.result.get("score_range")
            measured = latest.submitted_at.date() if latest.submitted_at else None
            kind = "full mock exam" if latest.mode == "full" else "100-question mock exam"
            source = f"from your {kind} on {measured.isoformat()}" if measured else f"from your {kind}"
        plan_date = _plan_date(plan_value)
        return Readiness(
            pass_probability=probability,
            scaled_score=_whole(score),
            scaled_low=_whole(score_range[0]) if isinstance(score_range, list) and len(score_range) == 2 else None,
            scaled_high=_whole(score_range[1]) if isinstance(score_range, list) and len(score_range) == 2 else None,
            source=source,
            measured_on=measured,
            plan_date=plan_date,
            plan_source="the exam date in your study plan" if plan_date else "",
        )

    # -- exports --------------------------------------------------------------------------------------------------

    def portfolio(self, user_id: int) -> list[tuple[str, str]]:
        """(file name, Markdown) for each of the learner's credentials."""
        credentials = self.credentials(user_id)
        known = self.known()
        names = portfolio_filenames(credentials)
        return [
            (name, portfolio_markdown(c, known.get((c.exam_code or "").upper())))
            for name, c in zip(names, credentials, strict=True)
        ]

    def credential_markdown(self, user_id: int, row_id: int) -> tuple[str, str]:
        credential = self.credential(user_id, row_id)
        name = portfolio_filenames([credential])[0]
        return name, portfolio_markdown(credential, self.known().get((credential.exam_code or "").upper()))

    def json_resume(self, user_id: int) -> JsonResumeCertificates:
        """A JSON Resume fragment: ``{"certificates": [...]}``, ready to merge into a resume.json."""
        return JsonResumeCertificates(certificates=tuple(json_resume_certificates(self.credentials(user_id))))


def _duplicate_message(credential_id: str) -> str:
    return f"You already have a credential with the id '{credential_id}'; credential ids must be unique."


def _plan_date(value: Any) -> dt.date | None:
    """The plan's date from the settings value: "YYYY-MM-DD", or {"date": "YYYY-MM-DD"}; anything else is ignored."""
    if isinstance(value, dict):
        value = value.get("date") or value.get("exam_date")
    if not isinstance(value, str):
        return None
    try:
        return parse_date(value, "plan date")
    except CertError:
        return None


def attempts_for(attempts: Sequence[ExamAttempt], exam_code: str) -> list[ExamAttempt]:
    return [a for a in attempts if a.exam_code.upper() == exam_code.upper()]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _whole(value: Any) -> int | None:
    number = _number(value)
    return round(number) if number is not None else None


def with_learning_model(base: Readiness, learning: LearningModel, user_id: int, pack_id: str) -> Readiness:
    """``base`` with the learning model's prediction and exam date where it has them.

    A prediction made from no evidence at all is only the model's prior, so it is not shown as a prediction. A refusal
    from the learning loop (a pack it does not know) leaves ``base`` as it is: the booking page must never fail because
    a prediction could not be made. Any other exception is a bug and is not hidden.
    """
    try:
        predicted = learning.readiness(user_id, pack_id)
        planned = learning.exam_date(user_id, pack_id)
    except CertprepError:
        return base
    if predicted.evidence > 0 and 0.0 <= predicted.pass_probability <= 1.0:
        base = replace(
            base,
            pass_probability=predicted.pass_probability,
            scaled_score=predicted.scaled_score,
            scaled_low=predicted.scaled_low,
            scaled_high=predicted.scaled_high,
            source="from your practice and reviews so far",
            measured_on=None,
        )
    if planned is not None:
        base = replace(base, plan_date=planned, plan_source="the exam date in your study plan")
    return base
