"""Exams and practice over JSON: /api/v1/exams. Keys appear only once an answer is final."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from certprep.content.models import QuestionType
from certprep.engine.forms import FormRequest, Mode, start_request
from certprep.services.exams import SelfTagName
from certprep.web.deps import AppRuntime, Learner, get_runtime
from certprep.web.views import public_codes

router = APIRouter(prefix="/api/v1/exams", tags=["exams"])


class StartExam(BaseModel):
    """What to practise. ``full`` is the 75-question, 180-minute exam; ``mock100`` the 100-question mock."""

    model_config = ConfigDict(extra="forbid")

    pack: str = Field(min_length=1, max_length=64, examples=["dop-c02"])
    mode: Mode
    count: int | None = Field(None, ge=1, le=200, description="Questions (drill, review, custom, quick).")
    domain: int | None = Field(None, ge=1, le=50, description="Shorthand for domains=[domain].")
    domains: list[int] = Field(default_factory=list, max_length=50)
    task: str | None = Field(None, pattern=r"^\d+\.\d+$", description="Shorthand for tasks=[task].")
    tasks: list[str] = Field(default_factory=list, max_length=100)
    difficulty_min: int = Field(1, ge=1, le=5)
    difficulty_max: int = Field(5, ge=1, le=5)
    type: QuestionType | None = None
    seed: int | None = Field(None, ge=0, le=2**31 - 1)

    def form_request(self) -> FormRequest:
        """The checked request (engine.forms.start_request: the same rules as the pages and the CLI)."""
        return start_request(
            self.mode,
            count=self.count,
            domains=[*([self.domain] if self.domain else []), *self.domains],
            tasks=[*([self.task] if self.task else []), *self.tasks],
            difficulty_min=self.difficulty_min,
            difficulty_max=self.difficulty_max,
            question_type=self.type,
        )


class PublicOption(BaseModel):
    id: str
    text: str


class PublicQuestion(BaseModel):
    position: int
    code: str = Field(description="The question's public code, such as Q-7F3K9M (stable; never the authoring id).")
    type: str
    select: int
    stem: str
    options: list[PublicOption]


class StartedExam(BaseModel):
    id: str
    mode: str
    questions: list[PublicQuestion]
    ends_at: str | None
    remaining_seconds: int | None


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    selected: list[str] | None = Field(None, max_length=10, examples=[["A", "C"]])
    flagged: bool | None = None
    struck: list[str] | None = Field(None, max_length=10)


class SavedAnswer(BaseModel):
    position: int
    selected: list[str]
    flagged: bool
    struck: list[str]
    saved_at: str


class Section(BaseModel):
    domain: int
    name: str
    scored_items: int
    correct: int
    percent: float
    classification: str


class ResultItem(BaseModel):
    position: int
    code: str
    scored: bool
    selected: list[str]
    correct_options: list[str] | None = Field(
        description="The key; null while the learner sits a timed exam that has this question too."
    )
    correct: bool | None
    flagged: bool


class ExamResult(BaseModel):
    scaled_score: int
    passed: bool
    pass_probability: float
    score_range: list[int]
    theta: float
    theta_se: float
    correct: int
    scored_items: int
    percent: float
    answered: int
    unanswered: int
    auto_submitted: bool
    exam: bool
    sections: list[Section]
    items: list[ResultItem]


class OptionView(BaseModel):
    id: str
    text: str
    correct: bool | None = Field(None, description="Present only once the item is revealed.")
    why: str | None = Field(None, description="Present only once the item is revealed.")


class _QuestionAt(BaseModel):
    """A question at its position in an attempt, with the learner's selection (engine.session.public_question)."""

    position: int
    code: str = Field(description="The question's public code (never the authoring id).")
    revealed: bool = Field(description="Whether the reveal rule lets this learner see the key now.")
    type: str
    select: int
    domain: int
    task: str
    stem: str
    options: list[OptionView]
    selected: list[str]


class ItemView(_QuestionAt):
    """One question of an attempt as the learner may see it now; the key fields appear only when ``revealed``."""

    struck: list[str]
    flagged: bool
    locked: bool
    answered: bool
    correct: bool | None = None
    self_tag: str | None = None
    scored: bool | None = None
    sealed: bool | None = None
    correct_options: list[str] | None = None
    explanation: str | None = None
    references: list[str] | None = None
    services: list[str] | None = None
    difficulty: int | None = None


class CheckedAnswer(_QuestionAt):
    """A practice answer made final: the whole question with its key, every option's reason and the explanation."""

    pack: str
    correct: bool | None
    correct_options: list[str]
    explanation: str
    references: list[str]
    services: list[str]
    difficulty: int


