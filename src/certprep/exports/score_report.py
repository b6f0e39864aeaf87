"""The score-report PDF of a submitted exam or practice session: score, verdict, section table, missed questions.

It is built from the attempt as ``certprep.services.exams.ExamService.state`` returns it once submitted (the keys are
revealed then, by the engine's one rule), plus the pack's blueprint for names and the score scale. Nothing here reads
the database: the caller fetches the state for its learner, so the report can never show another learner's attempt.

This module is pure, so it names what it reads of that state as protocols (:class:`ReportAttempt` and its parts);
the service's :class:`~certprep.services.exam_results.AttemptState` satisfies them as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from certprep.content.models import Pack
from certprep.exports.errors import ExportError
from certprep.exports.markdown import parse_blocks, parse_inlines
from certprep.exports.typeset import Paper, render_pdf

MEETS = "Meets Competencies"


class ReportOption(Protocol):
    """An answer option of a revealed item."""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def correct(self) -> bool | None: ...
    @property
    def why(self) -> str | None: ...


class ReportItem(Protocol):
    """One question of the attempt with the learner's answer; the key fields are None when it is not revealed."""

    @property
    def position(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def domain(self) -> int: ...
    @property
    def task(self) -> str: ...
    @property
    def stem(self) -> str: ...
    @property
    def options(self) -> Sequence[ReportOption]: ...
    @property
    def selected(self) -> Sequence[str]: ...
    @property
    def correct(self) -> bool | None: ...
    @property
    def scored(self) -> bool | None: ...
    @property
    def explanation(self) -> str | None: ...


class ReportSection(Protocol):
    """One domain's part of the result."""

    @property
    def domain(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def scored_items(self) -> int: ...
    @property
    def correct(self) -> int: ...
    @property
    def percent(self) -> float: ...
    @property
    def classification(self) -> str: ...


class ReportResult(Protocol):
    """The attempt's score."""

    @property
    def exam(self) -> bool: ...
    @property
    def scaled_score(self) -> int: ...
    @property
    def passed(self) -> bool: ...
    @property
    def pass_probability(self) -> float: ...
    @property
    def score_range(self) -> Sequence[int]: ...
    @property
    def correct(self) -> int: ...
    @property
    def scored_items(self) -> int: ...
    @property
    def percent(self) -> float: ...
    @property
    def answered(self) -> int: ...
    @property
    def unanswered(self) -> int: ...
    @property
    def auto_submitted(self) -> bool: ...
    @property
    def sections(self) -> Sequence[ReportSection]: ...


class ReportAttempt(Protocol):
    """A learner's attempt as the exam service shows it: the report needs it submitted, with its result."""

    @property
    def status(self) -> str: ...
    @property
    def mode(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def started_at(self) -> str: ...
    @property
    def submitted_at(self) -> str | None: ...
    @property
    def questions(self) -> Sequence[ReportItem]: ...
    @property
    def result(self) -> ReportResult | None: ...


def _when(value: str | None) -> str:
    """An ISO timestamp from the state as 'YYYY-MM-DD HH:MM UTC'."""
    if not value:
        return "-"
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def score_report_data(pack: Pack, state: ReportAttempt) -> dict[str, Any]:
    """What the report shows, from a submitted attempt's state."""
    result = state.result
    if state.status != "submitted" or result is None:
        raise ExportError("this attempt has not been submitted yet; a score report exists only after submission")
    blueprint = pack.blueprint
    scale = blueprint.scale
    low, high = result.score_range
    if result.exam:
        headline = str(result.scaled_score)
        verdict = "PASS" if result.passed else "FAIL"
        passed: bool | None = result.passed
    else:
        headline = f"{result.percent}%"
        verdict = f"{result.correct} of {result.scored_items} correct"
        passed = None
    facts = [
        ["Scaled score", f"{result.scaled_score} (scale {scale.min}–{scale.max}, passing {scale.passing})"],
        ["Likely range (±1 SE)", f"{low}–{high}"],
        ["Pass probability", f"{round(100 * result.pass_probability)}%"],
        ["Scored items correct", f"{result.correct} / {result.scored_items} ({result.percent}%)"],
        ["Answered", f"{result.answered} (unanswered {result.unanswered})"],
        ["Mode", state.label],
        ["Started", _when(state.started_at)],
        ["Submitted", _when(state.submitted_at)],
    ]
    missed = []
    for question in state.questions:
        if question.correct:
            continue
        selected = set(question.selected)
        notes = []
        if question.scored is False:
            notes.append("unscored")
        if not selected:
            notes.append("not answered")
        missed.append(
            {
                "position": question.position,
                "id": question.code,
                "domain": question.domain,
                "task": question.task,
                "status": "".join(f" · {note}" for note in notes),
                "stem": parse_blocks(question.stem),
                "options": [
                    {
                        "id": option.id,
                        "text": parse_inlines(option.text),
                        "why": parse_inlines(option.why or ""),
                        "correct": bool(option.correct),
                        "chosen": option.id in selected,
                    }
                    for option in question.options
                ],
                "explanation": parse_blocks(question.explanation or ""),
            }
        )
    return {
        "title": f"{blueprint.exam_code} score report",
        "subtitle": f"{state.label} of {_when(state.submitted_at)}",
        "exam_name": blueprint.name,
        "exam_code": blueprint.exam_code,
        "content_version": blueprint.content_version,
        "headline": headline,
        "verdict": verdict,
        "passed": passed,
        "facts": facts,
        "note": "Time ran out; the attempt was submitted with the answers saved by then."
        if result.auto_submitted
        else "",
        "section_note": "The score is compensatory: only the overall score must pass. Section results rest on few "
        "items; read them as hints.",
        "sections": [
            {
                "domain": section.domain,
                "name": section.name,
                "scored_items": section.scored_items,
                "correct": section.correct,
                "percent": section.percent,
                "classification": section.classification,
                "meets": section.classification == MEETS,
            }
            for section in result.sections
        ],
        "missed": missed,
    }


def score_report_pdf(pack: Pack, state: ReportAttempt, paper: Paper = "a4", when: dt.datetime | None = None) -> bytes:
    """The score report of a submitted attempt as PDF bytes."""
    return render_pdf("report", score_report_data(pack, state), paper, when)
