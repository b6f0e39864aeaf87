"""Exam and practice pages. They work with plain HTML forms; static/exam.js adds autosave, timer and keys."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from certprep.content import Pack
from certprep.engine.forms import DIAGNOSTIC_TITLE, sections, start_request
from certprep.engine.session import AnswerError
from certprep.services.exam_results import AttemptState
from certprep.services.exams import SELF_TAGS, ExamConflict
from certprep.web.deps import AppRuntime, Learner, current_user_id, get_pack, get_runtime
from certprep.web.templating import templates
from certprep.web.views import pack_overview

router = APIRouter(include_in_schema=False)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/packs/{pack_id}/practice", response_class=HTMLResponse)
def practice_home(request: Request, runtime: AppRuntime, learner_id: Learner, pack_id: str) -> HTMLResponse:
    pack = get_pack(request, pack_id)
    missed = len(runtime.exams.missed(learner_id, pack_id))
    attempts = [a for a in runtime.exams.list_attempts(learner_id) if a.pack == pack_id][:10]
    unseen = runtime.exams.unseen_exams(learner_id, pack_id)
    return templates.TemplateResponse(
        request,
        "practice.html",
        {
            "pack": pack_overview(pack),
            "missed": missed,
            "attempts": attempts,
            "unseen": unseen,
            "extra_minutes": runtime.exams.extra_minutes(learner_id),
            "sections": dict(sections(pack)),
        },
    )


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        raise AnswerError(f"'{value}' is not a number") from None


@router.post("/packs/{pack_id}/practice")
def start_practice(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack_id: str,
    mode: Annotated[str, Form()],
    count: Annotated[str | None, Form()] = None,
    domain: Annotated[str | None, Form()] = None,
    task: Annotated[str | None, Form()] = None,
    difficulty_min: Annotated[str | None, Form()] = None,
    difficulty_max: Annotated[str | None, Form()] = None,
    question_type: Annotated[str | None, Form()] = None,
    codes: Annotated[list[str] | None, Form()] = None,
    minutes: Annotated[str | None, Form()] = None,
    shuffle_options: Annotated[str | None, Form(max_length=5)] = None,
) -> RedirectResponse:
    pack = get_pack(request, pack_id)
    domain_id = _int_or_none(domain)
    form_request = start_request(
        mode,
        count=_int_or_none(count),
        domains=[domain_id] if domain_id else [],
        tasks=[task] if task else [],
        difficulty_min=_int_or_none(difficulty_min) or 1,
        difficulty_max=_int_or_none(difficulty_max) or 5,
        question_type=question_type or None,
        minutes=_int_or_none(minutes),
        # The exam cards' "Shuffle the options" box; unticked (absent), each mode keeps its default.
        shuffle_options=True if shuffle_options else None,
    )
    if codes and form_request.mode == "review":
        # "Practise this" under a tutor answer: those questions, by the public codes the learner was shown.
        form_request = replace(form_request, review_ids=_question_ids(pack, codes), title=PRACTISE_TITLE)
    attempt_id = runtime.exams.start(learner_id, pack_id, form_request)
    return _redirect(f"/attempts/{attempt_id}/q/1")


PRACTISE_TITLE = "Practise this"
MAX_PRACTISE_CODES = 10


def _question_ids(pack: Pack, codes: list[str]) -> tuple[str, ...]:
    """The questions behind public codes (``Q-7F3K9M``), in order, each once; one sentence for a code that is none."""
    if len(codes) > MAX_PRACTISE_CODES:
        raise AnswerError(f"practise at most {MAX_PRACTISE_CODES} questions by code at a time")
    ids: list[str] = []
    for code in codes:
        question = pack.question_by_code(code)
        if question is None or question.status != "live":
            raise AnswerError(f"'{code}' is not the code of a question of this pack")
        if question.id not in ids:
            ids.append(question.id)
    return tuple(ids)


def _state(request: Request, attempt_id: str) -> AttemptState:
    return get_runtime(request).exams.state(current_user_id(request), attempt_id)


def _time_up(state: AttemptState) -> RedirectResponse | None:
    """An attempt past its deadline and not yet scored goes to the submit page: a GET shows, a POST submits."""
    return _redirect(f"/attempts/{state.id}/submit") if state.time_up else None


@router.get("/attempts/{attempt_id}/q/{position}", response_class=HTMLResponse)
def question_page(request: Request, attempt_id: str, position: int) -> Any:
    state = _state(request, attempt_id)
    if state.status == "submitted" and state.exam:
        return _redirect(f"/attempts/{attempt_id}/results")
    if (time_up := _time_up(state)) is not None:
        return time_up
    questions = state.questions
    if not 1 <= position <= len(questions):
        return _redirect(f"/attempts/{attempt_id}/q/1")
    question = questions[position - 1]
    return templates.TemplateResponse(
        request,
        "question.html",
        {
            "state": state,
            "q": question,
            "position": position,
            "total": len(questions),
            "marks": {} if state.exam else _marks(request, state.pack),
        },
    )


def _marks(request: Request, pack_id: str) -> dict[str, Any]:
    """The learner's marks on the pack's questions by public code, for the bookmark and note under each."""
    runtime = get_runtime(request)
    return {m.label: m for m in runtime.marks.marks(current_user_id(request), pack_id) if m.kind == "question"}


@router.post("/attempts/{attempt_id}/q/{position}")
def save_question(
    runtime: AppRuntime,
    learner_id: Learner,
    attempt_id: str,
    position: int,
    action: Annotated[str, Form()] = "next",
    selected: Annotated[list[str] | None, Form()] = None,
    flagged: Annotated[str | None, Form()] = None,
    goto: Annotated[str | None, Form()] = None,
) -> RedirectResponse:
    exams = runtime.exams
    where = exams.position(learner_id, attempt_id, position)
    if where.submitted:
        return _redirect(f"/attempts/{attempt_id}/results")
    if where.locked is None:
        return _redirect(f"/attempts/{attempt_id}/q/1")
    try:
        if where.locked:
            exams.answer(learner_id, attempt_id, position, flagged=flagged == "on")
        else:
            exams.answer(learner_id, attempt_id, position, selected=selected or [], flagged=flagged == "on")
        if action == "check":
            exams.check(learner_id, attempt_id, position)
            return _redirect(f"/attempts/{attempt_id}/q/{position}")
    except ExamConflict:
        return _redirect(f"/attempts/{attempt_id}/results")
    total = where.question_count
    if action == "prev":
        return _redirect(f"/attempts/{attempt_id}/q/{max(1, position - 1)}")
    if action == "next-flagged":
        return _redirect(_next_flagged(exams.state(learner_id, attempt_id), position))
    if action == "goto" and goto:
        return _redirect(f"/attempts/{attempt_id}/q/{_int_or_none(goto) or position}")
    if action == "review" or position >= total:
        return _redirect(f"/attempts/{attempt_id}/review?from={position}")  # its "Back" returns here
    return _redirect(f"/attempts/{attempt_id}/q/{position + 1}")


def _next_flagged(state: AttemptState, position: int) -> str:
    """The first flagged question after ``position``, going round to the start as the test centre's "Next flagged"
    does; the review screen's flagged view when no other question is flagged."""
    flagged = [q.position for q in state.questions if q.flagged and q.position != position]
    if not flagged:
        return f"/attempts/{state.id}/review?show=flagged&from={position}"
    after = [n for n in flagged if n > position]
    return f"/attempts/{state.id}/q/{(after or flagged)[0]}"


