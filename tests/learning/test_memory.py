"""Repeats count for what they show: a right answer to a question seen before may be memory of that question, and
readiness says how much of its evidence comes from questions met for the first time."""

from __future__ import annotations

import datetime as dt

from certprep.content.models import Pack
from certprep.engine.scoring import author_difficulty
from certprep.learning.mastery import Evidence, ModelSettings, answer_evidence, fit
from certprep.learning.memory import exposure_memories, first_time_share
from certprep.learning.readiness import evidence_note, predict
from certprep.learning.srs import Graded
from tests.learning.conftest import infos_of, shape_of

NOW = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def test_a_first_answer_has_no_memory_and_a_repeat_fades_with_time() -> None:
    answers = [
        Graded("q1", NOW, True),
        Graded("q1", NOW + dt.timedelta(hours=1), True),
        Graded("q2", NOW, False),
        Graded("q2", NOW + 60 * DAY, True),
    ]
    first, soon, other, late = exposure_memories(answers)
    assert first == other == 0.0
    assert soon > 0.95  # an hour after reading its explanation, the key is still in mind
    assert 0.0 < late < 0.7  # two months later, much of it is gone
    assert first_time_share([first, soon, other, late]) == 0.5


def test_spaced_exposures_make_the_memory_of_a_question_last_longer() -> None:
    once = exposure_memories([Graded("q", NOW, True), Graded("q", NOW + 30 * DAY, True)])[1]
    spaced = [Graded("q", NOW + offset * DAY, True) for offset in (0, 3, 10, 30)]
    thrice = exposure_memories([*spaced, Graded("q", NOW + 60 * DAY, True)])[-1]
    assert thrice > once


def _history(pack: Pack, repeats: int, memory_term: bool = True, fresh: bool = False) -> list[Evidence]:
    """Per task: four questions met a week ago, two right and two wrong; then ``repeats`` right answers to each of
    the same four a day apart (the learner has learned the keys, not the task). ``fresh``: the same record, answer
    for answer (same days, same difficulties, same right and wrong), on questions met for the first time."""
    evidence: list[Evidence] = []
    for task in [t.id for d in pack.blueprint.domains for t in d.tasks]:
        questions = [q for q in pack.questions if q.task == task and q.status == "live"][:4]
        difficulty = {q.id: author_difficulty(q.difficulty) for q in questions}
        answers = [Graded(q.id, NOW - 7 * DAY, index < 2) for index, q in enumerate(questions)]
        answers += [Graded(q.id, NOW - (6 - day) * DAY, True) for day in range(repeats) for q in questions]
        asked = [f"{a.question_id}@{number}" if fresh else a.question_id for number, a in enumerate(answers)]
        memories = exposure_memories([Graded(q, a.at, a.correct) for q, a in zip(asked, answers, strict=True)])
        evidence += [
            answer_evidence(task, difficulty[a.question_id], a.correct, a.at, memory if memory_term else 0.0)
            for a, memory in zip(answers, memories, strict=True)
        ]
    return evidence


def test_right_repeats_of_a_few_questions_count_for_less_than_the_same_record_on_new_ones(dop: Pack) -> None:
    infos, shape = infos_of(dop), shape_of(dop)
    repeated = predict(fit(infos, _history(dop, repeats=5), NOW), shape)
    fresh = predict(fit(infos, _history(dop, repeats=5, fresh=True), NOW), shape)
    assert (repeated.answers, repeated.evidence) == (fresh.answers, fresh.evidence)  # the same record...
    # ...but 20 right answers per task to four questions already seen say less than 20 right answers to new ones.
    assert repeated.pass_probability < fresh.pass_probability - 0.3
    assert repeated.scaled_score < fresh.scaled_score - 50
    # The prediction says what it rests on: a sixth of the answers, and less of their weight (they are the oldest).
    assert repeated.first_time_share == 4 / 24 and fresh.first_time_share == 1.0
    assert repeated.first_time_evidence is not None and repeated.first_time_evidence < 4 / 24
    assert fresh.first_time_evidence == 1.0
    assert repeated.rests_on_repeats and not fresh.rests_on_repeats
    repeated_note, fresh_note = evidence_note(repeated), evidence_note(fresh)
    assert repeated_note is not None and "take a full exam of questions you have not seen" in repeated_note
    assert fresh_note == "456 of your 456 answers were to questions you met for the first time."


def test_memorised_right_answers_do_not_make_a_learner_look_ready(dop: Pack) -> None:
    infos, shape = infos_of(dop), shape_of(dop)
    first_time_only = predict(fit(infos, _history(dop, repeats=0), NOW), shape)
    with_repeats = predict(fit(infos, _history(dop, repeats=5), NOW), shape)
    read_as_new = predict(fit(infos, _history(dop, repeats=5, memory_term=False), NOW), shape)
    # Read as new answers, 20 right repeats per task would make a half-right learner look certain to pass...
    assert read_as_new.pass_probability > 0.95
    # ...through the memory term they count for the little learning that rereading explanations brings.
    assert first_time_only.pass_probability < with_repeats.pass_probability < 0.65
    assert with_repeats.scaled_score < read_as_new.scaled_score - 150
    assert with_repeats.first_time_share == 4 / 24 and with_repeats.rests_on_repeats
    assert first_time_only.first_time_share == 1.0 and not first_time_only.rests_on_repeats


def test_a_wrong_answer_to_a_repeat_counts_in_full(dop: Pack) -> None:
    infos, shape = infos_of(dop), shape_of(dop)
    question = next(q for q in dop.questions if q.task == "1.4" and q.status == "live")
    b = author_difficulty(question.difficulty)
    as_new = [answer_evidence("1.4", b, False, NOW - i * DAY) for i in range(10)]
    as_repeats = [answer_evidence("1.4", b, False, NOW - i * DAY, memory=0.9) for i in range(10)]
    repeated, new = predict(fit(infos, as_repeats, NOW), shape), predict(fit(infos, as_new, NOW), shape)
    assert (repeated.scaled_score, repeated.pass_probability) == (new.scaled_score, new.pass_probability)
    assert (repeated.first_time_answers, new.first_time_answers) == (0, 10)


def test_with_a_grid_of_learning_rates_memorised_repeats_still_do_not_make_a_learner_look_ready(dop: Pack) -> None:
    infos, shape = infos_of(dop), shape_of(dop)
    grid = (0.0125, 0.025, 0.05, 0.1)
    own_rate = ModelSettings(learning_rates=grid, repeat_rate=None)
    one_repeat_rate = ModelSettings(learning_rates=grid)
    history = _history(dop, repeats=5)
    # Were repeats to age earlier answers at the learner's own rate, the fastest rate would lift a half-right learner's
    # early misses by logits and twenty remembered repeats per task would read as a learner ready to pass...
    inflated = predict(fit(infos, history, NOW, own_rate), shape).pass_probability
    assert inflated > 0.7
    # ...at one rate for every learner, they do not.
    guarded = predict(fit(infos, history, NOW, one_repeat_rate), shape).pass_probability
    first_time_only = predict(fit(infos, _history(dop, repeats=0), NOW, one_repeat_rate), shape).pass_probability
    assert first_time_only < guarded < 0.65
