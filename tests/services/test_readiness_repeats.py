"""Readiness on SQLite and PostgreSQL says how much of its evidence comes from questions met for the first time."""

from __future__ import annotations

import datetime as dt

import pytest

from certprep.services.learning import LearningService
from tests.services.test_learning import T0, TINY, _answer_all, world

__all__ = ["world"]  # the fixture, shared with the learning service tests


def test_readiness_says_when_it_rests_on_repeats(world: tuple[LearningService, int, int]) -> None:
    service, alice, _ = world
    live = {q.id for q in TINY.questions if q.status == "live"}
    _answer_all(service, alice, live, T0)
    once = service.progress.readiness(alice, "tiny", T0 + dt.timedelta(hours=1))
    assert (once.answers, once.first_time_answers, once.rests_on_repeats) == (len(live), len(live), False)
    for day in range(1, 7):  # the same five questions, every day for a week
        _answer_all(service, alice, live, T0 + dt.timedelta(days=day))
    week = service.progress.readiness(alice, "tiny", T0 + dt.timedelta(days=7))
    assert (week.answers, week.first_time_answers) == (7 * len(live), len(live))
    assert week.first_time_share == pytest.approx(1 / 7, abs=0.001)
    assert week.first_time_evidence is not None and week.first_time_evidence < 1 / 7  # the first answers are the oldest
    assert week.rests_on_repeats
    assert week.evidence_note is not None and "full exam of questions you have not seen" in week.evidence_note
