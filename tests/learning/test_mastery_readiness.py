"""Mastery per task statement and readiness: the estimates move the way a learner expects, with honest ranges."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest

from certprep.content.models import Pack
from certprep.engine.scoring import author_difficulty
from certprep.learning.mastery import (
    Evidence,
    ModelSettings,
    answer_evidence,
    by_task,
    card_evidence,
    domain_mastery,
    fit,
    masteries,
)
from certprep.learning.readiness import predict
from tests.learning.conftest import infos_of, shape_of

NOW = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)


def _answers(pack: Pack, task: str, right: int, wrong: int, days_ago: float = 0.0) -> list[Evidence]:
    questions = [q for q in pack.questions if q.task == task and q.status == "live"]
    at = NOW - dt.timedelta(days=days_ago)
    outcomes = [True] * right + [False] * wrong
    return [
        answer_evidence(task, author_difficulty(questions[i % len(questions)].difficulty), ok, at)
        for i, ok in enumerate(outcomes)
    ]


def test_with_no_evidence_every_task_is_unknown_and_readiness_is_wide(dop: Pack) -> None:
    model = fit(infos_of(dop), [], NOW)
    rows = masteries(model)
    assert {row.level for row in rows} == {"no evidence"}
    result = predict(model, shape_of(dop))
    assert result.scaled_high - result.scaled_low > 300
    assert 0.05 < result.pass_probability < 0.6
    assert result.evidence == 0


def test_right_answers_raise_a_task_and_wrong_ones_lower_it_with_a_narrower_range(dop: Pack) -> None:
    infos = infos_of(dop)
    evidence = _answers(dop, "1.4", 18, 2) + _answers(dop, "6.1", 3, 17)
    rows = by_task(masteries(fit(infos, evidence, NOW)))
    strong, weak, unseen = rows["1.4"], rows["6.1"], rows["3.2"]
    assert strong.mastery > unseen.mastery > weak.mastery
    assert strong.level == "strong"
    assert weak.level == "weak"
    assert strong.se < unseen.se
    assert weak.se < unseen.se
    assert strong.mastery_low < strong.mastery < strong.mastery_high
    assert (strong.answers, strong.correct) == (20, 18)


def test_a_learner_who_is_good_everywhere_is_predicted_to_pass(dop: Pack) -> None:
    evidence = [e for d in dop.blueprint.domains for t in d.tasks for e in _answers(dop, t.id, 14, 2)]
    result = predict(fit(infos_of(dop), evidence, NOW), shape_of(dop))
    assert result.pass_probability > 0.9
    assert result.scaled_low <= result.scaled_score <= result.scaled_high
    assert result.scaled_score > dop.blueprint.scale.passing
    weak = [e for d in dop.blueprint.domains for t in d.tasks for e in _answers(dop, t.id, 3, 13)]
    failing = predict(fit(infos_of(dop), weak, NOW), shape_of(dop))
    assert failing.pass_probability < 0.05
    assert failing.scaled_score < dop.blueprint.scale.passing


def test_old_mistakes_count_less_than_new_ones(dop: Pack) -> None:
    infos = infos_of(dop)
    recent_wrong = _answers(dop, "2.1", 8, 0, days_ago=40) + _answers(dop, "2.1", 0, 8, days_ago=0)
    recent_right = _answers(dop, "2.1", 0, 8, days_ago=40) + _answers(dop, "2.1", 8, 0, days_ago=0)
    a = by_task(masteries(fit(infos, recent_wrong, NOW)))["2.1"]
    b = by_task(masteries(fit(infos, recent_right, NOW)))["2.1"]
    assert b.mastery > a.mastery + 0.1
    # Without decay and without learning, order no longer matters (with learning, misses followed by right answers
    # are a learner who improved: see the learning-rate test below).
    same = ModelSettings(half_life_days=None, half_life_answers=None, learning_rates=(0.0,))
    assert (
        by_task(masteries(fit(infos, recent_wrong, NOW, same)))["2.1"].mastery
        == by_task(masteries(fit(infos, recent_right, NOW, same)))["2.1"].mastery
    )


def test_a_learner_who_practises_is_judged_by_the_latest_answers_even_on_the_same_day(dop: Pack) -> None:
    infos = infos_of(dop)
    minutes = [NOW - dt.timedelta(minutes=m) for m in range(60, 0, -1)]
    improving = [answer_evidence("2.1", 0.0, i >= 30, at) for i, at in enumerate(minutes)]
    declining = [answer_evidence("2.1", 0.0, i < 30, at) for i, at in enumerate(minutes)]
    up = by_task(masteries(fit(infos, improving, NOW)))["2.1"]
    down = by_task(masteries(fit(infos, declining, NOW)))["2.1"]
    assert up.mastery > down.mastery + 0.2
    assert up.answers == down.answers == 60
    assert up.correct == down.correct == 30


def test_the_learning_rate_is_the_learners_own(dop: Pack) -> None:
    """With a grid of learning rates, a learner whose answers improve steadily is read as a fast learner, one who
    stays level as a slow one."""
    infos = infos_of(dop)
    rng = random.Random(5)
    tasks = [t.id for d in dop.blueprint.domains for t in d.tasks]
    minutes = [NOW - dt.timedelta(minutes=m) for m in range(600, 0, -1)]

    def history(chance: float) -> list[Evidence]:
        return [answer_evidence(rng.choice(tasks), 0.0, rng.random() < chance, at) for at in minutes]

    rising = [
        answer_evidence(e.task, 0.0, rng.random() < 0.15 + 0.75 * i / len(minutes), e.at)
        for i, e in enumerate(history(0.0))
    ]
    level = history(0.5)
    grid = ModelSettings(learning_rates=(0.0125, 0.025, 0.05, 0.1))
    fast, slow = fit(infos, rising, NOW, grid), fit(infos, level, NOW, grid)
    rates = grid.learning_rates
    assert len(fast.learning_rate_weights) == len(rates) == len(slow.learning_rate_weights)
    assert fast.learning_rate_weights[-1] > 0.5 > fast.learning_rate_weights[0]
    assert slow.learning_rate_weights[0] > 0.5 > slow.learning_rate_weights[-1]
    # Before any answer every rate is as likely as any other, unless the settings give the rates a prior.
    assert fit(infos, [], NOW, grid).learning_rate_weights == pytest.approx([1 / len(rates)] * len(rates))
    leaning = ModelSettings(learning_rates=rates, learning_rate_prior=(1.0, 3.0, 1.0, 1.0))
    assert fit(infos, [], NOW, leaning).learning_rate_weights == pytest.approx([1 / 6, 1 / 2, 1 / 6, 1 / 6])
    assert fit(infos, rising, NOW, leaning).learning_rate_weights[-1] < fast.learning_rate_weights[-1]
    # The same right and wrong answers, in rising order, read as a stronger learner today than in falling order.
    falling = [answer_evidence(e.task, 0.0, r.correct, e.at) for e, r in zip(rising, reversed(rising), strict=True)]
    up = predict(fast, shape_of(dop)).pass_probability
    down = predict(fit(infos, falling, NOW, grid), shape_of(dop)).pass_probability
    assert up > down


def test_practice_on_one_task_does_not_lift_the_tasks_a_learner_has_not_practised(dop: Pack) -> None:
    """Sixty answers on 1.4, mostly right after a weak start: the learner got better at 1.4, and says nothing new
    about 3.2, where they have not practised. Read as today's ability, 1.4 would pull the overall level (and with it
    the unpractised 3.2) up by what practice on 1.4 taught; the model keeps that gain on 1.4."""
    infos = infos_of(dop)
    minutes = [NOW - dt.timedelta(minutes=m) for m in range(60, 0, -1)]
    improving = [answer_evidence("1.4", 0.0, i >= 15 or i % 3 == 0, at) for i, at in enumerate(minutes)]
    own = by_task(masteries(fit(infos, improving, NOW)))
    shared = by_task(masteries(fit(infos, improving, NOW, ModelSettings(task_specific_gains=False))))
    # The practised task keeps its gain (its prior is no longer pulled back to a level that practice did not
    # raise); the unpractised one no longer rises with it.
    assert own["1.4"].theta >= shared["1.4"].theta
    assert own["3.2"].theta < shared["3.2"].theta - 0.3
    assert own["3.2"].mastery < shared["3.2"].mastery
    # With no learning term there is no gain to keep apart, and the two readings agree.
    still = ModelSettings(learning_rates=(0.0,), repeat_rate=0.0)
    assert by_task(masteries(fit(infos, improving, NOW, still)))["3.2"].theta == pytest.approx(
        by_task(masteries(fit(infos, improving, NOW, replace(still, task_specific_gains=False))))["3.2"].theta
    )


def test_flashcard_reviews_count_as_weaker_evidence(dop: Pack) -> None:
    infos = infos_of(dop)
    cards = [card_evidence("4.1", 3, NOW) for _ in range(10)]
    answers = _answers(dop, "4.1", 10, 0)
    by_cards = by_task(masteries(fit(infos, cards, NOW)))["4.1"]
    by_answers = by_task(masteries(fit(infos, answers, NOW)))["4.1"]
    baseline = by_task(masteries(fit(infos, [], NOW)))["4.1"]
    assert baseline.mastery < by_cards.mastery < by_answers.mastery
    assert by_cards.reviews == 10
    assert by_cards.answers == 0


def test_domain_rows_average_their_tasks(dop: Pack) -> None:
    rng = random.Random(4)
    evidence = [e for t in ("1.1", "1.2") for e in _answers(dop, t, rng.randint(5, 10), rng.randint(0, 5))]
    rows = masteries(fit(infos_of(dop), evidence, NOW))
    domains = {row.domain: row for row in domain_mastery(rows)}
    in_one = [row for row in rows if row.domain == 1]
    assert abs(domains[1].mastery - sum(r.mastery for r in in_one) / len(in_one)) < 1e-3
    assert domains[1].answers == sum(r.answers for r in in_one)
    assert sorted(domains) == [1, 2, 3, 4, 5, 6]


def test_readiness_uses_the_blueprint_of_the_pack(tiny: Pack) -> None:
    result = predict(fit(infos_of(tiny), [], NOW), shape_of(tiny))
    assert result.scored_items == tiny.blueprint.questions.scored
    assert result.passing == tiny.blueprint.scale.passing
    assert tiny.blueprint.scale.min <= result.scaled_low <= result.scaled_high <= tiny.blueprint.scale.max
    assert [d.domain for d in result.domains] == [1, 2]
