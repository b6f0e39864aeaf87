"""Exam forms: which questions an attempt asks, in which order, and which of them count.

A full exam follows the blueprint the way the real one does: the scored items are split across domains by weight
(largest-remainder rounding), spread evenly over each domain's task statements, and a few unscored items (pretest
questions first) are mixed in at unmarked positions. Practice modes draw from a filtered pool instead.
Everything is driven by a seed, so the same seed and the same bank give the same form.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from certprep.content.apportion import largest_remainder
from certprep.content.models import Domain, Pack, Question, QuestionType
from certprep.errors import InvalidInput

Mode = Literal["full", "mock100", "drill", "quick", "review", "custom", "section"]
MODES: tuple[Mode, ...] = get_args(Mode)  # the one list of modes: front doors offer and check these
# How each mode is named to a learner: on pages, in score reports and exports.
MODE_LABELS: dict[str, str] = {
    "full": "Full exam",
    "mock100": "100-question mock exam",
    "drill": "Domain or task drill",
    "quick": "Quick 10-question quiz",
    "review": "Review missed questions",
    "custom": "Custom practice",
    "section": "Timed domain section",
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
    # A practice session's optional timer in minutes (exam modes keep the blueprint's time); None: untimed.
    minutes: int | None = None
    # Whether each question's options are shown in an order of the attempt's own (engine.options); None: the mode's
    # default, shuffled for practice and the pack's order for timed exams.
    shuffle_options: bool | None = None


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


# The first visit's diagnostic (the hub's second step): a quick quiz of this many questions, drawn across the
# domains by their exam weight, under this title (the results page leads from it to the study plan).
DIAGNOSTIC_QUESTIONS = 20
DIAGNOSTIC_TITLE = "Diagnostic: 20 questions across every domain"
EXAM_MODES: tuple[Mode, ...] = ("full", "mock100")
QUESTION_TYPES: tuple[QuestionType, ...] = get_args(QuestionType)
MAX_COUNT = 200
MAX_PRACTICE_MINUTES = 300
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
    minutes: int | None = None,
    shuffle_options: bool | None = None,
) -> FormRequest:
    """The learner's request to start a session, checked once for the CLI, the pages and the API alike.

    Raises :class:`FormError` with one sentence for the first rule broken: an unknown mode or question type, a count
    outside 1..200, a difficulty range that is not within 1..5, a task that is not written like ``1.4``, a drill
    without a domain or a task statement, a timed section without exactly one domain, or a practice timer outside
    1..300 minutes or on an exam or a section (they keep the blueprint's time, or their share of it). Repeated domains
    and tasks are dropped, keeping their order. ``shuffle_options`` is the learner's choice of option order (None:
    the mode's default, see :func:`certprep.engine.options.shuffles_by_default`).
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
    if mode == "section" and len(set(domains)) != 1:
        raise FormError("a timed section is of one domain")
    if minutes is not None and mode in (*EXAM_MODES, "section"):
        raise FormError("a timed exam keeps the exam's own time; a timer is for practice sessions")
    if minutes is not None and not 1 <= minutes <= MAX_PRACTICE_MINUTES:
        raise FormError(f"the timer must be between 1 and {MAX_PRACTICE_MINUTES} minutes")
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
        minutes=minutes,
        shuffle_options=shuffle_options,
    )


def is_exam_mode(mode: Mode) -> bool:
    """Exam modes are timed, scored on submission and give no feedback before it."""
    return mode in EXAM_MODES


@dataclass(frozen=True)
class _Preference:
    """Which questions a draw takes first: the ones the learner has not met, then the ones met longest ago.

    ``age`` ranks every question the learner met (lower: met longer ago); a question missing from it is fresh.
    ``steer`` is for exam modes: a task statement's extra seat (when a domain's seats do not split evenly over its task
    statements) goes first to the tasks that can fill it with a fresh question. Which tasks get an extra seat is
    random anyway, so the number of seats of every task is exactly what it was; steering only makes a form all fresh
    whenever the bank still allows one, as :func:`unseen_full_forms` promises.
    """

    age: Mapping[str, int]
    steer: bool = False

    def fresh(self, question: Question) -> bool:
        return question.id not in self.age


def _preference(recent: Iterable[str], seen: Mapping[str, dt.datetime], steer: bool) -> _Preference:
    """The preference of one form: ``seen`` ranked by when each question was last met; ``recent`` ids it lacks
    count as met just now, and when only ``recent`` is given every id in it ranks the same (practice's rule: avoid
    them while fresh questions last, random among them after)."""
    moments = sorted(set(seen.values()))
    rank = {moment: index for index, moment in enumerate(moments)}
    age = dict.fromkeys(recent, len(moments))
    age.update((question_id, rank[moment]) for question_id, moment in seen.items())
    return _Preference(age, steer)


