"""Exam forms: which questions an attempt asks, in which order, and which of them count.

A full exam follows the blueprint the way the real one does: the scored items are split across domains by weight
(largest-remainder rounding), spread evenly over each domain's task statements, and a few unscored items (pretest
questions first) are mixed in at unmarked positions. Practice modes draw from a filtered pool instead.
Everything is driven by a seed, so the same seed and the same bank give the same form.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from certprep.content.apportion import largest_remainder
from certprep.content.models import Pack, Question, QuestionType
from certprep.errors import InvalidInput

Mode = Literal["full", "mock100", "drill", "quick", "review", "custom"]
MODES: tuple[Mode, ...] = get_args(Mode)  # the one list of modes: front doors offer and check these
# How each mode is named to a learner: on pages, in score reports and exports.
MODE_LABELS: dict[str, str] = {
    "full": "Full exam",
    "mock100": "100-question mock exam",
    "drill": "Domain or task drill",
    "quick": "Quick 10-question quiz",
    "review": "Review missed questions",
    "custom": "Custom practice",
}


def session_label(mode: str, config: dict[str, object] | None) -> str:
    """The name a learner sees for a session: the title it was started with, else its mode's label."""
    title = (config or {}).get("title")
    return title if isinstance(title, str) and title else MODE_LABELS.get(mode, mode)


MOCK_QUESTIONS = 100
QUICK_QUESTIONS = 10
DRILL_QUESTIONS = 20


class FormError(InvalidInput):
    """The request cannot be turned into a form (for example, no question matches the filters)."""

    def __str__(self) -> str:
        return f"Cannot build that session: {super().__str__()}"


@dataclass(frozen=True)
class FormItem:
    """One position of a form: the question asked and whether it counts towards the score."""

    question_id: str
    scored: bool = True


@dataclass(frozen=True)
class FormRequest:
    """What the learner asked for. Fields that do not apply to a mode are ignored."""

    mode: Mode
    count: int | None = None
    domains: tuple[int, ...] = ()
    tasks: tuple[str, ...] = ()
    difficulty_min: int = 1
    difficulty_max: int = 5
    question_type: QuestionType | None = None
    review_ids: tuple[str, ...] = ()
    # How the session is named to the learner when its mode's label would mislead ("Practise my weak spots" is a
    # review-mode session of chosen questions); empty: the mode's label.
    title: str = ""


@dataclass(frozen=True)
class Form:
    """An assembled form: the items in the order they are asked, and notes on any shortfall of the bank."""

    items: tuple[FormItem, ...]
    shortfalls: tuple[str, ...] = field(default=())

    @property
    def question_ids(self) -> list[str]:
        return [item.question_id for item in self.items]

    @property
    def scored_count(self) -> int:
        return sum(1 for item in self.items if item.scored)


EXAM_MODES: tuple[Mode, ...] = ("full", "mock100")
QUESTION_TYPES: tuple[QuestionType, ...] = get_args(QuestionType)
MAX_COUNT = 200
_TASK = re.compile(r"^\d+\.\d+$")


