"""Portfolio exports: one Markdown file per credential, and a JSON Resume ``certificates`` array.

The Markdown files carry the YAML front matter that static-site portfolio themes read for a certification page::

    ---
    title: "AWS Certified DevOps Engineer - Professional"
    date: "15.08.2024"
    provider: "Amazon Web Services"
    description: "..."
    credentialId: "DOP-C02-789456"
    expiryDate: "15.08.2027"
    verificationUrl: "https://www.credly.com/badges/..."
    skills: ["SDLC Automation", "Monitoring and Logging"]
    level: "Professional"
    logo: "/logos/dop-c02.png"
    ---

Keys keep that order and spelling; front-matter dates are DD.MM.YYYY, the format those themes parse (the body, like
every page and command of the tracker, writes YYYY-MM-DD); every value is a double-quoted string (so "15.08.2024"
can never be read back as a number) and ``skills`` is a one-line list. PyYAML writes it, so quoting and escaping follow
the YAML spec rather than string pasting. The body below the front matter describes the credential in certprep's
own words, from the record and the pack blueprint.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from certprep.certs.facts import KnownExam
from certprep.certs.records import Credential
from certprep.certs.validate import is_safe_logo

FRONT_MATTER_KEYS = (
    "title",
    "date",
    "provider",
    "description",
    "credentialId",
    "expiryDate",
    "verificationUrl",
    "skills",
    "level",
    "logo",
)


def portfolio_date(day: dt.date) -> str:
    """Dates as portfolio front matter writes them: DD.MM.YYYY."""
    return day.strftime("%d.%m.%Y")


class _Quoted(str):
    """A string written in double quotes."""


class _FlowList(list[str]):
    """A list written on one line: ["a", "b"]."""


class _FrontMatterDumper(yaml.SafeDumper):
    pass


def _represent_quoted(dumper: yaml.SafeDumper, data: _Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


def _represent_flow(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", [_Quoted(item) for item in data], flow_style=True)


_FrontMatterDumper.add_representer(_Quoted, _represent_quoted)
_FrontMatterDumper.add_representer(_FlowList, _represent_flow)


def _joined(names: Sequence[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def default_description(credential: Credential, exam: KnownExam | None) -> str:
    """A one-sentence description from the record and, when a pack knows the exam, its domains."""
    level = f"{credential.level}-level " if credential.level else ""
    code = f" ({credential.exam_code})" if credential.exam_code else ""
    sentence = f"{level}{credential.provider} certification{code}"
    if exam is not None and exam.domains:
        sentence += f" covering {_joined([name for name, _ in exam.domains])}"
    return sentence + "."


def _text(value: str) -> str:
    """A learner's text for the Markdown body: HTML-significant characters escaped, so a field such as
    ``<script>`` or ``<img onerror=...>`` shows as text on the portfolio page instead of running there."""
    return html.escape(value, quote=False)


def _link(value: str, safe: bool) -> str:
    """A link kept only when it is one a page may follow or load (records older than the checks may hold others)."""
    return value if safe else ""


def front_matter(credential: Credential, exam: KnownExam | None = None) -> dict[str, Any]:
    """The front matter fields, in the order portfolio themes list them. Themes put these into HTML attributes and
    text, so links are kept only when they are http(s) (or a site path for the logo)."""
    return {
        "title": credential.title,
        "date": portfolio_date(credential.earned_on),
        "provider": credential.provider,
        "description": credential.description or default_description(credential, exam),
        "credentialId": credential.credential_id,
        "expiryDate": portfolio_date(credential.expires_on),
        "verificationUrl": _link(
            credential.verification_url, credential.verification_url.startswith(("https://", "http://"))
        ),
        "skills": list(credential.skills),
        "level": credential.level,
        "logo": _link(credential.logo, is_safe_logo(credential.logo)),
    }


def render_front_matter(fields: Mapping[str, Any]) -> str:
    """``---``-fenced YAML with quoted values and a one-line skills list."""
    styled = {
        key: _FlowList(value) if isinstance(value, list) else _Quoted(str(value)) for key, value in fields.items()
    }
    body = yaml.dump(styled, Dumper=_FrontMatterDumper, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{body}---\n"


def _body(credential: Credential, exam: KnownExam | None, validity_years: int | None) -> str:
    fields = front_matter(credential, exam)
    lines = [f"# {_text(credential.title)}", "", _text(fields["description"]), "", "## The credential", ""]
    lines.append(f"- **Issued by:** {_text(credential.provider)}")
    if credential.exam_code:
        level = f", {_text(credential.level)} level" if credential.level else ""
        lines.append(f"- **Exam:** {_text(credential.exam_code)}{level}")
    lines.append(f"- **Earned:** {credential.earned_on.isoformat()}")
    lines.append(f"- **Valid until:** {credential.expires_on.isoformat()}")
    lines.append(f"- **Credential ID:** {_text(credential.credential_id)}")
    if fields["verificationUrl"]:
        lines.append(f"- **Verify it:** <{fields['verificationUrl']}>")
    if exam is not None and exam.domains:
        lines += ["", "## What the exam covers", ""]
        lines.append("The exam spreads its scored questions over these domains:")
        lines.append("")
        lines += [f"- {name} ({weight:g}%)" for name, weight in exam.domains]
    if credential.skills:
        lines += ["", "## Skills", ""]
        lines += [f"- {_text(skill)}" for skill in credential.skills]
    lines += ["", "## Keeping it current", ""]
    span = f"is valid for {validity_years} years and " if validity_years else ""
    lines.append(
        f"This certification {span}expires on {credential.expires_on.isoformat()}; "
        "it is kept current by passing the exam again before then."
    )
    return "\n".join(lines) + "\n"


def portfolio_markdown(credential: Credential, exam: KnownExam | None = None) -> str:
    """The whole Markdown file for one credential: front matter, then a body in our own words."""
    validity = exam.validity_years if exam is not None else None
    return render_front_matter(front_matter(credential, exam)) + "\n" + _body(credential, exam, validity)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def portfolio_filenames(credentials: Sequence[Credential]) -> list[str]:
    """A file name per credential: the exam code (or title) slug, with the credential id added where two clash."""
    bases = [_slug(c.exam_code or c.title) or "credential" for c in credentials]
    names = []
    for credential, base in zip(credentials, bases, strict=True):
        clash = bases.count(base) > 1
        names.append(f"{base}-{_slug(credential.credential_id) or credential.id}.md" if clash else f"{base}.md")
    return names


class ResumeCertificate(BaseModel):
    """One entry of the JSON Resume certificates array."""

    # url is left unset (not null) when there is none: dump with exclude_unset=True so that no "url": null is written.
    model_config = ConfigDict(frozen=True)

    name: str
    date: str = Field(description="YYYY-MM-DD, the day it was earned.")
    issuer: str
    url: str | None = Field(None, description="The verification URL, when the credential has one.")


class JsonResumeCertificates(BaseModel):
    """A JSON Resume fragment: its certificates array, newest first."""

    model_config = ConfigDict(frozen=True)

    certificates: tuple[ResumeCertificate, ...]


def json_resume_certificates(credentials: Iterable[Credential]) -> list[ResumeCertificate]:
    """The JSON Resume ``certificates`` array (name, date as YYYY-MM-DD, issuer, url), newest first."""
    entries = []
    for credential in sorted(credentials, key=lambda c: c.earned_on, reverse=True):
        entry = {"name": credential.title, "date": credential.earned_on.isoformat(), "issuer": credential.provider}
        if credential.verification_url:  # set only when there is one, so that no "url": null is written
            entry["url"] = credential.verification_url
        entries.append(ResumeCertificate.model_validate(entry))
    return entries


def portfolio_zip(files: Sequence[tuple[str, str]]) -> bytes:
    """The Markdown files in one ZIP archive, for a single download from the web app."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files:
            archive.writestr(name, text)
    return buffer.getvalue()