def _draw(pool: Sequence[Question], count: int, rng: random.Random, prefer: _Preference) -> list[Question]:
    """Up to ``count`` questions: fresh ones first, then the ones met longest ago; random among equals."""
    fresh = [question for question in pool if prefer.fresh(question)]
    met = [question for question in pool if not prefer.fresh(question)]
    rng.shuffle(fresh)
    rng.shuffle(met)
    met.sort(key=lambda question: prefer.age[question.id])  # stable: still random among those met at one moment
    return (fresh + met)[:count]


def _rounds(sizes: Sequence[int], count: int) -> tuple[int, int]:
    """How :func:`_draw_balanced`'s round robin spreads ``count`` seats over task statements of ``sizes`` questions.

    Returns ``(full, extra)``: every task gets ``min(size, full)`` seats, and ``extra`` of the tasks with more than
    ``full`` questions get one more (which ones is the draw's choice). ``full`` is the number of complete rounds;
    a bank too small for ``count`` gives everything it has (``extra`` is then 0).

    >>> _rounds([5, 5, 5, 5], 14)  # 14 seats over four task statements: 3 each, and 2 of them get a 4th
    (3, 2)
    >>> _rounds([1, 9], 6)  # a thin task gives its one question; the other takes the rest
    (5, 0)
    """
    full = 0
    while full < max(sizes, default=0) and sum(min(size, full + 1) for size in sizes) <= count:
        full += 1
    given = sum(min(size, full) for size in sizes)
    return full, min(count - given, sum(1 for size in sizes if size > full))


def _draw_balanced(
    pool: Sequence[Question], tasks: Sequence[str], count: int, rng: random.Random, prefer: _Preference
) -> list[Question]:
    """``count`` questions spread as evenly as the bank allows over ``tasks`` (round robin in a random task order)."""
    queues = {task: _draw([q for q in pool if q.task == task], count, rng, prefer) for task in tasks}
    order = list(tasks)
    rng.shuffle(order)
    if prefer.steer:
        full, _ = _rounds([len(queues[task]) for task in order], count)

        def stale_extra(task: str) -> bool:  # in the extra round, this task could only give a question met before
            queue = queues[task]
            return len(queue) > full and sum(1 for question in queue if prefer.fresh(question)) <= full

        order.sort(key=stale_extra)  # stable: the random order stands among the tasks that can give a fresh one
    chosen: list[Question] = []
    while len(chosen) < count and any(queues.values()):
        for task in order:
            if queues[task] and len(chosen) < count:
                chosen.append(queues[task].pop(0))
    return chosen


def _stratified(
    pack: Pack, pool: Sequence[Question], total: int, rng: random.Random, prefer: _Preference
) -> tuple[list[Question], list[str]]:
    """``total`` questions split over domains by weight and balanced over task statements."""
    domains = pack.blueprint.domains
    seats = largest_remainder(total, [domain.weight for domain in domains])
    chosen: list[Question] = []
    shortfalls: list[str] = []
    for domain, wanted in zip(domains, seats, strict=True):
        in_domain = [question for question in pool if question.domain == domain.id]
        picked = _draw_balanced(in_domain, [task.id for task in domain.tasks], wanted, rng, prefer)
        if len(picked) < wanted:
            shortfalls.append(f"domain {domain.id} has {len(picked)} of the {wanted} questions it should have")
        chosen += picked
    missing = total - len(chosen)
    if missing > 0:  # a thin domain: make the form full-length from the rest of the bank rather than shorter
        used = {question.id for question in chosen}
        chosen += _draw([q for q in pool if q.id not in used], missing, rng, prefer)
    return chosen, shortfalls


