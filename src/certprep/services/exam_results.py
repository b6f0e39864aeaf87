"""What :class:`~certprep.services.exams.ExamService` returns: one definition per shape, for the pages, the command
line, the tutor, the score report and the API, which declares these models as its response models as they are.

Every model is frozen. Two rules keep the answer key where it belongs:

- a question is named by ``code``, its public code, in everything a learner receives; ``question_id``, the authoring
  id (which can name the answer, e.g. ``d1-pipeline-queued-execution-mode``), is kept for the callers inside certprep
  but is excluded from every dump, so no JSON response can carry it;
- an item view says with ``revealed`` whether the reveal rule (:func:`certprep.engine.session.may_reveal`) lets
  the learner see its key now. The key fields of an unrevealed item are left unset (None here), and the API leaves
  them out of its JSON (``response_model_exclude_unset``), exactly as before the views were typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from certprep.content.models import Pack
from certprep.engine.forms import UnseenForms
from certprep.engine.options import OptionLabels


class ExamResultModel(BaseModel):
    """Base of the exam results: frozen."""

    model_config = ConfigDict(frozen=True)


QUESTION_ID = "The authoring id, for certprep's own callers; excluded from every dump, so never sent to a client."


# -- starting ------------------------------------------------------------------------------------------------------


class PublicOption(ExamResultModel):
    """An answer option as shown while the key is hidden."""

    id: str
    text: str


class PublicQuestion(ExamResultModel):
    """A question of a newly started attempt: what the learner reads, nothing of the key."""

    position: int
    question_id: str = Field(exclude=True, description=QUESTION_ID)
    code: str = Field(description="The question's public code, such as Q-7F3K9M (stable; never the authoring id).")
    type: str
    select: int
    stem: str
    options: list[PublicOption]


class UnseenExams(ExamResultModel):
    """How far the questions a learner has not seen go (:func:`certprep.engine.forms.unseen_full_forms`): what the
    practice page, the dashboard, ``certprep exam`` and the API (``GET /api/v1/exams/unseen`` and the start of a timed
    exam) tell the learner."""

    remaining: int = Field(
        description="Complete full exams (the blueprint's questions per domain and task statement, and its "
        "unscored pretest share) that questions the learner has never seen, in any exam or practice, can still fill."
    )
    scored_remaining: int = Field(
        description="Complete full exams whose scored questions alone the learner has never seen: at least "
        "'remaining', and more once the few pretest questions are used up (their unscored seats then repeat pretest "
        "questions the learner saw longest ago, while the scored ones stay unseen)."
    )
    unseen_questions: int = Field(description="Questions an exam may ask that the learner has never seen.")
    sentence: str = Field(description="The same figures in one sentence, as the practice page shows them.")

    @classmethod
    def of(cls, forms: UnseenForms) -> UnseenExams:
        return cls(
            remaining=forms.remaining,
            scored_remaining=forms.scored,
            unseen_questions=forms.unseen,
            sentence=forms.sentence,
        )


class StartedExam(ExamResultModel):
    """A newly started exam or practice session: its id, its questions and its timer."""

    id: str
    mode: str
    questions: list[PublicQuestion]
    ends_at: str | None
    remaining_seconds: int | None
    unseen: UnseenExams | None = Field(
        None,
        description="Timed exams (full, mock100): the full exams of questions the learner had not seen that remained "
        "as this one started, this one among them; null for practice.",
    )

    @classmethod
    def of(cls, state: AttemptState, unseen: UnseenExams | None = None) -> StartedExam:
        """The start of ``state``: its questions without the learner's answers or any key, and ``unseen`` (what
        :meth:`~certprep.services.exams.ExamService.unseen_exams` said just before a timed exam started)."""
        return cls(
            id=state.id,
            mode=state.mode,
            questions=[
                PublicQuestion(
                    position=item.position,
                    question_id=item.question_id,
                    code=item.code,
                    type=item.type,
                    select=item.select,
                    stem=item.stem,
                    options=[PublicOption(id=option.id, text=option.text) for option in item.options],
                )
                for item in state.questions
            ],
            ends_at=state.ends_at,
            remaining_seconds=state.remaining_seconds,
            unseen=unseen,
        )


# -- answering -----------------------------------------------------------------------------------------------------


class SavedAnswer(ExamResultModel):
    """An answer as it was saved: the selection, the flag and the struck-out options, and when."""

    position: int
    selected: list[str]
    flagged: bool
    struck: list[str]
    saved_at: str
    applied: bool = Field(
        True,
        description="False when a save with a higher sequence number was stored first; the fields are what is kept.",
    )
    seq: int | None = Field(None, description="The sequence number of the save now stored (None: none was given).")


class OptionView(ExamResultModel):
    """An answer option; whether it is right, and why, only once its item is revealed."""

    id: str
    text: str
    correct: bool | None = Field(None, description="Present only once the item is revealed.")
    why: str | None = Field(None, description="Present only once the item is revealed.")


class QuestionAt(ExamResultModel):
    """A question at its position in an attempt, with the learner's selection (engine.session.public_question)."""

    position: int
    question_id: str = Field(exclude=True, description=QUESTION_ID)
    code: str = Field(description="The question's public code (never the authoring id).")
    revealed: bool = Field(description="Whether the reveal rule lets this learner see the key now.")
    type: str
    select: int
    domain: int
    task: str
    stem: str
    options: list[OptionView]
    selected: list[str]


