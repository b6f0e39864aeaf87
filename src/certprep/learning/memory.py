"""Memory of questions already seen: how much of a right answer to a repeat may be memory of that very question.

A learner who has answered a question and read its explanation can answer it right the next time from memory of
that question and its key, whatever their skill at the task; a learner who answers the same bank again and again
ends up "scoring 90% on practice tests" that say little about new scenarios (memorised items transfer poorly to
rearranged ones: Pan & Rickard 2018). The mastery model therefore reads a right answer to a repeat through a memory
term: it is right with probability ``m + (1 − m) · P(skill)``, where ``m`` is the chance the learner still recalled
that question's answer. A wrong answer says as much as ever (memory did not help), a right one says less the
fresher the memory was.

``m`` comes from FSRS, the spaced-repetition model certprep already uses: every exposure (an answer with its
explanation read) is a review of the question as an item, rated Good because the key was shown either way, and
``m`` is the item's retrievability at the next answer under FSRS's default parameters, fitted by its authors to
millions of Anki reviews (about 2.3 days of stability after a first exposure, a power-law forgetting curve, more
stability after each spaced exposure). docs/learning.md states the assumption and what the simulation shows when
real memory is stronger or weaker than this.
"""

from __future__ import annotations

from collections.abc import Sequence

from fsrs import Card, Scheduler

from certprep.learning.srs import Graded, new_card, question_scheduler, retrievability, review

__all__ = ["exposure_memories", "first_time_share"]

GOOD = 3  # every exposure shows the key, so every exposure is a successful review of the item


def exposure_memories(answers: Sequence[Graded], scheduler: Scheduler | None = None) -> list[float]:
    """For each answer, in the order given, the chance that the learner recalled that question's answer then.

    0 for the first answer to a question; afterwards the FSRS retrievability of the question, replayed from its
    earlier answers. Answers are replayed in time order, whatever order they come in.
    """
    scheduler = scheduler or question_scheduler()
    order = sorted(range(len(answers)), key=lambda index: answers[index].at)
    items: dict[str, Card] = {}
    memories = [0.0] * len(answers)
    for index in order:
        answer = answers[index]
        card = items.get(answer.question_id)
        if card is None:
            card = new_card(answer.question_id, answer.at)
        else:
            memories[index] = retrievability(scheduler, card, answer.at)
        items[answer.question_id] = review(scheduler, card, GOOD, answer.at)
    return memories


def first_time_share(memories: Sequence[float]) -> float | None:
    """The share of answers given to a question for the first time (None without answers)."""
    if not memories:
        return None
    return sum(1 for memory in memories if memory == 0.0) / len(memories)
