"""Mastery per task statement: a hierarchical Rasch model with forgetting, solved exactly on a grid.

The model (docs/learning.md has the longer explanation):

- The learner has an overall ability ``g`` with the exam scorer's prior, N(0, 1.5²).
- Each task statement ``t`` has its own starting ability ``θ_t ~ N(g, τ²)``: task abilities differ, but knowing how
  the learner does elsewhere says something about a task with little evidence (τ = TASK_SPREAD). What practice
  teaches (the learning term below) is added to the task that was practised only, so sixty answers on one task do
  not lift the tasks the learner has not touched through ``g``.
- An answer to a question of difficulty ``b`` is right with probability ``1 / (1 + exp(b - θ_t))``, the same Rasch
  model and difficulties (author's, or calibrated) that score exams. A flashcard review is weaker evidence of the
  same kind: an easy item (CARD_DIFFICULTY) that counts CARD_WEIGHT of an answer; Again is "wrong".
- Learners *learn*: each answer (with its explanation read) makes the learner a little better at the task, so an
  answer followed by ``n`` later answers on the same task statement was given by a learner about ``λ · n`` logits
  weaker than today's: it is read as if its item were that much harder (the additive factors model of educational
  data mining, with one learning rate ``λ`` for every task of a learner). ``λ`` takes one of LEARNING_RATES, each
  equally likely before any answer, and the posterior weighs them by how well each explains this learner's answers
  (a fast learner's old misses then count as the weaker learner they were); the product ships a single rate. A
  remembered repeat ages earlier evidence at one rate for everyone (REPEAT_RATE), so memorised repeats cannot make
  a learner look fast. The same old answer also counts less, ``0.5 ** (n / HALF_LIFE_ANSWERS)``, because the
  learning rate is only approximate.
- Learners *forget*: an answer ``a`` days old also has weight ``0.5 ** (a / HALF_LIFE_DAYS)``. Counting later
  answers rather than days means a learner who practises a lot is tracked closely, while one who pauses keeps
  their estimate (with a widening range) instead of snapping back to the prior overnight.
- Learners *remember questions*: a right answer to a question seen before may be memory of that question, so it is
  right with probability ``m + (1 - m) · P(skill)``, where ``m`` (``Evidence.memory``) is the chance the learner
  still recalled its answer (certprep.learning.memory). A wrong answer to a repeat counts in full.

The posterior is computed exactly on grids (no sampling, no optimiser): ``(λ, g)`` on LEARNING_RATES × GLOBAL_GRID
(the model's *rows*) and each ``θ_t`` on THETA_GRID. Given a row the tasks are independent, which keeps the work
linear in the number of task statements.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from certprep.engine.scoring import CUT_THETA, PRIOR_MEAN, PRIOR_SD

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Array = npt.NDArray[np.float64]

TASK_SPREAD = 0.75
HALF_LIFE_DAYS = 21.0
HALF_LIFE_ANSWERS = 20.0
# The learning rates a learner may have, logits per later new question on a task, equally likely a priori. Shipped: one
# rate for everyone, chosen in bench.learning_sim, where with task-specific gains it calibrates all five strategies; a
# grid (0.0125, 0.025, 0.05, 0.1) fitting each learner's own rate overrates adaptive practice by a little there
# (docs/benchmarks.md, "Practice lifts only the task practised").
LEARNING_RATES: tuple[float, ...] = (0.03,)
# A remembered repeat ages earlier evidence at this one rate whatever the learner's own (with one rate, the same):
# under a grid's fast rate, twenty memorised repeats would otherwise read memory as learning.
REPEAT_RATE: float | None = 0.03
# A remembered repeat ages earlier evidence by 1 - REPEAT_AGING * memory answers (rereading an explanation teaches
# a little, less than a new question). 0.5 and the learning rate above were chosen in bench.learning_sim, in a world
# whose item memory follows FSRS's default curve (docs/benchmarks.md); real histories should refit both.
REPEAT_AGING = 0.5
CARD_DIFFICULTY = -1.0
CARD_WEIGHT = 0.5
THETA_GRID: tuple[float, ...] = tuple(round(-5.0 + 0.1 * step, 10) for step in range(111))  # -5.0 .. 6.0
GLOBAL_GRID: tuple[float, ...] = tuple(round(-4.5 + 0.25 * step, 10) for step in range(39))  # -4.5 .. 5.0

Level = str  # "no evidence" | "weak" | "developing" | "strong"


def sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


@dataclass(frozen=True)
class Evidence:
    """One observation of a task statement: a graded answer or a flashcard review."""

    task: str
    difficulty: float
    correct: bool
    at: dt.datetime
    weight: float = 1.0
    kind: str = "answer"
    # The chance the learner still recalled this very question's answer (a repeat; certprep.learning.memory): a
    # right answer is then right with probability memory + (1 - memory) * P(skill).
    memory: float = 0.0


def answer_evidence(task: str, difficulty: float, correct: bool, at: dt.datetime, memory: float = 0.0) -> Evidence:
    return Evidence(task, difficulty, correct, at, memory=memory)


def card_evidence(task: str, rating: int, at: dt.datetime) -> Evidence:
    """A flashcard review: Again counts as a miss, Hard/Good/Easy as recall."""
    return Evidence(task, CARD_DIFFICULTY, rating >= 2, at, CARD_WEIGHT, "card")


@dataclass(frozen=True)
class ModelSettings:
    """The model's assumptions in one place, so the benchmark can state (and vary) them."""

    task_spread: float = TASK_SPREAD
    half_life_days: float | None = HALF_LIFE_DAYS
    half_life_answers: float | None = HALF_LIFE_ANSWERS
    learning_rates: tuple[float, ...] = LEARNING_RATES
    # How far a remembered repeat fails to age earlier evidence: 0 = it ages them like any answer, 1 = only as far as
    # it was not memory (a repeat answered from memory then teaches nothing).
    repeat_aging: float = REPEAT_AGING
    # The rate at which a repeat ages earlier evidence, the same for every learner (None: the learner's own rate).
    repeat_rate: float | None = REPEAT_RATE
    # The prior weight of each learning rate (None: equally likely).
    learning_rate_prior: tuple[float, ...] | None = None
    # True: the hierarchy ties the task abilities a learner started with, and each task's prior moves up by what
    # the learner has practised on that task alone, so practice on one task does not lift the others through ``g``.
    # False: the model before 2026-12-03, whose prior tied today's abilities (docs/benchmarks.md).
    task_specific_gains: bool = True
    prior_mean: float = PRIOR_MEAN
    prior_sd: float = PRIOR_SD


