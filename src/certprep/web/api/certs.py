"""The certification tracker over JSON: /api/v1/certs.

Bookings of the real exam (with fee, voucher and the retake wait), their results, earned credentials with renewal
reminders, the certification path, booking readiness, and the portfolio exports. Dates are sent as ``YYYY-MM-DD``
strings and times as ``HH:MM`` so that a mistake is answered by the tracker's own sentence (a 422 with ``detail``),
the same one the web forms and the CLI show.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from certprep.certs import CredentialInput, JsonResumeCertificates, parse_date, portfolio_zip
from certprep.certs.present import (
    attempt_dict,
    credential_dict,
    facts_dict,
    path_dict,
    readiness_dict,
    reminder_dict,
)
from certprep.web.deps import AppRuntime, Learner, download

router = APIRouter(prefix="/api/v1/certs", tags=["certifications"])


class BookAttempt(BaseModel):
    """A sitting of the real exam to book."""

    model_config = ConfigDict(extra="forbid")

    pack: str = Field("dop-c02", min_length=1, max_length=64, examples=["dop-c02"])
    date: str = Field(max_length=20, examples=["2026-12-10"], description="YYYY-MM-DD")
    time: str = Field(max_length=10, examples=["09:30"], description="HH:MM, 24-hour clock")
    delivery: str = Field(max_length=120, examples=["online"], description="A delivery option or a word of one")
    voucher: bool = Field(False, description="Book with the 50% voucher (needs an active AWS certification)")


class MoveAttempt(BaseModel):
    """A new date, time and (optionally) delivery for a booking without a result."""

    model_config = ConfigDict(extra="forbid")

    date: str = Field(max_length=20, examples=["2026-12-17"])
    time: str = Field(max_length=10, examples=["14:00"])
    delivery: str | None = Field(None, max_length=120)


class ExamResultIn(BaseModel):
    """The result as printed on the score report."""

    model_config = ConfigDict(extra="forbid")

    result: str = Field(max_length=20, examples=["pass"], description="pass or fail")
    scaled_score: int | None = Field(None, examples=[812])
    sections: dict[int, str] = Field(
        default_factory=dict,
        max_length=50,
        examples=[{"1": "meets competencies", "3": "needs improvement"}],
        description="Domain number -> 'meets competencies' or 'needs improvement'",
    )


class CredentialIn(BaseModel):
    """An earned certification. Blank title, provider, level, expiry and skills are filled in from the exam code."""

    model_config = ConfigDict(extra="forbid")

    credential_id: str = Field(max_length=200, examples=["DOP-C02-789456"])
    earned_on: str = Field(max_length=20, examples=["2024-08-15"])
    exam_code: str = Field("", max_length=40, examples=["DOP-C02"])
    title: str = Field("", max_length=400)
    provider: str = Field("", max_length=400)
    level: str = Field("", max_length=100)
    expires_on: str = Field("", max_length=20, description="Blank: 3 years after earned_on for AWS exams")
    verification_url: str = Field("", max_length=1000, examples=["https://www.credly.com/badges/..."])
    skills: list[str] | str = Field(default_factory=list, description="A list, or one comma-separated string")
    description: str = Field("", max_length=4000)
    logo: str = Field("", max_length=400, examples=["/logos/dop-c02.png"])

    def to_input(self) -> CredentialInput:
        return CredentialInput(**self.model_dump())


class SectionOutcome(BaseModel):
    domain: int
    name: str
    outcome: str
    label: str


class Booking(BaseModel):
    """An exam booking, with its result once entered; ``status`` is worked out from today's date."""

    id: int | None
    pack: str
    exam_code: str
    scheduled_on: str = Field(description="YYYY-MM-DD.")
    scheduled_time: str = Field(description="HH:MM, local time of the test centre or the online session.")
    delivery: str
    voucher: bool
    currency: str
    fee: float
    fee_text: str
    status: str
    status_label: str
    result: str | None
    scaled_score: int | None
    sections: list[SectionOutcome]


class ReminderView(BaseModel):
    credential: int | None
    credential_id: str
    title: str
    kind: str
    remind_on: str
    expires_on: str
    days_left: int
    message: str


class RenewalView(BaseModel):
    state: str
    label: str
    days_left: int
    reminder_dates: list[str]
    next_reminder: str | None
    due: ReminderView | None


class CredentialView(BaseModel):
    id: int | None
    credential_id: str
    title: str
    exam_code: str | None
    provider: str
    level: str
    earned_on: str
    expires_on: str
    verification_url: str
    skills: list[str]
    description: str
    logo: str
    renewal: RenewalView | None = None


class ScoreScale(BaseModel):
    min: int
    max: int
    passing: int


class ExamSection(BaseModel):
    domain: int
    name: str


