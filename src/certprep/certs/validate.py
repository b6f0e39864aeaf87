"""Checking what a learner types (dates, times, links, credential details) into clean records.

The web forms, the JSON API and the CLI all pass raw text through these functions, so a mistake gets the same
sentence wherever it was made.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import AnyHttpUrl, TypeAdapter, ValidationError

from certprep.certs.facts import KnownExam, default_expiry
from certprep.certs.records import CertError, Credential

EXAM_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
MAX_SKILLS = 30
_URL = TypeAdapter(AnyHttpUrl)


def parse_date(value: str | dt.date, what: str) -> dt.date:
    """A date written as YYYY-MM-DD (or DD.MM.YYYY, as portfolios write it)."""
    if isinstance(value, dt.date):
        return value
    text = value.strip()
    if not text:
        raise CertError(f"Give the {what} as YYYY-MM-DD.")
    for layout in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise CertError(f"'{text}' is not a valid {what}; write it as YYYY-MM-DD, for example 2026-12-01.")


def parse_time(value: str | dt.time, what: str = "time") -> dt.time:
    """A time of day written as HH:MM (24-hour)."""
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    text = value.strip()
    try:
        return dt.datetime.strptime(text, "%H:%M").time()
    except ValueError:
        raise CertError(f"'{text}' is not a valid {what}; write it as HH:MM on a 24-hour clock, e.g. 09:30.") from None


def is_safe_logo(value: str) -> bool:
    """A logo a portfolio page may load: a path on the site (``/logos/x.png``, ``logos/x.png``) or an http(s) link;
    never a ``javascript:`` or ``data:`` URL or a protocol-relative ``//host`` link."""
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", value)
    if scheme is not None:
        return scheme[1].lower() in ("http", "https")
    return not value.startswith("//")


def check_url(value: str, what: str = "verification URL") -> str:
    """An http(s) link, kept as typed; empty stays empty."""
    text = value.strip()
    if not text:
        return ""
    if len(text) > 500 or any(ch.isspace() for ch in text):
        raise CertError(f"'{text[:80]}' is not a valid {what}; it must be a single http:// or https:// link.")
    try:
        _URL.validate_python(text)
    except ValidationError:
        raise CertError(
            f"'{text}' is not a valid {what}; use a full link such as https://www.credly.com/badges/..."
        ) from None
    return text


def clean_skills(value: str | Iterable[str]) -> tuple[str, ...]:
    """Skills from a comma-separated string or a list: trimmed, blanks dropped, duplicates (any case) removed."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    seen: dict[str, str] = {}
    for part in parts:
        skill = " ".join(str(part).split())
        if not skill:
            continue
        if len(skill) > 60:
            raise CertError(f"The skill '{skill[:40]}...' is too long; keep each skill under 60 characters.")
        seen.setdefault(skill.casefold(), skill)
    if len(seen) > MAX_SKILLS:
        raise CertError(f"List at most {MAX_SKILLS} skills.")
    return tuple(seen.values())


def _one_line(value: str, what: str, limit: int) -> str:
    text = " ".join(value.split())
    if len(text) > limit:
        raise CertError(f"The {what} is too long ({len(text)} characters; at most {limit}).")
    return text


def clean_exam_code(value: str) -> str | None:
    code = value.strip().upper()
    if not code:
        return None
    if not EXAM_CODE.match(code):
        raise CertError(f"'{value.strip()}' is not an exam code; use the code on the certificate, such as DOP-C02.")
    return code


@dataclass(frozen=True)
class CredentialInput:
    """A credential as typed: text fields, with blanks meaning "fill in from the exam certprep knows"."""

    credential_id: str
    earned_on: str | dt.date
    exam_code: str = ""
    title: str = ""
    provider: str = ""
    level: str = ""
    expires_on: str | dt.date | None = None
    verification_url: str = ""
    skills: str | Sequence[str] = ()
    description: str = ""
    logo: str = ""


def build_credential(
    raw: CredentialInput,
    known: Mapping[str, KnownExam],
    existing_ids: Iterable[str],
    today: dt.date,
    row_id: int | None = None,
) -> Credential:
    """Check ``raw`` and fill its blanks from the exam it names.

    ``existing_ids`` are the learner's other credential ids (without this one when editing): ids are compared
    ignoring case and surrounding space, since "abc-123" and "ABC-123 " are the same certificate to a reader.
    Blank title, provider, level and expiry come from the installed packs when they know the exam; a blank skill
    list becomes the exam's domains.
    """
    credential_id = _one_line(raw.credential_id, "credential id", 120)
    if not credential_id:
        raise CertError("Give the credential id printed on the certificate (for example its validation number).")
    if credential_id.casefold() in {other.strip().casefold() for other in existing_ids}:
        raise CertError(f"You already have a credential with the id '{credential_id}'; credential ids must be unique.")
    code = clean_exam_code(raw.exam_code)
    exam = known.get(code) if code else None
    title = _one_line(raw.title, "title", 200) or (exam.name if exam else "")
    if not title:
        raise CertError(
            f"Give the certification's title; certprep does not know the exam '{code}'."
            if code
            else "Give the certification's title, or its exam code (such as DOP-C02) to fill it in."
        )
    provider = _one_line(raw.provider, "provider", 200) or (exam.provider if exam else "")
    if not provider:
        raise CertError("Give the provider that issued the certification, for example Amazon Web Services.")
    level = _one_line(raw.level, "level", 40) or (exam.level if exam else "")
    earned_on = parse_date(raw.earned_on, "date earned")
    if earned_on > today:
        raise CertError(
            f"The date earned, {earned_on.isoformat()}, is in the future; record a credential once you hold it."
        )
    if raw.expires_on is not None and raw.expires_on != "":
        expires_on = parse_date(raw.expires_on, "expiry date")
    elif exam is not None and exam.validity_years is not None:
        expires_on = default_expiry(earned_on, exam.validity_years)
    else:
        raise CertError(
            "Give the expiry date; certprep knows how long a certification lasts only for the exams of its "
            "installed packs and their certification paths."
        )
    if expires_on <= earned_on:
        raise CertError(
            f"The expiry date {expires_on.isoformat()} must come after the date earned, {earned_on.isoformat()}."
        )
    skills = clean_skills(raw.skills)
    if not skills and exam is not None:
        skills = tuple(name for name, _ in exam.domains)
    description = raw.description.strip()
    if len(description) > 2000:
        raise CertError("The description is too long; keep it under 2,000 characters.")
    logo = _one_line(raw.logo, "logo path", 300)
    if " " in logo:
        raise CertError(f"The logo must be a path or a link without spaces, such as /logos/dop-c02.png, not '{logo}'.")
    if logo and not is_safe_logo(logo):
        raise CertError(f"The logo must be a site path such as /logos/dop-c02.png or an http(s) link, not '{logo}'.")
    return Credential(
        credential_id=credential_id,
        title=title,
        provider=provider,
        earned_on=earned_on,
        expires_on=expires_on,
        exam_code=code,
        level=level,
        verification_url=check_url(raw.verification_url),
        skills=skills,
        description=description,
        logo=logo,
        id=row_id,
    )
