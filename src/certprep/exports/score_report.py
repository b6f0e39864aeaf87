"""The score-report PDF of a submitted exam or practice session: score, verdict, section table, missed questions.

It is built from the attempt as ``certprep.services.exams.ExamService.state`` returns it once submitted (the keys are
revealed then, by the engine's one rule), plus the pack's blueprint for names and the score scale. Nothing here reads
the database: the caller fetches the state for its learner, so the report can never show another learner's attempt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from certprep.content.models import Pack
from certprep.engine.forms import MODE_LABELS
from certprep.exports.errors import ExportError
from certprep.exports.markdown import parse_blocks, parse_inlines
from certprep.exports.typeset import Paper, render_pdf

MEETS = "Meets Competencies"


def _when(value: Any) -> str:
    """An ISO timestamp from the state as 'YYYY-MM-DD HH:MM UTC'."""
    if not isinstance(value, str) or not value:
        return "-"
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def score_report_data(pack: Pack, state: Mapping[str, Any]) -> dict[str, Any]:
    """What the report shows, from a submitted attempt's state."""
    if state.get("status") != "submitted" or not isinstance(state.get("result"), Mapping):
        raise ExportError("this attempt has not been submitted yet; a score report exists only after submission")
    result: Mapping[str, Any] = state["result"]
    blueprint = pack.blueprint
    scale = blueprint.scale
    exam = bool(result.get("exam"))
    low, high = result.get("score_range", [None, None])
    if exam:
        headline = str(result.get("scaled_score"))
        verdict = "PASS" if result.get("passed") else "FAIL"
        passed: bool | None = bool(result.get("passed"))
    else:
        headline = f"{result.get('percent')}%"
        verdict = f"{result.get('correct')} of {result.get('scored_items')} correct"
        passed = None
    facts = [
        ["Scaled score", f"{result.get('scaled_score')} (scale {scale.min}–{scale.max}, passing {scale.passing})"],
        ["Likely range (±1 SE)", f"{low}–{high}"],
        ["Pass probability", f"{round(100 * float(result.get('pass_probability') or 0))}%"],
        ["Scored items correct", f"{result.get('correct')} / {result.get('scored_items')} ({result.get('percent')}%)"],
        ["Answered", f"{result.get('answered')} (unanswered {result.get('unanswered')})"],
        ["Mode", MODE_LABELS.get(str(state.get("mode")), str(state.get("mode")))],
        ["Started", _when(state.get("started_at"))],
        ["Submitted", _when(state.get("submitted_at"))],
    ]
    missed = []
    for question in state.get("questions", []):
        if question.get("correct"):
            continue
        selected = set(question.get("selected") or [])
        notes = []
        if not question.get("scored", True):
            notes.append("unscored")
        if not selected:
            notes.append("not answered")
        missed.append(
            {
                "position": question["position"],
                "id": pack.code(question["question_id"]),
                "domain": question["domain"],
                "task": question["task"],
                "status": "".join(f" · {note}" for note in notes),
                "stem": parse_blocks(question["stem"]),
                "options": [
                    {
                        "id": option["id"],
                        "text": parse_inlines(option["text"]),
                        "why": parse_inlines(option.get("why", "")),
                        "correct": bool(option.get("correct")),
                        "chosen": option["id"] in selected,
                    }
                    for option in question["options"]
                ],
                "explanation": parse_blocks(question.get("explanation", "")),
            }
        )
    return {
        "title": f"{blueprint.exam_code} score report",
        "subtitle": f"{MODE_LABELS.get(str(state.get('mode')), 'Attempt')} of {_when(state.get('submitted_at'))}",
        "exam_name": blueprint.name,
        "exam_code": blueprint.exam_code,
        "content_version": blueprint.content_version,
        "headline": headline,
        "verdict": verdict,
        "passed": passed,
        "facts": facts,
        "note": "Time ran out; the attempt was submitted with the answers saved by then."
        if result.get("auto_submitted")
        else "",
        "section_note": "The score is compensatory: only the overall score must pass. Section results rest on few "
        "items; read them as hints.",
        "sections": [
            {
                "domain": section["domain"],
                "name": section["name"],
                "scored_items": section["scored_items"],
                "correct": section["correct"],
                "percent": section["percent"],
                "classification": section["classification"],
                "meets": section["classification"] == MEETS,
            }
            for section in result.get("sections", [])
        ],
        "missed": missed,
    }


def score_report_pdf(
    pack: Pack, state: Mapping[str, Any], paper: Paper = "a4", when: dt.datetime | None = None
) -> bytes:
    """The score report of a submitted attempt as PDF bytes."""
    return render_pdf("report", score_report_data(pack, state), paper, when)
