"""During a running exam the tutor does not discuss that exam's questions, by id, by position or by paste."""

from __future__ import annotations

from certprep.content import Pack
from certprep.tutor import REFUSAL, Tutor, TutorContext

QUESTION = "d1-pipeline-cross-account-artifact-key"


def test_explaining_a_running_exam_question_is_refused(tutor: Tutor) -> None:
    context = TutorContext(blocked=frozenset({QUESTION}), positions={1: QUESTION})
    for query in (f"explain question {QUESTION}", "explain question 1"):
        answer = tutor.answer(query, context)
        assert answer.refused
        assert answer.text == REFUSAL
        assert answer.hits == ()


def test_a_pasted_scenario_is_refused(tutor: Tutor, dop: Pack) -> None:
    question = dop.question(QUESTION)
    assert question is not None
    context = TutorContext(blocked=frozenset({QUESTION}))
    answer = tutor.answer(question.stem, context)
    assert answer.refused
    assert answer.hits == ()
    # The same paste is fine once the exam is over.
    assert not tutor.answer(question.stem).refused


def test_free_questions_still_work_but_never_show_the_blocked_explanations(tutor: Tutor, dop: Pack) -> None:
    question = dop.question(QUESTION)
    assert question is not None
    context = TutorContext(blocked=frozenset({QUESTION}))
    answer = tutor.answer("cross-account CodePipeline artifact store KMS key bucket policy", context)
    assert not answer.refused
    assert answer.hits
    assert all(hit.passage.question_id != QUESTION for hit in answer.hits)
    for secret in [question.explanation.strip(), *(option.why for option in question.options)]:
        assert secret not in answer.text
    quiz = tutor.answer("quiz me on cross-account pipelines", context)
    assert all(hit.passage.question_id != QUESTION for hit in quiz.hits)
    compare = tutor.answer("compare CodePipeline V1 vs V2", context)
    assert all(hit.passage.question_id != QUESTION for hit in compare.hits)


def test_pasting_most_of_the_scenario_is_refused_too(tutor: Tutor, dop: Pack) -> None:
    question = dop.question(QUESTION)
    assert question is not None
    words = question.stem.split()
    context = TutorContext(blocked=frozenset({QUESTION}))
    assert tutor.answer(" ".join(words[: len(words) * 2 // 3]), context).refused
    assert tutor.answer("Which options? " + " ".join(words[len(words) // 3 :]), context).refused
