"""Unseen-first exams: timed exams take questions the learner never met first, then the ones met longest ago, and
:func:`unseen_full_forms` says how many complete full exams of never-met questions the bank can still give."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from certprep.content.models import Pack, Question
from certprep.engine.forms import (
    Form,
    FormRequest,
    UnseenForms,
    _rounds,
    assemble_form,
    unseen_full_forms,
)
from tests.engine.conftest import synthetic_pack

LONG_AGO = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
LATELY = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)


def _question(pack: Pack, question_id: str) -> Question:
    question = pack.question(question_id)
    assert question is not None
    return question


def _shape(pack: Pack, form: Form) -> tuple[list[int], list[int], int]:
    """What stratification fixes: scored questions per domain, the sorted seats per task of each domain (which tasks
    get a domain's extra seats is random) and the number of pretest questions among the unscored ones."""
    scored = [_question(pack, item.question_id) for item in form.items if item.scored]
    unscored = [_question(pack, item.question_id) for item in form.items if not item.scored]
    by_domain = Counter(question.domain for question in scored)
    by_task = Counter(question.task for question in scored)
    seats = [sorted(by_task[task.id] for task in domain.tasks) for domain in pack.blueprint.domains]
    pretest = sum(1 for question in unscored if question.status == "pretest")
    return [by_domain[domain.id] for domain in pack.blueprint.domains], [n for task in seats for n in task], pretest


def test_an_exam_asks_unmet_questions_first_then_the_ones_met_longest_ago(dop: Pack) -> None:
    bank = synthetic_pack(dop, per_task=6, pretest_per_task=1)
    rng = random.Random(3)
    # In every task statement: 2 questions never met, 2 met long ago, 2 met lately. A full exam needs 3 or 4 of each.
    seen: dict[str, dt.datetime] = {}
    for domain in bank.blueprint.domains:
        for task in domain.tasks:
            ids = [q.id for q in bank.questions if q.task == task.id and q.status == "live"]
            rng.shuffle(ids)
            seen.update(dict.fromkeys(ids[2:4], LONG_AGO) | dict.fromkeys(ids[4:], LATELY))
    form = assemble_form(bank, FormRequest(mode="full"), seed=8, seen=seen)
    asked = set(form.question_ids)
    for domain in bank.blueprint.domains:
        for task in domain.tasks:
            live = [q.id for q in bank.questions if q.task == task.id and q.status == "live"]
            fresh = {q for q in live if q not in seen}
            old = {q for q in live if seen.get(q) == LONG_AGO}
            assert fresh <= asked, task.id  # never-met questions first ...
            if asked & {q for q in live if seen.get(q) == LATELY}:
                assert old <= asked, task.id  # ... then the ones met longest ago, before any met lately
    assert unseen_full_forms(bank, seen).remaining == 0  # two fresh per task cannot fill a task's 3 or 4 seats


def test_stratification_and_the_pretest_share_stay_whatever_the_learner_met(dop: Pack) -> None:
    bank = synthetic_pack(dop, per_task=8, pretest_per_task=1)
    rng = random.Random(11)
    for seed in range(12):
        met = rng.sample([q.id for q in bank.questions], rng.randrange(len(bank.questions)))
        seen = {question_id: LONG_AGO + dt.timedelta(hours=rng.randrange(50)) for question_id in met}
        fresh_learner = assemble_form(bank, FormRequest(mode="full"), seed=seed)
        form = assemble_form(bank, FormRequest(mode="full"), seed=seed, seen=seen)
        assert _shape(bank, form) == _shape(bank, fresh_learner)
        assert _shape(bank, form)[2] == 10  # the 10 unscored seats are all pretest while the bank has pretest
        mock = assemble_form(bank, FormRequest(mode="mock100"), seed=seed, seen=seen)
        assert _shape(bank, mock) == _shape(bank, assemble_form(bank, FormRequest(mode="mock100"), seed=seed))


def test_practice_modes_ignore_what_the_learner_met(dop: Pack) -> None:
    bank = synthetic_pack(dop, per_task=8)
    seen = dict.fromkeys((q.id for q in bank.questions[::2]), LONG_AGO)
    for request in (FormRequest(mode="quick"), FormRequest(mode="drill", domains=(2,)), FormRequest(mode="custom")):
        assert assemble_form(bank, request, seed=4, seen=seen) == assemble_form(bank, request, seed=4)


def test_the_count_says_whether_the_next_exam_can_be_all_unmet(dop: Pack) -> None:
    # A bank with barely more than one exam per task statement, so that random histories land on both sides.
    bank = synthetic_pack(dop, per_task=5, pretest_per_task=1)
    rng = random.Random(5)
    outcomes = Counter[bool]()
    for seed in range(150):
        met = rng.sample([q.id for q in bank.questions], rng.randrange(20))
        seen = dict.fromkeys(met, LONG_AGO)
        form = assemble_form(bank, FormRequest(mode="full"), seed=seed, seen=seen)
        all_unmet = not set(form.question_ids) & set(seen)
        remaining = unseen_full_forms(bank, seen).remaining
        assert (remaining >= 1) == all_unmet, (seed, remaining, sorted(set(form.question_ids) & set(seen)))
        outcomes[all_unmet] += 1
    assert outcomes[True] and outcomes[False], outcomes  # both sides were tried


def test_the_scored_count_says_whether_the_next_exam_scores_only_unmet_questions(dop: Pack) -> None:
    # Few pretest questions (one per task statement, 19 for 10 unscored seats): they run out long before live ones.
    bank = synthetic_pack(dop, per_task=6, pretest_per_task=1)
    rng = random.Random(9)
    outcomes = Counter[bool]()
    for seed in range(120):
        met = rng.sample([q.id for q in bank.questions], rng.randrange(40))
        seen = dict.fromkeys(met, LONG_AGO)
        form = assemble_form(bank, FormRequest(mode="full"), seed=seed, seen=seen)
        scored_unmet = not {item.question_id for item in form.items if item.scored} & set(seen)
        counted = unseen_full_forms(bank, seen)
        assert (counted.scored >= 1) == scored_unmet, (seed, counted)
        assert counted.scored >= counted.remaining
        outcomes[scored_unmet] += 1
    assert outcomes[True] and outcomes[False], outcomes


def test_the_count_falls_by_one_with_each_exam_taken(dop: Pack) -> None:
    bank = synthetic_pack(dop, per_task=12, pretest_per_task=3)  # 228 live, 57 pretest: 3 exams of 65 + 10
    seen: dict[str, dt.datetime] = {}
    counts = []
    for exam in range(5):
        counts.append(unseen_full_forms(bank, seen).remaining)
        form = assemble_form(bank, FormRequest(mode="full"), seed=exam, seen=seen)
        if counts[-1]:
            assert not set(form.question_ids) & set(seen), exam
        seen.update(dict.fromkeys(form.question_ids, LONG_AGO + dt.timedelta(days=exam)))
    assert counts == [3, 2, 1, 0, 0]


def test_after_the_pretest_questions_the_scored_questions_stay_unmet_for_more_exams(dop: Pack) -> None:
    bank = synthetic_pack(dop, per_task=12, pretest_per_task=1)  # 228 live, 19 pretest: one exam's unscored seats
    seen: dict[str, dt.datetime] = {}
    counts = []
    for exam in range(4):
        counted = unseen_full_forms(bank, seen)
        counts.append((counted.remaining, counted.scored))
        form = assemble_form(bank, FormRequest(mode="full"), seed=exam, seen=seen)
        if counted.scored:
            assert not {item.question_id for item in form.items if item.scored} & set(seen), exam
        seen.update(dict.fromkeys(form.question_ids, LONG_AGO + dt.timedelta(days=exam)))
    assert counts == [(1, 3), (0, 2), (0, 1), (0, 0)]


def test_the_count_on_the_tiny_pack(tiny: Pack) -> None:
    # 5 scored seats (3 of domain 1: one per task and an extra, 2 of domain 2) and 1 unscored, the pretest question:
    # the tiny bank (5 live, 1 pretest) holds exactly one full exam.
    assert unseen_full_forms(tiny, set()) == UnseenForms(remaining=1, unseen=6, scored=1)
    assert unseen_full_forms(tiny, {"tiny-old-question"}) == UnseenForms(remaining=1, unseen=6, scored=1)  # retired
    assert unseen_full_forms(tiny, {"tiny-kill-graceful"}) == UnseenForms(remaining=0, unseen=5, scored=0)
    # The unscored seat: the scored ones can still be all unmet.
    assert unseen_full_forms(tiny, {"tiny-vi-insert"}) == UnseenForms(remaining=0, unseen=5, scored=1)
    form = assemble_form(tiny, FormRequest(mode="full"), seed=1)
    assert unseen_full_forms(tiny, set(form.question_ids)) == UnseenForms(remaining=0, unseen=0, scored=0)
    # The guest preview's questions, which exams leave out of a big enough bank, are not counted either.
    assert unseen_full_forms(tiny, set(), exclude={"tiny-list-hidden"}).remaining == 0


def test_the_sentence_a_learner_reads() -> None:
    assert UnseenForms(3, 300).sentence == "3 full exams of questions you have not seen remain."
    assert UnseenForms(1, 80).sentence == "1 full exam of questions you have not seen remains."
    assert UnseenForms(2, 763, scored=11).sentence == (
        "2 full exams of questions you have not seen remain, then 9 more whose scored questions you have not seen "
        "(only their unscored questions repeat ones you saw)."
    )
    assert UnseenForms(0, 300, scored=1).sentence == (
        "No whole full exam of questions you have not seen remains, but 1 full exam whose scored questions you have "
        "not seen does: only their unscored questions repeat ones you saw."
    )
    assert UnseenForms(0, 40).sentence.startswith(
        "No whole full exam of questions you have not seen remains (40 questions you have not seen are left"
    )
    assert UnseenForms(0, 0).sentence.startswith(
        "You have seen every question at least once: this exam repeats questions you answered before"
    )


def test_round_robin_seats_per_task_statement() -> None:
    assert _rounds([5, 5, 5, 5], 14) == (3, 2)  # 3 each, and 2 of the 4 tasks get a 4th
    assert _rounds([1, 9], 6) == (5, 0)  # a thin task gives its one question; the other takes the rest
    assert _rounds([2, 1], 5) == (2, 0)  # a bank too small gives everything it has
    assert _rounds([4, 4, 4], 0) == (0, 0)
