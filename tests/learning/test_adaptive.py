"""Weak-spot practice picks questions where points are at stake, near the learner's level, and not just seen."""

from __future__ import annotations

import datetime as dt

from certprep.content.models import Pack
from certprep.engine.scoring import author_difficulty
from certprep.learning.adaptive import Candidate, Seen, pick_questions
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
    assert len(picks) == 20 and len(set(p.question_id for p in picks)) == 20
    assert tasks[0] == "6.2"
    assert not set(tasks) & set(strong)
    assert len(set(tasks)) >= 4  # spread over the weak tasks rather than emptying one
    assert "mastery" in picks[0].reason and "exam item" in picks[0].reason


def test_just_answered_questions_wait_unless_due_for_review(dop: Pack) -> None:
    rows = _model_rows(dop, [], ["6.2"])
    candidates = [c for c in _candidates(dop) if c.task == "6.2"]
    just_seen = {c.question_id: Seen(NOW - dt.timedelta(minutes=5)) for c in candidates[:5]}
    picks = pick_questions(candidates, rows, shape_of(dop).seats, 5, NOW, just_seen)
    assert not {p.question_id for p in picks} & set(just_seen)
    due = {candidates[0].question_id}
    stale = {c.question_id: Seen(NOW - dt.timedelta(days=3)) for c in candidates[:5]}
    picked = pick_questions(candidates, rows, shape_of(dop).seats, 3, NOW, stale, due)
    assert candidates[0].question_id in {p.question_id for p in picked}


def test_difficulty_follows_the_learner(dop: Pack) -> None:
    candidates = [c for c in _candidates(dop) if c.task == "3.1"]
    evidence_low = [answer_evidence("3.1", 0.0, i < 2, NOW) for i in range(14)]
    evidence_high = [answer_evidence("3.1", 1.0, i < 13, NOW) for i in range(14)]
    seats = shape_of(dop).seats
    low = pick_questions(candidates, by_task(masteries(fit(infos_of(dop), evidence_low, NOW))), seats, 4, NOW)
    high = pick_questions(candidates, by_task(masteries(fit(infos_of(dop), evidence_high, NOW))), seats, 4, NOW)
    difficulty = {c.question_id: c.difficulty for c in candidates}
    assert sum(difficulty[p.question_id] for p in low) < sum(difficulty[p.question_id] for p in high)
