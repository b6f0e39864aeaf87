"""The rules of a running attempt: valid answers, the timer, what may be shown when, and grading.

Pure functions over plain values; storage and the web call these so that the rules live in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from certprep.content.models import Pack, Question
from certprep.engine.forms import Mode, is_exam_mode
from certprep.engine.scoring import ScoredItem, ScoreReport, author_difficulty, score_form
from certprep.errors import InvalidInput

FULL_EXAM_MINUTES_PER_QUESTION = 180 / 75


class AnswerError(InvalidInput):
    """An answer that does not fit its question (unknown option, too many choices, locked)."""


def clean_selection(question: Question, selected: Sequence[str]) -> tuple[str, ...]:
    """The selection as sorted unique option ids, or AnswerError if it cannot be an answer to ``question``."""
    valid = {option.id for option in question.options}
    chosen = sorted({choice.strip().upper() for choice in selected})
    unknown = [choice for choice in chosen if choice not in valid]
    if unknown:
        raise AnswerError(f"option {', '.join(unknown)} does not exist; choose from {', '.join(sorted(valid))}")
    if len(chosen) > question.select:
        raise AnswerError(f"choose at most {question.select} option{'s' if question.select > 1 else ''}")
    return tuple(chosen)


def clean_struck(question: Question, struck: Sequence[str]) -> tuple[str, ...]:
    valid = {option.id for option in question.options}
    chosen = sorted({choice.strip().upper() for choice in struck})
    unknown = [choice for choice in chosen if choice not in valid]
    if unknown:
        raise AnswerError(f"option {', '.join(unknown)} does not exist")
    return tuple(chosen)


def duration_minutes(mode: Mode, question_count: int, blueprint_minutes: int, blueprint_total: int) -> int | None:
    """Time allowed: the blueprint's for a full exam, the same pace for the 100-question mock, none for practice."""
    if mode == "full":
        return blueprint_minutes
    if mode == "mock100":
        return round(blueprint_minutes * question_count / blueprint_total)
    return None


def remaining_seconds(deadline: dt.datetime | None, now: dt.datetime) -> int | None:
    """Whole seconds left before ``deadline`` (never negative), or None for an untimed attempt."""
    if deadline is None:
        return None
    return max(0, int((deadline - now).total_seconds()))


def gives_feedback(mode: Mode) -> bool:
    """Practice modes show the key and reasons after each answer; exams only after submission."""
    return not is_exam_mode(mode)


def may_reveal(mode: Mode, submitted: bool, locked: bool) -> bool:
    """Whether the key, the reasons and the explanation of one item may be sent to the learner now."""
    return submitted or (gives_feedback(mode) and locked)


@dataclass(frozen=True)
class Response:
    """What the learner did with one position of the form."""

    position: int
    question_id: str
    scored: bool
    selected: tuple[str, ...]
    flagged: bool = False


def grade(
    pack: Pack, responses: Sequence[Response], difficulties: Mapping[str, float] | None = None
) -> tuple[ScoreReport, dict[int, bool]]:
    """Score the scored responses and say for every position whether it was right.

    Questions missing from the pack (removed since the attempt began) count as incorrect, like unanswered ones.
    """
    correctness: dict[int, bool] = {}
    scored_items: list[ScoredItem] = []
    for response in responses:
        question = pack.question(response.question_id)
        correct = question is not None and bool(response.selected) and question.is_correct(response.selected)
        correctness[response.position] = correct
        if response.scored and question is not None:
            difficulty = (difficulties or {}).get(question.id, author_difficulty(question.difficulty))
            scored_items.append(ScoredItem(question.id, question.domain, difficulty, correct))
    blueprint = pack.blueprint
    names = {domain.id: domain.name for domain in blueprint.domains}
    report = score_form(scored_items, names, blueprint.scale.min, blueprint.scale.max, blueprint.scale.passing)
    return report, correctness


def public_question(question: Question) -> dict[str, Any]:
    """A question as it may be shown during an exam: no key, no reasons, no explanation.

    ``revealed`` says which of the two views this is, so a caller asks it instead of guessing from the keys present.
    """
    return {
        "revealed": False,
        "question_id": question.id,
        "type": question.type,
        "select": question.select,
        "domain": question.domain,
        "task": question.task,
        "stem": question.stem,
        "options": [{"id": option.id, "text": option.text} for option in question.options],
    }


def revealed_question(question: Question) -> dict[str, Any]:
    """A question with everything: the key, each option's reason, the explanation and references."""
    return {
        **public_question(question),
        "revealed": True,
        "options": [
            {"id": option.id, "text": option.text, "correct": option.correct, "why": option.why}
            for option in question.options
        ],
        "correct_options": sorted(question.correct_ids),
        "explanation": question.explanation,
        "references": list(question.references),
        "services": list(question.services),
        "difficulty": question.difficulty,
    }
