"""The rules of the certification journey: the retake wait, the voucher, results, renewal reminders.

Each function takes the learner's records and a date, and either answers a question or raises :class:`CertError`
with a sentence that says what to do instead. The numbers (wait days, discount, validity) come from
:class:`~certprep.certs.facts.ExamFacts`, which comes from the pack blueprint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from dateutil.relativedelta import relativedelta

from certprep.certs.facts import ExamFacts, KnownExam
from certprep.certs.records import (
    SECTION_OUTCOMES,
    CertError,
    Credential,
    ExamAttempt,
    Outcome,
    RetakeTooSoon,
    SectionOutcome,
    SectionResult,
)

# -- the retake rule ---------------------------------------------------------------------------------------------


def _same_exam(attempts: Iterable[ExamAttempt], exam_code: str, ignore_id: int | None) -> list[ExamAttempt]:
    code = exam_code.upper()
    return [a for a in attempts if a.exam_code.upper() == code and (ignore_id is None or a.id != ignore_id)]


def earliest_retake(
    attempts: Iterable[ExamAttempt], exam_code: str, wait_days: int, ignore_id: int | None = None
) -> dt.date | None:
    """The first day a new attempt may be sat: the latest failed attempt's date plus the wait; None if none failed."""
    failed = [a.scheduled_on for a in _same_exam(attempts, exam_code, ignore_id) if a.result == "fail"]
    return max(failed) + dt.timedelta(days=wait_days) if failed else None


def check_retake(
    proposed: dt.date, attempts: Iterable[ExamAttempt], exam_code: str, wait_days: int, ignore_id: int | None = None
) -> None:
    """Refuse ``proposed`` if it falls inside the wait after any failed attempt on or before it.

    Only failures on or before the proposed day matter: a learner entering an old sitting from years ago is not
    held back by a failure that came later. ``ignore_id`` leaves out the attempt being moved.
    """
    for failed in sorted(_same_exam(attempts, exam_code, ignore_id), key=lambda a: a.scheduled_on, reverse=True):
        if failed.result != "fail" or failed.scheduled_on > proposed:
            continue
        earliest = failed.scheduled_on + dt.timedelta(days=wait_days)
        if proposed < earliest:
            raise RetakeTooSoon(
                f"{exam_code} was failed on {failed.scheduled_on.isoformat()}; after a failed attempt you must wait "
                f"{wait_days} days, so the earliest retake date is {earliest.isoformat()}. "
                f"Choose {earliest.isoformat()} or later.",
                earliest,
            )


def check_failure(attempt: ExamAttempt, attempts: Iterable[ExamAttempt], wait_days: int) -> None:
    """Before recording ``attempt`` as failed: no other sitting of the same exam may already sit inside its wait."""
    earliest = attempt.scheduled_on + dt.timedelta(days=wait_days)
    for other in _same_exam(attempts, attempt.exam_code, attempt.id):
        if attempt.scheduled_on <= other.scheduled_on < earliest:
            raise CertError(
                f"Another {attempt.exam_code} attempt is booked for {other.scheduled_on.isoformat()}, less than "
                f"{wait_days} days after this one. A failed attempt must be followed by a {wait_days}-day wait: "
                f"move that booking to {earliest.isoformat()} or later first."
            )


# -- booking and results -----------------------------------------------------------------------------------------


def match_delivery(text: str, options: Sequence[str]) -> str:
    """The delivery option ``text`` names: exact (any case), or the one option that contains it ("online")."""
    wanted = " ".join(text.split()).casefold()
    if not options:
        raise CertError("This exam's pack lists no delivery options.")
    if not wanted:
        raise CertError(f"Choose how you take the exam: {' or '.join(options)}.")
    exact = [option for option in options if option.casefold() == wanted]
    partial = [option for option in options if wanted in option.casefold()]
    found = exact or partial
    if len(found) != 1:
        raise CertError(f"'{text}' is not a delivery option of this exam; choose {' or '.join(options)}.")
    return found[0]