class BookableExam(BaseModel):
    pack: str
    exam_code: str
    name: str
    provider: str
    level: str
    currency: str
    fee: float
    fee_text: str
    voucher_discount_percent: float
    voucher_fee: float
    voucher_fee_text: str
    voucher_rule: str
    retake_wait_days: int
    validity_years: int
    delivery: list[str]
    scale: ScoreScale
    sections: list[ExamSection]


class PathStepView(BaseModel):
    code: str
    name: str
    level: str
    state: str
    is_target: bool
    recommended: bool
    preparation: bool = Field(description="Usually taken before the target; recommended as preparation, not required.")
    credential_id: str | None
    expires_on: str | None


class CertificationPath(BaseModel):
    target: str
    recommended: list[str]
    preparation: list[str] = Field(description="The exams usually taken before the target, when none of them is held.")
    message: str
    tiers: list[list[PathStepView]]


class Journey(BaseModel):
    today: str
    exams: list[BookableExam]
    attempts: list[Booking]
    credentials: list[CredentialView]
    reminders: list[ReminderView]


class Voucher(BaseModel):
    exam_code: str
    eligible: bool = Field(description="Whether the learner may book this exam with the voucher now.")
    rule: str
    fee: float
    voucher_fee: float
    currency: str
    credentials: list[CredentialView] = Field(description="The active credentials that make the learner eligible.")


class BookingAdviceView(BaseModel):
    level: str
    headline: str
    notes: list[str]


class BookingReadiness(BaseModel):
    pass_probability: float | None
    scaled_score: int | None
    scaled_low: int | None
    scaled_high: int | None
    source: str
    measured_on: str | None
    plan_date: str | None
    plan_source: str
    advice: BookingAdviceView
    earliest_retake: str | None


def _day(value: str | None, what: str) -> dt.date | None:
    return parse_date(value, what) if value else None


@router.get(
    "",
    response_model=Journey,
    summary="The whole journey: bookings, credentials with renewal, reminders, bookable exams",
)
def overview(runtime: AppRuntime, learner_id: Learner) -> dict[str, Any]:
    certs = runtime.certs
    today = runtime.today()
    return {
        "today": today.isoformat(),
        "exams": [facts_dict(facts) for facts in certs.bookable()],
        "attempts": [attempt_dict(a, today) for a in certs.attempts(learner_id)],
        "credentials": [credential_dict(r.credential, r) for r in certs.renewals(learner_id, today)],
        "reminders": [reminder_dict(r) for r in certs.reminders(learner_id, today)],
    }


@router.get(
    "/exams",
    response_model=list[BookableExam],
    summary="Exams that can be booked: fee, voucher fee, retake wait, validity, delivery, sections",
)
def exams(runtime: AppRuntime) -> list[dict[str, Any]]:
    return [facts_dict(facts) for facts in runtime.certs.bookable()]


@router.get("/attempts", response_model=list[Booking], summary="The learner's bookings, newest date first")
def list_attempts(runtime: AppRuntime, learner_id: Learner) -> list[dict[str, Any]]:
    today = runtime.today()
    return [attempt_dict(a, today) for a in runtime.certs.attempts(learner_id)]


@router.post(
    "/attempts", status_code=201, response_model=Booking, summary="Book an exam (refused inside the retake wait)"
)
def book(runtime: AppRuntime, learner_id: Learner, body: BookAttempt) -> dict[str, Any]:
    attempt = runtime.certs.book(learner_id, body.pack, body.date, body.time, body.delivery, body.voucher)
    return attempt_dict(attempt, runtime.today())


@router.get("/attempts/{attempt_id}", response_model=Booking, summary="One booking")
def get_attempt(runtime: AppRuntime, learner_id: Learner, attempt_id: int) -> dict[str, Any]:
    return attempt_dict(runtime.certs.attempt(learner_id, attempt_id), runtime.today())


@router.patch("/attempts/{attempt_id}", response_model=Booking, summary="Move a booking that has no result yet")
def move_attempt(runtime: AppRuntime, learner_id: Learner, attempt_id: int, body: MoveAttempt) -> dict[str, Any]:
    attempt = runtime.certs.reschedule(learner_id, attempt_id, body.date, body.time, body.delivery)
    return attempt_dict(attempt, runtime.today())


@router.post("/attempts/{attempt_id}/result", response_model=Booking, summary="Enter the result from the score report")
def enter_result(runtime: AppRuntime, learner_id: Learner, attempt_id: int, body: ExamResultIn) -> dict[str, Any]:
    attempt = runtime.certs.record_result(learner_id, attempt_id, body.result, body.scaled_score, body.sections)
    return attempt_dict(attempt, runtime.today())


@router.delete("/attempts/{attempt_id}", status_code=204, summary="Remove a booking")
def delete_attempt(runtime: AppRuntime, learner_id: Learner, attempt_id: int) -> None:
    runtime.certs.delete_attempt(learner_id, attempt_id)