class ItemView(QuestionAt):
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


class CheckedAnswer(QuestionAt):
    """A practice answer made final: the whole question with its key, every option's reason and the explanation."""

    pack: str
    correct: bool | None
    correct_options: list[str]
    explanation: str
    references: list[str]
    services: list[str]
    difficulty: int


# -- results -------------------------------------------------------------------------------------------------------


class Section(ExamResultModel):
    """One domain's part of a result: items, right answers and the exam's classification of them."""

    domain: int
    name: str
    scored_items: int
    correct: int
    percent: float
    classification: str


class ResultItem(ExamResultModel):
    """One position of a submitted attempt: the answer given and the key."""

    position: int
    question_id: str = Field(exclude=True, description=QUESTION_ID)
    code: str
    scored: bool
    selected: list[str]
    correct_options: list[str] | None = Field(
        description="The key; null while the learner sits a timed exam that has this question too."
    )
    correct: bool | None
    flagged: bool


class ExamResult(ExamResultModel):
    """A submitted attempt's score: scaled score, verdict, sections and every item with its key."""

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

    @classmethod
    def stored(
        cls,
        pack: Pack,
        result: Mapping[str, Any],
        sealed: frozenset[str] = frozenset(),
        labels: Callable[[int, str], OptionLabels | None] | None = None,
    ) -> ExamResult:
        """The result as the database keeps it (items by authoring id), with public codes; the keys of ``sealed``
        questions (a timed exam of the learner has them too) are withheld. ``labels`` gives the option letters
        each position of the attempt showed (None: the pack's), so the answers and keys read as the learner saw
        them."""
        items = []
        for item in result.get("items", []):
            shown = labels(item["position"], item["question_id"]) if labels is not None else None
            letters: Callable[[list[str]], list[str]] = shown.shown if shown is not None else list
            sealed_key = item["question_id"] in sealed
            items.append(
                ResultItem(
                    **{
                        **item,
                        "code": pack.code(item["question_id"]),
                        "selected": letters(item["selected"]),
                        "correct_options": None if sealed_key else letters(item["correct_options"]),
                    }
                )
            )
        return cls(**{**result, "items": items})


# -- reading -------------------------------------------------------------------------------------------------------


class AttemptState(ExamResultModel):
    """An attempt as the learner may see it now: the timer, the counts, every item and, once submitted, the result."""

    id: str
    pack: str
    mode: str
    label: str = Field(description="How the session is named to the learner, such as 'Practise my weak spots'.")
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
    result: ExamResult | None
    sealed: str | None = Field(description="Why keys are hidden: a timed exam of this learner is running.")
    config: dict[str, Any] | None


class AttemptSummary(ExamResultModel):
    """One line of the learner's history of attempts."""

    id: str
    pack: str
    mode: str = Field(description="One of the session modes (full, mock100, drill, quick, review, custom).")
    label: str = Field(description="How the session is named to the learner, such as 'Practise my weak spots'.")
    status: str = Field(description="in_progress or submitted.")
    started_at: str = Field(description="ISO 8601, UTC.")
    time_up: bool = Field(description="Past its deadline and not scored yet.")
    scaled_score: int | None = Field(description="Null until submitted, and for practice without a scaled score.")
    passed: bool | None
    percent: float | None
