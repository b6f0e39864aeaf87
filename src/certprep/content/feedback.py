"""Learners' reports of a problem with a question, and the files authors send upstream (pure Python).

The most common thing a learner tells a question bank is "I think this answer is wrong". A report names the question
by its public code, a :class:`ReportReason` and the learner's own words; an author or admin answers it with a
:class:`ReportStatus` and a reply the learner reads. This module holds the rules of a report and the two export
forms of ``certprep pack reports``: Markdown to read, and a YAML patch request (each reported question's file, id and
the reports on it) to send to the pack's maintainers. Storage and who may see what are in ``services.reports``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import yaml

from certprep.content.models import Pack
from certprep.errors import InvalidInput

__all__ = [
    "MAX_REPLY",
    "MAX_TEXT",
    "QuestionReport",
    "ReportError",
    "ReportReason",
    "ReportStatus",
    "ReportTally",
    "check_reply",
    "check_report",
    "reports_markdown",
    "reports_yaml",
]

MAX_TEXT = 2000
MAX_REPLY = 2000


class ReportReason(StrEnum):
    """What the learner believes is wrong with the question."""

    KEY_WRONG = "key-wrong"
    EXPLANATION_WRONG = "explanation-wrong"
    OUTDATED = "outdated"
    UNCLEAR = "unclear"
    TYPO = "typo"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]


_REASON_LABELS = {
    ReportReason.KEY_WRONG: "The answer key is wrong",
    ReportReason.EXPLANATION_WRONG: "The explanation or a reason is wrong",
    ReportReason.OUTDATED: "It is out of date with AWS",
    ReportReason.UNCLEAR: "The question is unclear",
    ReportReason.TYPO: "A typo or formatting problem",
}


class ReportStatus(StrEnum):
    """Where a report stands: open until an author accepts it (the question will be fixed) or rejects it."""

    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ReportError(InvalidInput):
    """A report or a reply that cannot be taken, as one sentence."""


@dataclass(frozen=True)
class QuestionReport:
    """One report as stored: the question by authoring id (``code`` is what the learner saw)."""

    id: int
    pack_id: str
    question_id: str
    code: str
    reason: ReportReason
    text: str
    status: ReportStatus
    reply: str
    created_at: dt.datetime
    decided_at: dt.datetime | None = None


@dataclass(frozen=True)
class ReportTally:
    """Reports on one question: all of them and those still open (``certprep pack stats``)."""

    question_id: str
    code: str
    total: int
    open: int


def check_report(reason: str, text: str) -> tuple[ReportReason, str]:
    """The reason and the trimmed text of a report, or :class:`ReportError` with the rule broken."""
    try:
        chosen = ReportReason(reason)
    except ValueError:
        choices = ", ".join(member.value for member in ReportReason)
        raise ReportError(f"Choose what is wrong: one of {choices}.") from None
    cleaned = (text or "").strip()
    if len(cleaned) < 10:
        raise ReportError("Say in a sentence what is wrong, so that an author can check it (10 characters at least).")
    if len(cleaned) > MAX_TEXT:
        raise ReportError(f"Keep the report under {MAX_TEXT} characters.")
    return chosen, cleaned


def check_reply(status: str, reply: str) -> tuple[ReportStatus, str]:
    """An author's decision: accepted or rejected, with a reply the learner will read."""
    if status not in (ReportStatus.ACCEPTED, ReportStatus.REJECTED):
        raise ReportError("A report is answered by accepting or rejecting it.")
    cleaned = (reply or "").strip()
    if not cleaned:
        raise ReportError("Write the learner a reply: what was fixed, or why the question stands.")
    if len(cleaned) > MAX_REPLY:
        raise ReportError(f"Keep the reply under {MAX_REPLY} characters.")
    return ReportStatus(status), cleaned


def reports_markdown(pack: Pack, reports: Sequence[QuestionReport], when: dt.date) -> str:
    """The reports grouped by question, most reported first, for an author to read."""
    lines = [f"# Question reports: {pack.blueprint.exam_code} ({pack.id}, content {pack.content_version})", ""]
    lines.append(
        f"{len(reports)} report(s) on {len({r.question_id for r in reports})} question(s), {when.isoformat()}."
    )
    for question_id, group in _by_question(reports):
        question = pack.question(question_id)
        title = " ".join(question.stem.split())[:100] if question is not None else "(no longer in the pack)"
        lines += ["", f"## {group[0].code} · {question_id}", "", f"> {title}…", ""]
        for report in group:
            decided = f" · {report.status.value}" + (f": {report.reply}" if report.reply else "")
            lines.append(
                f"- **{report.reason.label}** ({report.created_at.date().isoformat()}{decided}): {report.text}"
            )
    return "\n".join(lines) + "\n"


def reports_yaml(pack: Pack, reports: Sequence[QuestionReport], when: dt.date) -> str:
    """A patch request for the pack's maintainers: per reported question its id, code, domain and task, and the
    reports on it (reason, text, status, reply), in a YAML file that ``yaml.safe_load`` reads back."""
    questions = []
    for question_id, group in _by_question(reports):
        question = pack.question(question_id)
        questions.append(
            {
                "id": question_id,
                "code": group[0].code,
                **({"domain": question.domain, "task": question.task} if question is not None else {}),
                "reports": [
                    {
                        "reason": report.reason.value,
                        "text": report.text,
                        "status": report.status.value,
                        **({"reply": report.reply} if report.reply else {}),
                        "reported": report.created_at.date().isoformat(),
                    }
                    for report in group
                ],
            }
        )
    document = {
        "pack": pack.id,
        "content_version": pack.content_version,
        "exported": when.isoformat(),
        "questions": questions,
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def _by_question(reports: Sequence[QuestionReport]) -> list[tuple[str, list[QuestionReport]]]:
    groups: dict[str, list[QuestionReport]] = {}
    for report in sorted(reports, key=lambda r: r.created_at):
        groups.setdefault(report.question_id, []).append(report)
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
