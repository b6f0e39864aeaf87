"""The certification tracker: exam attempts, earned credentials, renewal, the path, and portfolio exports.

Pure Python: nothing here touches the web, the database or the terminal. Exam facts (fee, voucher, retake wait,
validity, delivery options, path) are read from pack blueprints by :mod:`certprep.certs.facts`; the rules that use
them live in :mod:`certprep.certs.rules` and :mod:`certprep.certs.path`; :mod:`certprep.certs.portfolio` writes the
exports.
"""

from certprep.certs.facts import ExamFacts, KnownExam, default_expiry, exam_facts, format_money, known_exams
from certprep.certs.path import PathView, StepView, path_view
from certprep.certs.portfolio import (
    FRONT_MATTER_KEYS,
    JsonResumeCertificates,
    ResumeCertificate,
    front_matter,
    json_resume_certificates,
    portfolio_filenames,
    portfolio_markdown,
    portfolio_zip,
)
from certprep.certs.readiness import BookingAdvice, Readiness, booking_advice
from certprep.certs.records import CertError, Credential, ExamAttempt, RetakeTooSoon, SectionResult
from certprep.certs.rules import (
    Reminder,
    Renewal,
    check_result,
    check_retake,
    check_voucher,
    due_reminders,
    earliest_retake,
    renewal,
    renewals,
    voucher_credentials,
)
from certprep.certs.validate import CredentialInput, build_credential, parse_date, parse_time

__all__ = [
    "FRONT_MATTER_KEYS",
    "BookingAdvice",
    "CertError",
    "Credential",
    "CredentialInput",
    "ExamAttempt",
    "ExamFacts",
    "JsonResumeCertificates",
    "KnownExam",
    "PathView",
    "Readiness",
    "Reminder",
    "Renewal",
    "ResumeCertificate",
    "RetakeTooSoon",
    "SectionResult",
    "StepView",
    "booking_advice",
    "build_credential",
    "check_result",
    "check_retake",
    "check_voucher",
    "default_expiry",
    "due_reminders",
    "earliest_retake",
    "exam_facts",
    "format_money",
    "front_matter",
    "json_resume_certificates",
    "known_exams",
    "parse_date",
    "parse_time",
    "path_view",
    "portfolio_filenames",
    "portfolio_markdown",
    "portfolio_zip",
    "renewal",
    "renewals",
    "voucher_credentials",
]