def voucher_credentials(
    credentials: Iterable[Credential], facts: ExamFacts, known: Mapping[str, KnownExam], on: dt.date
) -> list[Credential]:
    """The credentials that earn the learner the voucher for ``facts``' exam on day ``on``.

    A credential counts when it is active that day and comes from the same provider as the exam: either its
    provider is the exam's, or its exam code is one the installed packs attribute to that provider. (So "AWS" typed
    by hand still counts for an AWS exam when the exam code is on the path.)
    """
    provider = facts.provider.casefold()
    eligible = []
    for credential in credentials:
        code = (credential.exam_code or "").upper()
        same_provider = credential.provider.casefold() == provider or (
            code in known and known[code].provider.casefold() == provider
        )
        if same_provider and credential.active_on(on):
            eligible.append(credential)
    return sorted(eligible, key=lambda c: c.expires_on, reverse=True)


def check_voucher(wants_voucher: bool, facts: ExamFacts, eligible: Sequence[Credential], on: dt.date) -> None:
    """Refuse a voucher the exam does not offer or the learner does not qualify for."""
    if not wants_voucher:
        return
    if not facts.voucher_available:
        raise CertError(f"{facts.exam_code} has no voucher discount.")
    if not eligible:
        rule = facts.voucher_rule or f"The voucher needs an active {facts.provider} certification."
        raise CertError(
            f"{rule} None of your credentials is active on {on.isoformat()}; add the certification you hold "
            "under Certifications first, or book at the full fee."
        )


def section_results(entered: Mapping[int, str], facts: ExamFacts) -> tuple[SectionResult, ...]:
    """Check section outcomes typed from a score report: known domains, and one of the report's two words."""
    results = []
    for domain, outcome in sorted(entered.items()):
        name = facts.domain_name(domain)
        if name is None:
            numbers = ", ".join(str(number) for number, _ in facts.domains)
            raise CertError(f"{facts.exam_code} has no section {domain}; its sections are {numbers}.")
        normalised = outcome.strip().lower().replace(" ", "_").replace("-", "_")
        if normalised in ("meets_competencies", "meets"):
            chosen: SectionOutcome = "meets"
        elif normalised == "needs_improvement":
            chosen = "needs_improvement"
        else:
            words = " or ".join(f"'{key}'" for key in SECTION_OUTCOMES)
            raise CertError(f"Section {domain}: '{outcome}' is not a score-report outcome; use {words}.")
        results.append(SectionResult(domain=domain, name=name, outcome=chosen))
    return tuple(results)


def result_not_yet(attempt: ExamAttempt, today: dt.date) -> str | None:
    """Why no result can be entered for ``attempt`` yet (its day has not come), or None when one can.

    The result form asks this before it offers any field, and :func:`check_result` before it stores one, so both say
    the same sentence.
    """
    if attempt.scheduled_on <= today:
        return None
    return f"This attempt is booked for {attempt.scheduled_on.isoformat()}; enter its result after you have sat it."


def check_result(
    attempt: ExamAttempt, outcome: str, scaled_score: int | None, facts: ExamFacts, today: dt.date
) -> Outcome:
    """Check a result against the exam's scale and pass mark; return the outcome as "pass" or "fail"."""
    too_early = result_not_yet(attempt, today)
    if too_early is not None:
        raise CertError(too_early)
    cleaned = outcome.strip().lower()
    if cleaned in ("passed", "pass"):
        result: Outcome = "pass"
    elif cleaned in ("failed", "fail"):
        result = "fail"
    else:
        raise CertError(f"'{outcome}' is not a result; use 'pass' or 'fail'.")
    if scaled_score is not None:
        if not facts.scale_min <= scaled_score <= facts.scale_max:
            raise CertError(
                f"A {facts.exam_code} scaled score is between {facts.scale_min} and {facts.scale_max}; "
                f"{scaled_score} is not."
            )
        if (scaled_score >= facts.passing_score) != (result == "pass"):
            verb = "passes" if scaled_score >= facts.passing_score else "fails"
            raise CertError(
                f"A scaled score of {scaled_score} {verb} {facts.exam_code} (the pass mark is {facts.passing_score}), "
                f"but the result says '{result}'. Check the score report."
            )
    return result