@dataclass(frozen=True)
class TaskMastery:
    """What the model believes about one task statement.

    ``theta``/``se``: posterior mean and SD of the task ability (logits, the exam's scale). ``mastery``: expected
    chance of answering a question of this task from the bank right, with ``mastery_low``..``mastery_high`` the
    10th..90th percentile. ``above_cut``: probability that the task ability is above the exam's cut.
    """

    task: str
    domain: int
    theta: float
    se: float
    mastery: float
    mastery_low: float
    mastery_high: float
    above_cut: float
    answers: int
    correct: int
    reviews: int
    last_seen: dt.datetime | None
    level: Level


@dataclass(frozen=True)
class TaskInfo:
    """What the model needs to know about a task statement: its domain and its bank's item difficulties."""

    task: str
    domain: int
    difficulties: tuple[float, ...]


def mean_p(theta: float, difficulties: Sequence[float]) -> float:
    """Chance of a right answer to a random item of the task (difficulty 0 if the task has no items)."""
    if not difficulties:
        return sigmoid(theta)
    return sum(sigmoid(theta - b) for b in difficulties) / len(difficulties)


def _level(count: int, above: float) -> Level:
    if count == 0:
        return "no evidence"
    if above >= 0.8:
        return "strong"
    if above <= 0.3:
        return "weak"
    return "developing"


def _normal_log(value: float, mean: float, sd: float) -> float:
    return -0.5 * ((value - mean) / sd) ** 2


