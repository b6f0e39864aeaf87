"""Option shuffling per attempt (engine.options, ExamService): a seeded permutation per item, answers taken by the
letters shown and stored by authoring id, and the same letters in feedback and results (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from certprep.engine.forms import FormRequest
from certprep.services.exams import ExamService
from certprep.store.schema import AttemptItem
from tests.conftest import Learners
from tests.services.test_exams import PACKS, T0

TINY = PACKS["tiny"]


def _pack_texts(question_id: str) -> list[str]:
    question = TINY.question(question_id)
    assert question is not None
    return [option.text for option in question.options]


def test_practice_shows_its_own_order_and_answers_by_the_letters_shown(learners: Learners) -> None:
    exams = ExamService(learners.sessions, PACKS)
    alice = learners.alice
    attempt = exams.start(alice, "tiny", FormRequest(mode="quick", count=6), seed=3, now=T0)
    state = exams.state(alice, attempt, now=T0)
    shuffled = [q for q in state.questions if [o.text for o in q.options] != _pack_texts(q.question_id)]
    assert shuffled, "no question of the practice session shows its options in an order of its own"
    again = exams.state(alice, attempt, now=T0)
    assert [[o.text for o in q.options] for q in again.questions] == [
        [o.text for o in q.options] for q in state.questions
    ]
    # Answer every item: the first shuffled one by another letter, the rest by the letters of the key's texts.
    wrong = shuffled[0]
    results = {}
    for item in state.questions:
        question = TINY.question(item.question_id)
        assert question is not None
        key_texts = {o.text for o in question.options if o.correct}
        key_letters = sorted(o.id for o in item.options if o.text in key_texts)
        letters = [next(o.id for o in item.options if o.id not in key_letters)] if item is wrong else key_letters
        exams.answer(alice, attempt, item.position, selected=letters, now=T0)
        checked = exams.check(alice, attempt, item.position, now=T0)
        assert checked.correct is (item is not wrong)
        assert checked.correct_options == key_letters  # feedback names the key by the letters shown
        assert checked.selected == letters
        results[item.position] = (key_letters, sorted(question.correct_ids), letters, question)
    with learners.sessions() as session:
        rows = {
            row.position: row for row in session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt))
        }
    for position, (_, authoring_key, letters, question) in results.items():
        if position != wrong.position:
            assert sorted(rows[position].selected) == authoring_key
        shown = next(q for q in state.questions if q.position == position)
        texts = {o.id: o.text for o in shown.options}
        by_text = {o.text: o.id for o in question.options}
        assert sorted(rows[position].selected) == sorted(by_text[texts[letter]] for letter in letters)
    result = exams.submit(alice, attempt, now=T0 + dt.timedelta(minutes=1))
    assert result.correct == len(state.questions) - 1
    for scored in result.items:
        key_letters, _, letters, _ = results[scored.position]
        assert scored.correct_options == key_letters
        assert scored.selected == letters


def test_a_full_exam_keeps_the_pack_order_unless_asked(learners: Learners) -> None:
    exams = ExamService(learners.sessions, PACKS)
    plain = exams.start(learners.alice, "tiny", FormRequest(mode="full"), seed=4, now=T0)
    state = exams.state(learners.alice, plain, now=T0)
    assert all([o.text for o in q.options] == _pack_texts(q.question_id) for q in state.questions)
    asked = exams.start(learners.bob, "tiny", FormRequest(mode="full", shuffle_options=True), seed=4, now=T0)
    state = exams.state(learners.bob, asked, now=T0)
    assert any([o.text for o in q.options] != _pack_texts(q.question_id) for q in state.questions)
