"""Item calibration cost at 100,000 and 1,000,000 responses (issue #21: well under a second for a million).

The yardstick, run side by side on the same synthetic responses, is the pure-Python Newton loop that certprep used
before the estimate moved to numpy (kept here verbatim in spirit: one Python iteration per response and step). At a
million responses the old loop is only timed once, since it takes tens of seconds.

Run: python -m bench.bench_calibration   (results go in docs/benchmarks.md; nothing here is a test)
"""

from __future__ import annotations

import math
import platform
import time
from collections.abc import Callable
from functools import partial

import numpy as np

from certprep.engine.scoring import estimate_difficulties

ITEMS = 750
ITEMS_PER_LEARNER = 75
ITERATIONS = 30


def synthetic(responses: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int, np.ndarray]:
    """First responses of learners who each took one 75-item form from a 750-item bank, under the Rasch model."""
    rng = np.random.default_rng(seed)
    learners = responses // ITEMS_PER_LEARNER
    persons = np.repeat(np.arange(learners), ITEMS_PER_LEARNER)
    items = np.concatenate([rng.choice(ITEMS, ITEMS_PER_LEARNER, replace=False) for _ in range(learners)])
    ability = rng.normal(0.0, 1.0, learners)
    difficulty = rng.normal(0.0, 1.0, ITEMS)
    chance = 1.0 / (1.0 + np.exp(difficulty[items] - ability[persons]))
    outcomes = (rng.random(len(items)) < chance).astype(np.float64)
    prior = np.round(difficulty)  # the author's rating: right to within half a logit
    return persons, items, outcomes, prior, learners, difficulty


def python_loop(persons: list[int], items: list[int], outcomes: list[int], prior: list[float], people: int) -> None:
    """The previous pure-Python estimate: the same Newton steps, one response at a time."""
    difficulty = list(prior)
    ability = [0.0] * people
    for _ in range(ITERATIONS):
        for update_persons in (True, False):
            size = people if update_persons else len(difficulty)
            gradient = [0.0] * size
            curvature = [0.0] * size
            for person, position, outcome in zip(persons, items, outcomes, strict=True):
                p = 1.0 / (1.0 + math.exp(difficulty[position] - ability[person]))
                target = person if update_persons else position
                gradient[target] += (outcome - p) if update_persons else (p - outcome)
                curvature[target] += p * (1.0 - p)
            for index in range(size):
                if update_persons:
                    ability[index] += max(-1.0, min(1.0, (gradient[index] - ability[index]) / (curvature[index] + 1)))
                else:
                    step = (gradient[index] - (difficulty[index] - prior[index])) / (curvature[index] + 1.0)
                    difficulty[index] += max(-1.0, min(1.0, step))


def timed(action: Callable[[], object], repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    print(f"Python {platform.python_version()}, numpy {np.__version__}, on {platform.machine()}\n")
    print(
        "| Responses | Learners | numpy estimate (s) | pure-Python loop (s) | Speed-up "
        "| Mean error: author / estimate |"
    )
    print("|---|---|---|---|---|---|")
    for size in (100_000, 1_000_000):
        persons, items, outcomes, prior, learners, truth = synthetic(size)
        numpy_seconds = timed(partial(estimate_difficulties, persons, items, outcomes, prior, learners), 3)
        lists = (persons.tolist(), items.tolist(), outcomes.astype(int).tolist(), prior.tolist())
        loop_seconds = timed(partial(python_loop, *lists, learners), 1)
        estimate, _ = estimate_difficulties(persons, items, outcomes, prior, learners)
        author_error = float(np.mean(np.abs(prior - truth)))
        estimate_error = float(np.mean(np.abs(estimate - truth)))
        print(
            f"| {size:,} | {learners:,} | {numpy_seconds:.3f} | {loop_seconds:.1f} | "
            f"{loop_seconds / numpy_seconds:.0f}x | {author_error:.2f} / {estimate_error:.2f} logits |"
        )


if __name__ == "__main__":
    main()