def start_request(
    mode: str,
    *,
    count: int | None = None,
    domains: Sequence[int] = (),
    tasks: Sequence[str] = (),
    difficulty_min: int = 1,
    difficulty_max: int = 5,
    question_type: str | None = None,
) -> FormRequest:
    """The learner's request to start a session, checked once for the CLI, the pages and the API alike.

    Raises :class:`FormError` with one sentence for the first rule broken: an unknown mode or question type, a count
    outside 1..200, a difficulty range that is not within 1..5, a task that is not written like ``1.4``, or a drill
    without a domain or a task statement. Repeated domains and tasks are dropped, keeping their order.
    """
    if mode not in MODES:
        raise FormError(f"unknown mode '{mode}'; choose one of {', '.join(MODES)}")
    if count is not None and not 1 <= count <= MAX_COUNT:
        raise FormError(f"the number of questions must be between 1 and {MAX_COUNT}")
    if not 1 <= difficulty_min <= difficulty_max <= 5:
        raise FormError(f"difficulty {difficulty_min} to {difficulty_max} is not a range within 1 to 5, lowest first")
    if question_type is not None and question_type not in QUESTION_TYPES:
        raise FormError(f"the question type must be one of {', '.join(QUESTION_TYPES)}")
    bad_task = next((task for task in tasks if not _TASK.match(task)), None)
    if bad_task is not None:
        raise FormError(f"'{bad_task}' is not a task statement; write it like 1.4")
    if mode == "drill" and not (domains or tasks):
        raise FormError("a drill needs a domain or a task statement")
    # The checked strings as their Literal types, without a cast.
    chosen_mode = next(known for known in MODES if known == mode)
    chosen_type = next((known for known in QUESTION_TYPES if known == question_type), None)
    return FormRequest(
        mode=chosen_mode,
        count=count,
        domains=tuple(dict.fromkeys(domains)),
        tasks=tuple(dict.fromkeys(tasks)),
        difficulty_min=difficulty_min,
        difficulty_max=difficulty_max,
        question_type=chosen_type,
    )


def is_exam_mode(mode: Mode) -> bool:
    """Exam modes are timed, scored on submission and give no feedback before it."""
    return mode in EXAM_MODES


def _draw(pool: Sequence[Question], count: int, rng: random.Random, avoid: Collection[str]) -> list[Question]:
    """Up to ``count`` questions, preferring ones not in ``avoid``; random within each preference group."""
    fresh = [question for question in pool if question.id not in avoid]
    seen = [question for question in pool if question.id in avoid]
    rng.shuffle(fresh)
    rng.shuffle(seen)
    return (fresh + seen)[:count]


def _draw_balanced(
    pool: Sequence[Question], tasks: Sequence[str], count: int, rng: random.Random, avoid: Collection[str]
) -> list[Question]:
    """``count`` questions spread as evenly as the bank allows over ``tasks`` (round robin in a random task order)."""
    queues = {task: _draw([q for q in pool if q.task == task], count, rng, avoid) for task in tasks}
    order = list(tasks)
    rng.shuffle(order)
    chosen: list[Question] = []
    while len(chosen) < count and any(queues.values()):
        for task in order:
            if queues[task] and len(chosen) < count:
                chosen.append(queues[task].pop(0))
    return chosen


def _stratified(
    pack: Pack, pool: Sequence[Question], total: int, rng: random.Random, avoid: Collection[str]
) -> tuple[list[Question], list[str]]:
    """``total`` questions split over domains by weight and balanced over task statements."""
    domains = pack.blueprint.domains
    seats = largest_remainder(total, [domain.weight for domain in domains])
    chosen: list[Question] = []
    shortfalls: list[str] = []
    for domain, wanted in zip(domains, seats, strict=True):
        in_domain = [question for question in pool if question.domain == domain.id]
        picked = _draw_balanced(in_domain, [task.id for task in domain.tasks], wanted, rng, avoid)
        if len(picked) < wanted:
            shortfalls.append(f"domain {domain.id} has {len(picked)} of the {wanted} questions it should have")
        chosen += picked
    missing = total - len(chosen)
    if missing > 0:  # a thin domain: make the form full-length from the rest of the bank rather than shorter
        used = {question.id for question in chosen}
        chosen += _draw([q for q in pool if q.id not in used], missing, rng, avoid)
    return chosen, shortfalls


