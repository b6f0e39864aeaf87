"""The dashboard's counts agree: the sentence under the prediction and the Answers and Reviews tiles (#24 item 10)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from certprep.engine.forms import FormRequest
from tests.conftest import runtime_of


def _number(pattern: str, text: str) -> int:
    found = re.search(pattern, text, re.S)
    assert found is not None, f"{pattern!r} not in the page"
    return int(found[1])


def test_the_sentence_and_the_tiles_count_the_same_answers_and_reviews(client: TestClient) -> None:
    # Before: "From 82 answers and reviews" beside Answers 77 and Reviews 6. The sentence counted the scored answers
    # and the flashcard reviews behind the prediction; the tiles counted every saved answer (an exam in progress
    # too) and every review row.
    runtime = runtime_of(client)
    exams, user, pack = runtime.exams, runtime.local_user_id, runtime.packs["tiny"]
    practice = exams.start(user, "tiny", FormRequest(mode="custom", count=20))
    items = exams.state(user, practice).questions
    for item in items:
        question = pack.question(item.question_id)
        assert question is not None
        exams.answer(user, practice, item.position, selected=sorted(question.correct_ids))
        exams.check(user, practice, item.position)
    unchecked = exams.start(user, "tiny", FormRequest(mode="custom", count=20))
    first = exams.state(user, unchecked).questions[0]
    question = pack.question(first.question_id)
    assert question is not None
    exams.answer(user, unchecked, first.position, selected=sorted(question.correct_ids))  # saved, never checked
    for card in pack.flashcards[:3]:
        runtime.learning.cards.review_card(user, "tiny", card.id, 3)

    page = client.get("/packs/tiny/learn")
    assert page.status_code == 200
    text = page.text
    sentence_answers = _number(r'id="evidence-count">From (\d+) answers?', text)
    sentence_reviews = _number(r'id="evidence-count">From \d+ answers? and (\d+) flashcard review', text)
    tile_answers = _number(r'id="answers-count">(\d+)', text)
    tile_reviews = _number(r'id="reviews-count">(\d+)', text)
    assert (sentence_answers, sentence_reviews) == (tile_answers, tile_reviews) == (len(items), 3)
    # The saved but unchecked answer is not counted as scored; the page says it will count once it is.
    assert "1 more answer counts once its session is scored" in text
    assert "+1 not scored yet" in text
    readiness = client.get("/api/v1/readiness", params={"pack": "tiny"}).json()
    assert (readiness["answers"], readiness["reviews"]) == (len(items), 3)
    assert readiness["evidence"] == readiness["answers"] + readiness["reviews"]
