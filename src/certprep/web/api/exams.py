"""Exams and practice over JSON: /api/v1/exams. Keys appear only once an answer is final."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from certprep.content.models import QuestionType
from certprep.engine.forms import FormRequest, Mode, is_exam_mode, start_request
from certprep.services.exam_results import (
    AttemptState,
    AttemptSummary,
    CheckedAnswer,
    ExamResult,
    SavedAnswer,
    StartedExam,
    UnseenExams,
)
from certprep.services.exams import ExamConflict, SelfTagName
from certprep.web.api.learning import PackQuery, resolve_pack
from certprep.web.deps import AppRuntime, Learner

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
    # Checked by start_request, not by the schema, so that a bad value is the same one sentence as on the pages.
    minutes: int | None = Field(
        None, description="Practice (drill, quick, review, custom): an optional timer, 1 to 300 minutes."
    )
    shuffle_options: bool | None = Field(
        None,
        description="Show each question's options in an order of this attempt's own, lettered A, B, C... as shown "
        "(answers are sent and returned by those letters). Default: true for practice, false for full and mock100 "
        "exams, which keep the pack's order so that a seed gives the same form.",
    )

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
            minutes=self.minutes,
            shuffle_options=self.shuffle_options,
        )


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    selected: list[str] | None = Field(None, max_length=10, examples=[["A", "C"]])
    flagged: bool | None = None
    struck: list[str] | None = Field(None, max_length=10)
    seq: int | None = Field(
        None,
        ge=0,
        le=2**53,
        description="The client's sequence number of this save; a later-arriving save with a lower one is not applied.",
    )


class SelfTag(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tag: SelfTagName | None


@router.post("", status_code=201, response_model=StartedExam, summary="Start an exam or a practice session")
def start_exam(runtime: AppRuntime, learner_id: Learner, body: StartExam) -> StartedExam:
    request = body.form_request()
    # A timed exam says what the practice page said just before: how many full exams of unseen questions remained.
    unseen = runtime.exams.unseen_exams(learner_id, body.pack) if is_exam_mode(request.mode) else None
    attempt_id = runtime.exams.start(learner_id, body.pack, request, seed=body.seed)
    return StartedExam.of(runtime.exams.state(learner_id, attempt_id), unseen)


@router.get("", response_model=list[AttemptSummary], summary="The learner's attempts, newest first")
def list_exams(runtime: AppRuntime, learner_id: Learner) -> list[AttemptSummary]:
    return runtime.exams.list_attempts(learner_id)


@router.get(
    "/unseen",
    response_model=UnseenExams,
    summary="How many full exams of questions the learner has not seen remain",
)
def unseen_exams(
    request: Request, runtime: AppRuntime, learner_id: Learner, pack: str | None = PackQuery
) -> UnseenExams:
    """The figure the practice page and the dashboard show, for the pack named (optional with one pack installed)."""
    return runtime.exams.unseen_exams(learner_id, resolve_pack(request, pack))


@router.get(
    "/{attempt_id}",
    response_model=AttemptState,
    response_model_exclude_unset=True,  # key fields of unrevealed items are absent, not null
    summary="State of an attempt: answers, flags, remaining seconds",
)
def get_exam(runtime: AppRuntime, learner_id: Learner, attempt_id: str) -> AttemptState:
    return runtime.exams.state(learner_id, attempt_id)


@router.put("/{attempt_id}/answers/{position}", response_model=SavedAnswer, summary="Save an answer as it is given")
def put_answer(runtime: AppRuntime, learner_id: Learner, attempt_id: str, position: int, body: Answer) -> SavedAnswer:
    return runtime.exams.answer(
        learner_id, attempt_id, position, body.selected, body.flagged, body.struck, seq=body.seq
    )


@router.post(
    "/{attempt_id}/answers/{position}/check",
    response_model=CheckedAnswer,
    summary="Practice: make the answer final and see the key",
)
def check_answer(runtime: AppRuntime, learner_id: Learner, attempt_id: str, position: int) -> CheckedAnswer:
    return runtime.exams.check(learner_id, attempt_id, position)


@router.post("/{attempt_id}/submit", response_model=ExamResult, summary="Submit and score the attempt")
def submit_exam(runtime: AppRuntime, learner_id: Learner, attempt_id: str) -> ExamResult:
    return runtime.exams.submit(learner_id, attempt_id)


@router.get(
    "/{attempt_id}/review",
    response_model=AttemptState,
    response_model_exclude_unset=True,
    summary="After submission: every question with the key, reasons and references",
)
def review_exam(runtime: AppRuntime, learner_id: Learner, attempt_id: str) -> AttemptState:
    state = runtime.exams.state(learner_id, attempt_id)
    if state.status != "submitted":
        raise ExamConflict("The review opens once the attempt is submitted.")
    return state


@router.put("/{attempt_id}/items/{position}/tag", status_code=204, summary="Tag a reviewed answer")
def tag_item(runtime: AppRuntime, learner_id: Learner, attempt_id: str, position: int, body: SelfTag) -> None:
    runtime.exams.self_tag(learner_id, attempt_id, position, body.tag)
