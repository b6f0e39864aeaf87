"""Certification tracker pages: the journey, credential and booking forms, results, the path, exports.

Plain HTML forms, no script. A form that fails a rule is shown again with the learner's input kept and the rule's
sentence above it (status 422), so a typo in one field never costs the rest of the form.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from certprep.certs import CertError, Credential, CredentialInput, ExamAttempt, parse_date, portfolio_zip
from certprep.certs.present import attempt_dict, credential_dict, facts_dict, path_dict, readiness_dict, reminder_dict
from certprep.certs.records import SECTION_OUTCOMES
from certprep.certs.rules import result_not_yet
from certprep.web.deps import AppRuntime, Learner, current_user_id, download, get_runtime
from certprep.web.templating import templates

router = APIRouter(include_in_schema=False)


class CredentialForm(BaseModel):
    """The add/edit credential form's fields, as typed (validation happens in the tracker, which keeps the input)."""

    model_config = ConfigDict(extra="ignore")  # the form also carries csrf_token

    credential_id: str = Field("", max_length=200)
    exam_code: str = Field("", max_length=40)
    title: str = Field("", max_length=400)
    provider: str = Field("", max_length=400)
    level: str = Field("", max_length=100)
    earned_on: str = Field("", max_length=20)
    expires_on: str = Field("", max_length=20)
    verification_url: str = Field("", max_length=1000)
    skills: str = Field("", max_length=4000)
    description: str = Field("", max_length=4000)
    logo: str = Field("", max_length=400)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _default_pack(request: Request) -> str | None:
    """The pack to book and to show the path for: DOP-C02 when installed, else the first bookable one."""
    bookable = get_runtime(request).certs.bookable()
    ids = [facts.pack_id for facts in bookable]
    return "dop-c02" if "dop-c02" in ids else (ids[0] if ids else None)


@router.get("/certs", response_class=HTMLResponse)
def journey(request: Request, runtime: AppRuntime, learner_id: Learner) -> HTMLResponse:
    certs = runtime.certs
    today = runtime.today()
    pack_id = _default_pack(request)
    context: dict[str, Any] = {
        "today": today,
        "attempts": [attempt_dict(a, today) for a in certs.attempts(learner_id)],
        "credentials": [credential_dict(r.credential, r) for r in certs.renewals(learner_id, today)],
        "reminders": [reminder_dict(r) for r in certs.reminders(learner_id, today)],
        "exams": [facts_dict(f) for f in certs.bookable()],
        "pack_id": pack_id,
        # Not "path": base.html names the request's URL path so, for its current-page marker.
        "cert_path": path_dict(certs.path(learner_id, pack_id, today)) if pack_id else None,
        "voucher": [credential_dict(c) for c in certs.voucher_credentials(learner_id, pack_id, today)]
        if pack_id
        else [],
    }
    return templates.TemplateResponse(request, "certs.html", context)


# -- credentials ------------------------------------------------------------------------------------------------


def _credential_form(
    request: Request, values: dict[str, str], row_id: int | None, error: str | None = None
) -> HTMLResponse:
    known = sorted(get_runtime(request).certs.known().values(), key=lambda exam: exam.code)
    return templates.TemplateResponse(
        request,
        "certs_credential.html",
        {"values": values, "row_id": row_id, "error": error, "known": known},
        status_code=422 if error else 200,
    )


def _credential_values(credential: Credential) -> dict[str, str]:
    return {
        "credential_id": credential.credential_id,
        "exam_code": credential.exam_code or "",
        "title": credential.title,
        "provider": credential.provider,
        "level": credential.level,
        "earned_on": credential.earned_on.isoformat(),
        "expires_on": credential.expires_on.isoformat(),
        "verification_url": credential.verification_url,
        "skills": ", ".join(credential.skills),
        "description": credential.description,
        "logo": credential.logo,
    }