@dataclass
class LearnerModel:
    """The fitted posterior over its rows ``(λ, g)``: their weights and, per task, the likelihood on THETA_GRID.

    Row ``i`` pairs the learning rate ``learning_rates[row_rates[i]]`` of the settings with the overall ability
    ``row_globals[i]``; ``kernel[task][i]`` is the prior of that task's ability today given that row: centred on
    ``g`` plus what practice on that task alone has taught at that rate. The arrays are numpy's: the posterior is a
    few hundred thousand products, which pure Python took half a second for on a long history.
    """

    tasks: dict[str, TaskInfo]
    global_weights: list[float]
    kernel: dict[str, Array]  # task -> rows x THETA_GRID
    likelihood: dict[str, Array]  # task -> learning rates x THETA_GRID
    normaliser: dict[str, Array]  # task -> rows
    counts: dict[str, tuple[int, int, int, dt.datetime | None]]
    evidence_total: int
    row_rates: list[int] = field(default_factory=list)
    row_globals: list[float] = field(default_factory=list)
    # The posterior weight of each learning rate of the settings (how fast this learner seems to learn).
    learning_rate_weights: tuple[float, ...] = ()
    # Answers (not reviews) counted, and how many of them were a learner's first answer to the question.
    answers_total: int = 0
    first_time_answers: int = 0
    # The same two as the weight the answers carry in the fit (recent ones count more): how much of the evidence
    # behind the estimate is first answers, which memory of a question cannot have propped up.
    answer_weight: float = 0.0
    first_time_weight: float = 0.0
    _p_cache: dict[str, list[float]] = field(default_factory=dict, repr=False)
    _joint_cache: dict[str, Array] = field(default_factory=dict, repr=False)

    def p_values(self, task: str) -> list[float]:
        """Chance of a right answer to a random item of ``task`` at every point of THETA_GRID."""
        cached = self._p_cache.get(task)
        if cached is None:
            cached = [mean_p(theta, self.tasks[task].difficulties) for theta in THETA_GRID]
            self._p_cache[task] = cached
        return cached

    def _joint(self, task: str) -> Array:
        """Row by row, prior times likelihood of θ_t on THETA_GRID (not normalised); kept, because a prediction asks
        for two expectations of every task and the dashboard for its posterior too."""
        cached = self._joint_cache.get(task)
        if cached is None:
            cached = self._joint_cache[task] = self.kernel[task] * self.likelihood[task][self.row_rates]
        return cached

    def given_global(self, task: str, values: Sequence[float]) -> list[float]:
        """E[values(θ_t) | row, evidence of t] for every row ``(λ, g)`` of the model."""
        import numpy as np

        norm = self.normaliser[task]
        totals = self._joint(task) @ np.asarray(values, dtype=np.float64)
        safe = np.where(norm > 0, norm, 1.0)
        return [float(value) for value in np.where(norm > 0, totals / safe, 0.0)]

    def task_posterior(self, task: str) -> list[float]:
        """The marginal posterior of θ_t on THETA_GRID (sums to 1)."""
        import numpy as np

        norm = self.normaliser[task]
        weights = np.asarray(self.global_weights, dtype=np.float64)
        scale = np.where((norm > 0) & (weights >= 1e-12), weights / np.where(norm > 0, norm, 1.0), 0.0)
        posterior = scale @ self._joint(task)
        total = float(posterior.sum()) or 1.0
        return [float(value) / total for value in posterior]

    def global_ability(self) -> tuple[float, float]:
        mean = sum(g * w for g, w in zip(self.row_globals, self.global_weights, strict=True))
        variance = sum((g - mean) ** 2 * w for g, w in zip(self.row_globals, self.global_weights, strict=True))
        return mean, math.sqrt(variance)

    def mastery(self, task: str) -> TaskMastery:
        posterior = self.task_posterior(task)
        mean = sum(theta * w for theta, w in zip(THETA_GRID, posterior, strict=True))
        sd = math.sqrt(sum((theta - mean) ** 2 * w for theta, w in zip(THETA_GRID, posterior, strict=True)))
        p_values = self.p_values(task)
        expected = sum(p * w for p, w in zip(p_values, posterior, strict=True))
        above = sum(w for theta, w in zip(THETA_GRID, posterior, strict=True) if theta > CUT_THETA)
        low_theta, high_theta = _quantile(posterior, 0.1), _quantile(posterior, 0.9)
        answers, correct, reviews, last = self.counts.get(task, (0, 0, 0, None))
        info = self.tasks[task]
        return TaskMastery(
            task=task,
            domain=info.domain,
            theta=round(mean, 3),
            se=round(sd, 3),
            mastery=round(expected, 4),
            mastery_low=round(mean_p(low_theta, info.difficulties), 4),
            mastery_high=round(mean_p(high_theta, info.difficulties), 4),
            above_cut=round(above, 4),
            answers=answers,
            correct=correct,
            reviews=reviews,
            last_seen=last,
            level=_level(answers + reviews, above),
        )


def _quantile(weights: Sequence[float], q: float) -> float:
    running = 0.0
    for theta, weight in zip(THETA_GRID, weights, strict=True):
        running += weight
        if running >= q:
            return theta
    return THETA_GRID[-1]


def _kernel(spread: float, centres: Sequence[float] | Array = GLOBAL_GRID) -> Array:
    """Row i: the prior N(centres[i], spread²) of a task ability on THETA_GRID, normalised to sum to 1."""
    import numpy as np

    theta = np.asarray(THETA_GRID)[None, :]
    rows: Array = np.exp(-0.5 * ((theta - np.asarray(centres, dtype=np.float64)[:, None]) / spread) ** 2)
    normalised: Array = rows / rows.sum(axis=1, keepdims=True)
    return normalised