@router.get(
    "/credentials",
    response_model=list[CredentialView],
    summary="Earned credentials with their renewal state, soonest expiry first",
)
def list_credentials(runtime: AppRuntime, learner_id: Learner) -> list[dict[str, Any]]:
    renewals = runtime.certs.renewals(learner_id)
    return [credential_dict(r.credential, r) for r in renewals]


@router.post("/credentials", status_code=201, response_model=CredentialView, summary="Add an earned credential")
def add_credential(runtime: AppRuntime, learner_id: Learner, body: CredentialIn) -> dict[str, Any]:
    certs = runtime.certs
    credential = certs.add_credential(learner_id, body.to_input())
    return credential_dict(credential, certs.renewal(learner_id, credential))


@router.get("/credentials/{row_id}", response_model=CredentialView, summary="One credential")
def get_credential(runtime: AppRuntime, learner_id: Learner, row_id: int) -> dict[str, Any]:
    certs = runtime.certs
    credential = certs.credential(learner_id, row_id)
    return credential_dict(credential, certs.renewal(learner_id, credential))


@router.put("/credentials/{row_id}", response_model=CredentialView, summary="Replace a credential's details")
def update_credential(runtime: AppRuntime, learner_id: Learner, row_id: int, body: CredentialIn) -> dict[str, Any]:
    certs = runtime.certs
    credential = certs.update_credential(learner_id, row_id, body.to_input())
    return credential_dict(credential, certs.renewal(learner_id, credential))


@router.delete("/credentials/{row_id}", status_code=204, summary="Remove a credential")
def delete_credential(runtime: AppRuntime, learner_id: Learner, row_id: int) -> None:
    runtime.certs.delete_credential(learner_id, row_id)


@router.get(
    "/reminders",
    response_model=list[ReminderView],
    summary="Renewal reminders due today (6 months and 1 month before expiry, then expired)",
)
def reminders(runtime: AppRuntime, learner_id: Learner) -> list[dict[str, Any]]:
    return [reminder_dict(r) for r in runtime.certs.reminders(learner_id)]


@router.get(
    "/voucher",
    response_model=Voucher,
    summary="Whether the learner may book with the voucher, and which credentials qualify",
)
def voucher(runtime: AppRuntime, learner_id: Learner, pack: str = Query("dop-c02", max_length=64)) -> dict[str, Any]:
    certs = runtime.certs
    facts = certs.facts(pack)
    eligible = certs.voucher_credentials(learner_id, pack)
    return {
        "exam_code": facts.exam_code,
        "eligible": bool(eligible) and facts.voucher_available,
        "rule": facts.voucher_rule,
        "fee": facts.fee_cents / 100,
        "voucher_fee": facts.fee(voucher=True) / 100,
        "currency": facts.currency,
        "credentials": [credential_dict(c) for c in eligible],
    }


@router.get(
    "/path",
    response_model=CertificationPath,
    summary="The certification path with what the learner holds and what to take next",
)
def path(runtime: AppRuntime, learner_id: Learner, pack: str = Query("dop-c02", max_length=64)) -> dict[str, Any]:
    return path_dict(runtime.certs.path(learner_id, pack))


@router.get(
    "/readiness",
    response_model=BookingReadiness,
    summary="Before booking: predicted pass probability and the study plan's date",
)
def readiness(
    runtime: AppRuntime,
    learner_id: Learner,
    pack: str = Query("dop-c02", max_length=64),
    date: str | None = Query(None, max_length=20, description="The day you consider booking, YYYY-MM-DD"),
) -> dict[str, Any]:
    certs = runtime.certs
    found, advice = certs.readiness(learner_id, pack, _day(date, "exam date"))
    return {**readiness_dict(found, advice), "earliest_retake": _iso(certs.earliest_retake(learner_id, pack))}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@router.get(
    "/export/jsonresume",
    response_model=JsonResumeCertificates,
    response_model_exclude_unset=True,  # no "url": null for a credential without one
    summary='A JSON Resume fragment: {"certificates": [...]}',
)
def export_json_resume(runtime: AppRuntime, learner_id: Learner) -> JsonResumeCertificates:
    return runtime.certs.json_resume(learner_id)


@router.get(
    "/export/markdown",
    summary="Every credential as a Markdown file with portfolio front matter, in one ZIP",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}},
)
def export_markdown(runtime: AppRuntime, learner_id: Learner) -> Response:
    files = runtime.certs.portfolio(learner_id)
    return download(portfolio_zip(files), "certifications-markdown.zip", "application/zip")


@router.get(
    "/credentials/{row_id}/markdown",
    summary="One credential's portfolio Markdown file",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}}}},
)
def credential_markdown(runtime: AppRuntime, learner_id: Learner, row_id: int) -> Response:
    name, text = runtime.certs.credential_markdown(learner_id, row_id)
    return download(text, name, "text/markdown; charset=utf-8")
