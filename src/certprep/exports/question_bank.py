"""The question-bank PDF: a set of questions to answer on paper, then the answer key with every explanation.

Which questions: the engine's own form assembly (certprep.engine.forms) picks them, so a printed set is balanced
exactly like a practice session in the app. Without a filter the set is weighted by the blueprint's domain weights
and spread over task statements; with a domain or task statement it is that part of the bank, balanced over its
task statements. Only live questions are printed (pretest and retired ones stay out, as in practice).

The questions are printed in a mixed order drawn from the seed, never grouped by domain or task statement, and the
question pages carry no domain or task labels: a practice set, like the exam, does not say what a question is
about. The answer key names each question's domain and task statement, for study after answering.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from certprep.content.models import Pack, Question
from certprep.engine.forms import FormError, FormRequest, assemble_form
from certprep.exports.errors import ExportError
from certprep.exports.markdown import parse_blocks, parse_inlines
from certprep.exports.typeset import Paper, render_pdf

MAX_COUNT = 1000


@dataclass(frozen=True)
class BankRequest:
    """What to print. ``count`` None means: the exam's length without filters, every match with a filter."""

    count: int | None = None
    domain: int | None = None
    task: str | None = None
    seed: int = 0


def select_questions(pack: Pack, request: BankRequest) -> list[Question]:
    """The questions of the set in a mixed order that the seed repeats; ExportError for a request that cannot work."""
    blueprint = pack.blueprint
    if request.count is not None and not 1 <= request.count <= MAX_COUNT:
        raise ExportError(f"the number of questions must be between 1 and {MAX_COUNT}")
    if request.domain is not None and blueprint.domain(request.domain) is None:
        known = ", ".join(str(domain.id) for domain in blueprint.domains)
        raise ExportError(f"{blueprint.exam_code} has no domain {request.domain}; its domains are {known}")
    if request.task is not None:
        owner = blueprint.domain_of_task(request.task)
        if owner is None:
            raise ExportError(f"{blueprint.exam_code} has no task statement {request.task}")
        if request.domain is not None and owner.id != request.domain:
            raise ExportError(f"task statement {request.task} belongs to domain {owner.id}, not {request.domain}")
    filtered = request.domain is not None or request.task is not None
    domains = (request.domain,) if request.domain is not None else ()
    tasks = (request.task,) if request.task is not None else ()
    if filtered:
        matching = [
            question
            for question in pack.questions
            if question.status == "live"
            and (request.domain is None or question.domain == request.domain)
            and (request.task is None or question.task == request.task)
        ]
        count = request.count or len(matching) or 1
        form_request = FormRequest(mode="drill", count=count, domains=domains, tasks=tasks)
    else:
        form_request = FormRequest(mode="quick", count=request.count or blueprint.questions.total)
    try:
        form = assemble_form(pack, form_request, request.seed)
    except FormError as error:
        raise ExportError(f"cannot build that question set: {error.args[0] if error.args else error}") from None
    chosen = [question for question_id in form.question_ids if (question := pack.question(question_id))]
    # A drill form comes task statement by task statement; printed, that order would tell what each question is on.
    random.Random(f"print order {request.seed}").shuffle(chosen)
    return chosen


def question_data(question: Question, code: str) -> dict[str, Any]:
    """One question with its key, as the templates want it; ``code`` is what the page prints (never the id)."""
    return {
        "id": code,
        "domain": question.domain,
        "task": question.task,
        "type": question.type,
        "select": question.select,
        "stem": parse_blocks(question.stem),
        "options": [
            {
                "id": option.id,
                "text": parse_inlines(option.text),
                "correct": option.correct,
                "why": parse_inlines(option.why),
            }
            for option in question.options
        ],
        "answer": sorted(question.correct_ids),
        "explanation": parse_blocks(question.explanation),
        "references": list(question.references),
    }


def describe(pack: Pack, request: BankRequest, count: int) -> str:
    """The subtitle: how the set was chosen, in words."""
    blueprint = pack.blueprint
    if request.task is not None:
        task = blueprint.task(request.task)
        return f"{count} questions on task statement {request.task}" + (f" ({task.title})" if task else "")
    if request.domain is not None:
        domain = blueprint.domain(request.domain)
        return f"{count} questions from domain {request.domain}" + (f" ({domain.name})" if domain else "")
    return f"{count} questions weighted by the exam's domain weights"


def question_bank_data(pack: Pack, request: BankRequest) -> dict[str, Any]:
    questions = select_questions(pack, request)
    blueprint = pack.blueprint
    return {
        "title": f"{blueprint.exam_code} question bank",
        "subtitle": describe(pack, request, len(questions)) + f" · set {request.seed}",
        "exam_name": blueprint.name,
        "exam_code": blueprint.exam_code,
        "content_version": blueprint.content_version,
        "questions": [
            {"number": number, **question_data(q, pack.code(q.id))} for number, q in enumerate(questions, start=1)
        ],
    }


def question_bank_pdf(
    pack: Pack, request: BankRequest | None = None, paper: Paper = "a4", when: dt.datetime | None = None
) -> bytes:
    """The question set of ``request`` as PDF bytes: questions first, then the answer key."""
    return render_pdf("questions", question_bank_data(pack, request or BankRequest()), paper, when)