def _back_position(state: AttemptState, back: str | None) -> int:
    """The question the learner came from (the review screen's ``from``), or 1 when it names none of this attempt."""
    number = int(back) if back and back.isdecimal() else 0
    return number if 1 <= number <= state.question_count else 1


# The test centre's review screen: every question, the incomplete (unanswered) ones, or the flagged ones.
REVIEW_VIEWS = {"all": "All", "incomplete": "Incomplete", "flagged": "Flagged"}


@router.get("/attempts/{attempt_id}/review", response_class=HTMLResponse)
def review_screen(
    request: Request,
    attempt_id: str,
    show: Annotated[str, Query(max_length=20)] = "all",
    back: Annotated[str | None, Query(alias="from", max_length=6)] = None,
) -> Any:
    state = _state(request, attempt_id)
    if state.status == "submitted":
        return _redirect(f"/attempts/{attempt_id}/results")
    if (time_up := _time_up(state)) is not None:
        return time_up
    show = show if show in REVIEW_VIEWS else "all"
    views = {
        "all": state.questions,
        "incomplete": [q for q in state.questions if not q.answered],
        "flagged": [q for q in state.questions if q.flagged],
    }
    return templates.TemplateResponse(
        request,
        "review.html",
        {
            "state": state,
            "show": show,
            "views": [(name, label, len(views[name])) for name, label in REVIEW_VIEWS.items()],
            "questions": views[show],
            "back": _back_position(state, back),
        },
    )


