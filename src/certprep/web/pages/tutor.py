"""The tutor's chat page.

``GET /tutor?q=...`` renders a whole answer on the server, so the page works without JavaScript and an answer can
be bookmarked. With JavaScript, static/tutor.js sends the question to ``POST /tutor/stream`` instead and shows the
answer as it arrives: the response is newline-delimited JSON events (``start`` with the mode, the source and the
passages; ``delta`` with text; ``reset`` if the model failed mid-way; ``end``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from markupsafe import Markup
from pydantic import BaseModel

from certprep.tutor import related_passages
from certprep.web.api.tutor import clean_query, tutor_for
from certprep.web.deps import AppRuntime
from certprep.web.templating import render_markdown, templates

router = APIRouter(include_in_schema=False)

EXAMPLES = (
    "compare CodeDeploy deployment strategies",
    "explain CloudFormation StackSet behaviour across Regions",
    "SQS DLQ vs Lambda destinations",
    "How do I keep secrets out of a buildspec?",
    "quiz me on Systems Manager",
)
_CITATION = re.compile(r"\[(\d+)\]")


def render_answer(text: str) -> Markup:
    """The answer's Markdown as HTML, with each ``[n]`` turned into a link to the n-th source on the page."""
    html = str(render_markdown(text))  # escaped by markdown-it, so the substitution below cannot inject markup
    return Markup(_CITATION.sub(r'<a class="cite" href="#source-\1">[\1]</a>', html))


templates.env.filters["answer"] = render_answer


def _source_label(runtime_llm: Any, source: str) -> str:
    if source == "llm" and runtime_llm is not None:
        return f"Answered by the model {runtime_llm.config.model}, from the passages below."
    return "Answered by the retrieval tutor (offline), from the passages below."


@router.get("/tutor", response_class=HTMLResponse)
def tutor_page(request: Request, runtime: AppRuntime, q: str = "", pack: str | None = None) -> HTMLResponse:
    packs = [(pack_id, runtime.packs[pack_id].blueprint.exam_code) for pack_id in sorted(runtime.packs)]
    chosen = pack or runtime.tutors.default_pack()
    context: dict[str, Any] = {"packs": packs, "chosen": chosen, "query": q, "examples": EXAMPLES, "answer": None}
    if q.strip():
        tutor, tutor_context = tutor_for(request, chosen)
        answer = tutor.answer(clean_query(q), tutor_context)
        context.update(
            answer=answer,
            passages=answer.passages_json(tutor.pack.id),
            source_label=_source_label(tutor.llm, answer.source),
        )
    elif chosen not in runtime.packs:
        raise HTTPException(status_code=404, detail=f"No pack named '{chosen}' is installed.")
    return templates.TemplateResponse(request, "tutor.html", context)


class StreamQuery(BaseModel):
    query: str = ""
    pack: str | None = None


@router.post("/tutor/stream")
def tutor_stream(request: Request, body: StreamQuery) -> Response:
    try:
        query = clean_query(body.query)
        tutor, context = tutor_for(request, body.pack)
    except HTTPException as error:
        # The page's script reads JSON errors; this route is not under /api, so answer in kind here.
        return JSONResponse({"detail": error.detail}, status_code=error.status_code)

    def events() -> Iterator[bytes]:
        for event in tutor.stream(query, context):
            if event["event"] in ("start", "end", "reset"):
                event = {**event, "label": _source_label(tutor.llm, str(event.get("source", "retrieval")))}
            yield (json.dumps(event) + "\n").encode()

    return StreamingResponse(
        events(), media_type="application/x-ndjson", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    )


@router.get("/tutor/sources/{pack_id}/{passage_id}", response_class=HTMLResponse)
def tutor_source(request: Request, pack_id: str, passage_id: str) -> HTMLResponse:
    """A cited passage in its context. A question of the learner's running exam stays sealed until it may be shown."""
    tutor, context = tutor_for(request, pack_id)
    if context.sealed is not None:
        raise HTTPException(status_code=409, detail=context.sealed)
    passage = tutor.index.by_id.get(passage_id)
    if passage is None:
        raise HTTPException(status_code=404, detail=f"No passage '{passage_id}' in pack '{pack_id}'.")
    if passage.question_id is not None and passage.question_id in context.blocked:
        raise HTTPException(
            status_code=403,
            detail="This question is in an exam you are taking; its explanation opens once the answer is final.",
        )
    related = related_passages(tutor.index.passages, passage)
    return templates.TemplateResponse(
        request,
        "tutor_source.html",
        {"pack_id": pack_id, "passage": passage, "related": related, "exam_code": tutor.pack.blueprint.exam_code},
    )