@router.get("/certs/credentials/new", response_class=HTMLResponse)
def new_credential(request: Request, learner_id: Learner, exam_code: str = "") -> HTMLResponse:
    # learner_id: the form is only for signed-in learners, like the list it adds to (hosted mode sends others to /login)
    return _credential_form(request, {"exam_code": exam_code[:40]}, None)


@router.get("/certs/credentials/{row_id}/edit", response_class=HTMLResponse)
def edit_credential(request: Request, runtime: AppRuntime, learner_id: Learner, row_id: int) -> HTMLResponse:
    credential = runtime.certs.credential(learner_id, row_id)
    return _credential_form(request, _credential_values(credential), row_id)


def _save_credential(request: Request, row_id: int | None, values: dict[str, str]) -> Response:
    certs = get_runtime(request).certs
    user_id = current_user_id(request)
    raw = CredentialInput(**values)
    try:
        if row_id is None:
            certs.add_credential(user_id, raw)
        else:
            certs.update_credential(user_id, row_id, raw)
    except CertError as error:
        return _credential_form(request, values, row_id, str(error))
    return _redirect("/certs#credentials")


@router.post("/certs/credentials")
def create_credential(
    request: Request,
    form: Annotated[CredentialForm, Form()],
) -> Response:
    values = form.model_dump()
    return _save_credential(request, None, values)


@router.post("/certs/credentials/{row_id}")
def update_credential(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    row_id: int,
    form: Annotated[CredentialForm, Form()],
) -> Response:
    runtime.certs.credential(learner_id, row_id)  # a missing credential is a 404 first
    values = form.model_dump()
    return _save_credential(request, row_id, values)


def _confirm_removal(request: Request, heading: str, details: list[str], action: str, cancel: str) -> HTMLResponse:
    """A page that asks before anything is removed: a plain form, so it works without JavaScript."""
    return templates.TemplateResponse(
        request,
        "certs_confirm.html",
        {"heading": heading, "details": details, "action": action, "cancel": cancel},
    )


@router.get("/certs/credentials/{row_id}/delete", response_class=HTMLResponse)
def confirm_delete_credential(request: Request, runtime: AppRuntime, learner_id: Learner, row_id: int) -> HTMLResponse:
    credential = runtime.certs.credential(learner_id, row_id)
    details = [
        f"Credential ID {credential.credential_id}, earned {credential.earned_on.isoformat()}, "
        f"expires {credential.expires_on.isoformat()}."
    ]
    return _confirm_removal(
        request,
        f"Remove {credential.title}?",
        details,
        f"/certs/credentials/{row_id}/delete",
        f"/certs/credentials/{row_id}/edit",
    )


@router.post("/certs/credentials/{row_id}/delete")
def delete_credential(runtime: AppRuntime, learner_id: Learner, row_id: int) -> RedirectResponse:
    runtime.certs.delete_credential(learner_id, row_id)
    return _redirect("/certs#credentials")


@router.get("/certs/credentials/{row_id}/markdown")
def credential_markdown(runtime: AppRuntime, learner_id: Learner, row_id: int) -> Response:
    name, text = runtime.certs.credential_markdown(learner_id, row_id)
    return download(text, name, "text/markdown; charset=utf-8")


# -- bookings ---------------------------------------------------------------------------------------------------


def _booking_form(
    request: Request,
    pack_id: str | None,
    values: dict[str, str],
    attempt: ExamAttempt | None = None,
    error: str | None = None,
) -> HTMLResponse:
    certs = get_runtime(request).certs
    user_id = current_user_id(request)
    pack_id = attempt.pack_id if attempt is not None else pack_id or _default_pack(request)
    if pack_id is None:
        raise CertError("No installed exam has booking facts (fee, retake wait, validity) in its pack.")
    facts = certs.facts(pack_id)
    proposed: dt.date | None = None
    try:
        proposed = parse_date(values["date"], "exam date") if values.get("date") else None
    except CertError as bad_date:
        error = error or str(bad_date)
    found, advice = certs.readiness(user_id, pack_id, proposed)
    context = {
        "facts": facts_dict(facts),
        "exams": [facts_dict(f) for f in certs.bookable()],
        "values": values,
        "attempt": attempt_dict(attempt, get_runtime(request).today()) if attempt else None,
        "error": error,
        "readiness": readiness_dict(found, advice),
        "earliest_retake": certs.earliest_retake(user_id, pack_id),
        "voucher": [credential_dict(c) for c in certs.voucher_credentials(user_id, pack_id)],
    }
    return templates.TemplateResponse(request, "certs_book.html", context, status_code=422 if error else 200)


