"""Records and views as plain JSON-ready dictionaries, for the API, the pages and ``certprep certs --json``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from certprep.certs.facts import ExamFacts, format_money
from certprep.certs.path import PathView
from certprep.certs.readiness import BookingAdvice, Readiness
from certprep.certs.records import ATTEMPT_STATUS_LABELS, Credential, ExamAttempt
from certprep.certs.rules import Reminder, Renewal


def facts_dict(facts: ExamFacts) -> dict[str, Any]:
    return {
        "pack": facts.pack_id,
        "exam_code": facts.exam_code,
        "name": facts.name,
        "provider": facts.provider,
        "level": facts.level,
        "currency": facts.currency,
        "fee": facts.fee_cents / 100,
        "fee_text": format_money(facts.fee_cents, facts.currency),
        "voucher_discount_percent": float(facts.voucher_discount_percent),
        "voucher_fee": facts.fee(voucher=True) / 100,
        "voucher_fee_text": format_money(facts.fee(voucher=True), facts.currency),
        "voucher_rule": facts.voucher_rule,
        "retake_wait_days": facts.retake_wait_days,
        "validity_years": facts.validity_years,
        "delivery": list(facts.delivery),
        "scale": {"min": facts.scale_min, "max": facts.scale_max, "passing": facts.passing_score},
        "sections": [{"domain": number, "name": name} for number, name in facts.domains],
    }


def attempt_dict(attempt: ExamAttempt, today: dt.date) -> dict[str, Any]:
    status = attempt.status(today)
    return {
        "id": attempt.id,
        "pack": attempt.pack_id,
        "exam_code": attempt.exam_code,
        "scheduled_on": attempt.scheduled_on.isoformat(),
        "scheduled_time": attempt.scheduled_time.strftime("%H:%M"),
        "delivery": attempt.delivery,
        "voucher": attempt.voucher,
        "currency": attempt.currency,
        "fee": attempt.fee_cents / 100,
        "fee_text": format_money(attempt.fee_cents, attempt.currency),
        "status": status,
        "status_label": ATTEMPT_STATUS_LABELS[status],
        "result": attempt.result,
        "scaled_score": attempt.scaled_score,
        "sections": [
            {"domain": s.domain, "name": s.name, "outcome": s.outcome, "label": s.label} for s in attempt.sections
        ],
    }


def credential_dict(credential: Credential, renewal: Renewal | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": credential.id,
        "credential_id": credential.credential_id,
        "title": credential.title,
        "exam_code": credential.exam_code,
        "provider": credential.provider,
        "level": credential.level,
        "earned_on": credential.earned_on.isoformat(),
        "expires_on": credential.expires_on.isoformat(),
        "verification_url": credential.verification_url,
        "skills": list(credential.skills),
        "description": credential.description,
        "logo": credential.logo,
    }
    if renewal is not None:
        data["renewal"] = {
            "state": renewal.state,
            "label": renewal.label,
            "days_left": renewal.days_left,
            "reminder_dates": [r.remind_on.isoformat() for r in renewal.reminders if r.kind != "expired"],
            "next_reminder": renewal.next_reminder.isoformat() if renewal.next_reminder else None,
            "due": reminder_dict(renewal.due) if renewal.due else None,
        }
    return data


def reminder_dict(reminder: Reminder) -> dict[str, Any]:
    return {
        "credential": reminder.credential.id,
        "credential_id": reminder.credential.credential_id,
        "title": reminder.credential.title,
        "kind": reminder.kind,
        "remind_on": reminder.remind_on.isoformat(),
        "expires_on": reminder.credential.expires_on.isoformat(),
        "days_left": reminder.days_left,
        "message": reminder.message,
    }


def path_dict(view: PathView) -> dict[str, Any]:
    return {
        "target": view.target,
        "recommended": list(view.recommended),
        "preparation": list(view.preparation),
        "message": view.message,
        "tiers": [
            [
                {
                    "code": step.code,
                    "name": step.name,
                    "level": step.level,
                    "state": step.state,
                    "is_target": step.is_target,
                    "recommended": step.recommended,
                    "preparation": step.preparation,
                    "credential_id": step.credential.credential_id if step.credential else None,
                    "expires_on": step.credential.expires_on.isoformat() if step.credential else None,
                }
                for step in tier
            ]
            for tier in view.tiers
        ],
    }


def readiness_dict(readiness: Readiness, advice: BookingAdvice) -> dict[str, Any]:
    return {
        "pass_probability": readiness.pass_probability,
        "scaled_score": readiness.scaled_score,
        "scaled_low": readiness.scaled_low,
        "scaled_high": readiness.scaled_high,
        "source": readiness.source,
        "measured_on": readiness.measured_on.isoformat() if readiness.measured_on else None,
        "plan_date": readiness.plan_date.isoformat() if readiness.plan_date else None,
        "plan_source": readiness.plan_source,
        "advice": {"level": advice.level, "headline": advice.headline, "notes": list(advice.notes)},
    }
