"""Readiness: the exam score the learner would get today, with a range and a pass probability.

The prediction is on the exam scorer's own scale (certprep.engine.scoring), so "predicted 780" means what an exam
result of 780 means. It combines two sources of uncertainty:

1. what we do not know about the learner: the mastery model's posterior over task abilities;
2. the luck of the exam: which questions come up, and the coin flip of each answer.

The exam is the blueprint's scored form: the domain weights split the scored items (largest remainder), each
domain's items are spread evenly over its task statements, and an item of a task is a random question of that task
from the bank. Given the learner's overall ability ``g`` the task abilities are independent, so the number right
``R`` has an exactly computable mean and variance for each ``g``; ``R`` is then approximately normal. Because a
Rasch score depends only on the number right on a given form, "pass" means ``R`` reaches the raw cut of a
representative form, found by running the scorer's own EAP for every possible number right.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from certprep.content.apportion import largest_remainder
from certprep.engine.scoring import GRID, PRIOR_MEAN, PRIOR_SD, scale_score
from certprep.learning.mastery import LearnerModel, TaskInfo


@dataclass(frozen=True)
class ExamShape:
    """The scored form of an exam, task statement by task statement, and its raw-score-to-scale table."""

    seats: Mapping[str, int]
    task_domain: Mapping[str, int]
    raw_to_scaled: tuple[int, ...]
    raw_cut: int
    scale_min: int
    scale_max: int
    passing: int

    @property
    def scored_items(self) -> int:
        return sum(self.seats.values())

    def scaled(self, raw: float) -> int:
        """The scaled score for ``raw`` right answers, interpolated between whole numbers."""
        raw = min(max(raw, 0.0), float(self.scored_items))
        low = math.floor(raw)
        high = min(low + 1, self.scored_items)
        fraction = raw - low
        return round(self.raw_to_scaled[low] + fraction * (self.raw_to_scaled[high] - self.raw_to_scaled[low]))


def task_seats(domains: Sequence[tuple[int, float, Sequence[str]]], scored: int) -> dict[str, int]:
    """Scored items per task: domains by weight (largest remainder), then evenly over each domain's tasks."""
    seats: dict[str, int] = {}
    for (_, _, tasks), domain_seats in zip(
        domains, largest_remainder(scored, [weight for _, weight, _ in domains]), strict=True
    ):
        for task, count in zip(tasks, largest_remainder(domain_seats, [1.0] * len(tasks)), strict=True):
            seats[task] = count
    return seats


def representative_form(seats: Mapping[str, int], tasks: Mapping[str, TaskInfo]) -> list[float]:
    """Item difficulties of a typical form: each task's seats take evenly spaced quantiles of its bank."""
    form: list[float] = []
    for task, count in seats.items():
        bank = sorted(tasks[task].difficulties) if task in tasks else []
        for index in range(count):
            form.append(bank[int((index + 0.5) * len(bank) / count)] if bank else 0.0)
    return form


def raw_to_scaled_table(difficulties: Sequence[float], low: int, high: int, passing: int) -> tuple[int, ...]:
    """The scaled score the exam scorer gives for 0..n right answers on a form with these item difficulties.

    Under the Rasch model the posterior of θ depends on the answers only through the number right ``r``:
    ``log L(θ) = r·θ − Σ log(1 + exp(θ − b_i)) + const``. This is the scorer's EAP (same grid, same prior) for each
    ``r``, so the table agrees with ``estimate_ability`` exactly.
    """
    base = []
    for theta in GRID:
        value = -0.5 * ((theta - PRIOR_MEAN) / PRIOR_SD) ** 2
        for b in difficulties:
            value -= math.log1p(math.exp(theta - b)) if theta - b < 30 else theta - b
        base.append(value)
    table = []
    for right in range(len(difficulties) + 1):
        log_post = [value + right * theta for value, theta in zip(base, GRID, strict=True)]
        peak = max(log_post)
        weights = [math.exp(value - peak) for value in log_post]
        mean = sum(theta * w for theta, w in zip(GRID, weights, strict=True)) / sum(weights)
        table.append(scale_score(mean, low, high, passing))
    return tuple(table)


def exam_shape(
    domains: Sequence[tuple[int, float, Sequence[str]]],
    scored: int,
    tasks: Iterable[TaskInfo],
    scale: tuple[int, int, int],
) -> ExamShape:
    """The ExamShape of a blueprint: ``domains`` as (id, weight, task ids), ``scale`` as (min, max, passing)."""
    infos = {info.task: info for info in tasks}
    seats = task_seats(domains, scored)
    low, high, passing = scale
    table = raw_to_scaled_table(representative_form(seats, infos), low, high, passing)
    cut = next((right for right, value in enumerate(table) if value >= passing), len(table))
    task_domain = {task: domain for domain, _, task_ids in domains for task in task_ids}
    return ExamShape(seats, task_domain, table, cut, low, high, passing)


def normal_cdf(value: float) -> float:
    return 0.5 * math.erfc(-value / math.sqrt(2.0))


@dataclass(frozen=True)
class DomainForecast:
    """A domain's share of the predicted result: its scored items on the exam and the percent expected right."""

    domain: int
    scored_items: int
    expected_percent: float


# Below this many answers the share of repeats is too noisy to warn about.
REPEAT_WARNING_ANSWERS = 30
# Graded answers before the pages show a predicted score: with fewer, the figure is mostly the prior (a learner
# with no answers was shown "605, 24% chance to pass"). A 20-question diagnostic across the domains reaches it.
MIN_PREDICTION_ANSWERS = 20


