"""What a pack holds, measured against its blueprint. The JSON shape is documented in docs/pack-stats.md."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from typing import Any

from certprep.content.apportion import largest_remainder
from certprep.content.feedback import ReportTally
from certprep.content.models import EXPLAINER_KINDS, Pack, Question
from certprep.content.study import study_guide


def _difficulty_histogram(questions: list[Question]) -> dict[str, int]:
    counts = Counter(question.difficulty for question in questions)
    return {str(level): counts.get(level, 0) for level in range(1, 6)}


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def pack_stats(pack: Pack, reports: Sequence[ReportTally] | None = None) -> dict[str, Any]:
    """Counts per domain and task statement, type and difficulty mix, and service coverage.

    ``reports``: learners' reports per question, most reported first, when the caller has a database to count them
    in (``services.reports``); they appear as ``reports``.

    Retired questions are counted under ``questions.by_status`` only; every other figure covers the questions an
    exam can draw (``live`` and ``pretest``).
    """
    blueprint = pack.blueprint
    usable = [question for question in pack.questions if question.status != "retired"]
    status_counts = Counter(question.status for question in pack.questions)
    targets = largest_remainder(blueprint.questions.scored, [domain.weight for domain in blueprint.domains])
    domains: list[dict[str, Any]] = []
    for domain, target in zip(blueprint.domains, targets, strict=True):
        in_domain = [question for question in usable if question.domain == domain.id]
        multiple = sum(1 for question in in_domain if question.type == "multiple")
        cards = [card for card in pack.flashcards if card.domain == domain.id]
        explainers = [explainer for explainer in pack.explainers if explainer.domain == domain.id]
        domains.append(
            {
                "id": domain.id,
                "name": domain.name,
                "weight": domain.weight,
                "exam_items": target,
                "questions": len(in_domain),
                "share_percent": _percent(len(in_domain), len(usable)),
                "multiple": multiple,
                "multiple_percent": _percent(multiple, len(in_domain)),
                "difficulty": _difficulty_histogram(in_domain),
                "median_stem_words": statistics.median([q.word_count for q in in_domain]) if in_domain else 0,
                "flashcards": len(cards),
                "explainers": len(explainers),
                "notes": pack.note(domain.id) is not None,
                "tasks": [
                    {
                        "id": task.id,
                        "title": task.title,
                        "questions": sum(1 for question in in_domain if question.task == task.id),
                        "flashcards": sum(1 for card in cards if card.task == task.id),
                        "explainers": sum(1 for explainer in explainers if explainer.task == task.id),
                    }
                    for task in domain.tasks
                ],
            }
        )
    types = Counter(question.type for question in usable)
    named = {service for question in usable for service in question.services}
    named |= {service for card in pack.flashcards for service in card.services}
    in_scope = blueprint.in_scope_services
    checked_dates = [question.checked for question in usable if question.checked is not None]
    checked_cards = [card.checked for card in pack.flashcards if card.checked is not None]
    checked_notes = [note.checked for note in pack.notes if note.checked is not None]
    checked_explainers = [explainer.checked for explainer in pack.explainers if explainer.checked is not None]
    explainer_kinds = Counter(explainer.kind for explainer in pack.explainers)
    gaps = study_guide(pack).gaps()
    extra: dict[str, Any] = {}
    if reports is not None:
        extra["reports"] = {
            "total": sum(tally.total for tally in reports),
            "open": sum(tally.open for tally in reports),
            "questions": [
                {"id": tally.question_id, "code": tally.code, "total": tally.total, "open": tally.open}
                for tally in reports
            ],
        }
    return extra | {
        "pack": pack.id,
        "exam_code": blueprint.exam_code,
        "content_version": blueprint.content_version,
        "questions": {
            "total": len(pack.questions),
            "usable": len(usable),
            "by_status": {status: status_counts.get(status, 0) for status in ("live", "pretest", "retired")},
        },
        "types": {"single": types.get("single", 0), "multiple": types.get("multiple", 0)},
        "difficulty": _difficulty_histogram(usable),
        "flashcards": len(pack.flashcards),
        "explainers": {
            "total": len(pack.explainers),
            "by_kind": {kind: explainer_kinds.get(kind, 0) for kind in EXPLAINER_KINDS},
        },
        "documentation_check": {
            "checked": len(checked_dates),
            "checked_percent": _percent(len(checked_dates), len(usable)),
            "oldest": min(checked_dates).isoformat() if checked_dates else None,
            "flashcards_checked": len(checked_cards),
            "flashcards_oldest": min(checked_cards).isoformat() if checked_cards else None,
            "notes": len(pack.notes),
            "notes_checked": len(checked_notes),
            "notes_oldest": min(checked_notes).isoformat() if checked_notes else None,
            "explainers_checked": len(checked_explainers),
            "explainers_oldest": min(checked_explainers).isoformat() if checked_explainers else None,
        },
        "domains": domains,
        "services": {
            "in_scope": len(in_scope),
            "covered": sum(1 for service in in_scope if service in named),
            "uncovered": [service for service in in_scope if service not in named],
        },
        # What questions and cards use that no study section covers (content.study): the notes to write next.
        "notes_gaps": {
            "count": gaps.count,
            "services": [{"name": name, "uses": uses} for name, uses in gaps.services.items()],
            "tags": [{"name": name, "uses": uses} for name, uses in gaps.tags.items()],
        },
    }