@router.get("/certs/book", response_class=HTMLResponse)
def book_form(
    request: Request,
    learner_id: Learner,  # signed-in learners only, as for every page of the tracker
    pack: str | None = None,
    date: str = "",
    time: str = "",
    delivery: str = "",
    voucher: str = "",
) -> HTMLResponse:
    values = {"date": date[:20], "time": time[:10] or "09:00", "delivery": delivery[:120], "voucher": voucher[:3]}
    return _booking_form(request, pack, values)


@router.post("/certs/attempts")
def book(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack: Annotated[str, Form(max_length=64)] = "dop-c02",
    date: Annotated[str, Form(max_length=20)] = "",
    time: Annotated[str, Form(max_length=10)] = "",
    delivery: Annotated[str, Form(max_length=120)] = "",
    voucher: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    values = {"date": date, "time": time, "delivery": delivery, "voucher": voucher}
    try:
        runtime.certs.book(learner_id, pack, date, time, delivery, voucher == "on")
    except CertError as error:
        return _booking_form(request, pack, values, error=str(error))
    return _redirect("/certs#attempts")


@router.get("/certs/attempts/{attempt_id}/edit", response_class=HTMLResponse)
def move_form(request: Request, runtime: AppRuntime, learner_id: Learner, attempt_id: int) -> HTMLResponse:
    attempt = runtime.certs.attempt(learner_id, attempt_id)
    values = {
        "date": attempt.scheduled_on.isoformat(),
        "time": attempt.scheduled_time.strftime("%H:%M"),
        "delivery": attempt.delivery,
        "voucher": "on" if attempt.voucher else "",
    }
    return _booking_form(request, attempt.pack_id, values, attempt)


@router.post("/certs/attempts/{attempt_id}")
def move(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    attempt_id: int,
    date: Annotated[str, Form(max_length=20)] = "",
    time: Annotated[str, Form(max_length=10)] = "",
    delivery: Annotated[str, Form(max_length=120)] = "",
) -> Response:
    certs = runtime.certs
    attempt = certs.attempt(learner_id, attempt_id)
    values = {"date": date, "time": time, "delivery": delivery, "voucher": "on" if attempt.voucher else ""}
    try:
        certs.reschedule(learner_id, attempt_id, date, time, delivery or None)
    except CertError as error:
        return _booking_form(request, attempt.pack_id, values, attempt, str(error))
    return _redirect("/certs#attempts")


@router.get("/certs/attempts/{attempt_id}/delete", response_class=HTMLResponse)
def confirm_delete_attempt(request: Request, runtime: AppRuntime, learner_id: Learner, attempt_id: int) -> HTMLResponse:
    attempt = attempt_dict(runtime.certs.attempt(learner_id, attempt_id), runtime.today())
    details = [
        f"{attempt['scheduled_on']} {attempt['scheduled_time']}, {attempt['delivery']}, fee {attempt['fee_text']}."
    ]
    if attempt["result"] is not None:
        score = f" with {attempt['scaled_score']}" if attempt["scaled_score"] is not None else ""
        wait = " and the retake wait it set" if attempt["result"] == "fail" else ""
        details.append(f"Its result ({attempt['status_label'].lower()}{score}){wait} go with it.")
        heading = f"Remove your {attempt['exam_code']} attempt and its result?"
    else:
        heading = f"Remove your {attempt['exam_code']} booking?"
    return _confirm_removal(request, heading, details, f"/certs/attempts/{attempt_id}/delete", "/certs#attempts")


@router.post("/certs/attempts/{attempt_id}/delete")
def delete_attempt(runtime: AppRuntime, learner_id: Learner, attempt_id: int) -> RedirectResponse:
    runtime.certs.delete_attempt(learner_id, attempt_id)
    return _redirect("/certs#attempts")


def _result_form(
    request: Request, attempt: ExamAttempt, values: dict[str, str], error: str | None = None
) -> HTMLResponse:
    """The result form, or (for a sitting whose day has not come) the sentence saying why there is none yet."""
    runtime = get_runtime(request)
    facts = runtime.certs.facts(attempt.pack_id)
    today = runtime.today()
    return templates.TemplateResponse(
        request,
        "certs_result.html",
        {
            "attempt": attempt_dict(attempt, today),
            "facts": facts_dict(facts),
            "values": values,
            "outcomes": SECTION_OUTCOMES,
            "error": error,
            "not_yet": result_not_yet(attempt, today),
        },
        status_code=422 if error else 200,
    )


@router.get("/certs/attempts/{attempt_id}/result", response_class=HTMLResponse)
def result_form(request: Request, runtime: AppRuntime, learner_id: Learner, attempt_id: int) -> HTMLResponse:
    attempt = runtime.certs.attempt(learner_id, attempt_id)
    values = {"result": attempt.result or "", "scaled_score": str(attempt.scaled_score or "")}
    values.update({f"section_{s.domain}": s.outcome for s in attempt.sections})
    return _result_form(request, attempt, values)


@router.post("/certs/attempts/{attempt_id}/result")
async def enter_result(request: Request, attempt_id: int) -> Response:
    certs = get_runtime(request).certs
    user_id = current_user_id(request)
    attempt = certs.attempt(user_id, attempt_id)
    form = await request.form()
    # One select per exam section, named section_<domain>; the set of sections differs between packs.
    values = {key: str(value)[:40] for key, value in form.items() if isinstance(value, str)}
    sections = {
        int(key.removeprefix("section_")): value
        for key, value in values.items()
        if key.startswith("section_") and key.removeprefix("section_").isdigit() and value
    }
    try:
        text = values.get("scaled_score", "").strip()
        if text and not text.isdigit():
            raise CertError(f"'{text}' is not a scaled score; type the whole number on the score report, e.g. 812.")
        certs.record_result(user_id, attempt_id, values.get("result", ""), int(text) if text else None, sections)
    except CertError as error:
        return _result_form(request, attempt, values, str(error))
    return _redirect("/certs#attempts")


# -- path and exports -------------------------------------------------------------------------------------------


@router.get("/certs/path", response_class=HTMLResponse)
def path_page(request: Request, runtime: AppRuntime, learner_id: Learner, pack: str | None = None) -> HTMLResponse:
    certs = runtime.certs
    pack_id = pack or _default_pack(request)
    if pack_id is None:
        raise CertError("No installed exam has booking facts in its pack, so there is no path to show.")
    view = certs.path(learner_id, pack_id)
    facts = certs.facts(pack_id)
    context = {"cert_path": path_dict(view), "facts": facts_dict(facts)}
    return templates.TemplateResponse(request, "certs_path.html", context)


@router.get("/certs/export/markdown")
def export_markdown(runtime: AppRuntime, learner_id: Learner) -> Response:
    files = runtime.certs.portfolio(learner_id)
    if not files:
        raise CertError("You have no credentials to export yet; add one under Certifications first.")
    return download(portfolio_zip(files), "certifications-markdown.zip", "application/zip")


@router.get("/certs/export/jsonresume")
def export_json_resume(runtime: AppRuntime, learner_id: Learner) -> Response:
    data = runtime.certs.json_resume(learner_id).model_dump(exclude_unset=True)
    return download(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "certificates.json", "application/json")