def assemble_form(
    pack: Pack,
    request: FormRequest,
    seed: int,
    recent: Iterable[str] = (),
    scored_total: int | None = None,
    exclude: Collection[str] = (),
    seen: Mapping[str, dt.datetime] | None = None,
) -> Form:
    """Build the form for ``request`` from ``pack``'s bank.

    ``recent`` holds the ids of questions the learner saw in recent attempts; they are used only when the bank has
    no fresh question left. ``seen`` (exam modes only; practice ignores it) maps every question the learner ever
    met, in any attempt, to when they last met it: an exam takes questions missing from it first and, where a task
    statement or a domain runs short of those, the ones met longest ago. Neither changes how many questions a domain,
    a task statement or the unscored share gets. ``exclude`` holds ids that must not appear at all (the questions of a
    learner's running exam, for a practice session started meanwhile; the guest preview's questions, for an exam).
    ``scored_total`` overrides the number of scored items of a full exam (tests, small banks).
    """
    rng = random.Random(seed)
    exam = request.mode in EXAM_MODES
    prefer = _preference(recent, (seen or {}) if exam else {}, steer=exam)
    banned = frozenset(exclude)
    live = [question for question in pack.questions if question.status == "live" and question.id not in banned]
    drawable = [question for question in pack.questions if question.status != "retired" and question.id not in banned]
    blueprint = pack.blueprint

    if exam:
        if request.mode == "full":
            scored_wanted = scored_total if scored_total is not None else blueprint.questions.scored
            unscored_wanted = blueprint.questions.unscored
        else:
            scored_wanted, unscored_wanted = MOCK_QUESTIONS, 0
        scored, shortfalls = _stratified(pack, live, scored_wanted, rng, prefer)
        used = {question.id for question in scored}
        pretest = [q for q in drawable if q.status == "pretest" and q.id not in used]
        unscored = _draw(pretest, unscored_wanted, rng, prefer)
        if len(unscored) < unscored_wanted:
            used |= {question.id for question in unscored}
            unscored += _draw([q for q in live if q.id not in used], unscored_wanted - len(unscored), rng, prefer)
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

    if request.mode == "section":
        domain = section_domain(pack, request.domains)
        wanted = dict(sections(pack))[domain.id][0]
        in_domain = [question for question in live if question.domain == domain.id]
        chosen = _draw_balanced(in_domain, [task.id for task in domain.tasks], wanted, rng, prefer)
        if not chosen:
            raise FormError(f"domain {domain.id} has no live questions")
        short = () if len(chosen) == wanted else (f"domain {domain.id} has {len(chosen)} of the {wanted} questions",)
        return Form(tuple(FormItem(question.id) for question in chosen), short)

    pool = _filter(live, request)
    if not pool:
        raise FormError("no question matches those filters")
    if request.mode == "quick":
        chosen, _ = _stratified(pack, pool, min(request.count or QUICK_QUESTIONS, len(pool)), rng, prefer)
        rng.shuffle(chosen)
    elif request.mode == "drill":
        count = request.count or DRILL_QUESTIONS
        tasks = sorted({question.task for question in pool})
        chosen = _draw_balanced(pool, tasks, count, rng, prefer)
    else:  # custom
        chosen = _draw(pool, request.count or DRILL_QUESTIONS, rng, prefer)
    return Form(tuple(FormItem(question.id) for question in chosen))


def sections(pack: Pack) -> list[tuple[int, tuple[int, int]]]:
    """Each domain's timed section: ``(domain id, (questions, minutes))``.

    A section asks the domain's share of the whole exam's questions (split by weight as a full exam splits them) in
    the same share of the exam's time, so its pace is the real exam's.
    """
    blueprint = pack.blueprint
    total = blueprint.questions.total
    seats = largest_remainder(total, [domain.weight for domain in blueprint.domains])
    return [
        (domain.id, (count, max(1, round(blueprint.duration_minutes * count / total))))
        for domain, count in zip(blueprint.domains, seats, strict=True)
    ]


def section_domain(pack: Pack, domains: Sequence[int]) -> Domain:
    """The one blueprint domain a timed section asks, or one sentence saying why there is none."""
    if len(domains) != 1:
        raise FormError("a timed section is of one domain")
    domain = next((domain for domain in pack.blueprint.domains if domain.id == domains[0]), None)
    if domain is None:
        raise FormError(f"the exam has no domain {domains[0]}")
    return domain


def _filter(pool: Sequence[Question], request: FormRequest) -> list[Question]:
    return [
        question
        for question in pool
        if (not request.domains or question.domain in request.domains)
        and (not request.tasks or question.task in request.tasks)
        and request.difficulty_min <= question.difficulty <= request.difficulty_max
        and (request.question_type is None or question.type == request.question_type)
    ]


@dataclass(frozen=True)
class UnseenForms:
    """How far a learner's unseen questions go before exams must repeat what they met.

    ``remaining``: complete full exams that can still be built from questions the learner has never met (see
    :func:`unseen_full_forms`); ``unseen``: questions an exam may draw that the learner has never met; ``scored``:
    complete full exams whose scored questions alone are all unmet (at least ``remaining``; more when the bank's few
    pretest questions run out first, after which only the unscored seats repeat what the learner met).
    """

    remaining: int
    unseen: int
    scored: int = 0

    @property
    def sentence(self) -> str:
        """What the learner reads where they start a timed exam (the practice page, the dashboard, ``certprep
        exam``, the API)."""
        more = self.scored - self.remaining
        if self.remaining:
            exams = "1 full exam" if self.remaining == 1 else f"{self.remaining} full exams"
            told = f"{exams} of questions you have not seen remain{'s' if self.remaining == 1 else ''}"
            if more > 0:
                told += (
                    f", then {more} more whose scored questions you have not seen (only their unscored questions "
                    "repeat ones you saw)"
                )
            return told + "."
        if more > 0:
            exams = "1 full exam" if more == 1 else f"{more} full exams"
            return (
                f"No whole full exam of questions you have not seen remains, but {exams} whose scored questions you "
                f"have not seen {'does' if more == 1 else 'do'}: only their unscored questions repeat ones you saw."
            )
        if self.unseen:
            questions = "1 question" if self.unseen == 1 else f"{self.unseen} questions"
            return (
                f"No whole full exam of questions you have not seen remains ({questions} you have not seen are left, "
                "not enough for every part of an exam): this exam asks them where it can and repeats the questions "
                "you saw longest ago."
            )
        return (
            "You have seen every question at least once: this exam repeats questions you answered before, "
            "the ones you saw longest ago first."
        )