_KERNELS: dict[float, Array] = {}


@dataclass
class _Tally:
    answers: int = 0
    correct: int = 0
    reviews: int = 0
    last: dt.datetime | None = None

    def add(self, item: Evidence) -> None:
        if item.kind == "card":
            self.reviews += 1
        else:
            self.answers += 1
            self.correct += 1 if item.correct else 0
        if self.last is None or item.at > self.last:
            self.last = item.at


def _taught(rate: float, later: float, later_repeats: float, settings: ModelSettings) -> float:
    """Logits learned from ``later`` answers' worth of practice (``later_repeats`` of it remembered repeats) at the
    learner's ``rate``: how much harder an answer followed by them reads, and how far the task's prior has moved."""
    if settings.repeat_rate is None:
        return rate * later
    return rate * (later - later_repeats) + settings.repeat_rate * later_repeats


def fit(
    tasks: Iterable[TaskInfo],
    evidence: Iterable[Evidence],
    now: dt.datetime,
    settings: ModelSettings = ModelSettings(),  # frozen, so a shared default is safe
) -> LearnerModel:
    """The posterior of the learner's task abilities given all ``evidence`` up to ``now``."""
    infos = {info.task: info for info in tasks}
    rates = settings.learning_rates
    # One set of likelihood terms per learning rate: (effective difficulty, correct, memory) -> weight.
    grouped: dict[str, list[dict[tuple[float, bool, float], float]]] = defaultdict(
        lambda: [defaultdict(float) for _ in rates]
    )
    counts: dict[str, _Tally] = defaultdict(_Tally)
    total = answers_total = first_time = 0
    answer_weight = first_time_weight = 0.0
    per_task: dict[str, list[Evidence]] = defaultdict(list)
    gains: dict[str, list[float]] = {}  # task -> what its own practice has taught since the first item, per rate
    for item in evidence:
        if item.task in infos and item.at <= now:
            per_task[item.task].append(item)
    for task, items in per_task.items():
        later = 0.0  # weight of the evidence on this task that came after the current item
        later_repeats = 0.0  # the part of it that repeats brought (settings.repeat_rate)
        for item in sorted(items, key=lambda e: e.at, reverse=True):
            age = max(0.0, (now - item.at).total_seconds() / 86400)
            decay = 0.5 ** (age / settings.half_life_days) if settings.half_life_days else 1.0
            if settings.half_life_answers:
                decay *= 0.5 ** (later / settings.half_life_answers)
            memory = round(20 * item.memory) / 20 if item.correct else 0.0  # memory cannot explain a miss
            for terms, rate in zip(grouped[task], rates, strict=True):
                # Rounded to 0.05 logits: answers of nearly the same effective difficulty share one likelihood term.
                effective = round(20 * (item.difficulty + _taught(rate, later, later_repeats, settings))) / 20
                terms[(effective, item.correct, memory)] += item.weight * decay
            # Every answer, a repeat too, ages the earlier evidence (the learner read an explanation again and learned
            # a little), a remembered repeat less than a new question.
            later += item.weight * (1.0 - settings.repeat_aging * memory)
            if memory > 0.0:  # a remembered right repeat; a missed one taught like a new question
                later_repeats += item.weight * (1.0 - settings.repeat_aging * memory)
            counts[task].add(item)
            total += 1
            if item.kind == "answer":
                answers_total += 1
                answer_weight += item.weight * decay
                if item.memory == 0.0:
                    first_time += 1
                    first_time_weight += item.weight * decay
        if settings.task_specific_gains:
            gains[task] = [_taught(rate, later, later_repeats, settings) for rate in rates]
    import numpy as np

    kernel = _KERNELS.get(settings.task_spread)
    if kernel is None:
        kernel = _KERNELS.setdefault(settings.task_spread, _kernel(settings.task_spread))
    row_rates = [rate for rate in range(len(rates)) for _ in GLOBAL_GRID]
    row_globals = [g for _ in rates for g in GLOBAL_GRID]
    row_kernel = np.vstack([kernel] * len(rates))
    row_centres = np.asarray(row_globals, dtype=np.float64)
    task_kernels = {
        task: _kernel(settings.task_spread, row_centres + np.asarray(gains[task])[row_rates])
        if task in gains
        else row_kernel
        for task in infos
    }
    theta = np.asarray(THETA_GRID)
    likelihood: dict[str, Array] = {}
    normaliser: dict[str, Array] = {}
    log_prior = np.array([_normal_log(g, settings.prior_mean, settings.prior_sd) for g in GLOBAL_GRID])
    log_rows = np.tile(log_prior, len(rates))
    if settings.learning_rate_prior is not None:
        log_rows += np.repeat(np.log(np.asarray(settings.learning_rate_prior, dtype=np.float64)), len(GLOBAL_GRID))
    for task in infos:
        log_likes = np.zeros((len(rates), len(THETA_GRID)))
        for index, terms in enumerate(grouped.get(task, ())):
            if not terms:
                continue
            keys = list(terms)
            difficulties = np.array([key[0] for key in keys])[:, None]
            signs = np.array([1.0 if key[1] else -1.0 for key in keys])[:, None]
            memories = np.array([key[2] for key in keys])[:, None]
            gap = theta[None, :] - difficulties
            # log sigmoid(±gap), stable for large |gap|; a remembered right answer: log(m + (1 - m)·sigmoid(gap)).
            plain = -np.logaddexp(0.0, -signs * gap)
            remembered = np.log(memories + (1.0 - memories) / (1.0 + np.exp(-gap)))
            log_likes[index] = np.array([terms[key] for key in keys]) @ np.where(memories > 0.0, remembered, plain)
        # One scale for every rate of the task, so that their normalisers compare: that is how the rates are weighed.
        likes = np.exp(log_likes - log_likes.max())
        norms = np.einsum("ij,ij->i", task_kernels[task], likes[row_rates])
        likelihood[task], normaliser[task] = likes, norms
        log_rows += np.where(norms > 0, np.log(np.where(norms > 0, norms, 1.0)), -1e9)
    weights = np.exp(log_rows - log_rows.max())
    row_weights = weights / weights.sum()
    rate_weights = tuple(float(row_weights[np.asarray(row_rates) == index].sum()) for index in range(len(rates)))
    typed_counts = {task: (c.answers, c.correct, c.reviews, c.last) for task, c in counts.items()}
    return LearnerModel(
        tasks=infos,
        global_weights=[float(w) for w in row_weights],
        kernel=task_kernels,
        likelihood=likelihood,
        normaliser=normaliser,
        counts=typed_counts,
        evidence_total=total,
        row_rates=row_rates,
        row_globals=row_globals,
        learning_rate_weights=rate_weights,
        answers_total=answers_total,
        first_time_answers=first_time,
        answer_weight=answer_weight,
        first_time_weight=first_time_weight,
    )


