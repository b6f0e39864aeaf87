"""Scaled scoring with a Rasch (one-parameter IRT) model. docs/scoring.md explains the method and its limits.

The exam guide publishes the scale (100-1000), the cut (750) and the compensatory model, not how AWS equates forms.
certprep estimates the learner's ability θ from the scored items, taking each item's difficulty into account, and
maps θ to the scale so that the cut ability lands on the passing score. Under the Rasch model the raw number
correct is a sufficient statistic for θ on a given form, so more correct answers can never lower the score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# Author difficulty 1..5 as a Rasch difficulty in logits: 3 is an average item, each step about one logit.
AUTHOR_DIFFICULTY_LOGITS: Mapping[int, float] = {1: -2.0, 2: -1.0, 3: 0.0, 4: 1.0, 5: 2.0}
PRIOR_MEAN = 0.0
PRIOR_SD = 1.5
# The ability of a minimally competent candidate: about 73% correct on items of average difficulty.
CUT_THETA = 1.0
# θ values that map to the ends of the scale; the map is linear on each side of the cut.
THETA_AT_MIN = CUT_THETA - 4.5
THETA_AT_MAX = CUT_THETA + 2.5
GRID = tuple(-7.0 + 0.05 * step for step in range(281))  # quadrature points for the posterior, -7..7
MIN_CALIBRATION_RESPONSES = 30
# Calibration stops once no item's difficulty moves by more than this in a step (logits): far below what scores see.
CONVERGED = 1e-4


def probability_correct(theta: float, difficulty: float) -> float:
    """P(correct) under the Rasch model."""
    return 1.0 / (1.0 + math.exp(difficulty - theta))


@dataclass(frozen=True)
class AbilityEstimate:
    """The posterior mean of θ (EAP), its standard deviation, and P(θ above the cut)."""

    theta: float
    se: float
    pass_probability: float


def estimate_ability(responses: Sequence[tuple[float, bool]], cut_theta: float = CUT_THETA) -> AbilityEstimate:
    """EAP estimate of θ from ``(item difficulty, correct)`` pairs, with a normal prior.

    The prior keeps estimates finite for all-correct and all-wrong patterns; with 65 items its weight is small.
    """
    log_posterior = []
    for theta in GRID:
        value = -0.5 * ((theta - PRIOR_MEAN) / PRIOR_SD) ** 2
        for difficulty, correct in responses:
            # log P or log(1-P), written to stay stable for large |θ - b|
            logit = theta - difficulty
            value -= math.log1p(math.exp(-logit)) if correct else math.log1p(math.exp(logit))
        log_posterior.append(value)
    peak = max(log_posterior)
    weights = [math.exp(value - peak) for value in log_posterior]
    total = sum(weights)
    mean = sum(theta * weight for theta, weight in zip(GRID, weights, strict=True)) / total
    variance = sum((theta - mean) ** 2 * weight for theta, weight in zip(GRID, weights, strict=True)) / total
    above = sum(weight for theta, weight in zip(GRID, weights, strict=True) if theta > cut_theta) / total
    return AbilityEstimate(mean, math.sqrt(variance), above)


def scale_score(theta: float, low: int = 100, high: int = 1000, passing: int = 750) -> int:
    """Map θ to the reporting scale: THETA_AT_MIN -> low, CUT_THETA -> passing, THETA_AT_MAX -> high, clamped."""
    if theta >= CUT_THETA:
        value = passing + (high - passing) * (theta - CUT_THETA) / (THETA_AT_MAX - CUT_THETA)
    else:
        value = passing - (passing - low) * (CUT_THETA - theta) / (CUT_THETA - THETA_AT_MIN)
    return round(min(high, max(low, value)))


@dataclass(frozen=True)
class ScoredItem:
    """A scored item of a submitted form: its domain, difficulty in logits and whether the answer was right."""

    question_id: str
    domain: int
    difficulty: float
    correct: bool


@dataclass(frozen=True)
class Section:
    """A domain's line of the score report."""

    domain: int
    name: str
    scored_items: int
    correct: int
    percent: float
    classification: str


@dataclass(frozen=True)
class ScoreReport:
    scaled_score: int
    passed: bool
    pass_probability: float
    score_range: tuple[int, int]
    theta: float
    theta_se: float
    raw_correct: int
    raw_total: int
    sections: tuple[Section, ...]


MEETS = "Meets Competencies"
NEEDS = "Needs Improvement"