def unseen_full_forms(pack: Pack, seen: Collection[str], exclude: Collection[str] = ()) -> UnseenForms:
    """How many complete full exams of questions the learner has never met (``seen`` holds the ones they met) the
    bank can still give, each stratified exactly as :func:`assemble_form` stratifies a full exam from the questions
    ``exclude`` leaves.

    A form's shape does not depend on what the learner met: the blueprint's scored count split over domains by
    weight and spread over each domain's task statements by the round robin (:func:`_rounds`: the same whole seats
    per task, and the extra seats of an uneven split on tasks with questions to spare), and the unscored count taken
    from pretest questions first (as many as the bank has, up to that count) and from live ones after. No question
    serves two forms. The answer is the largest number of forms of that shape that fresh questions alone can fill.

    For the very next exam it is exact: when it is 1 or more, :func:`assemble_form` builds that exam from fresh
    questions only; when it is 0, every form of that shape asks at least one question met before. Because the
    pretest share stays as it is, a bank with few pretest questions runs out of fresh full exams early (DOP-C02's 20
    pretest questions fill the unscored seats of two exams), however many live questions are left. ``scored``
    counts the same forms without that limit: after the fresh pretest questions are gone, an exam fills its unscored
    seats with the pretest questions met longest ago, and its scored questions (the ones the score and readiness rest
    on) can stay fresh for many more exams. The unscored seats that live questions fill, when the bank has fewer
    pretest questions than seats, count as live seats in both figures.
    """
    banned = frozenset(exclude)
    live = [question for question in pack.questions if question.status == "live" and question.id not in banned]
    pretest = [question for question in pack.questions if question.status == "pretest" and question.id not in banned]
    fresh_live = sum(1 for question in live if question.id not in seen)
    fresh_pretest = sum(1 for question in pretest if question.id not in seen)
    counts = pack.blueprint.questions
    pretest_seats = min(counts.unscored, len(pretest))
    live_seats = counts.scored + counts.unscored - pretest_seats  # a thin domain's missing seats are live ones too
    scored = _fitting_forms(pack, live, seen, fresh_live // live_seats)
    forms = min(scored, fresh_pretest // pretest_seats) if pretest_seats else scored
    return UnseenForms(remaining=forms, unseen=fresh_live + fresh_pretest, scored=scored)


def _fitting_forms(pack: Pack, live: Sequence[Question], seen: Collection[str], forms: int) -> int:
    """The largest number of forms, at most ``forms``, whose scored seats of every domain and task statement the
    ``live`` questions missing from ``seen`` can fill (:func:`_fits`)."""
    domains = pack.blueprint.domains
    seats = largest_remainder(pack.blueprint.questions.scored, [domain.weight for domain in domains])
    sizes: Counter[tuple[int, str]] = Counter()
    fresh: Counter[tuple[int, str]] = Counter()
    for question in live:
        sizes[question.domain, question.task] += 1
        if question.id not in seen:
            fresh[question.domain, question.task] += 1
    for domain, wanted in zip(domains, seats, strict=True):
        tasks = [(domain.id, task.id) for task in domain.tasks]
        while forms and not _fits(forms, [sizes[t] for t in tasks], [fresh[t] for t in tasks], wanted):
            forms -= 1
    return forms


def _fits(forms: int, sizes: Sequence[int], fresh: Sequence[int], wanted: int) -> bool:
    """Whether ``forms`` forms can each give a domain its ``wanted`` seats from fresh questions alone.

    Every form gives each task statement the same whole seats (``min(size, full)``), so each task needs that many
    fresh questions per form; the ``extra`` seats of each form go to different tasks with questions to spare, so a
    task can serve at most one per form, from the fresh questions its whole seats leave.
    """
    full, extra = _rounds(sizes, wanted)
    if any(forms * min(size, full) > left for size, left in zip(sizes, fresh, strict=True)):
        return False
    spare = sum(min(forms, left - forms * full) for size, left in zip(sizes, fresh, strict=True) if size > full)
    return spare >= forms * extra


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