@dataclass(frozen=True)
class DomainMastery:
    """A domain's line on the dashboard: the mean mastery of its task statements."""

    domain: int
    mastery: float
    mastery_low: float
    mastery_high: float
    answers: int
    level: Level


def domain_mastery(tasks: Sequence[TaskMastery]) -> list[DomainMastery]:
    """Average the task statements of each domain (they share a domain's exam questions evenly)."""
    by_domain: dict[int, list[TaskMastery]] = defaultdict(list)
    for task in tasks:
        by_domain[task.domain].append(task)
    result = []
    for domain in sorted(by_domain):
        rows = by_domain[domain]
        count = sum(row.answers + row.reviews for row in rows)
        mastery = sum(row.mastery for row in rows) / len(rows)
        above = sum(row.above_cut for row in rows) / len(rows)
        result.append(
            DomainMastery(
                domain=domain,
                mastery=round(mastery, 4),
                mastery_low=round(sum(row.mastery_low for row in rows) / len(rows), 4),
                mastery_high=round(sum(row.mastery_high for row in rows) / len(rows), 4),
                answers=sum(row.answers for row in rows),
                level=_level(count, above),
            )
        )
    return result


def task_infos(
    blueprint_tasks: Iterable[tuple[int, str]], item_difficulties: Iterable[tuple[str, float]]
) -> list[TaskInfo]:
    """TaskInfo for every ``(domain, task)`` of the blueprint from ``(task, difficulty)`` of the live bank items."""
    by_task: dict[str, list[float]] = defaultdict(list)
    for task, difficulty in item_difficulties:
        by_task[task].append(difficulty)
    return [TaskInfo(task, domain, tuple(sorted(by_task.get(task, ())))) for domain, task in blueprint_tasks]


def masteries(model: LearnerModel) -> list[TaskMastery]:
    return [model.mastery(task) for task in model.tasks]


def by_task(rows: Iterable[TaskMastery]) -> Mapping[str, TaskMastery]:
    return {row.task: row for row in rows}
