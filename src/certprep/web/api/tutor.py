"""The tutor's JSON API: ``POST /api/v1/tutor/ask``.

The response is exactly ``{"mode", "answer", "passages": [{"id", "kind", "title", "text", "score", "url"}]}``;
which tutor wrote the answer (the retrieval tutor or a configured model) is in the ``X-Certprep-Tutor`` header so
that the body keeps its documented shape.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field

from certprep.tutor import Answer, Tutor, TutorContext
from certprep.web.deps import Learner, current_user_id, get_runtime

router = APIRouter(prefix="/api/v1", tags=["tutor"])

MAX_QUERY = 2000
SOURCE_HEADER = "X-Certprep-Tutor"


class TutorQuery(BaseModel):
    query: str = Field(
        "",
        description="What the learner asks: free text, 'compare X vs Y', 'explain question ID', or 'quiz me on TOPIC'.",
    )
    pack: str | None = Field(None, description="Pack id; default dop-c02 (or the only installed pack).")


class TutorPassage(BaseModel):
    id: str
    kind: Literal["explainer", "note", "card", "question", "option", "task"]
    title: str
    text: str
    score: float
    url: str


class TutorAnswer(BaseModel):
    mode: Literal["ask", "compare", "explain", "quiz"]
    answer: str
    passages: list[TutorPassage]


def tutor_for(request: Request, pack_id: str | None, learner_id: int | None = None) -> tuple[Tutor, TutorContext]:
    """The pack's tutor and what the learner (by default the one signed in) may not ask about; 404 for an unknown
    pack."""
    runtime = get_runtime(request)
    chosen = pack_id or runtime.tutors.default_pack()
    tutor = runtime.tutors.tutor(chosen)
    if tutor is None:
        raise HTTPException(status_code=404, detail=f"No pack named '{chosen}' is installed.")
    learner = current_user_id(request) if learner_id is None else learner_id
    return tutor, runtime.tutors.context(learner, chosen)


def clean_query(query: str) -> str:
    text = query.strip()
    if not text:
        raise HTTPException(status_code=422, detail="query: ask something; the query is empty.")
    if len(text) > MAX_QUERY:
        raise HTTPException(status_code=422, detail=f"query: at most {MAX_QUERY} characters, please.")
    return text


@router.post(
    "/tutor/ask",
    response_model=TutorAnswer,
    summary="Ask the tutor: an answer grounded in the pack, with its passages in rank order",
)
def ask(request: Request, learner_id: Learner, body: TutorQuery, response: Response) -> TutorAnswer:
    query = clean_query(body.query)
    tutor, context = tutor_for(request, body.pack, learner_id)
    answer: Answer = tutor.answer(query, context)
    response.headers[SOURCE_HEADER] = answer.source
    return TutorAnswer.model_validate(answer.to_json(tutor.pack.id))
