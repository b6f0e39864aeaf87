"""Study pages: a pack's notes per domain and per task statement, with each section's flashcards and a drill of its
questions, and one master quick reference. Built from :class:`certprep.content.study.StudyGuide`.

The notes hold no answer keys, but they teach exactly what a running timed exam asks, so while one runs the study
pages are closed, as the tutor is (``refuse_while_sealed``'s rule, with a sentence about study pages), and the
study links under explanations are left out.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from certprep.content import Pack
from certprep.content.study import SECTION_KINDS, StudyGuide, StudySection, study_guide
from certprep.web.deps import AppRuntime, current_user_id, get_pack, get_runtime
from certprep.web.templating import templates

router = APIRouter(include_in_schema=False)

CLOSED = "Study pages are closed while a timed exam runs, as at the test centre. "
# How many of a section's questions its "Practise these questions" button sends (the practice route's limit).
PRACTISE_AT_MOST = 10
DRILL_AT_MOST = 20
KIND_HEADINGS = {kind: title for title, kind in SECTION_KINDS}


def study_url(pack_id: str, section: StudySection) -> str:
    """Where a section is shown: its domain's study page, at its anchor."""
    return f"/packs/{pack_id}/study/domains/{section.domain}#{section.anchor}"


def _sealed(request: Request) -> str | None:
    """The sentence that closes the study pages while the learner sits a timed exam, or None. Asked once a request:
    a results page asks for every question's links."""
    if not hasattr(request.state, "study_sealed"):
        runtime = get_runtime(request)
        seal = runtime.exams.seal(current_user_id(request))
        sentence = None
        if seal is not None:
            sentence = CLOSED + seal.sentence(runtime.clock())
        request.state.study_sealed = sentence
    sealed: str | None = request.state.study_sealed
    return sealed


def _open(request: Request, pack_id: str) -> tuple[Pack, StudyGuide]:
    pack = get_pack(request, pack_id)
    sentence = _sealed(request)
    if sentence is not None:
        raise HTTPException(status_code=409, detail=sentence)
    return pack, study_guide(pack)


def study_links(request: Request, pack_id: str, question_id: str) -> list[dict[str, str]]:
    """The study sections an answered question's explanation links to, as ``{title, kind, url}``; none while a
    timed exam runs (the pages they lead to are closed). Templates call it only where the key is already shown."""
    pack = get_runtime(request).pack(pack_id)
    question = pack.question(question_id) if pack is not None else None
    if pack is None or question is None or _sealed(request) is not None:
        return []
    return [
        {"title": section.title, "kind": KIND_HEADINGS[section.kind], "url": study_url(pack_id, section)}
        for section in study_guide(pack).links(question)
    ]


templates.env.globals["study_links"] = study_links


def _section_view(pack: Pack, guide: StudyGuide, section: StudySection, task: str | None = None) -> dict[str, Any]:
    """A section with its flashcards and the public codes of (at most ten of) its questions, for one drill."""
    questions = guide.questions_in(section.anchor, task)
    return {
        "section": section,
        "cards": guide.cards_in(section.anchor, task),
        "codes": sorted(pack.code(question.id) for question in questions)[:PRACTISE_AT_MOST],
        "questions": len(questions),
    }


def _task_drill(pack: Pack, task_id: str) -> int:
    return min(DRILL_AT_MOST, sum(1 for q in pack.questions if q.task == task_id and q.status == "live"))


@router.get("/study")
def study_home(request: Request, runtime: AppRuntime) -> Response:
    """The main navigation's "Study": the one pack's study page, or a choice when several are installed."""
    if len(runtime.packs) == 1:
        return RedirectResponse(f"/packs/{next(iter(runtime.packs))}/study", status_code=303)
    packs = [runtime.packs[pack_id] for pack_id in sorted(runtime.packs)]
    return templates.TemplateResponse(request, "study_packs.html", {"packs": packs})


@router.get("/packs/{pack_id}/study", response_class=HTMLResponse)
def study_index(request: Request, pack_id: str) -> HTMLResponse:
    pack, guide = _open(request, pack_id)
    return templates.TemplateResponse(request, "study_index.html", {"pack": pack, "guide": guide})


@router.get("/packs/{pack_id}/study/domains/{domain_id}", response_class=HTMLResponse)
def study_domain(request: Request, pack_id: str, domain_id: str) -> HTMLResponse:
    pack, guide = _open(request, pack_id)
    domain = pack.blueprint.domain(int(domain_id)) if domain_id.isdigit() else None
    if domain is None:
        raise HTTPException(status_code=404, detail=f"{pack.blueprint.exam_code} has no domain '{domain_id}'.")
    notes = guide.domains.get(domain.id)
    kinds = []
    for title, kind in SECTION_KINDS:
        sections = notes.of_kind(kind) if notes else []
        if sections:
            kinds.append({"title": title, "kind": kind, "sections": [_section_view(pack, guide, s) for s in sections]})
    return templates.TemplateResponse(
        request,
        "study_domain.html",
        {
            "pack": pack,
            "domain": domain,
            "notes": notes,
            "kinds": kinds,
            "drills": {task.id: _task_drill(pack, task.id) for task in domain.tasks},
        },
    )


@router.get("/packs/{pack_id}/study/tasks/{task_id}", response_class=HTMLResponse)
def study_task(request: Request, pack_id: str, task_id: str) -> HTMLResponse:
    pack, guide = _open(request, pack_id)
    task = pack.blueprint.task(task_id)
    domain = pack.blueprint.domain_of_task(task_id)
    if task is None or domain is None:
        raise HTTPException(status_code=404, detail=f"{pack.blueprint.exam_code} has no task statement '{task_id}'.")
    sections = [_section_view(pack, guide, section, task.id) for section in guide.task_sections(task.id)]
    return templates.TemplateResponse(
        request,
        "study_task.html",
        {
            "pack": pack,
            "domain": domain,
            "task": task,
            "sections": sections,
            "cards": sum(1 for card in pack.flashcards if card.task == task.id),
            "drill": _task_drill(pack, task.id),
        },
    )


@router.get("/packs/{pack_id}/study/quick-reference", response_class=HTMLResponse)
def study_quick_reference(request: Request, pack_id: str) -> HTMLResponse:
    pack, guide = _open(request, pack_id)
    return templates.TemplateResponse(request, "study_quick.html", {"pack": pack, "guide": guide})