class AttemptState(BaseModel):
    id: str
    pack: str
    mode: str
    status: str
    exam: bool
    feedback: bool
    started_at: str
    ends_at: str | None
    remaining_seconds: int | None
    time_up: bool = Field(
        description="The deadline has passed and the attempt is not scored yet: POST .../submit to see the result "
        "(the server also submits such attempts in the background within a minute)."
    )
    submitted_at: str | None
    question_count: int
    answered: int
    flagged: int
    questions: list[ItemView]
    result: dict[str, Any] | None
    sealed: str | None = Field(description="Why keys are hidden: a timed exam of this learner is running.")
    config: dict[str, Any] | None


class AttemptSummary(BaseModel):
    id: str
    pack: str
    mode: str = Field(description="One of the session modes (full, mock100, drill, quick, review, custom).")
    status: str = Field(description="in_progress or submitted.")
    started_at: str = Field(description="ISO 8601, UTC.")
    time_up: bool = Field(description="Past its deadline and not scored yet.")
    scaled_score: int | None = Field(description="Null until submitted, and for practice without a scaled score.")
    passed: bool | None
    percent: float | None


class SelfTag(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tag: SelfTagName | None


@router.post("", status_code=201, response_model=StartedExam, summary="Start an exam or a practice session")
def start_exam(request: Request, runtime: AppRuntime, learner_id: Learner, body: StartExam) -> dict[str, Any]:
    attempt_id = runtime.exams.start(learner_id, body.pack, body.form_request(), seed=body.seed)
    state = _public(request, runtime.exams.state(learner_id, attempt_id))
    return {
        "id": attempt_id,
        "mode": state["mode"],
        "questions": state["questions"],
        "ends_at": state["ends_at"],
        "remaining_seconds": state["remaining_seconds"],
    }


def _public(request: Request, state: dict[str, Any]) -> dict[str, Any]:
    """An attempt's state or result as learners see it: questions by public code (web.views.public_codes)."""
    pack = get_runtime(request).pack(str(state.get("pack", "")))
    return public_codes(pack, state) if pack is not None else state


@router.get("", response_model=list[AttemptSummary], summary="The learner's attempts, newest first")
def list_exams(runtime: AppRuntime, learner_id: Learner) -> list[dict[str, Any]]:
    return runtime.exams.list_attempts(learner_id)


@router.get(
    "/{attempt_id}",
    response_model=AttemptState,
    response_model_exclude_unset=True,  # key fields of unrevealed items are absent, not null
    summary="State of an attempt: answers, flags, remaining seconds",
)
def get_exam(request: Request, runtime: AppRuntime, learner_id: Learner, attempt_id: str) -> dict[str, Any]:
    return _public(request, runtime.exams.state(learner_id, attempt_id))


@router.put("/{attempt_id}/answers/{position}", response_model=SavedAnswer, summary="Save an answer as it is given")
def put_answer(
    runtime: AppRuntime, learner_id: Learner, attempt_id: str, position: int, body: Answer
) -> dict[str, Any]:
    return runtime.exams.answer(learner_id, attempt_id, position, body.selected, body.flagged, body.struck)


@router.post(
    "/{attempt_id}/answers/{position}/check",
    response_model=CheckedAnswer,
    summary="Practice: make the answer final and see the key",
)
def check_answer(
    request: Request, runtime: AppRuntime, learner_id: Learner, attempt_id: str, position: int
) -> dict[str, Any]:
    return _public(request, runtime.exams.check(learner_id, attempt_id, position))


@router.post("/{attempt_id}/submit", response_model=ExamResult, summary="Submit and score the attempt")
def submit_exam(request: Request, runtime: AppRuntime, learner_id: Learner, attempt_id: str) -> dict[str, Any]:
    result = runtime.exams.submit(learner_id, attempt_id)
    return _public(request, {**result, "pack": runtime.exams.state(learner_id, attempt_id)["pack"]})


@router.get(
    "/{attempt_id}/review",
    response_model=AttemptState,
    response_model_exclude_unset=True,
    summary="After submission: every question with the key, reasons and references",
)
def review_exam(request: Request, runtime: AppRuntime, learner_id: Learner, attempt_id: str) -> dict[str, Any]:
    from certprep.services.exams import ExamConflict

    state = runtime.exams.state(learner_id, attempt_id)
    if state["status"] != "submitted":
        raise ExamConflict("The review opens once the attempt is submitted.")
    return _public(request, state)


@router.put("/{attempt_id}/items/{position}/tag", status_code=204, summary="Tag a reviewed answer")
def tag_item(runtime: AppRuntime, learner_id: Learner, attempt_id: str, position: int, body: SelfTag) -> None:
    runtime.exams.self_tag(learner_id, attempt_id, position, body.tag)
