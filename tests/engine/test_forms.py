"""Form assembly: blueprint weights, task balance, unscored items, seeds, recent questions."""

from __future__ import annotations

from collections import Counter

import pytest

from certprep.content.models import Pack
from certprep.engine.forms import FormError, FormRequest, assemble_form
from tests.engine.conftest import synthetic_pack


def _domains(pack: Pack, ids: list[str]) -> Counter[int]:
    return Counter(pack.question(question_id).domain for question_id in ids)  # type: ignore[union-attr]


def test_full_exam_follows_the_dop_c02_blueprint(dop: Pack) -> None:
    bank = synthetic_pack(dop, per_task=12, pretest_per_task=1)
    form = assemble_form(bank, FormRequest(mode="full"), seed=11)
    assert len(form.items) == 75
    scored = [item.question_id for item in form.items if item.scored]
    unscored = [item.question_id for item in form.items if not item.scored]
    assert len(scored) == 65
    assert len(unscored) == 10
    counts = _domains(bank, scored)
    assert [counts[d] for d in range(1, 7)] == [14, 11, 10, 10, 9, 11]
    assert all(bank.question(q).status == "pretest" for q in unscored)  # type: ignore[union-attr]
    assert len(set(form.question_ids)) == 75
    assert form.shortfalls == ()


def test_scored_items_are_balanced_across_task_statements(dop: Pack) -> None:
    bank = synthetic_pack(dop, per_task=12)
    form = assemble_form(bank, FormRequest(mode="full"), seed=5)
    by_task = Counter(bank.question(i.question_id).task for i in form.items if i.scored)  # type: ignore[union-attr]
    for domain in bank.blueprint.domains:
        counts = [by_task[task.id] for task in domain.tasks]
        assert max(counts) - min(counts) <= 1, (domain.id, counts)


def test_unscored_items_fall_back_to_live_questions_and_sit_at_random_positions(dop: Pack) -> None:
    bank = synthetic_pack(dop, per_task=12)  # no pretest questions at all
    positions = set()
    for seed in range(6):
        form = assemble_form(bank, FormRequest(mode="full"), seed=seed)
        assert sum(1 for item in form.items if not item.scored) == 10
        positions |= {index for index, item in enumerate(form.items) if not item.scored}
    assert min(positions) < 30
    assert max(positions) > 45  # spread through the form, not tacked on at the end


def test_same_seed_same_form_other_seed_other_form(dop: Pack) -> None:
    bank = synthetic_pack(dop, per_task=12)
    first = assemble_form(bank, FormRequest(mode="full"), seed=42)
    assert assemble_form(bank, FormRequest(mode="full"), seed=42) == first
    assert assemble_form(bank, FormRequest(mode="full"), seed=43) != first


def test_recent_questions_are_avoided_when_the_bank_allows(dop: Pack) -> None:
    bank = synthetic_pack(dop, per_task=25, pretest_per_task=2)
    first = assemble_form(bank, FormRequest(mode="full"), seed=1)
    second = assemble_form(bank, FormRequest(mode="full"), seed=2, recent=first.question_ids)
    assert not set(first.question_ids) & set(second.question_ids)


def test_recent_questions_are_reused_when_the_bank_is_too_small(tiny: Pack) -> None:
    first = assemble_form(tiny, FormRequest(mode="full"), seed=1)
    second = assemble_form(tiny, FormRequest(mode="full"), seed=2, recent=first.question_ids)
    assert len(second.items) == len(first.items) == 6


def test_tiny_pack_uses_its_own_blueprint(tiny: Pack) -> None:
    form = assemble_form(tiny, FormRequest(mode="full"), seed=3)
    scored = [i.question_id for i in form.items if i.scored]
    assert len(scored) == 5
    assert [i.question_id for i in form.items if not i.scored] == ["tiny-vi-insert"]
    assert _domains(tiny, scored) == Counter({1: 3, 2: 2})
    assert "tiny-old-question" not in form.question_ids  # retired questions are never drawn


def test_mock_exam_has_100_scored_questions_split_by_weight(dop: Pack) -> None:
    bank = synthetic_pack(dop, per_task=12)
    form = assemble_form(bank, FormRequest(mode="mock100"), seed=9)
    assert len(form.items) == 100
    assert form.scored_count == 100
    counts = _domains(bank, form.question_ids)
    assert [counts[d] for d in range(1, 7)] == [22, 17, 15, 15, 14, 17]


def test_drill_stays_in_its_domain_or_task(dop: Pack) -> None:
    bank = synthetic_pack(dop, per_task=12)
    drill = assemble_form(bank, FormRequest(mode="drill", domains=(3,)), seed=1)
    assert len(drill.items) == 20
    assert _domains(bank, drill.question_ids) == Counter({3: 20})
    task = assemble_form(bank, FormRequest(mode="drill", tasks=("1.4",), count=5), seed=1)
    assert {bank.question(q).task for q in task.question_ids} == {"1.4"}  # type: ignore[union-attr]


def test_quick_quiz_and_custom_filters(dop: Pack) -> None:
    bank = synthetic_pack(dop, per_task=12)
    quick = assemble_form(bank, FormRequest(mode="quick"), seed=1)
    assert len(quick.items) == 10
    assert len(_domains(bank, quick.question_ids)) >= 5
    custom = assemble_form(
        bank,
        FormRequest(
            mode="custom", count=15, difficulty_min=4, difficulty_max=5, question_type="multiple", domains=(2, 6)
        ),
        seed=1,
    )
    for question_id in custom.question_ids:
        question = bank.question(question_id)
        assert question is not None
        assert question.difficulty >= 4
        assert question.type == "multiple"
        assert question.domain in (2, 6)


def test_review_mode_asks_the_missed_questions_in_order(tiny: Pack) -> None:
    form = assemble_form(tiny, FormRequest(mode="review", review_ids=("tiny-vi-save", "gone", "tiny-cd")), seed=1)
    assert form.question_ids == ["tiny-vi-save"]
    with pytest.raises(FormError, match="no missed questions"):
        assemble_form(tiny, FormRequest(mode="review"), seed=1)


def test_filters_that_match_nothing_are_a_clear_error(tiny: Pack) -> None:
    with pytest.raises(FormError, match="no question matches"):
        assemble_form(tiny, FormRequest(mode="custom", difficulty_min=5, difficulty_max=5, domains=(1,)), seed=1)