# -- renewal -----------------------------------------------------------------------------------------------------

ReminderKind = Literal["6 months", "1 month", "expired"]
RenewalState = Literal["active", "renew_soon", "renew_now", "expired", "renewed"]
RENEWAL_LABELS: dict[RenewalState, str] = {
    "active": "Active",
    "renew_soon": "Renew soon",
    "renew_now": "Renew now",
    "expired": "Expired",
    "renewed": "Renewed",
}
# When a credential's reminders fall due, counted back from its expiry date (calendar months, not 30-day blocks).
REMINDER_OFFSETS: tuple[tuple[ReminderKind, relativedelta], ...] = (
    ("6 months", relativedelta(months=6)),
    ("1 month", relativedelta(months=1)),
)


@dataclass(frozen=True)
class Reminder:
    """A reminder to renew one credential: due from ``remind_on``; ``message`` says what is left."""

    credential: Credential
    kind: ReminderKind
    remind_on: dt.date
    days_left: int

    @property
    def message(self) -> str:
        title, expiry = self.credential.title, self.credential.expires_on.isoformat()
        if self.kind == "expired":
            return f"{title} expired on {expiry}; pass the exam again to hold it."
        days = f"{self.days_left} day{'' if self.days_left == 1 else 's'}"
        return f"{title} expires on {expiry}, in {days}: renew it before then."


@dataclass(frozen=True)
class Renewal:
    """Where one credential stands: its state, its reminders, the one due now and the next one to come."""

    credential: Credential
    state: RenewalState
    days_left: int
    reminders: tuple[Reminder, ...]
    due: Reminder | None
    next_reminder: dt.date | None

    @property
    def label(self) -> str:
        return RENEWAL_LABELS[self.state]


def _renewed_by(credential: Credential, credentials: Iterable[Credential]) -> Credential | None:
    """A later credential for the same exam that outlasts this one: the learner has already renewed it."""
    if not credential.exam_code:
        return None
    return next(
        (
            other
            for other in credentials
            if other is not credential
            and other.credential_id != credential.credential_id
            and (other.exam_code or "").upper() == credential.exam_code.upper()
            and other.expires_on > credential.expires_on
        ),
        None,
    )


def renewal(credential: Credential, today: dt.date, others: Iterable[Credential] = ()) -> Renewal:
    """The renewal state of ``credential`` on ``today``: reminders 6 months and 1 month before expiry, then expired.

    A credential already replaced by a later one for the same exam is "renewed" and raises no reminders.
    """
    days_left = (credential.expires_on - today).days
    reminders = [
        Reminder(credential, kind, credential.expires_on - offset, days_left) for kind, offset in REMINDER_OFFSETS
    ]
    reminders.append(Reminder(credential, "expired", credential.expires_on, days_left))
    if _renewed_by(credential, others) is not None:
        return Renewal(credential, "renewed", days_left, tuple(reminders), None, None)
    due = [reminder for reminder in reminders if reminder.remind_on <= today]
    upcoming = [r.remind_on for r in reminders if r.remind_on > today and r.kind != "expired"]
    latest = due[-1] if due else None
    states: dict[ReminderKind, RenewalState] = {"6 months": "renew_soon", "1 month": "renew_now", "expired": "expired"}
    state: RenewalState = states[latest.kind] if latest else "active"
    return Renewal(credential, state, days_left, tuple(reminders), latest, min(upcoming) if upcoming else None)


def renewals(credentials: Sequence[Credential], today: dt.date) -> list[Renewal]:
    """Every credential's renewal state, soonest expiry first."""
    return sorted((renewal(c, today, credentials) for c in credentials), key=lambda r: r.credential.expires_on)


def due_reminders(credentials: Sequence[Credential], today: dt.date) -> list[Reminder]:
    """The reminders to show today: the most urgent one per credential, soonest expiry first."""
    return [r.due for r in renewals(credentials, today) if r.due is not None]
