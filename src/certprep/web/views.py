"""Plain data for templates and API responses, built from packs (no web objects here)."""

from __future__ import annotations

from typing import Any

from certprep.content import Pack, largest_remainder


def pack_summary(pack: Pack) -> dict[str, Any]:
    blueprint = pack.blueprint
    return {
        "id": pack.id,
        "exam_code": blueprint.exam_code,
        "name": blueprint.name,
        "provider": blueprint.provider,
        "level": blueprint.level,
        "content_version": blueprint.content_version,
        "questions": sum(1 for question in pack.questions if question.status != "retired"),
        "flashcards": len(pack.flashcards),
        "domains": len(blueprint.domains),
    }


def pack_overview(pack: Pack) -> dict[str, Any]:
    """The exam as a learner wants to see it: facts, domains with weights and items, tasks, logistics, path."""
    blueprint = pack.blueprint
    items = largest_remainder(blueprint.questions.scored, [domain.weight for domain in blueprint.domains])
    domains = []
    for domain, exam_items in zip(blueprint.domains, items, strict=True):
        domains.append(
            {
                "id": domain.id,
                "name": domain.name,
                "weight": domain.weight,
                "exam_items": exam_items,
                "questions": sum(1 for q in pack.questions if q.domain == domain.id and q.status != "retired"),
                "tasks": [
                    {"id": task.id, "title": task.title, "knowledge": list(task.knowledge), "skills": list(task.skills)}
                    for task in domain.tasks
                ],
            }
        )
    logistics = blueprint.logistics.model_dump() if blueprint.logistics else None
    return {
        **pack_summary(pack),
        "facts": {
            "questions_total": blueprint.questions.total,
            "questions_scored": blueprint.questions.scored,
            "questions_unscored": blueprint.questions.unscored,
            "duration_minutes": blueprint.duration_minutes,
            "scale_min": blueprint.scale.min,
            "scale_max": blueprint.scale.max,
            "passing_score": blueprint.scale.passing,
            "scoring_model": blueprint.scoring_model,
            "question_types": [qt.model_dump() for qt in blueprint.question_types],
            "unanswered_policy": blueprint.unanswered_policy,
        },
        "domains": domains,
        "services": {category: list(names) for category, names in blueprint.services.items()},
        "retired_services": [service.model_dump() for service in blueprint.retired_services],
        "logistics": logistics,
        "path": [step.model_dump() for step in blueprint.path],
    }


def api_operations(openapi: dict[str, Any]) -> list[dict[str, Any]]:
    """Flatten an OpenAPI description into one row per operation: method, path, summary, parameters, body schema."""
    rows = []
    for path, item in sorted(openapi.get("paths", {}).items()):
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter.get("name", ""),
                            "where": parameter.get("in", ""),
                            "required": bool(parameter.get("required")),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "body": str(body.get("$ref", "")).rsplit("/", 1)[-1],
                }
            )
    return rows
