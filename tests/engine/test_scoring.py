"""Scaled scoring: range, monotonicity, pass/fail at the extremes, sections, calibration."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from certprep.content.models import Pack
from certprep.engine.forms import FormRequest, assemble_form
from certprep.engine.scoring import (
    CUT_THETA,
    MEETS,
    NEEDS,
    ScoredItem,
    calibrate,
    estimate_ability,
    scale_score,
    score_form,
)
from certprep.engine.session import Response, grade
from tests.engine.conftest import synthetic_pack

NAMES = {1: "One", 2: "Two", 3: "Three"}
difficulties = st.sampled_from([-2.0, -1.0, 0.0, 1.0, 2.0])
form_strategy = st.lists(st.tuples(st.integers(1, 3), difficulties, st.booleans()), min_size=1, max_size=80)


def _items(rows: list[tuple[int, float, bool]]) -> list[ScoredItem]:
    return [
        ScoredItem(f"q{index}", domain, difficulty, correct) for index, (domain, difficulty, correct) in enumerate(rows)
    ]


@given(form_strategy)
@settings(max_examples=150, deadline=None)
def test_every_answer_pattern_scores_within_the_scale(rows: list[tuple[int, float, bool]]) -> None:
    report = score_form(_items(rows), NAMES)
    assert 100 <= report.scaled_score <= 1000
    assert 100 <= report.score_range[0] <= report.scaled_score <= report.score_range[1] <= 1000
    assert 0.0 <= report.pass_probability <= 1.0
    assert report.passed == (report.scaled_score >= 750)


@given(form_strategy, st.data())
@settings(max_examples=150, deadline=None)
def test_one_more_correct_answer_never_lowers_the_score(
    rows: list[tuple[int, float, bool]], data: st.DataObject
) -> None:
    wrong = [index for index, row in enumerate(rows) if not row[2]]
    if not wrong:
        return
    flip = data.draw(st.sampled_from(wrong))
    better = list(rows)
    better[flip] = (rows[flip][0], rows[flip][1], True)
    before, after = score_form(_items(rows), NAMES), score_form(_items(better), NAMES)
    assert after.scaled_score >= before.scaled_score
    assert after.pass_probability >= before.pass_probability


@given(st.lists(difficulties, min_size=65, max_size=65))
@settings(max_examples=60, deadline=None)
def test_all_correct_passes_and_none_correct_fails_on_a_full_form(levels: list[float]) -> None:
    rows_all = [(1, level, True) for level in levels]
    rows_none = [(1, level, False) for level in levels]
    assert score_form(_items(rows_all), NAMES).passed
    assert score_form(_items(rows_none), NAMES).scaled_score == 100 or not score_form(_items(rows_none), NAMES).passed


def test_scale_map_puts_the_cut_ability_on_750_and_is_monotone() -> None:
    assert scale_score(CUT_THETA) == 750
    values = [scale_score(theta / 10) for theta in range(-80, 80)]
    assert values == sorted(values)
    assert values[0] == 100
    assert values[-1] == 1000


def test_harder_items_answered_right_earn_more_than_easy_ones() -> None:
    hard = estimate_ability([(2.0, True)] * 30 + [(2.0, False)] * 10)
    easy = estimate_ability([(-2.0, True)] * 30 + [(-2.0, False)] * 10)
    assert hard.theta > easy.theta


def test_sections_say_meets_or_needs_improvement() -> None:
    rows = [(1, 0.0, True)] * 9 + [(1, 0.0, False)] + [(2, 0.0, True)] * 3 + [(2, 0.0, False)] * 7
    report = score_form(_items(rows), NAMES)
    sections = {s.domain: s for s in report.sections}
    assert (sections[1].percent, sections[1].classification) == (90.0, MEETS)
    assert (sections[2].percent, sections[2].classification) == (30.0, NEEDS)
    assert 3 not in sections  # a domain with no scored items gets no line


def test_grade_counts_multiple_response_only_when_exact_and_ignores_unscored(dop: Pack) -> None:
    bank = synthetic_pack(dop, per_task=12)
    form = assemble_form(bank, FormRequest(mode="full"), seed=1)
    responses = []
    for position, item in enumerate(form.items, start=1):
        question = bank.question(item.question_id)
        assert question is not None
        key = sorted(question.correct_ids)
        # unscored items answered right, scored multiple-response items given one right option too few
        selected = key if not item.scored or question.type == "single" else key[:1]
        responses.append(Response(position, item.question_id, item.scored, tuple(selected)))
    report, correctness = grade(bank, responses)
    singles = sum(
        1 for item in form.items if item.scored and (q := bank.question(item.question_id)) and q.type == "single"
    )
    assert report.raw_total == 65
    assert report.raw_correct == singles  # partial multiple-response answers count as wrong
    assert sum(correctness.values()) == singles + 10


def test_unanswered_counts_as_incorrect(tiny: Pack) -> None:
    responses = [Response(1, "tiny-list-hidden", True, ()), Response(2, "tiny-change-home", True, ("C",))]
    report, correctness = grade(tiny, responses)
    assert correctness == {1: False, 2: True}
    assert report.raw_correct == 1
    assert report.raw_total == 2


def test_calibration_recovers_difficulties_and_keeps_priors_for_thin_items() -> None:
    rng = random.Random(7)
    true = {f"i{n}": rng.uniform(-2, 2) for n in range(40)}
    priors = {item: 0.0 for item in true} | {"thin": 1.5}
    responses = []
    for person in range(400):
        theta = rng.gauss(0, 1)
        for item, b in true.items():
            responses.append((f"p{person}", item, rng.random() < 1 / (1 + 2.718281828 ** (b - theta))))
    responses += [("p1", "thin", True), ("p2", "thin", False)]
    result = calibrate(responses, priors)
    assert result.difficulties["thin"] == 1.5
    assert "thin" not in result.calibrated
    estimated = [result.difficulties[item] for item in true]
    actual = list(true.values())
    mean_e, mean_a = sum(estimated) / 40, sum(actual) / 40
    cov = sum((e - mean_e) * (a - mean_a) for e, a in zip(estimated, actual, strict=True))
    var_e = sum((e - mean_e) ** 2 for e in estimated)
    var_a = sum((a - mean_a) ** 2 for a in actual)
    assert cov / (var_e * var_a) ** 0.5 > 0.95