def assemble_form(
    pack: Pack,
    request: FormRequest,
    seed: int,
    recent: Iterable[str] = (),
    scored_total: int | None = None,
    exclude: Collection[str] = (),
) -> Form:
    """Build the form for ``request`` from ``pack``'s bank.

    ``recent`` holds the ids of questions the learner saw in recent attempts; they are used only when the bank has
    no fresh question left. ``exclude`` holds ids that must not appear at all (the questions of a learner's running
    exam, for a practice session started meanwhile; the guest preview's questions, for an exam). ``scored_total``
    overrides the number of scored items of a full exam (tests, small banks).
    """
    rng = random.Random(seed)
    avoid = frozenset(recent)
    banned = frozenset(exclude)
    live = [question for question in pack.questions if question.status == "live" and question.id not in banned]
    drawable = [question for question in pack.questions if question.status != "retired" and question.id not in banned]
    blueprint = pack.blueprint

    if request.mode in EXAM_MODES:
        if request.mode == "full":
            scored_wanted = scored_total if scored_total is not None else blueprint.questions.scored
            unscored_wanted = blueprint.questions.unscored
        else:
            scored_wanted, unscored_wanted = MOCK_QUESTIONS, 0
        scored, shortfalls = _stratified(pack, live, scored_wanted, rng, avoid)
        used = {question.id for question in scored}
        pretest = [q for q in drawable if q.status == "pretest" and q.id not in used]
        unscored = _draw(pretest, unscored_wanted, rng, avoid)
        if len(unscored) < unscored_wanted:
            used |= {question.id for question in unscored}
            unscored += _draw([q for q in live if q.id not in used], unscored_wanted - len(unscored), rng, avoid)
        items = [FormItem(q.id, True) for q in scored] + [FormItem(q.id, False) for q in unscored]
        rng.shuffle(items)  # unscored items sit at random, unmarked positions
        if not items:
            raise FormError("the pack has no live questions")
        return Form(tuple(items), tuple(shortfalls))

    if request.mode == "review":
        by_id = {question.id: question for question in drawable}
        ids = [question_id for question_id in dict.fromkeys(request.review_ids) if question_id in by_id]
        if not ids:
            raise FormError("there are no missed questions to review yet")
        count = request.count or DRILL_QUESTIONS
        return Form(tuple(FormItem(question_id) for question_id in ids[:count]))

    pool = _filter(live, request)
    if not pool:
        raise FormError("no question matches those filters")
    if request.mode == "quick":
        chosen, _ = _stratified(pack, pool, min(request.count or QUICK_QUESTIONS, len(pool)), rng, avoid)
        rng.shuffle(chosen)
    elif request.mode == "drill":
        count = request.count or DRILL_QUESTIONS
        tasks = sorted({question.task for question in pool})
        chosen = _draw_balanced(pool, tasks, count, rng, avoid)
    else:  # custom
        chosen = _draw(pool, request.count or DRILL_QUESTIONS, rng, avoid)
    return Form(tuple(FormItem(question.id) for question in chosen))


def _filter(pool: Sequence[Question], request: FormRequest) -> list[Question]:
    return [
        question
        for question in pool
        if (not request.domains or question.domain in request.domains)
        and (not request.tasks or question.task in request.tasks)
        and request.difficulty_min <= question.difficulty <= request.difficulty_max
        and (request.question_type is None or question.type == request.question_type)
    ]


PREVIEW_QUESTIONS = 10
PREVIEW_SEED = 20261123


def preview_question_ids(pack: Pack) -> tuple[str, ...]:
    """The guest preview's quiz: the same 10 questions for every visitor, spread over the domains.

    Anyone can open the preview signed out, so its keys are public. Exams therefore never draw these questions
    (``ExamService.start`` excludes them): a learner sitting a timed exam can never meet one of its questions there.
    """
    key = (pack.id, pack.content_version)
    if key not in _PREVIEWS:
        form = assemble_form(pack, FormRequest(mode="quick", count=PREVIEW_QUESTIONS), PREVIEW_SEED)
        _PREVIEWS[key] = tuple(item.question_id for item in form.items)
    return _PREVIEWS[key]


_PREVIEWS: dict[tuple[str, str], tuple[str, ...]] = {}
