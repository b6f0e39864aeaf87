"""Adaptive practice ("practise my weak spots"): the questions that should raise the predicted exam score most.

Each question gets a score from three parts:

- **Where the points are.** A task statement's priority is the number of exam items the learner is expected to
  lose on it: its share of the scored form times one minus its mastery. A heavy domain's weak task comes first; a
  light task already mastered comes last. Each question already picked from a task lowers that task's priority
  (DIMINISHING per pick), so a session spreads over the weakest tasks instead of emptying one.
- **Not recently seen.** A question answered ``a`` days ago scores ``1 − 0.9·exp(−a / RECENCY_DAYS)``: today's
  questions nearly never come back, last week's may. Every earlier answer also halves its score (SEEN_DISCOUNT):
  a scenario seen before partly tests memory of its key, so a fresh question of the same task teaches more. A
  missed question that FSRS says is due now is exempt and gets a bonus instead: retrieving it today is exactly what
  spacing asks for.
- **Difficulty near the learner's level.** Questions whose Rasch difficulty is close to TARGET_OFFSET below the
  task ability (about a 60% chance of a right answer) score highest: hard enough to teach, not so hard that the
  answer is a guess.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from certprep.learning.mastery import TaskMastery

DIMINISHING = 0.8
RECENCY_DAYS = 3.0
TARGET_OFFSET = 0.4
DIFFICULTY_WIDTH = 1.0
DUE_BONUS = 1.5
SEEN_DISCOUNT = 0.5
UNKNOWN_TASK_SEATS = 1


@dataclass(frozen=True)
class Candidate:
    """A question that may be asked: its id, task statement and Rasch difficulty."""

    question_id: str
    task: str
    difficulty: float


@dataclass(frozen=True)
class Seen:
    """When the learner last answered a question, and how often."""

    last_at: dt.datetime
    times: int = 1


@dataclass(frozen=True)
class Pick:
    """A chosen question and why it was chosen, in words a learner understands."""

    question_id: str
    task: str
    reason: str


def task_priority(seats: int, mastery: TaskMastery) -> float:
    """Exam items expected to be lost on this task: seats × (1 − mastery)."""
    return max(seats, UNKNOWN_TASK_SEATS) * (1.0 - mastery.mastery)


def recency_factor(seen: Seen | None, now: dt.datetime, due: bool = False) -> float:
    """1 for a fresh question; less the more recently and the more often it was answered (see the module doc)."""
    if seen is None:
        return 1.0
    days = max(0.0, (now - seen.last_at).total_seconds() / 86400)
    recency = 1.0 - 0.9 * math.exp(-days / RECENCY_DAYS)
    return recency * DUE_BONUS if due else recency * SEEN_DISCOUNT**seen.times


def difficulty_factor(difficulty: float, theta: float) -> float:
    target = theta - TARGET_OFFSET
    return math.exp(-0.5 * ((difficulty - target) / DIFFICULTY_WIDTH) ** 2)


def pick_questions(
    candidates: Iterable[Candidate],
    masteries: Mapping[str, TaskMastery],
    seats: Mapping[str, int],
    count: int,
    now: dt.datetime,
    history: Mapping[str, Seen] | None = None,
    due: Collection[str] = (),
    seed: int = 0,
) -> list[Pick]:
    """Up to ``count`` questions for a weak-spots session, best first (greedy on the score above)."""
    history = history or {}
    rng = random.Random(seed)
    pool = [c for c in candidates if c.task in masteries]
    base: dict[str, float] = {}
    for candidate in pool:
        mastery = masteries[candidate.task]
        base[candidate.question_id] = (
            recency_factor(history.get(candidate.question_id), now, candidate.question_id in due)
            * difficulty_factor(candidate.difficulty, mastery.theta)
            * (1.0 + 1e-6 * rng.random())  # a reproducible tie-break between equal questions
        )
    priority = {task: task_priority(seats.get(task, 0), mastery) for task, mastery in masteries.items()}
    picked_from: dict[str, int] = {}
    chosen: list[Pick] = []
    remaining = {c.question_id: c for c in pool}
    while remaining and len(chosen) < count:
        best = max(
            remaining.values(),
            key=lambda c: priority[c.task] * DIMINISHING ** picked_from.get(c.task, 0) * base[c.question_id],
        )
        del remaining[best.question_id]
        picked_from[best.task] = picked_from.get(best.task, 0) + 1
        mastery = masteries[best.task]
        reason = (
            f"task {best.task}: mastery {mastery.mastery:.0%}, about {priority[best.task]:.1f} exam "
            f"item{'s' if round(priority[best.task], 1) != 1 else ''} at stake"
        )
        if best.question_id in due:
            reason += "; a missed question due for review"
        chosen.append(Pick(best.question_id, best.task, reason))
    return chosen
