"""What the tracker remembers about a learner's certification journey, as plain immutable values.

Two kinds of record: an :class:`ExamAttempt` is one sitting of the real exam (booked, then passed or failed), and a
:class:`Credential` is a certification the learner holds. The storage layer turns rows into these and back; every rule
in this package works on them alone, so the rules can be tested without a database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from certprep.errors import InvalidInput

Outcome = Literal["pass", "fail"]
SectionOutcome = Literal["meets", "needs_improvement"]
AttemptStatus = Literal["scheduled", "awaiting_result", "passed", "failed"]

OUTCOMES: tuple[Outcome, ...] = ("pass", "fail")
# A real score report rates each section in one of two words, not with a number.
SECTION_OUTCOMES: dict[SectionOutcome, str] = {
    "meets": "Meets competencies",
    "needs_improvement": "Needs improvement",
}
ATTEMPT_STATUS_LABELS: dict[AttemptStatus, str] = {
    "scheduled": "Scheduled",
    "awaiting_result": "Awaiting result",
    "passed": "Passed",
    "failed": "Failed",
}


class CertError(InvalidInput):
    """Input the tracker cannot accept. The message is a sentence the learner can act on."""


class RetakeTooSoon(CertError):
    """An attempt booked inside the wait that follows a failed attempt."""

    def __init__(self, message: str, earliest: dt.date) -> None:
        super().__init__(message)
        self.earliest = earliest


@dataclass(frozen=True)
class SectionResult:
    """One section (exam domain) of a score report, as the learner copied it from the real report."""

    domain: int
    name: str
    outcome: SectionOutcome

    @property
    def label(self) -> str:
        return SECTION_OUTCOMES[self.outcome]


@dataclass(frozen=True)
class ExamAttempt:
    """One sitting of a real exam.

    ``scheduled_time`` is the wall-clock time at the test centre or on the learner's own clock for an online exam;
    the retake rule counts whole days, so no time zone is needed.
    """

    exam_code: str
    pack_id: str
    scheduled_on: dt.date
    scheduled_time: dt.time
    delivery: str
    voucher: bool
    fee_cents: int
    currency: str = "USD"
    result: Outcome | None = None
    scaled_score: int | None = None
    sections: tuple[SectionResult, ...] = ()
    id: int | None = None

    def status(self, today: dt.date) -> AttemptStatus:
        """Scheduled until the day comes, then waiting for the learner to enter the result, then passed or failed."""
        if self.result == "pass":
            return "passed"
        if self.result == "fail":
            return "failed"
        return "scheduled" if self.scheduled_on > today else "awaiting_result"


@dataclass(frozen=True)
class Credential:
    """An earned certification.

    ``credential_id`` is the issuer's id (the one on the certificate), unique among one learner's credentials;
    ``id`` is certprep's own row number. A credential counts as active from the day it was earned up to, not
    including, its expiry date.
    """

    credential_id: str
    title: str
    provider: str
    earned_on: dt.date
    expires_on: dt.date
    exam_code: str | None = None
    level: str = ""
    verification_url: str = ""
    skills: tuple[str, ...] = field(default_factory=tuple)
    description: str = ""
    logo: str = ""
    id: int | None = None

    def active_on(self, day: dt.date) -> bool:
        return self.earned_on <= day < self.expires_on