@router.get("/attempts/{attempt_id}/submit", response_class=HTMLResponse)
def confirm_submit(
    request: Request, attempt_id: str, back: Annotated[str | None, Query(alias="from", max_length=6)] = None
) -> Any:
    state = _state(request, attempt_id)
    if state.status == "submitted":
        return _redirect(f"/attempts/{attempt_id}/results")
    unanswered = [q.position for q in state.questions if not q.answered]
    flagged = [q.position for q in state.questions if q.flagged]
    return templates.TemplateResponse(
        request,
        "submit.html",
        {"state": state, "unanswered": unanswered, "flagged": flagged, "back": _back_position(state, back)},
    )


@router.post("/attempts/{attempt_id}/submit")
def submit(runtime: AppRuntime, learner_id: Learner, attempt_id: str) -> RedirectResponse:
    runtime.exams.submit(learner_id, attempt_id)
    return _redirect(f"/attempts/{attempt_id}/results")


RESULT_VIEWS = ("all", "incorrect", "flagged")


@router.get("/attempts/{attempt_id}/results", response_class=HTMLResponse)
def results(request: Request, attempt_id: str, show: str = "all", domain: str | None = None) -> Any:
    domain_id = _int_or_none(domain)  # the filter form sends "" for "all domains"
    state = _state(request, attempt_id)
    if state.status != "submitted":
        return _time_up(state) or _redirect(f"/attempts/{attempt_id}/review")
    questions = state.questions
    if show not in RESULT_VIEWS:
        show = "all"
    if show == "incorrect":
        questions = [q for q in questions if not q.correct]
    elif show == "flagged":
        questions = [q for q in questions if q.flagged]
    if domain_id is not None:
        questions = [q for q in questions if q.domain == domain_id]
    pack = get_pack(request, state.pack)
    return templates.TemplateResponse(
        request,
        "results.html",
        {
            "state": state,
            "result": state.result,
            "questions": questions,
            "show": show,
            "domain": domain_id,
            "domains": [(d.id, d.name) for d in pack.blueprint.domains],
            "scale": pack.blueprint.scale,
            "tags": SELF_TAGS,
            "diagnostic_title": DIAGNOSTIC_TITLE,
            "marks": _marks(request, state.pack),
        },
    )


@router.post("/attempts/{attempt_id}/items/{position}/tag")
def tag(
    runtime: AppRuntime,
    learner_id: Learner,
    attempt_id: str,
    position: int,
    tag: Annotated[str, Form()] = "",
    show: Annotated[str, Form(max_length=20)] = "all",
    domain: Annotated[str, Form(max_length=3)] = "",
) -> RedirectResponse:
    runtime.exams.self_tag(learner_id, attempt_id, position, tag or None)
    # Back to the same view of the results: the filter the learner was reading stays on.
    view = urlencode(
        {"show": show if show in RESULT_VIEWS else "all", **({"domain": domain} if domain.isdigit() else {})}
    )
    return _redirect(f"/attempts/{attempt_id}/results?{view}#item-{position}")


@router.get("/attempts", response_class=HTMLResponse)
def history(request: Request, runtime: AppRuntime, learner_id: Learner, deleted: str | None = None) -> HTMLResponse:
    attempts = runtime.exams.list_attempts(learner_id, limit=200)
    return templates.TemplateResponse(
        request,
        "attempts.html",
        {"attempts": attempts, "time_left": runtime.exams.time_left(learner_id), "deleted": deleted is not None},
    )


@router.get("/attempts/{attempt_id}/delete", response_class=HTMLResponse)
def confirm_delete(request: Request, attempt_id: str) -> HTMLResponse:
    """One step before an attempt is abandoned (running) or deleted (finished): what goes, and a way back."""
    return templates.TemplateResponse(request, "attempt_delete.html", {"state": _state(request, attempt_id)})


@router.post("/attempts/{attempt_id}/delete")
def delete_attempt(runtime: AppRuntime, learner_id: Learner, attempt_id: str) -> RedirectResponse:
    runtime.exams.delete(learner_id, attempt_id)
    return _redirect("/attempts?deleted=1")
