"""The content of a pack, as typed, immutable values.

A pack is an exam blueprint plus the questions, flashcards and notes written for it. These classes are what the
rest of certprep sees once a pack has been read and validated; they never touch files, the web or a database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from certprep.content.codes import question_code

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TASK_ID = re.compile(r"^\d+\.\d+$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Option(_Strict):
    """One answer option of a question, with the reason it is right or wrong."""

    id: str = Field(pattern=r"^[A-H]$")
    text: str = Field(min_length=1)
    correct: bool
    why: str = Field(min_length=1)


QuestionType = Literal["single", "multiple"]
Status = Literal["live", "pretest", "retired"]


class Question(_Strict):
    """A scenario question. ``select`` is how many options are correct (1 for single answer)."""

    id: str = Field(pattern=SLUG.pattern)
    type: QuestionType
    select: int = Field(ge=1)
    domain: int = Field(ge=1)
    task: str = Field(pattern=TASK_ID.pattern)
    services: tuple[str, ...]
    difficulty: int = Field(ge=1, le=5)
    stem: str = Field(min_length=1)
    options: tuple[Option, ...]
    explanation: str = Field(min_length=1)
    references: tuple[str, ...] = Field(min_length=1)
    tags: tuple[str, ...] = ()
    status: Status
    updated: dt.date
    # The day the key's deciding fact and every option's reason were last checked against the AWS documentation
    # named in ``references``; None for a question never checked.
    checked: dt.date | None = None

    @cached_property
    def correct_ids(self) -> frozenset[str]:
        """The ids of the options that make up the key."""
        return frozenset(option.id for option in self.options if option.correct)

    def is_correct(self, selected: Iterable[str]) -> bool:
        """True only when exactly the correct options are chosen (the exam's rule for multiple response)."""
        return frozenset(selected) == self.correct_ids

    @property
    def word_count(self) -> int:
        return len(self.stem.split())

    def shown_in(self, order: Sequence[str]) -> Question:
        """The question with its options in ``order`` (authoring ids top to bottom) under the letters A, B, C...
        again: the question as one practice attempt showed it (engine.options), to explain in the learner's terms."""
        by_id = {option.id: option for option in self.options}
        letters = [option.id for option in self.options]
        options = [
            by_id[option_id].model_copy(update={"id": letter}) for option_id, letter in zip(order, letters, strict=True)
        ]
        # Validated afresh rather than copied, so that ``correct_ids`` (cached) is computed for the new letters.
        return Question.model_validate({**self.model_dump(), "options": [option.model_dump() for option in options]})


class Flashcard(_Strict):
    """A prompt and its answer, for spaced repetition."""

    id: str = Field(pattern=SLUG.pattern)
    domain: int = Field(ge=1)
    task: str = Field(pattern=TASK_ID.pattern)
    front: str = Field(min_length=1)
    back: str = Field(min_length=1)
    services: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    # The day the facts on both sides were last checked against the AWS documentation; None when never checked.
    checked: dt.date | None = None


ExplainerKind = Literal["compare", "why", "troubleshoot", "choose", "fact"]
EXPLAINER_KINDS: tuple[ExplainerKind, ...] = ("compare", "why", "troubleshoot", "choose", "fact")


class Choice(_Strict):
    """One side of a comparison or one candidate of a choice: what it is and when to pick it."""

    option: str = Field(min_length=1)
    when: str = Field(min_length=1)


class Explainer(_Strict):
    """The authored, direct answer to one question learners ask the tutor ("X vs Y", "why does Z fail", ...).

    ``asks`` are ways a learner types the question (the first is its title); ``answer`` opens with the answer in one
    sentence; ``reasoning`` gives the deciding trade-off or cause; ``choose`` says when to pick each side (comparisons
    and choices); ``distractor`` is the tempting wrong answer the exam offers and the requirement it fails.
    """

    id: str = Field(pattern=SLUG.pattern)
    domain: int = Field(ge=1)
    task: str = Field(pattern=TASK_ID.pattern)
    kind: ExplainerKind
    asks: tuple[str, ...] = Field(min_length=1, max_length=6)
    answer: str = Field(min_length=1)
    reasoning: str = Field(min_length=1)
    choose: tuple[Choice, ...] = ()
    distractor: str = ""
    services: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    references: tuple[str, ...] = Field(min_length=1)
    checked: dt.date | None = None

    @property
    def title(self) -> str:
        return self.asks[0]

    @property
    def lead(self) -> str:
        """The answer's first sentence: what a learner who reads nothing else should take away."""
        return first_sentence(self.answer)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9`*(\"])")


def first_sentence(text: str) -> str:
    """``text`` up to the end of its first sentence (a full stop, ! or ? followed by a capitalised word)."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


NOTE_SECTIONS: tuple[str, ...] = ("Service cards", "Comparison tables", "Key exam patterns", "Quick reference")


class NoteSection(_Strict):
    """A level-2 section of a domain's notes: its title and its Markdown body."""

    title: str
    body: str


class Note(_Strict):
    """A domain's study notes: Markdown split into the standard sections."""

    domain: int
    title: str
    body: str
    sections: tuple[NoteSection, ...] = ()
    # From the front matter: the day every fact in the notes was last checked against the AWS documentation.
    checked: dt.date | None = None

    def section(self, title: str) -> NoteSection | None:
        return next((section for section in self.sections if section.title == title), None)


class Task(_Strict):
    """A task statement of the exam guide, such as 1.4."""

    id: str = Field(pattern=TASK_ID.pattern)
    title: str
    knowledge: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()


class Domain(_Strict):
    """A content domain with its share of the scored questions, in percent."""

    id: int = Field(ge=1)
    name: str
    weight: float = Field(gt=0, le=100)
    tasks: tuple[Task, ...] = Field(min_length=1)


class QuestionCounts(_Strict):
    total: int = Field(gt=0)
    scored: int = Field(gt=0)
    unscored: int = Field(ge=0)


class Scale(_Strict):
    min: int
    max: int
    passing: int


class QuestionTypeInfo(_Strict):
    id: QuestionType
    name: str
    description: str


class RetiredService(_Strict):
    name: str
    note: str


class Logistics(_Strict):
    fee_usd: float = Field(ge=0)
    voucher_discount_percent: float = Field(ge=0, le=100)
    voucher_rule: str = ""
    retake_wait_days: int = Field(ge=0)
    validity_years: int = Field(ge=1)
    delivery: tuple[str, ...] = ()


class PathStep(_Strict):
    code: str
    name: str
    level: str
    alternative_to: str | None = None


class Blueprint(_Strict):
    """The exam: its facts, domains, task statements, services, logistics and certification path."""

    exam_code: str
    pack_id: str = Field(pattern=SLUG.pattern)
    name: str
    provider: str
    level: str
    content_version: str
    questions: QuestionCounts
    duration_minutes: int = Field(gt=0)
    scale: Scale
    scoring_model: str
    question_types: tuple[QuestionTypeInfo, ...]
    unanswered_policy: str = ""
    domains: tuple[Domain, ...] = Field(min_length=1)
    services: dict[str, tuple[str, ...]]
    additional_services: tuple[str, ...] = ()
    reference_hosts: tuple[str, ...] = ("docs.aws.amazon.com", "aws.amazon.com")
    retired_services: tuple[RetiredService, ...] = ()
    logistics: Logistics | None = None
    path: tuple[PathStep, ...] = ()

    def domain(self, domain_id: int) -> Domain | None:
        return next((domain for domain in self.domains if domain.id == domain_id), None)

    def task(self, task_id: str) -> Task | None:
        return next((task for domain in self.domains for task in domain.tasks if task.id == task_id), None)

    def domain_of_task(self, task_id: str) -> Domain | None:
        return next((domain for domain in self.domains if any(task.id == task_id for task in domain.tasks)), None)

    @property
    def in_scope_services(self) -> tuple[str, ...]:
        return tuple(name for names in self.services.values() for name in names)

    @property
    def known_services(self) -> frozenset[str]:
        return frozenset(self.in_scope_services) | frozenset(self.additional_services)


class Pack(BaseModel):
    """A loaded, validated pack. The files are the source of truth; this is their in-memory form."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    path: Path
    blueprint: Blueprint
    questions: tuple[Question, ...]
    flashcards: tuple[Flashcard, ...]
    notes: tuple[Note, ...]
    explainers: tuple[Explainer, ...] = ()

    @property
    def id(self) -> str:
        return self.blueprint.pack_id

    @property
    def content_version(self) -> str:
        return self.blueprint.content_version

    @cached_property
    def _questions_by_id(self) -> dict[str, Question]:
        return {question.id: question for question in self.questions}

    def question(self, question_id: str) -> Question | None:
        return self._questions_by_id.get(question_id)

    @cached_property
    def _codes(self) -> dict[str, str]:
        return {question.id: question_code(self.id, question.id) for question in self.questions}

    @cached_property
    def _ids_by_code(self) -> dict[str, str]:
        return {code: question_id for question_id, code in self._codes.items()}

    def code(self, question_id: str) -> str:
        """The question's public code (``Q-7F3K9M``): what learners see, never the authoring id."""
        return self._codes.get(question_id) or question_code(self.id, question_id)

    def question_by_code(self, code: str) -> Question | None:
        """The question with public code ``code`` (any letter case), or None."""
        question_id = self._ids_by_code.get(code.strip().upper())
        return self._questions_by_id.get(question_id) if question_id is not None else None

    def note(self, domain_id: int) -> Note | None:
        return next((note for note in self.notes if note.domain == domain_id), None)
