"""A learner's notebook: bookmarks and notes on questions and cards, a question or card on a page of its own, the
"my bookmarks" practice session and search over notes, cards and answered questions.

A question's page shows its key and explanation, so it opens only for a question whose key the learner has already
seen (``ExamService.revealed``), and none of these doors opens while a timed exam runs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from certprep.engine.session import revealed_question
from certprep.services.marks import MAX_NOTE
from certprep.web.deps import AppRuntime, Learner, get_pack, refuse_while_sealed
from certprep.web.pages.reports import local_path
from certprep.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.post("/packs/{pack_id}/marks")
def save_mark(
    request: Request,
    runtime: AppRuntime,
    learner_id: Learner,
    pack_id: str,
    kind: Annotated[str, Form(max_length=16)],
    ref: Annotated[str, Form(max_length=160)],
    bookmarked: Annotated[str | None, Form(max_length=5)] = None,
    note: Annotated[str | None, Form(max_length=MAX_NOTE + 200)] = None,
    back: Annotated[str, Form(max_length=300)] = "",
) -> RedirectResponse:
    get_pack(request, pack_id)
    chosen = None if bookmarked is None else bookmarked == "on"
    runtime.marks.save(learner_id, pack_id, kind, ref, bookmarked=chosen, note=note)
    return RedirectResponse(local_path(back) or f"/packs/{pack_id}/bookmarks", status_code=303)


@router.get("/packs/{pack_id}/bookmarks", response_class=HTMLResponse)
def bookmarks(request: Request, runtime: AppRuntime, learner_id: Learner, pack_id: str) -> HTMLResponse:
    pack = get_pack(request, pack_id)
    marks = runtime.marks.marks(learner_id, pack_id)
    return templates.TemplateResponse(
        request,
        "bookmarks.html",
        {"pack": pack, "marks": marks, "questions": sum(m.kind == "question" and m.bookmarked for m in marks)},
    )


@router.post("/packs/{pack_id}/bookmarks/practice")
def practise_bookmarks(request: Request, runtime: AppRuntime, learner_id: Learner, pack_id: str) -> RedirectResponse:
    get_pack(request, pack_id)
    attempt = runtime.marks.start_bookmarks(learner_id, pack_id)
    return RedirectResponse(f"/attempts/{attempt}/q/1", status_code=303)


@router.get("/packs/{pack_id}/questions/{code}", response_class=HTMLResponse)
def question_view(request: Request, runtime: AppRuntime, learner_id: Learner, pack_id: str, code: str) -> HTMLResponse:
    refuse_while_sealed(request)
    pack = get_pack(request, pack_id)
    question = pack.question_by_code(code.strip().upper())
    if question is None:
        raise HTTPException(status_code=404, detail=f"This pack has no question {code[:20]!r}.")
    if question.id not in runtime.exams.revealed(learner_id, pack_id):
        raise HTTPException(
            status_code=403, detail="A question opens here once you have answered it and seen its answer."
        )
    return templates.TemplateResponse(
        request,
        "question_view.html",
        {
            "pack": pack,
            "q": revealed_question(question),
            "code": pack.code(question.id),
            "mark": runtime.marks.mark(learner_id, pack_id, "question", code),
        },
    )


@router.get("/packs/{pack_id}/flashcards/{card_id}", response_class=HTMLResponse)
def card_view(request: Request, runtime: AppRuntime, learner_id: Learner, pack_id: str, card_id: str) -> HTMLResponse:
    pack = get_pack(request, pack_id)
    card = next((c for c in pack.flashcards if c.id == card_id), None)
    if card is None:
        raise HTTPException(status_code=404, detail="This pack has no such flashcard.")
    mark = runtime.marks.mark(learner_id, pack_id, "card", card_id)
    return templates.TemplateResponse(request, "card_view.html", {"pack": pack, "card": card, "mark": mark})


@router.get("/packs/{pack_id}/search", response_class=HTMLResponse)
def search_page(request: Request, runtime: AppRuntime, learner_id: Learner, pack_id: str, q: str = "") -> HTMLResponse:
    pack = get_pack(request, pack_id)
    hits = runtime.search.search(learner_id, pack_id, q) if q.strip() else None
    return templates.TemplateResponse(request, "search.html", {"pack": pack, "q": q, "hits": hits})