@dataclass(frozen=True)
class Readiness:
    """The predicted exam result: median scaled score, the 10th–90th percentile range, and P(pass)."""

    scaled_score: int
    scaled_low: int
    scaled_high: int
    pass_probability: float
    expected_correct: float
    scored_items: int
    raw_cut: int
    passing: int
    evidence: int
    domains: tuple[DomainForecast, ...]
    # How much of the evidence is answers to questions met for the first time (the rest are repeats, which memory
    # of the question can prop up): counted, and as the weight the answers carry in the fit (recent ones count more).
    answers: int = 0
    first_time_answers: int = 0
    answer_weight: float = 0.0
    first_time_weight: float = 0.0

    @property
    def first_time_share(self) -> float | None:
        """The share of the answers behind this prediction that were first answers to their question."""
        return self.first_time_answers / self.answers if self.answers else None

    @property
    def first_time_evidence(self) -> float | None:
        """The share of the answers' weight in the fit that first answers carry: what the prediction rests on.

        It differs from first_time_share when first answers and repeats differ in age: a learner who met the bank
        a month ago and has since answered it again rests today's prediction mostly on the repeats.
        """
        return self.first_time_weight / self.answer_weight if self.answer_weight > 0 else None

    @property
    def rests_on_repeats(self) -> bool:
        """True when, with at least REPEAT_WARNING_ANSWERS answers, repeats carry most of the evidence.

        The memory term already discounts right repeats; the learner should still hear it plainly, and take a full
        exam of questions they have not seen for a reading that memory cannot prop up.
        """
        share = self.first_time_evidence
        return share is not None and self.answers >= REPEAT_WARNING_ANSWERS and share < 0.5


def evidence_note(prediction: Readiness) -> str | None:
    """Plain sentences on what the prediction rests on: first answers or repeats (None before any answer).

    The dashboard, ``certprep readiness`` and the API show the same words.
    """
    if not prediction.answers:
        return None
    note = (
        f"{prediction.first_time_answers} of your {prediction.answers} answers were to questions you met for the first"
        " time"
    )
    share = prediction.first_time_evidence
    if share is not None and prediction.first_time_answers < prediction.answers:
        note += f"; they carry {share:.0%} of the weight your answers have in this prediction (recent ones count more)"
    note += "."
    if prediction.rests_on_repeats:
        note += (
            " Most of this prediction rests on questions you had seen before, which memory of those questions can prop"
            " up: take a full exam of questions you have not seen for a reading that memory cannot help."
        )
    return note


def raw_moments(model: LearnerModel, shape: ExamShape) -> list[tuple[float, float, float]]:
    """For every overall ability g: (posterior weight, mean, variance) of the number right on the exam."""
    means = [0.0] * len(model.global_weights)
    variances = [0.0] * len(model.global_weights)
    for task, seats in shape.seats.items():
        if seats == 0 or task not in model.tasks:
            continue
        p_values = model.p_values(task)
        first = model.given_global(task, p_values)
        second = model.given_global(task, [p * p for p in p_values])
        for index, (m1, m2) in enumerate(zip(first, second, strict=True)):
            means[index] += seats * m1
            # within-task: n·E[p(1-p)]; between draws of θ_t: n²·Var[p]
            variances[index] += seats * (m1 - m2) + seats * seats * max(0.0, m2 - m1 * m1)
    return list(zip(model.global_weights, means, variances, strict=True))


def _mixture_cdf(moments: Sequence[tuple[float, float, float]], value: float) -> float:
    total = 0.0
    for weight, mean, variance in moments:
        if weight < 1e-12:
            continue
        total += weight * normal_cdf((value - mean) / math.sqrt(max(variance, 1e-9)))
    return total


def _mixture_quantile(moments: Sequence[tuple[float, float, float]], q: float, top: float) -> float:
    low, high = -1.0, top + 1.0
    for _ in range(50):
        middle = (low + high) / 2
        if _mixture_cdf(moments, middle) < q:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def predict(model: LearnerModel, shape: ExamShape) -> Readiness:
    """Readiness for an exam of ``shape`` given the fitted ``model``."""
    moments = raw_moments(model, shape)
    total = float(shape.scored_items)
    # P(R >= cut) with a continuity correction: R is a whole number.
    pass_probability = 1.0 - _mixture_cdf(moments, shape.raw_cut - 0.5)
    expected = sum(weight * mean for weight, mean, _ in moments)
    median = _mixture_quantile(moments, 0.5, total)
    low = _mixture_quantile(moments, 0.1, total)
    high = _mixture_quantile(moments, 0.9, total)
    domains: dict[int, tuple[int, float]] = {}
    for task, seats in shape.seats.items():
        if seats == 0 or task not in model.tasks:
            continue
        posterior = model.task_posterior(task)
        expected_p = sum(p * w for p, w in zip(model.p_values(task), posterior, strict=True))
        domain = shape.task_domain[task]
        count, right = domains.get(domain, (0, 0.0))
        domains[domain] = (count + seats, right + seats * expected_p)
    return Readiness(
        scaled_score=shape.scaled(median),
        scaled_low=shape.scaled(low),
        scaled_high=shape.scaled(high),
        pass_probability=round(min(1.0, max(0.0, pass_probability)), 4),
        expected_correct=round(expected, 2),
        scored_items=shape.scored_items,
        raw_cut=shape.raw_cut,
        passing=shape.passing,
        evidence=model.evidence_total,
        answers=model.answers_total,
        first_time_answers=model.first_time_answers,
        answer_weight=model.answer_weight,
        first_time_weight=model.first_time_weight,
        domains=tuple(
            DomainForecast(domain, count, round(100.0 * right / count, 1))
            for domain, (count, right) in sorted(domains.items())
        ),
    )