def score_form(
    items: Sequence[ScoredItem],
    domain_names: Mapping[int, str],
    low: int = 100,
    high: int = 1000,
    passing: int = 750,
) -> ScoreReport:
    """Score a submitted form. Unscored items must already be left out; unanswered items count as incorrect.

    A domain "Meets Competencies" when its share of correct answers is at least what a candidate at the cut
    ability would be expected to get on those same items.
    """
    estimate = estimate_ability([(item.difficulty, item.correct) for item in items])
    scaled = scale_score(estimate.theta, low, high, passing)
    sections = []
    for domain, name in domain_names.items():
        in_domain = [item for item in items if item.domain == domain]
        if not in_domain:
            continue
        correct = sum(1 for item in in_domain if item.correct)
        expected_at_cut = sum(probability_correct(CUT_THETA, item.difficulty) for item in in_domain)
        sections.append(
            Section(
                domain=domain,
                name=name,
                scored_items=len(in_domain),
                correct=correct,
                percent=round(100.0 * correct / len(in_domain), 1),
                classification=MEETS if correct >= expected_at_cut else NEEDS,
            )
        )
    return ScoreReport(
        scaled_score=scaled,
        passed=scaled >= passing,
        pass_probability=round(estimate.pass_probability, 3),
        score_range=(
            scale_score(estimate.theta - estimate.se, low, high, passing),
            scale_score(estimate.theta + estimate.se, low, high, passing),
        ),
        theta=round(estimate.theta, 3),
        theta_se=round(estimate.se, 3),
        raw_correct=sum(1 for item in items if item.correct),
        raw_total=len(items),
        sections=tuple(sections),
    )


@dataclass(frozen=True)
class Calibration:
    """Item difficulties in logits, and which of them rest on enough responses to be called calibrated."""

    difficulties: dict[str, float]
    calibrated: frozenset[str]


def calibrate(
    responses: Iterable[tuple[str, str, bool]],
    priors: Mapping[str, float],
    min_responses: int = MIN_CALIBRATION_RESPONSES,
    iterations: int = 30,
    prior_sd: float = 1.0,
) -> Calibration:
    """Estimate item difficulties from ``(person, item, correct)`` responses by penalised joint maximum likelihood.

    Each item's difficulty has a normal prior centred on its author-given value (``priors``), so an item with few
    responses stays near the author's judgement and one with many moves to what the data say. Person abilities have
    a standard normal prior. Items with fewer than ``min_responses`` responses keep exactly their prior value.
    Newton steps alternate between persons and items; each is one-dimensional, so a step for all persons (or all
    items) at once is a few array operations over the responses: numpy does 1,000,000 responses in about a second
    where the pure-Python loop took half a minute (bench/bench_calibration.py).

    Callers decide which responses count. The exam service passes each learner's first response to an item only,
    so that no learner, however many exams they take, weighs more than any other.
    """
    person_index: dict[str, int] = {}
    item_ids: list[str] = []
    item_index: dict[str, int] = {}
    persons: list[int] = []
    items: list[int] = []
    outcomes: list[float] = []
    for person_key, item_key, correct in responses:
        if item_key not in priors:
            continue
        persons.append(person_index.setdefault(person_key, len(person_index)))
        if item_key not in item_index:
            item_index[item_key] = len(item_ids)
            item_ids.append(item_key)
        items.append(item_index[item_key])
        outcomes.append(1.0 if correct else 0.0)
    import numpy as np  # only calibration needs it; scoring an exam must not pay for the import

    difficulty, counts = estimate_difficulties(
        np.asarray(persons, dtype=np.int64),
        np.asarray(items, dtype=np.int64),
        np.asarray(outcomes, dtype=np.float64),
        np.asarray([priors[item_id] for item_id in item_ids], dtype=np.float64),
        len(person_index),
        iterations=iterations,
        prior_sd=prior_sd,
    )
    result = dict(priors)
    calibrated = set()
    for index, item_id in enumerate(item_ids):
        if counts[index] >= min_responses:
            result[item_id] = float(difficulty[index])
            calibrated.add(item_id)
    return Calibration(result, frozenset(calibrated))


def estimate_difficulties(
    persons: npt.NDArray[np.int64],
    items: npt.NDArray[np.int64],
    outcomes: npt.NDArray[np.float64],
    prior: npt.NDArray[np.float64],
    person_count: int,
    iterations: int = 30,
    prior_sd: float = 1.0,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """The array core of :func:`calibrate`: difficulties for ``prior``'s items, and each item's response count.

    ``persons[k]``, ``items[k]`` and ``outcomes[k]`` (1.0 or 0.0) describe response ``k``; person and item numbers
    index abilities and ``prior``. Steps are clipped to one logit, as a guard against the first few overshooting.
    """
    import numpy as np

    item_count = len(prior)
    counts = np.bincount(items, minlength=item_count).astype(np.int64)
    difficulty = prior.copy()
    ability = np.zeros(person_count)
    precision = 1.0 / prior_sd**2
    if len(outcomes) == 0:
        return difficulty, counts
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(difficulty[items] - ability[persons]))
        gradient = np.bincount(persons, weights=outcomes - p, minlength=person_count)
        curvature = np.bincount(persons, weights=p * (1.0 - p), minlength=person_count)
        ability += np.clip((gradient - ability) / (curvature + 1.0), -1.0, 1.0)
        p = 1.0 / (1.0 + np.exp(difficulty[items] - ability[persons]))
        gradient = np.bincount(items, weights=p - outcomes, minlength=item_count)
        curvature = np.bincount(items, weights=p * (1.0 - p), minlength=item_count)
        step = np.clip((gradient - (difficulty - prior) * precision) / (curvature + precision), -1.0, 1.0)
        difficulty += step
        if float(np.max(np.abs(step))) < CONVERGED:
            break
    return difficulty, counts


def author_difficulty(level: int) -> float:
    """The Rasch difficulty used for an item no one has answered yet."""
    return AUTHOR_DIFFICULTY_LOGITS[level]
