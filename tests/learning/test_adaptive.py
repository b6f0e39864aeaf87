"""Weak-spot practice picks questions where points are at stake, near the learner's level, and not just seen."""

from __future__ import annotations

import datetime as dt

from certprep.content.models import Pack
from certprep.engine.scoring import author_difficulty
from certprep.learning.adaptive import Candidate, Seen, difficulty_factor, pick_questions
from certprep.learning.mastery import answer_evidence, by_task, fit, masteries
from tests.learning.conftest import infos_of, shape_of

NOW = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)


def _candidates(pack: Pack) -> list[Candidate]:
    return [Candidate(q.id, q.task, author_difficulty(q.difficulty)) for q in pack.questions if q.status == "live"]


def _model_rows(pack: Pack, strong: list[str], weak: list[str]):  # type: ignore[no-untyped-def]
    evidence = []
    for task in strong + weak:
        for i in range(12):
            evidence.append(answer_evidence(task, 0.0, task in strong or i < 2, NOW - dt.timedelta(hours=1)))
    return by_task(masteries(fit(infos_of(pack), evidence, NOW)))


def test_weak_heavy_tasks_come_first_and_mastered_tasks_last(dop: Pack) -> None:
    strong = [t.id for t in dop.blueprint.domains[0].tasks]  # domain 1 mastered
    rows = _model_rows(dop, strong, ["6.2"])
    picks = pick_questions(_candidates(dop), rows, shape_of(dop).seats, 20, NOW)
    tasks = [pick.task for pick in picks]
    assert len(picks) == 20
    assert len(set(p.question_id for p in picks)) == 20
    assert tasks[0] == "6.2"
    assert not set(tasks) & set(strong)
    assert len(set(tasks)) >= 4  # spread over the weak tasks rather than emptying one
    assert "mastery" in picks[0].reason
    assert "exam item" in picks[0].reason


def test_just_answered_questions_wait_unless_due_for_review(dop: Pack) -> None:
    rows = _model_rows(dop, [], ["6.2"])
    candidates = [c for c in _candidates(dop) if c.task == "6.2"]
    just_seen = {c.question_id: Seen(NOW - dt.timedelta(minutes=5)) for c in candidates[:5]}
    picks = pick_questions(candidates, rows, shape_of(dop).seats, 5, NOW, just_seen)
    assert not {p.question_id for p in picks} & set(just_seen)
    # Of five questions seen three days ago, the one due for review comes back (the one whose difficulty suits the
    # learner best, so that the test does not depend on which question the bank happens to list first).
    theta = rows["6.2"].theta
    comeback = max(candidates[:5], key=lambda c: difficulty_factor(c.difficulty, theta))
    stale = {c.question_id: Seen(NOW - dt.timedelta(days=3)) for c in candidates[:5]}
    picked = pick_questions(candidates, rows, shape_of(dop).seats, 3, NOW, stale, {comeback.question_id})
    assert comeback.question_id in {p.question_id for p in picked}
    without = pick_questions(candidates, rows, shape_of(dop).seats, 3, NOW, stale)
    assert comeback.question_id not in {p.question_id for p in without}  # it is the review that brings it back


def test_difficulty_follows_the_learner(dop: Pack) -> None:
    candidates = [c for c in _candidates(dop) if c.task == "3.1"]
    evidence_low = [answer_evidence("3.1", 0.0, i < 2, NOW) for i in range(14)]
    evidence_high = [answer_evidence("3.1", 1.0, i < 13, NOW) for i in range(14)]
    seats = shape_of(dop).seats
    low = pick_questions(candidates, by_task(masteries(fit(infos_of(dop), evidence_low, NOW))), seats, 4, NOW)
    high = pick_questions(candidates, by_task(masteries(fit(infos_of(dop), evidence_high, NOW))), seats, 4, NOW)
    difficulty = {c.question_id: c.difficulty for c in candidates}
    assert sum(difficulty[p.question_id] for p in low) < sum(difficulty[p.question_id] for p in high)
